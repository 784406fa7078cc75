import { CdaError } from '../errors';
import type { XmlLimits } from './limits';
import { XSI_NS } from './tree';
import type { OpenXmlElement, XmlElement } from './tree';

/*
 * A non-validating reader for XML 1.0 with namespaces, for the documents the CDA importer reads.
 *
 * Why not a library: saxes (used until 2026-12) reads character by character in JavaScript; in a
 * fresh process (the CLI's cold import) that code runs once, in V8's interpreter, and took 40–60 ms
 * of a 163 KB document. This reader finds markup with `indexOf` and reads each tag with one sticky
 * regular expression, which V8 runs as compiled code from the first call. It checks what saxes
 * checked (tests/unit/cda/xml-reader.test.ts compares the two on every corpus document and on
 * mutations of them): well-formedness (names, quoting, nesting, references, characters, comments,
 * CDATA, processing instructions, one root) and namespace constraints. It refuses any DOCTYPE, the
 * only way to declare entities, so external entities and expansion bombs cannot exist.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

// XML 1.0 (5th edition) NameStartChar and NameChar, without the colon: names here are namespace QNames.
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
const QNAME = `${NCNAME}(?::${NCNAME})?`;

/** A character XML 1.0 does not allow anywhere (after line ends were normalised, so no CR). */
const NOT_A_CHAR = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** The same, by UTF-16 unit, with every surrogate: a quicker first pass (pairs are then checked by NOT_A_CHAR). */
const NOT_A_CHAR_UNIT = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD]/;
/* eslint-disable no-misleading-character-class -- XML names include combining marks (U+0300–U+036F) and U+200C–U+200D by definition, as single characters */
// A whole start tag, attributes included, in one match: the name, the attributes as written, '/' if empty.
const START_TAG = new RegExp(
  `<(${QNAME})((?:[ \\t\\n]+${QNAME}[ \\t\\n]*=[ \\t\\n]*(?:"[^<"]*"|'[^<']*'))*)[ \\t\\n]*(/?)>`,
  'uy',
);
const END_TAG = new RegExp(`</(${QNAME})[ \\t\\n]*>`, 'uy');
// After the target, saxes accepts a '?' not followed by '>' as the start of the data; so does this reader.
const PI_TARGET = new RegExp(`<\\?(${NCNAME})[ \\t\\n?]`, 'uy');
/* eslint-enable no-misleading-character-class */
const XML_DECLARATION =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/y;
const ONLY_SPACE = /^[ \t\n]*$/;
const REFERENCE = /&([^&;]*)(;?)/g;
const ATTRIBUTE_SPACE = /[\t\n]/g;
/** One attribute of a start tag START_TAG matched (so already checked: names, quoting, no '<'). */
const ATTRIBUTE = /([^ \t\n=]+)[ \t\n]*=[ \t\n]*(?:"([^"]*)"|'([^']*)')/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface OpenElement extends OpenXmlElement {
  /** Prefix → namespace in scope ('' is the default namespace); shared with the parent when nothing is declared. */
  scope: Record<string, string>;
}

