import type { Coded } from '../types';
import { attr, child, children, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';

/**
 * HL7 TS (`YYYYMMDDHHMMSS.UUUU±ZZZZ`, any precision) → ISO 8601 at the precision given.
 * Returns undefined for nullFlavor or values that are not a TS, rather than guessing.
 */
export function hl7TimeToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?)?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, tz] = m;
  let iso = y as string;
  if (mo) iso += `-${mo}`;
  if (mo && d) iso += `-${d}`;
  if (d && h) {
    iso += `T${h}:${mi ?? '00'}:${s ?? '00'}`;
    if (tz) iso += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  }
  return iso;
}

/** Date part only (`YYYY-MM-DD` or shorter). */
export function hl7DateToIso(value: string | undefined): string | undefined {
  return hl7TimeToIso(value)?.slice(0, 10);
}

/** Reads `@value` of a TS element, or `low`/`high` of an IVL_TS. */
export function timeOf(el: XmlElement | undefined): { start?: string; end?: string } {
  if (!el) return {};
  const point = hl7TimeToIso(attr(el, 'value'));
  if (point) return { start: point };
  const start =
    hl7TimeToIso(attr(child(el, 'low'), 'value')) ?? hl7TimeToIso(attr(child(el, 'center'), 'value'));
  const end = hl7TimeToIso(attr(child(el, 'high'), 'value'));
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** A CD/CE element as `Coded`; falls back on the first coded translation when the main code is null-flavoured. */
export function codedOf(el: XmlElement | undefined): Coded | undefined {
  if (!el) return undefined;
  const code = attr(el, 'code');
  if (code) {
    const system = attr(el, 'codeSystem');
    const display = attr(el, 'displayName');
    return { code, ...(system ? { system } : {}), ...(display ? { display } : {}) };
  }
  for (const t of children(el, 'translation')) {
    const coded = codedOf(t);
    if (coded) return coded;
  }
  return undefined;
}

/** "Prénom NOM" from a PN, or the plain text when the name is unstructured. */
export function formatName(name: XmlElement | undefined): string | undefined {
  if (!name) return undefined;
  const given = children(name, 'given').map(text).filter(Boolean);
  const family = children(name, 'family').map(text).filter(Boolean);
  if (given.length === 0 && family.length === 0) return text(name) || undefined;
  // Birth and used names may repeat the same family name: show each once.
  return [...new Set(given.slice(0, 1)), ...new Set(family)].join(' ') || undefined;
}
