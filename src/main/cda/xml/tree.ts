/** A light, immutable element tree: enough to read CDA without a DOM. */

export const HL7_NS = 'urn:hl7-org:v3';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export type XmlNode = XmlElement | string;

export interface XmlElement {
  /** Qualified name as written (`sdtc:raceCode`). */
  readonly name: string;
  /** Namespace-stripped name (`raceCode`). */
  readonly local: string;
  readonly ns: string;
  /** Unprefixed attributes by name; `xsi:*` attributes as `xsi:type`; others as `{uri}local`. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements and text, in document order (needed for narrative). */
  readonly nodes: readonly XmlNode[];
  /** Child elements only. */
  readonly children: readonly XmlElement[];
  readonly line: number;
}

/** An element while it is read: its text and children are still arriving (then frozen into an XmlElement). */
export interface OpenXmlElement {
  name: string;
  local: string;
  ns: string;
  attrs: Record<string, string>;
  nodes: XmlNode[];
  children: XmlElement[];
  line: number;
}

/** CDA elements live in the HL7 namespace; tolerate a missing namespace, ignore extensions (sdtc, pharm…). */
function isCdaElement(el: XmlElement, local: string): boolean {
  return el.local === local && (el.ns === HL7_NS || el.ns === '');
}

export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (isCdaElement(c, local)) return c;
  return undefined;
}

export function children(el: XmlElement | undefined, local: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => isCdaElement(c, local));
}

export function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs[name];
}

/** Concatenated text of the element and its descendants, whitespace collapsed. */
export function text(el: XmlElement | undefined): string {
  if (!el) return '';
  const parts: string[] = [];
  collectText(el, parts);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function collectText(el: XmlElement, parts: string[]): void {
  for (const n of el.nodes) {
    if (typeof n === 'string') parts.push(n);
    else {
      // `br` is a line break in narrative: keep words apart.
      if (n.local === 'br') parts.push(' ');
      collectText(n, parts);
    }
  }
}

/** `path(el, 'recordTarget', 'patientRole', 'patient')`: first match at each step. */
export function path(el: XmlElement | undefined, ...steps: string[]): XmlElement | undefined {
  let current = el;
  for (const step of steps) {
    current = child(current, step);
    if (!current) return undefined;
  }
  return current;
}

/** All matches of the last step under every match of the previous ones. */
export function pathAll(el: XmlElement | undefined, ...steps: string[]): XmlElement[] {
  let current: XmlElement[] = el ? [el] : [];
  for (const step of steps) current = current.flatMap((c) => children(c, step));
  return current;
}

/** Depth-first search of descendants (not the element itself), iterative so depth cannot overflow the stack. */
export function findDescendants(el: XmlElement, predicate: (e: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const stack: XmlElement[] = [...el.children].reverse();
  while (stack.length > 0) {
    const current = stack.pop() as XmlElement;
    if (predicate(current)) found.push(current);
    for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i] as XmlElement);
  }
  return found;
}

export function templateIdsOf(el: XmlElement | undefined): string[] {
  return children(el, 'templateId')
    .map((t) => attr(t, 'root'))
    .filter((r): r is string => r !== undefined && r !== '');
}
