import { z } from 'zod';
import { insKeyPattern, insOidValues, matriculeSource } from '../identity/ins';
import {
  labFlags,
  summarySectionKeys,
  type LabFlag,
  type SummarySectionKey,
} from '../catalog/summary-vocabulary';

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
  /** The stored entry this fact was read from, for « Source » to open the document at that entry. */
  entryId: z.string().optional(),
  /** Narrative anchor (`ID` of the section text the entry references); the document HTML carries it as `id="cda-<anchor>"`. */
  anchor: z.string().optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const codedSchema = z.object({
  code: z.string(),
  system: z.string().optional(),
  display: z.string().optional(),
});

/** A labelled detail already phrased in French (« Posologie », « Voie », « Réaction »…): the view renders the list as is. */
export const entryFactSchema = z.object({
  label: z.string(),
  value: z.string(),
});
export type EntryFact = z.infer<typeof entryFactSchema>;

/**
 * Where a treatment stands on the summary's date, derived from its effective time (never from the
 * CDA statusCode, which CI-SIS fixes to `completed`): `current`, `ended`, `planned` (starts later or
 * intent), `unknown` (no usable period: shown apart, « à vérifier »), `not-done` (vaccination not given).
 */
export const entryStateSchema = z.enum(['current', 'ended', 'planned', 'unknown', 'not-done']);
export type EntryState = z.infer<typeof entryStateSchema>;

export const clinicalEntrySchema = z.object({
  id: z.string(),
  /** The coded name in French as the document gives it (never a narrative « Oui »/« Non »). */
  label: z.string(),
  code: codedSchema.optional(),
  /** Every labelled detail joined in one line (kept for plain-text outputs such as the CLI). */
  detail: z.string().optional(),
  /** The same details, one per line, for the view. */
  facts: z.array(entryFactSchema).optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  /** French label of the clinical status (« Actif », « Intermittent », « Non administré »…), never a raw code. */
  status: z.string().optional(),
  state: entryStateSchema.optional(),
  /** French severity label (« Modérée », « Sévère »…). */
  severity: z.string().optional(),
  /** True when the document states the absence of the thing (risk factors: « Absence de … »). */
  negated: z.boolean().optional(),
  /** Contacts: the person's role (« Personne de confiance », « Médecin traitant », « Personne à prévenir »…). */
  role: z.string().optional(),
  author: z.string().optional(),
  /** The newest source; `sources` lists every document that states the same fact (merged lines). */
  provenance: provenanceSchema,
  sources: z.array(provenanceSchema).min(1),
});
export type ClinicalEntry = z.infer<typeof clinicalEntrySchema>;

/**
 * An explicit « nothing known » statement of a document (« Aucune allergie connue », « Aucun traitement »),
 * kept apart from the items so the view can tell it from « nothing recorded ».
 */
export const summarySectionKey = z.enum(summarySectionKeys);
export type { SummarySectionKey };

export const noneKnownAssertionSchema = z.object({
  section: summarySectionKey,
  /** French sentence, e.g. « Aucune allergie connue ». */
  text: z.string(),
  provenance: provenanceSchema,
  sources: z.array(provenanceSchema).min(1),
});
export type NoneKnownAssertion = z.infer<typeof noneKnownAssertionSchema>;

/** Abnormal flag of a lab result, from its interpretationCode (HL7 ObservationInterpretation). */
export const labFlagSchema = z.enum(labFlags);
export type { LabFlag };

export const labValueSchema = z.object({
  /** Value as written (number, titre, or coded/text result), French decimal comma not applied. */
  value: z.string(),
  /** Unit in French (« UI/mL », « mmol/L »). */
  unit: z.string().optional(),
  date: z.string().optional(),
  flag: labFlagSchema.optional(),
  /** French label of the flag (« Élevé », « Bas », « Anormal »…). */
  flagLabel: z.string().optional(),
  /** Reference range in French (« 0,4 – 4 mUI/L », « < 5 mg/L »). */
  referenceRange: z.string().optional(),
  provenance: provenanceSchema,
});
export type LabValue = z.infer<typeof labValueSchema>;

/** Latest value per analyte, with the earlier ones and the trend when there are several numeric results. */
export const labResultSchema = z.object({
  id: z.string(),
  analyte: z.string(),
  code: codedSchema.optional(),
  latest: labValueSchema,
  previous: z.array(labValueSchema),
  trend: z.enum(['up', 'down', 'stable']).optional(),
  /** French phrase of the trend (« en hausse depuis le 02/03/2024 »). */
  trendLabel: z.string().optional(),
  sources: z.array(provenanceSchema).min(1),
});
export type LabResult = z.infer<typeof labResultSchema>;

export const reimbursementKindSchema = z.enum(['medicine', 'act', 'stay', 'device', 'vaccine', 'other']);

/** One reimbursed care (CNAM-HR line). */
export const reimbursementLineSchema = z.object({
  id: z.string(),
  date: z.string().optional(),
  label: z.string(),
  kind: reimbursementKindSchema,
  /** French label of the kind (« Médicament », « Acte », « Séjour »…). */
  kindLabel: z.string(),
  code: codedSchema.optional(),
  quantity: z.string().optional(),
  prescriber: z.string().optional(),
  /** Pharmacy, supplier or place of care. */
  pharmacy: z.string().optional(),
  /** Performer of an act (professional). */
  performer: z.string().optional(),
  /** Therapeutic class for the filter (ATC level 1 label when the document codes it, else the kind label). */
  therapeuticClass: z.string(),
  provenance: provenanceSchema,
});
export type ReimbursementLine = z.infer<typeof reimbursementLineSchema>;

export const reimbursementGroupSchema = z.object({
  label: z.string(),
  kind: reimbursementKindSchema,
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
  /** When this summary was computed (ISO date-time): the date current treatments are judged against. */
  generatedAt: z.string(),
  /** Last deposit of a document the reader may see (ISO date-time), absent for an empty dossier. */
  dossierUpdatedAt: z.string().optional(),
  allergies: z.array(clinicalEntrySchema),
  /** Treatments current on `generatedAt` (state `current`), one line per product across documents. */
  medications: z.array(clinicalEntrySchema),
  /** Treatments that are not current: ended, planned, or without a usable period (state says which). */
  otherMedications: z.array(clinicalEntrySchema),
  problems: z.array(clinicalEntrySchema),
  immunizations: z.array(clinicalEntrySchema),
  /** Implanted devices (pacemaker, defibrillator, stents…). */
  devices: z.array(clinicalEntrySchema),
  /** Procedures and surgical history. */
  procedures: z.array(clinicalEntrySchema),
  /** Risk factors (tobacco, exposures…) and vigilance points; stated absences have `negated: true`. */
  riskFactors: z.array(clinicalEntrySchema),
  labResults: z.array(labResultSchema),
  /** Explicit « nothing known » statements, per section, with their source. */
  noneKnown: z.array(noneKnownAssertionSchema),
  reimbursements: z.array(reimbursementGroupSchema),
  /** Reimbursements line by line (24 months), newest first. */
  reimbursementLines: z.array(reimbursementLineSchema),
  /** People to notify and other contacts (neither the personne de confiance nor the médecin traitant). */
  contacts: z.array(clinicalEntrySchema),
  trustedPersons: z.array(clinicalEntrySchema),
  treatingPhysicians: z.array(clinicalEntrySchema),
  advanceDirectives: z.array(clinicalEntrySchema),
  latestDocuments: z.array(documentSummarySchema),
});
export type EmergencySummary = z.infer<typeof emergencySummarySchema>;
