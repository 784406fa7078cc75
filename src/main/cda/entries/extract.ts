import type { ExtractedEntry } from '../types';
import { templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { readAdvanceDirective } from './advance-directives';
import { readAllergy, readAllergyConcern } from './allergies';
import { readDevice, readProcedure, readRiskFactor } from './devices-procedures';
import { readImmunization } from './immunizations';
import { readLabResults } from './lab-results';
import { readMedication } from './medications';
import { isNamelessPlaceholder, noneKnownEntry, noneKnownStatement, sectionOfKind } from './none-known';
import { readProblemConcern } from './problems';
import { classifyReimbursement, readReimbursement } from './reimbursements';
import { TEMPLATES } from './templates';

export interface EntryExtraction {
  entries: ExtractedEntry[];
  /** Templates (most specific id) of entries that no reader understood. */
  unknownTemplates: string[];
}

/** The clinical statement an `entry` wraps (act, observation, substanceAdministration…). */
export function statementOf(entry: XmlElement): XmlElement | undefined {
  // CI-SIS lab reports put a templateId on the entry itself, before the statement.
  return entry.children.find((c) => c.local !== 'templateId');
}

/**
 * Reads one section `entry`. In a CNAM-HR document every entry is a reimbursed care, whatever clinical
 * template it reuses (a vaccine there is a reimbursement, not an immunisation record).
 * A « nothing known » statement (no-known-allergies, « Aucun », a nameless placeholder) becomes a
 * `noneKnown` entry, never an item.
 */
export function extractEntry(
  entry: XmlElement,
  ctx: EntryContext,
  reimbursementDocument: boolean,
): ExtractedEntry[] | undefined {
  const act = statementOf(entry);
  if (!act) return [];
  const items = readItems(act, ctx, reimbursementDocument);
  const labs = reimbursementDocument ? [] : readLabResults(act, ctx);
  if (items === undefined) return labs.length > 0 ? labs : undefined;
  return [...items, ...labs];
}

function readItems(
  act: XmlElement,
  ctx: EntryContext,
  reimbursementDocument: boolean,
): ExtractedEntry[] | undefined {
  if (reimbursementDocument) {
    const none = noneKnownOf(act, ctx, 'reimbursements');
    return [none ?? readReimbursement(act, ctx)];
  }
  const templates = templateIdsOf(act);
  // A concern without a readable observation is reported like an unknown entry rather than vanishing.
  if (templates.includes(TEMPLATES.problemConcern))
    return nonEmpty(readProblemConcern(act, ctx).map((e) => asNoneKnownIfSo(e, act, ctx)));
  if (templates.includes(TEMPLATES.allergyConcern))
    return nonEmpty(readAllergyConcern(act, ctx).map((e) => asNoneKnownIfSo(e, act, ctx)));
  if (templates.includes(TEMPLATES.allergy))
    return [noneKnownOf(act, ctx, 'allergies') ?? readAllergy(act, ctx)];
  // Exact ids: 4.12.2 (immunization recommendation) and 4.7 variants in care plans are intents, not history.
  if (templates.includes(TEMPLATES.immunization))
    return [noneKnownOf(act, ctx, 'immunizations') ?? readImmunization(act, ctx)];
  if (templates.includes(TEMPLATES.medication))
    return [noneKnownOf(act, ctx, 'medications') ?? readMedication(act, ctx)];
  if (templates.includes(TEMPLATES.advanceDirective)) return [readAdvanceDirective(act, ctx)];
  if (templates.includes(TEMPLATES.medicalDevice) && act.local === 'supply')
    return [noneKnownOf(act, ctx, 'devices') ?? readDevice(act, ctx)];
  if (templates.includes(TEMPLATES.procedure)) {
    const none = noneKnownOf(act, ctx, 'procedures');
    if (none) return [none];
    const procedure = readProcedure(act, ctx);
    return procedure ? [procedure] : [];
  }
  if (templates.includes(TEMPLATES.socialHistory)) return [readRiskFactor(act, ctx)];
  return undefined;
}

function noneKnownOf(
  act: XmlElement,
  ctx: EntryContext,
  section: Parameters<typeof noneKnownEntry>[2],
): ExtractedEntry | undefined {
  const words = noneKnownStatement(act);
  if (words !== undefined || isNamelessPlaceholder(act, ctx)) {
    const kind = section === 'reimbursements' ? classifyReimbursement(act) : undefined;
    return noneKnownEntry(act, ctx, kind ? 'reimbursements' : section, words);
  }
  return undefined;
}

/** An observation inside a concern whose value says « Aucun » (or no-known-…) is a statement, not an item. */
function asNoneKnownIfSo(entry: ExtractedEntry, concern: XmlElement, ctx: EntryContext): ExtractedEntry {
  if (
    entry.code &&
    (entry.code.system === '2.16.840.1.113883.5.1150.1' || entry.code.code.startsWith('no-known'))
  ) {
    return noneKnownEntry(concern, ctx, sectionOfKind(entry.kind), entry.code.display ?? entry.label);
  }
  if (/^\s*(aucun(e)?|n[ée]ant)\s*\.?\s*$/i.test(entry.label) || /^(aucune?|pas d)/i.test(entry.label)) {
    return noneKnownEntry(concern, ctx, sectionOfKind(entry.kind), entry.label);
  }
  return entry;
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
