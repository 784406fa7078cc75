/**
 * Wraps the first occurrence of `text` (case-insensitive) in the HTML's text in a
 * `<mark>`, so a document opened from a summary line shows where that line comes from. DOMParser
 * builds an inert document (no script runs, nothing loads); the result goes back into the sandboxed frame.
 * Returns the HTML unchanged when the text is not found in a single text node.
 */
export function markFirstOccurrence(html: string, text: string): string {
  const needle = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (needle === '') return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const content = node.nodeValue ?? '';
    const index = content.replace(/\s/g, ' ').toLowerCase().indexOf(needle);
    if (index < 0) continue;
    const target = (node as Text).splitText(index);
    target.splitText(needle.length);
    const mark = doc.createElement('mark');
    mark.id = 'entree-synthese';
    target.replaceWith(mark);
    mark.append(target);
    return `<!doctype html>${doc.documentElement.outerHTML}`;
  }
  return html;
}
