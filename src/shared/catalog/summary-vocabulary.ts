/**
 * The closed vocabularies of the patient summary, as plain lists: the CDA extraction produces them
 * (src/main/cda), the store checks them when it reads an entry back (src/main/dmp/entry-data.ts,
 * without zod), the contract validates them at the boundary (src/shared/contract/patient.ts) and the
 * renderer shows them. One list each, so that a value added to one side cannot be refused, or lost,
 * by another.
 */

/** The summary sections a document can state « nothing known » for (« Aucune allergie connue »). */
export const summarySectionKeys = [
  'allergies',
  'medications',
  'problems',
  'immunizations',
  'devices',
  'procedures',
  'riskFactors',
  'labResults',
  'reimbursements',
] as const;
export type SummarySectionKey = (typeof summarySectionKeys)[number];

/** Abnormal flag of a lab result, from its interpretationCode (HL7 ObservationInterpretation). */
export const labFlags = ['normal', 'low', 'high', 'critical-low', 'critical-high', 'abnormal'] as const;
export type LabFlag = (typeof labFlags)[number];

/** Whom a header contact is, for the summary to show the personne de confiance and médecin traitant apart. */
export const contactRoles = ['trusted', 'treating', 'notify', 'legal', 'other'] as const;
export type ContactRole = (typeof contactRoles)[number];
