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
  readConcern,
  severityOf,
  type FromConcern,
} from './common';
import { TEMPLATES } from './templates';
import { reconcileWithNarrative } from './narrative-check';

/** Problem Concern Entry → one problem per Problem Entry observation it groups. */
export function readProblemConcern(concern: XmlElement, ctx: EntryContext): ExtractedEntry[] {
  return readConcern(
    concern,
    (obs) => hasTemplate(obs, TEMPLATES.problem) && !hasTemplate(obs, TEMPLATES.allergy),
    (obs, fromConcern) => readProblem(obs, ctx, fromConcern),
  );
}

/**
 * A problem observation. `negationInd="true"` means the document states the problem is absent
 * (« pas d'embolie pulmonaire »): the entry is kept, marked negated, and never shown as a problem.
 */
export function readProblem(obs: XmlElement, ctx: EntryContext, fromConcern?: FromConcern): ExtractedEntry {
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
      ...optional('status', clinicalStatusOf(obs) ?? fromConcern?.status),
      // A refuted diagnosis is stated absent, like negationInd.
      ...(isNegated(obs) || certainty?.absent ? { negated: true } : {}),
      ...optional('anchor', anchorOf(obs)),
      ...optional('author', authorName(obs) ?? fromConcern?.author),
      ...optional('sectionCode', ctx.sectionCode),
      templateIds: templateIdsOf(obs),
    },
    obs,
    ctx,
  );
}
