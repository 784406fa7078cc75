import { z } from 'zod';
import type { ExtractedEntry } from '../cda/types';

/**
 * What an extracted entry carries beyond the fixed columns of `clinical_entries`, stored as JSON in
 * `data`. Read back through a strict schema: a row written by an older version (NULL) or damaged
 * (unparsable) reads as `{}`, so the summary degrades to the fixed columns instead of failing.
 */
const entryDataSchema = z.strictObject({
  facts: z.array(z.strictObject({ label: z.string(), value: z.string() })).optional(),
  severity: z.string().optional(),
  negated: z.boolean().optional(),
  moodCode: z.string().optional(),
  anchor: z.string().optional(),
  lab: z
    .strictObject({
      value: z.string(),
      unit: z.string().optional(),
      numeric: z.number().optional(),
      referenceRange: z.string().optional(),
      flag: z.enum(['normal', 'low', 'high', 'critical-low', 'critical-high', 'abnormal']).optional(),
      flagLabel: z.string().optional(),
    })
    .optional(),
  contactRole: z.enum(['trusted', 'treating', 'notify', 'legal', 'other']).optional(),
  noneKnownSection: z
    .enum([
      'allergies',
      'medications',
      'problems',
      'immunizations',
      'devices',
      'procedures',
      'riskFactors',
      'labResults',
      'reimbursements',
    ])
    .optional(),
  reimbursement: z
    .strictObject({
      quantity: z.string().optional(),
      prescriber: z.string().optional(),
      pharmacy: z.string().optional(),
      performer: z.string().optional(),
      therapeuticClass: z.string().optional(),
    })
    .optional(),
  sectionCode: z.string().optional(),
});
export type EntryData = z.infer<typeof entryDataSchema>;

export function encodeEntryData(entry: ExtractedEntry): string | null {
  const data: EntryData = {
    ...(entry.facts ? { facts: entry.facts } : {}),
    ...(entry.severity ? { severity: entry.severity } : {}),
    ...(entry.negated ? { negated: true } : {}),
    ...(entry.moodCode ? { moodCode: entry.moodCode } : {}),
    ...(entry.anchor ? { anchor: entry.anchor } : {}),
    ...(entry.lab ? { lab: entry.lab } : {}),
    ...(entry.contactRole ? { contactRole: entry.contactRole } : {}),
    ...(entry.noneKnownSection ? { noneKnownSection: entry.noneKnownSection } : {}),
    ...(entry.reimbursement && Object.keys(entry.reimbursement).length > 0
      ? { reimbursement: entry.reimbursement }
      : {}),
    ...(entry.sectionCode ? { sectionCode: entry.sectionCode } : {}),
  };
  return Object.keys(data).length > 0 ? JSON.stringify(data) : null;
}

export function decodeEntryData(raw: string | null | undefined): EntryData {
  if (!raw) return {};
  try {
    const parsed = entryDataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
