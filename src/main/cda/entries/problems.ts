import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { child, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional } from './context';
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
  related,
  severityOf,
  statusOf,
} from './common';
import { concernStatusLabel } from './labels';
import { TEMPLATES } from './templates';
import { reconcileWithNarrative } from './narrative-check';

/** Problem Concern Entry → one problem per Problem Entry observation it groups. */
export function readProblemConcern(concern: XmlElement, ctx: EntryContext): ExtractedEntry[] {
  const concernEnded = periodOf(concern).endDate !== undefined;
  return related(concern, 'SUBJ')
    .filter((obs) => hasTemplate(obs, TEMPLATES.problem) && !hasTemplate(obs, TEMPLATES.allergy))
    .map((obs) =>
      readProblem(
        obs,
        ctx,
        concernStatusLabel(statusOf(concern), concernEnded || periodOf(obs).endDate !== undefined),
        authorName(concern),
      ),
    );
}

/**
 * A problem observation. `negationInd="true"` means the document states the problem is absent
 * (« pas d'embolie pulmonaire »): the entry is kept, marked negated, and never shown as a problem.
 */
export function readProblem(
  obs: XmlElement,
  ctx: EntryContext,
  concernStatus?: string,
  concernAuthor?: string,
): ExtractedEntry {
  const value = child(obs, 'value');
  // The problem itself is in `value`; `code` only says what kind of statement it is (diagnosis, symptom…).
  const code = codedOf(value);
  const label =
    labelOfCoded(value, ctx) ??
    entryNarrative(obs, ctx) ??
    labelOfCoded(child(obs, 'code'), ctx) ??
    'Problème sans libellé';
  const { startDate, endDate } = periodOf(obs);
  const severity = severityOf(obs);
  const certainty = certaintyOfEntry(obs);
  const facts = factsOf([
    ['Sévérité', severity],
    ['Certitude', certainty?.label],
  ]);
  return reconcileWithNarrative(
    {
      kind: 'problem',
      label,
      ...optional('code', code),
      ...optional('facts', facts),
      ...optional('detail', detailOf(facts)),
      ...optional('severity', severity),
      ...optional('startDate', startDate),
      ...optional('endDate', endDate),
      ...optional('status', clinicalStatusOf(obs) ?? concernStatus),
      // A refuted diagnosis is stated absent, like negationInd.
      ...(isNegated(obs) || certainty?.absent ? { negated: true } : {}),
      ...optional('anchor', anchorOf(obs)),
      ...optional('author', authorName(obs) ?? concernAuthor),
      ...optional('sectionCode', ctx.sectionCode),
      templateIds: templateIdsOf(obs),
    },
    obs,
    ctx,
  );
}
