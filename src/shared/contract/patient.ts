import { z } from 'zod';

export const insOid = z.enum([
  '1.2.250.1.213.1.4.8', // NIR
  '1.2.250.1.213.1.4.9', // NIA
  '1.2.250.1.213.1.4.10', // test
  '1.2.250.1.213.1.4.11', // demo
]);
export type InsOid = z.infer<typeof insOid>;

export const insStatus = z.enum(['provisional', 'fetched', 'qualified']);
export type InsStatus = z.infer<typeof insStatus>;

export const sexSchema = z.enum(['M', 'F', 'U']);

export const insSchema = z.object({
  /** 15-character matricule (NIR or NIA, key included). */
  matricule: z.string().regex(/^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$/i),
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
export const insKey = z.string().regex(/^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}@1\.2\.250\.1\.213\.1\.4\.(8|9|10|11)$/i);
export type InsKey = z.infer<typeof insKey>;

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
  /** When the summary was built (ISO date-time): the date the clinician reads it "as of", and prints. */
  asOf: z.string(),
  /** The dossier's last update as this reader sees it: the newest deposit among the documents they may read. */
  lastUpdate: z.string().optional(),
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
