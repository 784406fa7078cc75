import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { child, path, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional, originalTextOf, resolveReference } from './context';
import {
  anchorOf,
  authorName,
  certaintyOfEntry,
  clinicalStatusOf,
  detailOf,
  factsOf,
  hasTemplate,
  isNegated,
  periodOf,
  readConcern,
  related,
  severityOf,
  type FromConcern,
} from './common';
import { TEMPLATES } from './templates';
import { reconcileWithNarrative } from './narrative-check';

/** Allergy and Intolerance Concern → one entry per allergy observation. */
export function readAllergyConcern(concern: XmlElement, ctx: EntryContext): ExtractedEntry[] {
  return readConcern(
    concern,
    (obs) => hasTemplate(obs, TEMPLATES.allergy),
    (obs, fromConcern) => readAllergy(obs, ctx, fromConcern),
  );
}

export function readAllergy(obs: XmlElement, ctx: EntryContext, fromConcern?: FromConcern): ExtractedEntry {
  const allergenCode = path(obs, 'participant', 'participantRole', 'playingEntity', 'code');
  const allergenName =
    text(path(obs, 'participant', 'participantRole', 'playingEntity', 'name')) || undefined;
  const allergen = codedOf(allergenCode);
  const value = child(obs, 'value');
  const valueLabel = labelOfCoded(value, ctx);
  const agent = allergen?.display ?? allergenName ?? originalTextOf(allergenCode, ctx);
  // Label is the agent (« PARACETAMOL »); the kind of reaction goes to the facts.
  const type = codedOf(child(obs, 'code'))?.display;
  // A questionnaire row (« Allergie alimentaire : Oui/Non ») answers in the narrative: « Non » states an absence.
  const answer = originalTextOf(value, ctx) ?? resolveReference(child(child(obs, 'text'), 'reference'), ctx);
  const answeredNo = agent === undefined && answer !== undefined && /^non$/i.test(answer.trim());
  const label = agent ?? valueLabel ?? type ?? entryNarrative(obs, ctx) ?? 'Allergie sans libellé';
  // Some producers carry the reaction itself (« Urticaire ») in `value` rather than in a MFST observation.
  const valueReaction =
    agent !== undefined && valueLabel !== undefined && valueLabel !== type ? valueLabel : undefined;
  const reactions = related(obs, 'MFST').map((r) => {
    const what = labelOfCoded(child(r, 'value'), ctx) ?? entryNarrative(r, ctx);
    return what && isNegated(r) ? `absence de ${what}` : what;
  });
  const allReactions = [
    ...new Set([valueReaction, ...reactions].filter((r): r is string => r !== undefined && r !== '')),
  ];
  const severity = severityOf(obs);
  const certainty = certaintyOfEntry(obs);
  const facts = factsOf([
    ['Type', type],
    ['Réaction', allReactions.length > 0 ? allReactions.join(', ') : undefined],
    ['Sévérité', severity],
    ['Certitude', certainty?.label],
  ]);
  const { startDate, endDate } = periodOf(obs);
  return reconcileWithNarrative(
    {
      kind: 'allergy',
      label,
      ...optional('code', allergen ?? codedOf(value)),
      ...optional('facts', facts),
      ...optional('detail', detailOf(facts)),
      ...optional('severity', severity),
      ...optional('startDate', startDate),
      ...optional('endDate', endDate),
      ...optional('status', clinicalStatusOf(obs) ?? fromConcern?.status),
      ...(isNegated(obs) || answeredNo || certainty?.absent ? { negated: true } : {}),
      ...optional('anchor', anchorOf(obs)),
      ...optional('author', authorName(obs) ?? fromConcern?.author),
      ...optional('sectionCode', ctx.sectionCode),
      templateIds: templateIdsOf(obs),
    },
    obs,
    ctx,
  );
}
