import { readAuthor } from '../header';
import { codedOf, timeOf } from '../hl7/datatypes';
import { attr, child, children, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { labelOfCoded, originalTextOf } from './context';
import { TEMPLATES } from './templates';

/** Entry-level author as "Prénom NOM" (or organisation), from the act or an inner supply (prescriber). */
export function authorName(act: XmlElement): string | undefined {
  const author = readAuthor(child(act, 'author'));
  return author?.name ?? author?.organization;
}

/** The clinical statements an act relates to, with the relationship type. */
export function related(act: XmlElement, typeCode?: string): XmlElement[] {
  return children(act, 'entryRelationship')
    .filter((r) => typeCode === undefined || attr(r, 'typeCode') === typeCode)
    .flatMap((r) => r.children.filter((c) => c.local !== 'templateId' && c.local !== 'sequenceNumber' && c.local !== 'seperatableInd'));
}

export function hasTemplate(el: XmlElement, templateId: string): boolean {
  return templateIdsOf(el).includes(templateId);
}

export function effectiveTimes(act: XmlElement): XmlElement[] {
  return children(act, 'effectiveTime');
}

/** Start/end of an act (first IVL_TS or TS effectiveTime). */
export function periodOf(act: XmlElement): { startDate?: string; endDate?: string } {
  for (const et of effectiveTimes(act)) {
    const type = attr(et, 'xsi:type');
    if (type !== undefined && !type.endsWith('IVL_TS') && !type.endsWith(':TS') && type !== 'TS') continue;
    const { start, end } = timeOf(et);
    if (start || end) return { ...(start ? { startDate: start } : {}), ...(end ? { endDate: end } : {}) };
  }
  return {};
}

export function statusOf(act: XmlElement): string | undefined {
  return attr(child(act, 'statusCode'), 'code');
}

const UNIT_LABELS: Readonly<Record<string, string>> = {
  '{tablet}': 'comprimé(s)',
  '{tbl}': 'comprimé(s)',
  '{capsule}': 'gélule(s)',
  '{puff}': 'bouffée(s)',
  '{drop}': 'goutte(s)',
  '{sachet}': 'sachet(s)',
  '{dose}': 'dose(s)',
  '{application}': 'application(s)',
  '{count}': 'unité(s)',
};

/** A PQ (`value` + UCUM `unit`) in French, or undefined when null-flavoured. */
export function quantityText(pq: XmlElement | undefined): string | undefined {
  const value = attr(pq, 'value');
  if (!value) return undefined;
  const unit = attr(pq, 'unit');
  if (!unit || unit === '1') return value;
  return `${value} ${UNIT_LABELS[unit] ?? unit}`;
}

/** doseQuantity as "1 comprimé(s)" or "1 à 2 comprimé(s)". */
export function doseText(act: XmlElement): string | undefined {
  const dose = child(act, 'doseQuantity');
  if (!dose) return undefined;
  const single = quantityText(dose);
  if (single) return single;
  const low = quantityText(child(dose, 'low'));
  const high = quantityText(child(dose, 'high'));
  if (low && high) return low === high ? low : `${attr(child(dose, 'low'), 'value')} à ${high}`;
  return low ?? high;
}

const PERIOD_UNITS: Readonly<Record<string, [string, string]>> = {
  min: ['minute', 'min'],
  h: ['heure', 'h'],
  d: ['jour', 'j'],
  wk: ['semaine', 'sem.'],
  mo: ['mois', 'mois'],
  a: ['an', 'an(s)'],
};

/** Frequency from a PIVL_TS period ("toutes les 12 h", "1 fois par jour") or an EIVL_TS event. */
export function frequencyText(act: XmlElement, ctx: EntryContext): string | undefined {
  for (const et of effectiveTimes(act)) {
    const type = attr(et, 'xsi:type') ?? '';
    if (type.endsWith('PIVL_TS')) {
      const period = child(et, 'period');
      const value = attr(period, 'value');
      const unit = attr(period, 'unit');
      const translated = originalTextOf(child(period, 'translation'), ctx);
      if (translated) return translated;
      if (!value || !unit) continue;
      const names = PERIOD_UNITS[unit];
      if (!names) return `toutes les ${value} ${unit}`;
      return value === '1' ? `1 fois par ${names[0]}` : `toutes les ${value} ${names[1]}`;
    }
    if (type.endsWith('EIVL_TS')) {
      const event = child(et, 'event');
      const label = labelOfCoded(event, ctx);
      if (label) return label;
    }
  }
  return undefined;
}

export function routeText(act: XmlElement, ctx: EntryContext): string | undefined {
  const route = child(act, 'routeCode');
  const label = codedOf(route)?.display ?? originalTextOf(route, ctx);
  return label ? label : undefined;
}

/** The route as a phrase: « voie orale » whether the document says « Voie orale » or « Orale ». */
export function routePhrase(route: string): string {
  const label = route.trim();
  if (/^voie\b/i.test(label)) return `v${label.slice(1)}`;
  return `voie ${/^\p{Lu}\p{Ll}/u.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label}`;
}

/** Product of a substanceAdministration: name, code and lot. */
export function productOf(act: XmlElement, ctx: EntryContext): { name?: string; codeEl?: XmlElement; lot?: string } {
  const material = child(child(child(act, 'consumable'), 'manufacturedProduct'), 'manufacturedMaterial');
  const codeEl = child(material, 'code');
  const name = text(child(material, 'name')) || originalTextOf(codeEl, ctx) || codedOf(codeEl)?.display;
  const lot = text(child(material, 'lotNumberText')) || undefined;
  return { ...(name ? { name } : {}), ...(codeEl ? { codeEl } : {}), ...(lot ? { lot } : {}) };
}

/** Joins non-empty detail fragments with " ; ". */
export function joinDetail(parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  return kept.length > 0 ? kept.join(' ; ') : undefined;
}

/** Clinical status observation (IHE PCC Problem Status, 4.1.1): "active", "inactive", "resolved"… */
export function clinicalStatusOf(obs: XmlElement): string | undefined {
  const status = related(obs, 'REFR').find((r) => hasTemplate(r, TEMPLATES.clinicalStatus));
  return attr(child(status, 'value'), 'code');
}