/** Reads `source` (already decoded text) into an immutable element tree, or throws a CdaError. */
export function readXmlTree(source: string, limits: XmlLimits): XmlElement {
  const text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  const length = text.length;

  // Line of a position, counted forward from the last position asked (positions only grow, but for errors).
  let countedTo = 0;
  let countedLine = 1;
  const lineAt = (pos: number): number => {
    if (pos < countedTo) {
      countedTo = 0;
      countedLine = 1;
    }
    for (let nl = text.indexOf('\n', countedTo); nl !== -1 && nl < pos; nl = text.indexOf('\n', nl + 1)) {
      countedLine++;
      countedTo = nl + 1;
    }
    return countedLine;
  };
  const where = (pos: number): string => {
    const line = lineAt(pos);
    return `line ${line}, column ${pos - text.lastIndexOf('\n', pos - 1)}`;
  };
  const malformed = (pos: number, reason: string): never => {
    throw new CdaError(
      'malformed',
      `XML mal formé (ligne ${lineAt(pos)}).`,
      `reader error at ${where(pos)}: ${reason}`,
    );
  };
  const limitHit = (pos: number, what: string, detail: string): never => {
    throw new CdaError('limit', `structure hors limites (${what}).`, `${detail} at ${where(pos)}`);
  };

  const bad = NOT_A_CHAR_UNIT.test(text) ? NOT_A_CHAR.exec(text) : null;
  if (bad) malformed(bad.index, 'disallowed character');

  /** Resolves entity and character references; anything but the five predefined entities is refused. */
  const resolveReferences = (raw: string, at: number): string =>
    raw.replace(REFERENCE, (_whole, ref: string, semicolon: string) => {
      if (semicolon === '') return malformed(at, 'unterminated reference');
      const named = PREDEFINED[ref];
      if (named !== undefined) return named;
      const code = /^#[0-9]+$/.test(ref)
        ? Number.parseInt(ref.slice(1), 10)
        : /^#x[0-9A-Fa-f]+$/.test(ref)
          ? Number.parseInt(ref.slice(2), 16)
          : malformed(at, ref.startsWith('#') ? 'malformed character reference' : 'undefined entity');
      if (!isXmlChar(code)) malformed(at, 'character reference to a disallowed character');
      return String.fromCodePoint(code);
    });

  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let elementCount = 0;
  const rootScope: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
    xml: XML_NS,
    '': '',
  });

  const appendText = (value: string, at: number): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    if (value.length > limits.maxTextLength)
      limitHit(at, 'taille de texte', `text node of ${value.length} chars exceeds ${limits.maxTextLength}`);
    const last = parent.nodes[parent.nodes.length - 1];
    if (typeof last === 'string') parent.nodes[parent.nodes.length - 1] = last + value;
    else parent.nodes.push(value);
  };

  const readText = (from: number, to: number): void => {
    const raw = text.slice(from, to);
    if (stack.length === 0) {
      if (!ONLY_SPACE.test(raw)) malformed(from, 'text outside the root element');
      return;
    }
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd !== -1) malformed(from + cdataEnd, "']]>' in text");
    appendText(raw.includes('&') ? resolveReferences(raw, from) : raw, from);
  };

  const closeElement = (open: OpenElement): void => {
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
  };

  const readStartTag = (at: number): number => {
    if (root !== undefined && stack.length === 0) malformed(at, 'a second root element');
    START_TAG.lastIndex = at;
    const tag = START_TAG.exec(text);
    if (!tag) return malformed(at, 'malformed start tag or attribute');
    const name = tag[1] as string;
    const afterTag = START_TAG.lastIndex;
    if (stack.length >= limits.maxDepth) limitHit(at, 'profondeur', `element depth above ${limits.maxDepth}`);
    if (++elementCount > limits.maxElements)
      limitHit(at, "nombre d'éléments", `more than ${limits.maxElements} elements`);

    // No prototype: an attribute named like an Object member can neither collide nor be inherited.
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    // Prefixed attributes and namespace declarations wait until the element's scope is known.
    let prefixed: { qname: string; value: string; at: number }[] | undefined;
    const written = tag[2] as string;
    if (written !== '') {
      let count = 0;
      const writtenAt = at + 1 + name.length;
      ATTRIBUTE.lastIndex = 0;
      for (let a = ATTRIBUTE.exec(written); a !== null; a = ATTRIBUTE.exec(written)) {
        const pos = writtenAt + a.index;
        if (++count > limits.maxAttributes)
          limitHit(pos, "nombre d'attributs", `more than ${limits.maxAttributes} attributes`);
        const qname = a[1] as string;
        const quoted = a[2] ?? a[3] ?? '';
        let value =
          quoted.includes('\t') || quoted.includes('\n') ? quoted.replace(ATTRIBUTE_SPACE, ' ') : quoted;
        if (value.includes('&')) value = resolveReferences(value, pos);
        if (value.length > limits.maxAttributeLength)
          limitHit(
            pos,
            "taille d'attribut",
            `attribute value of ${value.length} chars exceeds ${limits.maxAttributeLength}`,
          );
        if (qname.includes(':') || qname === 'xmlns') (prefixed ??= []).push({ qname, value, at: pos });
        else if (qname in attrs) malformed(pos, 'duplicate attribute');
        else attrs[qname] = value;
      }
    }

    let scope = stack[stack.length - 1]?.scope ?? rootScope;
    if (prefixed) scope = declareNamespaces(prefixed, scope, malformed);

    const colon = name.indexOf(':');
    const elementPrefix = colon === -1 ? '' : name.slice(0, colon);
    if (elementPrefix === 'xmlns') malformed(at, 'element in the xmlns namespace');
    const ns = scope[elementPrefix];
    if (ns === undefined) return malformed(at, 'unbound namespace prefix');

    for (const { qname, value, at: apos } of prefixed ?? []) {
      if (qname === 'xmlns' || qname.startsWith('xmlns:')) continue;
      const c = qname.indexOf(':');
      const uri = scope[qname.slice(0, c)];
      if (uri === undefined) return malformed(apos, 'unbound namespace prefix');
      const local = qname.slice(c + 1);
      // One key per expanded name (local names have no colon and never start with '{').
      const key = uri === '' ? local : uri === XSI_NS ? `xsi:${local}` : `{${uri}}${local}`;
      if (key in attrs) malformed(apos, 'duplicate attribute');
      attrs[key] = value;
    }

    const open: OpenElement = {
      name,
      local: colon === -1 ? name : name.slice(colon + 1),
      ns,
      attrs,
      nodes: [],
      children: [],
      line: lineAt(afterTag - 1),
      scope,
    };
    if (tag[3] === '/') closeElement(open);
    else stack.push(open);
    return afterTag;
  };

  const readEndTag = (at: number): number => {
    END_TAG.lastIndex = at;
    const tag = END_TAG.exec(text);
    if (!tag) return malformed(at, 'malformed end tag');
    const open = stack.pop();
    if (!open) return malformed(at, 'end tag without a start tag');
    if (open.name !== tag[1]) malformed(at, 'end tag does not match the open element');
    closeElement(open);
    return END_TAG.lastIndex;
  };

  const readDeclaration = (at: number): number => {
    if (text.startsWith('<!--', at)) {
      const close = text.indexOf('-->', at + 4);
      if (close === -1) return malformed(at, 'unclosed comment');
      const body = text.slice(at + 4, close);
      if (body.includes('--') || body.endsWith('-')) malformed(at, "'--' in a comment");
      return close + 3;
    }
    if (text.startsWith('<![CDATA[', at)) {
      if (stack.length === 0) malformed(at, 'CDATA outside the root element');
      const close = text.indexOf(']]>', at + 9);
      if (close === -1) return malformed(at, 'unclosed CDATA section');
      appendText(text.slice(at + 9, close), at);
      return close + 3;
    }
    if (text.startsWith('<!DOCTYPE', at)) {
      throw new CdaError(
        'doctype',
        'les déclarations DOCTYPE sont interdites.',
        `DOCTYPE declaration at ${where(at)}`,
      );
    }
    return malformed(at, "unknown '<!' construct");
  };

  const readProcessingInstruction = (at: number): number => {
    PI_TARGET.lastIndex = at;
    const target = PI_TARGET.exec(text);
    if (!target) return malformed(at, 'malformed processing instruction');
    if ((target[1] as string).toLowerCase() === 'xml') malformed(at, "processing instruction named 'xml'");
    const close = text.indexOf('?>', at + 2);
    if (close === -1) return malformed(at, 'unclosed processing instruction');
    return close + 2;
  };

  let pos = 0;
  if (/^<\?xml[ \t\n]/.test(text)) {
    XML_DECLARATION.lastIndex = 0;
    if (!XML_DECLARATION.exec(text)) malformed(0, 'malformed XML declaration');
    pos = XML_DECLARATION.lastIndex;
  }
  while (pos < length) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      readText(pos, length);
      break;
    }
    if (lt > pos) readText(pos, lt);
    const next = text.charCodeAt(lt + 1);
    pos =
      next === 0x2f /* / */
        ? readEndTag(lt)
        : next === 0x21 /* ! */
          ? readDeclaration(lt)
          : next === 0x3f /* ? */
            ? readProcessingInstruction(lt)
            : readStartTag(lt);
  }
  if (stack.length > 0) malformed(length, 'unclosed element at the end of the document');
  if (!root) throw new CdaError('malformed', 'aucun élément racine.', 'no root element');
  return root;
}

