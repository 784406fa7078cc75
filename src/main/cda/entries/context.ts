import { codedOf } from '../hl7/datatypes';
import { attr, child, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { NarrativeRow } from '../narrative';

/** What every entry reader needs besides the entry itself. */
export interface EntryContext {
  /** Narrative anchors by `ID`, to resolve `reference/@value="#…"`. */
  idIndex: ReadonlyMap<string, XmlElement>;
  /**
   * Narrative table rows of the entry's own section, by the IDs they hold (see `narrativeRows`). Read
   * through a getter so a section whose entries never ask does not pay for the index.
   */
  rows?: () => ReadonlyMap<string, NarrativeRow>;
  sectionCode?: string;
}

/** Text of the narrative element a `reference` points to, when it resolves. */
export function resolveReference(reference: XmlElement | undefined, ctx: EntryContext): string | undefined {
  const value = attr(reference, 'value');
  if (!value || !value.startsWith('#') || value.length < 2) return undefined;
  const target = ctx.idIndex.get(value.slice(1));
  return target ? capLabel(text(target)) : undefined;
}

const MAX_LABEL = 500;

/** A reference may point at a whole table cell or paragraph: keep labels displayable. */
function capLabel(value: string): string | undefined {
  if (value === '') return undefined;
  return value.length > MAX_LABEL ? `${value.slice(0, MAX_LABEL - 1)}…` : value;
}

/** originalText of a coded element: either inline text or a narrative reference. */
export function originalTextOf(coded: XmlElement | undefined, ctx: EntryContext): string | undefined {
  const original = child(coded, 'originalText');
  if (!original) return undefined;
  return resolveReference(child(original, 'reference'), ctx) ?? (textWithoutReference(original) || undefined);
}

function textWithoutReference(el: XmlElement): string {
  return el.nodes
    .filter((n): n is string => typeof n === 'string')
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Best human label for a coded element: displayName, then originalText, then the code itself. */
export function labelOfCoded(coded: XmlElement | undefined, ctx: EntryContext): string | undefined {
  const c = codedOf(coded);
  return c?.display ?? notAnAnswer(originalTextOf(coded, ctx)) ?? c?.code;
}

/** Narrative words that answer a question (« Oui », « Non ») rather than name a thing. */
export function isYesNo(value: string): boolean {
  return /^(oui|non|yes|no|vrai|faux)$/i.test(value.trim());
}

/** A narrative used as a label must name something: a bare « Oui »/« Non » is not a name. */
export function notAnAnswer(value: string | undefined): string | undefined {
  return value !== undefined && isYesNo(value) ? undefined : value;
}

/** The narrative text the entry's own `text/reference` points to. */
export function entryNarrative(act: XmlElement | undefined, ctx: EntryContext): string | undefined {
  const textEl = child(act, 'text');
  if (!textEl) return undefined;
  return notAnAnswer(
    resolveReference(child(textEl, 'reference'), ctx) ?? (textWithoutReference(textEl) || undefined),
  );
}

export function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return (value === undefined || value === '' ? {} : { [key]: value }) as Partial<Record<K, V>>;
}
