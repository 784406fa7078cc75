import { readAuthor } from '../header';
import { codedOf, timeOf } from '../hl7/datatypes';
import { attr, child, children, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { isYesNo, originalTextOf } from './context';
import { TEMPLATES } from './templates';
import { certaintyOf, concernStatusLabel, quantityLabel, severityLabel, statusLabel } from './labels';
import type { EntryFact, ExtractedEntry } from '../types';

/** Entry-level author as "Prénom NOM" (or organisation), from the act or an inner supply (prescriber). */
export function authorName(act: XmlElement): string | undefined {
  const author = readAuthor(child(act, 'author'));
  return author?.name ?? author?.organization;
}

/** The clinical statements an act relates to, with the relationship type. */
export function related(act: XmlElement, typeCode?: string): XmlElement[] {
  return children(act, 'entryRelationship')
    .filter((r) => typeCode === undefined || attr(r, 'typeCode') === typeCode)
    .flatMap((r) =>
      r.children.filter(
        (c) => c.local !== 'templateId' && c.local !== 'sequenceNumber' && c.local !== 'seperatableInd',
      ),
    );
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

/** A PQ (`value` + UCUM `unit`) in French, or undefined when null-flavoured. */
export function quantityText(pq: XmlElement | undefined): string | undefined {
  const value = attr(pq, 'value');
  if (!value) return undefined;
  return quantityLabel(value, attr(pq, 'unit'));
}

export function routeText(act: XmlElement, ctx: EntryContext): string | undefined {
  const route = child(act, 'routeCode');
  const label = codedOf(route)?.display ?? originalTextOf(route, ctx);
  return label ? label : undefined;
}

/** Product of a substanceAdministration: name, code and lot. */
export function productOf(
  act: XmlElement,
  ctx: EntryContext,
): { name?: string; codeEl?: XmlElement; lot?: string } {
  const material = child(child(child(act, 'consumable'), 'manufacturedProduct'), 'manufacturedMaterial');
  const codeEl = child(material, 'code');
  // The coded name wins over the narrative: a table cell may say « Oui » where the code names the vaccine.
  const narrative = originalTextOf(codeEl, ctx);
  const name =
    text(child(material, 'name')) ||
    codedOf(codeEl)?.display ||
    (narrative && !isYesNo(narrative) ? narrative : undefined);
  const lot = text(child(material, 'lotNumberText')) || undefined;
  return { ...(name ? { name } : {}), ...(codeEl ? { codeEl } : {}), ...(lot ? { lot } : {}) };
}

/** Joins non-empty detail fragments with " ; ". */
export function joinDetail(parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  return kept.length > 0 ? kept.join(' ; ') : undefined;
}

/** Clinical status observation (IHE PCC Problem Status, 4.1.1) in French: the document's label (« Intermittent »), never its code. */
export function clinicalStatusOf(obs: XmlElement): string | undefined {
  const status = related(obs, 'REFR').find((r) => hasTemplate(r, TEMPLATES.clinicalStatus));
  const value = child(status, 'value');
  return statusLabel(attr(value, 'code'), attr(value, 'displayName'));
}

/** LOINC « Certitude » of FR-Certitude (CI-SIS), inside a problem or an allergy. */
const CERTAINTY_CODE = '66455-7';

/** FR-Certitude in French when it is not « Confirmé » (« Non confirmé », « Réfuté »…). */
export function certaintyOfEntry(obs: XmlElement): { label: string; absent: boolean } | undefined {
  const certainty = related(obs, 'SUBJ').find((r) => attr(child(r, 'code'), 'code') === CERTAINTY_CODE);
  const value = child(certainty, 'value');
  return certaintyOf(attr(value, 'code'), attr(value, 'displayName'));
}

/** Severity observation (IHE PCC 4.1) in French (« Modérée »), from its code or the document's label. */
export function severityOf(obs: XmlElement): string | undefined {
  const severity = related(obs, 'SUBJ').find((r) => hasTemplate(r, TEMPLATES.severity));
  const value = child(severity, 'value');
  return severityLabel(attr(value, 'code'), attr(value, 'displayName'));
}

/** The narrative anchor an entry's `text/reference` points to (without `#`). */
export function anchorOf(act: XmlElement): string | undefined {
  const value = attr(child(child(act, 'text'), 'reference'), 'value');
  return value?.startsWith('#') && value.length > 1 ? value.slice(1) : undefined;
}

/** negationInd="true": the document states the absence of what the act names. */
export function isNegated(act: XmlElement): boolean {
  return attr(act, 'negationInd') === 'true';
}

/** Labelled facts, dropping the empty ones. */
export function factsOf(pairs: [string, string | undefined][]): EntryFact[] | undefined {
  const facts = pairs
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([label, value]) => ({ label, value }));
  return facts.length > 0 ? facts : undefined;
}

/** One-line detail from facts: « Posologie : … ; Voie : … ». */
export function detailOf(facts: EntryFact[] | undefined): string | undefined {
  return facts && facts.length > 0 ? facts.map((f) => `${f.label} : ${f.value}`).join(' ; ') : undefined;
}

/** What an observation grouped by a concern act takes from that concern. */
export interface FromConcern {
  /** The concern's status, « Résolu » only when the concern or the observation itself has ended. */
  status: string | undefined;
  author: string | undefined;
}

/**
 * A concern act (IHE PCC: problem or allergy concern) → one entry per observation it groups
 * (`entryRelationship typeCode="SUBJ"`) that `accepts`, each read with what it takes from the concern.
 */
export function readConcern(
  concern: XmlElement,
  accepts: (obs: XmlElement) => boolean,
  read: (obs: XmlElement, fromConcern: FromConcern) => ExtractedEntry,
): ExtractedEntry[] {
  const concernEnded = periodOf(concern).endDate !== undefined;
  const author = authorName(concern);
  return related(concern, 'SUBJ')
    .filter(accepts)
    .map((obs) =>
      read(obs, {
        status: concernStatusLabel(statusOf(concern), concernEnded || periodOf(obs).endDate !== undefined),
        author,
      }),
    );
}