/** XML 1.0 `Char`: what a character reference may stand for (CR included: only literal line ends are normalised). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** The scope of an element: its parent's, with the element's own `xmlns` and `xmlns:prefix` declarations. */
function declareNamespaces(
  attributes: readonly { qname: string; value: string; at: number }[],
  parentScope: Record<string, string>,
  malformed: (pos: number, reason: string) => never,
): Record<string, string> {
  let scope = parentScope;
  const declared = new Set<string>();
  for (const { qname, value: written, at } of attributes) {
    const prefix = qname === 'xmlns' ? '' : qname.startsWith('xmlns:') ? qname.slice(6) : undefined;
    if (prefix === undefined) continue;
    // A namespace name is a URI, which has no surrounding spaces (`xmlns="urn:hl7-org:v3 "` is a typo).
    const value = written.trim();
    if (declared.has(prefix)) malformed(at, 'duplicate attribute');
    declared.add(prefix);
    checkBinding(prefix, value, at, malformed);
    if (scope === parentScope) scope = Object.create(parentScope) as Record<string, string>;
    scope[prefix] = value;
  }
  return scope;
}

/** Namespaces in XML 1.0 constraints on a declaration (`xmlns` or `xmlns:prefix` = value). */
function checkBinding(
  prefix: string,
  value: string,
  at: number,
  malformed: (pos: number, reason: string) => never,
): void {
  if (prefix === 'xmlns') malformed(at, 'the xmlns prefix declared');
  if (prefix === 'xml' ? value !== XML_NS : value === XML_NS) malformed(at, 'the xml namespace misbound');
  if (value === XMLNS_NS) malformed(at, 'the xmlns namespace bound');
  if (prefix !== '' && value === '') malformed(at, 'a prefix undeclared');
}
