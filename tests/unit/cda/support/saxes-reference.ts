import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import { XSI_NS } from '../../../../src/main/cda/xml/tree';
import type { OpenXmlElement, XmlElement } from '../../../../src/main/cda/xml/tree';

// Namespaces in XML 1.0, « QName »: two NCNames (XML 1.0 Names without a colon) around at most one colon.
// saxes checks names against XML's Name only, where `a:-b` and `a:b:c` are allowed: the reference adds this.
const nameStart =
  'A-Za-z_\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}\\u{2070}-\\u{218F}' +
  '\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}';
const ncName = `[${nameStart}][${nameStart}0-9.\\-\\u{B7}\\u{300}-\\u{36F}\\u{203F}-\\u{2040}]*`;
// eslint-disable-next-line no-misleading-character-class -- XML names include combining marks by definition
const qName = new RegExp(`^${ncName}(?::${ncName})?$`, 'u');

/**
 * An independent reading of the same XML, by saxes (the parser the importer used until 2026-12),
 * building the same tree shape: the reference the reader is compared with. No limits, no DOCTYPE
 * handling beyond saxes's own, and names held to Namespaces in XML (above).
 */
export function saxesTree(source: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: OpenXmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (err: Error) => {
    failure ??= err;
    throw err;
  });
  parser.on('doctype', () => {
    throw new Error('doctype');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    for (const name of [tag.name, ...Object.keys(tag.attributes)])
      if (!qName.test(name)) throw new Error('not a namespace QName');
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[a.uri === '' ? a.local : a.uri === XSI_NS ? `xsi:${a.local}` : `{${a.uri}}${a.local}`] = a.value;
    }
    stack.push({
      name: tag.name,
      local: tag.local,
      ns: tag.uri,
      attrs,
      nodes: [],
      children: [],
      line: parser.line,
    });
  });
  const appendText = (value: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const last = parent.nodes[parent.nodes.length - 1];
    if (typeof last === 'string') parent.nodes[parent.nodes.length - 1] = last + value;
    else parent.nodes.push(value);
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('closetag', () => {
    const open = stack.pop();
    if (!open) return;
    const el: XmlElement = { ...open };
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.nodes.push(el);
      parent.children.push(el);
    } else root = el;
  });
  parser.write(source).close();
  if (failure) throw failure;
  if (!root) throw new Error('no root element');
  return root;
}
