import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { child, path, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional, originalTextOf } from './context';
import { authorName, clinicalStatusOf, hasTemplate, joinDetail, periodOf, related, statusOf } from './common';
import { TEMPLATES } from './templates';

/** Allergy and Intolerance Concern → one entry per allergy observation. */
export function readAllergyConcern(concern: XmlElement, ctx: EntryContext): ExtractedEntry[] {
  const concernStatus = statusOf(concern);
  return related(concern, 'SUBJ')
    .filter((obs) => hasTemplate(obs, TEMPLATES.allergy))
    .map((obs) => readAllergy(obs, ctx, concernStatus, authorName(concern)));
}

export function readAllergy(
  obs: XmlElement,
  ctx: EntryContext,
  concernStatus?: string,
  concernAuthor?: string,
): ExtractedEntry {
  const allergenCode = path(obs, 'participant', 'participantRole', 'playingEntity', 'code');
  const allergenName =
    text(path(obs, 'participant', 'participantRole', 'playingEntity', 'name')) || undefined;
  const allergen = codedOf(allergenCode);
  const value = child(obs, 'value');
  // Label is the agent ("PARACETAMOL"); the kind of reaction goes to detail.
  const label =
    allergen?.display ??
    originalTextOf(allergenCode, ctx) ??
    allergenName ??
    labelOfCoded(value, ctx) ??
    entryNarrative(obs, ctx) ??
    'Allergie sans libellé';
  const type = codedOf(child(obs, 'code'))?.display ?? codedOf(value)?.display;
  const reactions = related(obs, 'MFST').map(
    (r) => labelOfCoded(child(r, 'value'), ctx) ?? entryNarrative(r, ctx),
  );
  const severity = related(obs, 'SUBJ')
    .filter((r) => hasTemplate(r, TEMPLATES.severity))
    .map((r) => labelOfCoded(child(r, 'value'), ctx))[0];
  const { startDate, endDate } = periodOf(obs);
  return {
    kind: 'allergy',
    label,
    ...optional('code', allergen ?? codedOf(value)),
    ...optional(
      'detail',
      joinDetail([
        type,
        reactions.length > 0 ? `réaction : ${reactions.filter(Boolean).join(', ')}` : undefined,
        severity ? `sévérité : ${severity}` : undefined,
      ]),
    ),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    ...optional('status', clinicalStatusOf(obs) ?? concernStatus ?? statusOf(obs)),
    ...optional('author', authorName(obs) ?? concernAuthor),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(obs),
  };
}
