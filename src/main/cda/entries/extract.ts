import type { ExtractedEntry } from '../types';
import { templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { readAdvanceDirective } from './advance-directives';
import { readAllergy, readAllergyConcern } from './allergies';
import { readImmunization } from './immunizations';
import { readMedication } from './medications';
import { readProblemConcern } from './problems';
import { readReimbursement } from './reimbursements';
import { TEMPLATES } from './templates';

export interface EntryExtraction {
  entries: ExtractedEntry[];
  /** Templates (most specific id) of entries that no reader understood. */
  unknownTemplates: string[];
}

/** The clinical statement an `entry` wraps (act, observation, substanceAdministration…). */
export function statementOf(entry: XmlElement): XmlElement | undefined {
  return entry.children[0];
}

/**
 * Reads one section `entry`. In a CNAM-HR document every entry is a reimbursed care, whatever clinical
 * template it reuses (a vaccine there is a reimbursement, not an immunisation record).
 */
export function extractEntry(
  entry: XmlElement,
  ctx: EntryContext,
  reimbursementDocument: boolean,
): ExtractedEntry[] | undefined {
  const act = statementOf(entry);
  if (!act) return [];
  if (reimbursementDocument) return [readReimbursement(act, ctx)];
  const templates = templateIdsOf(act);
  // A concern without a readable observation is reported like an unknown entry rather than vanishing.
  if (templates.includes(TEMPLATES.problemConcern)) return nonEmpty(readProblemConcern(act, ctx));
  if (templates.includes(TEMPLATES.allergyConcern)) return nonEmpty(readAllergyConcern(act, ctx));
  if (templates.includes(TEMPLATES.allergy)) return [readAllergy(act, ctx)];
  // Exact ids: 4.12.2 (immunization recommendation) and 4.7 variants in care plans are intents, not history.
  if (templates.includes(TEMPLATES.immunization)) return [readImmunization(act, ctx)];
  if (templates.includes(TEMPLATES.medication)) return [readMedication(act, ctx)];
  if (templates.includes(TEMPLATES.advanceDirective)) return [readAdvanceDirective(act, ctx)];
  return undefined;
}

function nonEmpty(entries: ExtractedEntry[]): ExtractedEntry[] | undefined {
  return entries.length > 0 ? entries : undefined;
}

export function extractSectionEntries(
  entries: readonly XmlElement[],
  ctx: EntryContext,
  reimbursementDocument: boolean,
): EntryExtraction {
  const out: ExtractedEntry[] = [];
  const unknownTemplates: string[] = [];
  for (const entry of entries) {
    const extracted = extractEntry(entry, ctx, reimbursementDocument);
    if (extracted === undefined) {
      const ids = templateIdsOf(statementOf(entry));
      unknownTemplates.push(ids[ids.length - 1] ?? `(${statementOf(entry)?.local ?? 'vide'})`);
    } else out.push(...extracted);
  }
  return { entries: out, unknownTemplates };
}
