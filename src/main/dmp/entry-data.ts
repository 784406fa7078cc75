import type { ExtractedEntry } from '../cda/types';
import { contactRoles, labFlags, summarySectionKeys } from '../../shared/catalog/summary-vocabulary';
import {
  arrayOf,
  boolean,
  number,
  oneOf,
  optional,
  strictObject,
  string,
  type Checked,
} from '../local-import/json-check';

const text = optional(string());

/**
 * What an extracted entry carries beyond the fixed columns of `clinical_entries`, stored as JSON in
 * `data`. Read back through a strict check: a row written by an older version (NULL) or damaged
 * (unparsable) reads as `{}`, so the summary degrades to the fixed columns instead of failing.
 * A check of json-check.ts rather than a zod schema: the DMP service loads this module, and a cold
 * CLI import, which loads the service, would otherwise compile all of zod (docs/performance.md).
 */
const isEntryData = strictObject({
  facts: optional(arrayOf(strictObject({ label: string(), value: string() }))),
  severity: text,
  negated: optional(boolean),
  moodCode: text,
  anchor: text,
  lab: optional(
    strictObject({
      value: string(),
      unit: text,
      numeric: optional(number),
      referenceRange: text,
      flag: optional(oneOf(labFlags)),
      flagLabel: text,
    }),
  ),
  contactRole: optional(oneOf(contactRoles)),
  noneKnownSection: optional(oneOf(summarySectionKeys)),
  reimbursement: optional(
    strictObject({
      quantity: text,
      prescriber: text,
      pharmacy: text,
      performer: text,
      therapeuticClass: text,
    }),
  ),
  sectionCode: text,
});
export type EntryData = Checked<typeof isEntryData>;

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
    const parsed: unknown = JSON.parse(raw);
    return isEntryData(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
