import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { child, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional } from './context';
import { authorName, clinicalStatusOf, hasTemplate, periodOf, related, statusOf } from './common';
import { TEMPLATES } from './templates';

/** Problem Concern Entry → one problem per Problem Entry observation it groups. */
export function readProblemConcern(concern: XmlElement, ctx: EntryContext): ExtractedEntry[] {
  const concernStatus = statusOf(concern);
  return related(concern, 'SUBJ')
    .filter((obs) => hasTemplate(obs, TEMPLATES.problem) && !hasTemplate(obs, TEMPLATES.allergy))
    .map((obs) => readProblem(obs, ctx, concernStatus, authorName(concern)));
}

/**
 * SNOMED CT codes saying only "this is a problem / a diagnosis" (the usual case): repeating them after
 * every problem adds nothing. Other kinds (symptom reported by the patient, complaint…) are worth showing.
 */
const GENERIC_PROBLEM_KINDS = new Set(['282291009', '55607006', '404684003', '64572001']);

function problemKindDetail(kind: ReturnType<typeof codedOf>): string | undefined {
  return kind && !GENERIC_PROBLEM_KINDS.has(kind.code) ? kind.display : undefined;
}

export function readProblem(obs: XmlElement, ctx: EntryContext, concernStatus?: string, concernAuthor?: string): ExtractedEntry {
  const value = child(obs, 'value');
  // The problem itself is in `value`; `code` only says what kind of statement it is (diagnosis, symptom…).
  const code = codedOf(value);
  const label = labelOfCoded(value, ctx) ?? entryNarrative(obs, ctx) ?? labelOfCoded(child(obs, 'code'), ctx) ?? 'Problème sans libellé';
  const { startDate, endDate } = periodOf(obs);
  return {
    kind: 'problem',
    label,
    ...optional('code', code),
    ...optional('detail', problemKindDetail(codedOf(child(obs, 'code')))),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    ...optional('status', clinicalStatusOf(obs) ?? concernStatus ?? statusOf(obs)),
    ...optional('author', authorName(obs) ?? concernAuthor),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(obs),
  };
}
