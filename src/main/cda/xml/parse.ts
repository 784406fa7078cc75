import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import { CdaError } from '../errors';
import { decodeXmlBytes } from './decode';
import { defaultXmlLimits } from './limits';
import type { XmlLimits } from './limits';
import { XSI_NS } from './tree';
import type { XmlElement, XmlNode } from './tree';

export interface ParsedXml {
  root: XmlElement;
  /** French notes about repairs made while reading (mislabelled encoding). */
  notes: string[];
}

interface OpenElement {
  name: string;
  local: string;
  ns: string;
  attrs: Record<string, string>;
  nodes: XmlNode[];
  children: XmlElement[];
  line: number;
}

/**
 * Parses XML with saxes (non-validating: it never loads external entities) and refuses any DOCTYPE,
 * which is the only way to declare entities, so XXE and entity expansion bombs are impossible.
 */
export function parseXml(input: Uint8Array | string, limits: XmlLimits = defaultXmlLimits): ParsedXml {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > limits.maxBytes) {
    throw new CdaError(
      'too-large',
      `le fichier dépasse la taille maximale de ${Math.round(limits.maxBytes / 1024 / 1024)} Mo.`,
      `input of ${size} bytes exceeds ${limits.maxBytes}`,
    );
  }
  const decoded =
    typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), notes: [] } : decodeXmlBytes(input);
  const source = decoded.text;
  if (!source.trimStart().startsWith('<')) {
    throw new CdaError(
      'malformed',
      "le fichier n'est pas un document XML.",
      'input does not start with markup',
    );
  }

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let elementCount = 0;

  const where = (): string => `line ${parser.line}, column ${parser.column}`;
  const limitHit = (what: string, detail: string): never => {
    throw new CdaError('limit', `structure hors limites (${what}).`, `${detail} at ${where()}`);
  };

  parser.on('doctype', () => {
    throw new CdaError(
      'doctype',
      'les déclarations DOCTYPE sont interdites.',
      `DOCTYPE declaration at ${where()}`,
    );
  });
  parser.on('error', (err: Error) => {
    // saxes messages are "file:line:col: reason" and may quote document content: keep only the position.
    throw new CdaError(
      'malformed',
      `XML mal formé (ligne ${parser.line}).`,
      `saxes error at ${where()}: ${describeSaxesError(err)}`,
    );
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= limits.maxDepth) limitHit('profondeur', `element depth above ${limits.maxDepth}`);
    if (++elementCount > limits.maxElements)
      limitHit("nombre d'éléments", `more than ${limits.maxElements} elements`);
    // No prototype: an attribute named like an Object member can neither collide nor be inherited.
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    let count = 0;
    for (const a of Object.values(tag.attributes)) {
      if (++count > limits.maxAttributes)
        limitHit("nombre d'attributs", `more than ${limits.maxAttributes} attributes`);
      if (a.value.length > limits.maxAttributeLength)
        limitHit(
          "taille d'attribut",
          `attribute value of ${a.value.length} chars exceeds ${limits.maxAttributeLength}`,
        );
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      const key = a.uri === '' ? a.local : a.uri === XSI_NS ? `xsi:${a.local}` : `{${a.uri}}${a.local}`;
      attrs[key] = a.value;
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
  parser.on('text', (value: string) => appendText(value));
  parser.on('cdata', (value: string) => appendText(value));
  parser.on('closetag', () => {
    const open = stack.pop();
    if (!open) return;
    const el: XmlElement = Object.freeze({
      name: open.name,
      local: open.local,
      ns: open.ns,
      attrs: Object.freeze(open.attrs),
      nodes: Object.freeze(open.nodes),
      children: Object.freeze(open.children),
      line: open.line,
    });
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.nodes.push(el);
      parent.children.push(el);
    } else root = el;
  });

  function appendText(value: string): void {
    const parent = stack[stack.length - 1];
    if (!parent) return; // whitespace outside the root element
    if (value.length > limits.maxTextLength)
      limitHit('taille de texte', `text node of ${value.length} chars exceeds ${limits.maxTextLength}`);
    const last = parent.nodes[parent.nodes.length - 1];
    if (typeof last === 'string') parent.nodes[parent.nodes.length - 1] = last + value;
    else parent.nodes.push(value);
  }

  try {
    parser.write(source).close();
  } catch (err) {
    if (err instanceof CdaError) throw err;
    throw new CdaError(
      'malformed',
      'XML mal formé.',
      `parser failure at ${where()}: ${err instanceof Error ? describeSaxesError(err) : 'unknown'}`,
    );
  }
  if (!root) throw new CdaError('malformed', 'aucun élément racine.', 'no root element');
  return { root, notes: decoded.notes };
}

/** Keeps the reason of a saxes error but drops anything quoted from the document. */
function describeSaxesError(err: Error): string {
  const reason = err.message.replace(/^[^:]*:\d+:\d+:\s*/, '');
  return reason
    .replace(/["'«][^"'»]*["'»]/g, '"…"')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}
