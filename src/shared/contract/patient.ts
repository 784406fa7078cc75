import { z } from 'zod';
import { insKeyPattern, insOidValues, matriculeSource } from '../identity/ins';

export const insOid = z.enum(insOidValues);
export type InsOid = z.infer<typeof insOid>;

/** RNIV: provisoire, récupérée (identity reference), validée (identity document checked), qualifiée (both). */
export const insStatus = z.enum(['provisional', 'fetched', 'validated', 'qualified']);
export type InsStatus = z.infer<typeof insStatus>;

export const sexSchema = z.enum(['M', 'F', 'U']);

/** 15-character matricule (NIR or NIA, key included); lower-case 2a/2b accepted as typed. */
export const matriculeSchema = z.string().regex(new RegExp(`^${matriculeSource}$`, 'i'));

export const insSchema = z.object({
  matricule: matriculeSchema,
  oid: insOid,
  status: insStatus,
});
export type Ins = z.infer<typeof insSchema>;

export const identitySchema = z.object({
  birthName: z.string(),
  usedName: z.string().optional(),
  firstNames: z.string(),
  birthDate: z.string(),
  sex: sexSchema,
  birthPlaceCode: z.string().optional(),
});
export type Identity = z.infer<typeof identitySchema>;

/** The key the UI and the CLI use to name a dossier: `<matricule>@<oid>`. */
export const insKey = z.string().regex(new RegExp(insKeyPattern.source, 'i'));
export type InsKey = z.infer<typeof insKey>;

/**
 * One identity as the identity reference (the INSi stand-in) answers it: the INS and the five
 * reference traits. Shown side by side when several people match, for a human choice.
 */
export const referenceIdentitySchema = z.object({
  matricule: matriculeSchema,
  oid: insOid,
  birthName: z.string(),
  firstNames: z.string(),
  birthDate: z.string(),
  sex: sexSchema,
  birthPlaceCode: z.string(),
});
export type ReferenceIdentity = z.infer<typeof referenceIdentitySchema>;

export const dossierStatus = z.enum(['active', 'closed']);

export const dossierRefSchema = z.object({
  insKey: insKey,
  ins: insSchema,
  identity: identitySchema,
  status: dossierStatus,
  testIdentity: z.boolean(),
});
export type DossierRef = z.infer<typeof dossierRefSchema>;

export const provenanceSchema = z.object({
  documentId: z.string(),
  documentTitle: z.string(),
  author: z.string().optional(),
  date: z.string().optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const codedSchema = z.object({
  code: z.string(),
  system: z.string().optional(),
  display: z.string().optional(),
});

export const clinicalEntrySchema = z.object({
  id: z.string(),
  label: z.string(),
  code: codedSchema.optional(),
  /** Dose, reaction, severity… already phrased for display. */
  detail: z.string().optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  status: z.string().optional(),
  author: z.string().optional(),
  provenance: provenanceSchema,
});
export type ClinicalEntry = z.infer<typeof clinicalEntrySchema>;

export const reimbursementGroupSchema = z.object({
  label: z.string(),
  kind: z.enum(['medicine', 'act', 'stay', 'device', 'vaccine', 'other']),
  code: codedSchema.optional(),
  count: z.number().int(),
  lastDate: z.string().optional(),
  entries: z.array(clinicalEntrySchema),
});
export type ReimbursementGroup = z.infer<typeof reimbursementGroupSchema>;

export const documentSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  typeCode: z.string(),
  typeLabel: z.string(),
  author: z.string().optional(),
  date: z.string().optional(),
});

export const emergencySummarySchema = z.object({
  dossier: dossierRefSchema,
  allergies: z.array(clinicalEntrySchema),
  medications: z.array(clinicalEntrySchema),
  problems: z.array(clinicalEntrySchema),
  immunizations: z.array(clinicalEntrySchema),
  reimbursements: z.array(reimbursementGroupSchema),
  contacts: z.array(clinicalEntrySchema),
  advanceDirectives: z.array(clinicalEntrySchema),
  latestDocuments: z.array(documentSummarySchema),
});
export type EmergencySummary = z.infer<typeof emergencySummarySchema>;
