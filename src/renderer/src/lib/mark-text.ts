/**
 * Wraps the first occurrence of `text` in the HTML's text in a `<mark>`, so a document opened from a
 * summary line shows where that line comes from. Structured entries and their narrative rarely agree
 * to the letter (« PLAVIX 75 mg » / « PLAVIX 75mg, comprimé pelliculé »): when the whole label is not
 * found, its longest leading words that are (at least one word of four letters or more). Case-insensitive.
 * With the entry's narrative anchor, the anchored element is marked instead. DOMParser builds an inert document (no script runs, nothing loads); the result goes back into the
 * sandboxed frame. Returns the HTML unchanged when nothing matches.
 */
export function markFirstOccurrence(html: string, text: string, anchor?: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  // The entry's own narrative anchor (`id="cda-<ID>"`) says exactly where it is: mark that element.
  const anchored = anchor ? doc.getElementById(`cda-${anchor}`) : null;
  if (anchored) {
    markElement(doc, anchored);
    return `<!doctype html>${doc.documentElement.outerHTML}`;
  }
  for (let n = words.length; n >= 1; n--) {
    const needle = words.slice(0, n).join(' ');
    if (n === 1 && needle.length < 4) break;
    if (markIn(doc, needle.toLowerCase())) return `<!doctype html>${doc.documentElement.outerHTML}`;
  }
  return html;
}

function markIn(doc: Document, needle: string): boolean {
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const index = (node.nodeValue ?? '').replace(/\s/g, ' ').toLowerCase().indexOf(needle);
    if (index < 0) continue;
    const target = (node as Text).splitText(index);
    target.splitText(needle.length);
    const mark = doc.createElement('mark');
    mark.id = 'entree-synthese';
    target.replaceWith(mark);
    mark.append(target);
    return true;
  }
  return false;
}

/** Wraps an element's content in a mark; a table row's cells each get theirs (a mark cannot hold cells). */
function markElement(doc: Document, el: Element): void {
  const targets = el.tagName === 'TR' ? [...el.children] : [el];
  targets.forEach((target, i) => {
    const mark = doc.createElement('mark');
    if (i === 0) mark.id = 'entree-synthese';
    mark.append(...target.childNodes);
    target.append(mark);
  });
}
