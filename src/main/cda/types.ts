/** What the CDA importer hands to the DMP service. Produced by `parseCda` in ./import. */

import type { ContactRole, LabFlag, SummarySectionKey } from '../../shared/catalog/summary-vocabulary';

export interface Coded {
  code: string;
  system?: string;
  display?: string;
}

export interface CdaPatient {
  /** Every patient id in the header; the INS is the one whose root is an INS OID. */
  ids: { root: string; extension: string }[];
  birthName?: string;
  usedName?: string;
  firstNames?: string;
  sex?: 'M' | 'F' | 'U';
  /** ISO `YYYY-MM-DD` (or shorter when the document is less precise). */
  birthDate?: string;
  birthPlaceCode?: string;
}

export interface CdaAuthor {
  /** "Prénom NOM" as written. */
  name?: string;
  /** Profession code/display (TRE_G15 / TRE_R85 role codes). */
  profession?: Coded;
  /** e.g. 810001234567 (8 + RPPS). */
  nationalId?: string;
  organization?: string;
  time?: string;
}

export interface CdaHeader {
  /** `root` or `root^extension` of ClinicalDocument/id. */
  documentId: string;
  setId?: string;
  versionNumber?: number;
  title: string;
  /** LOINC document type (ClinicalDocument/code). */
  type: Coded;
  /** ISO 8601 date-time. */
  effectiveTime?: string;
  confidentiality?: string;
  templateIds: string[];
  patient: CdaPatient;
  author?: CdaAuthor;
}

export interface CdaSection {
  code?: Coded;
  title?: string;
  templateIds: string[];
  /** Inert HTML built from the CDA narrative block (whitelisted tags only, no attributes that load anything). */
  narrativeHtml: string;
  /** How many `entry` elements the section holds, extracted or not. */
  entryCount: number;
  /** Nesting level: 0 for a top-level section; sections are listed depth-first, parent before children. */
  depth?: number;
}

export type EntryKind =
  | 'allergy'
  | 'medication'
  | 'problem'
  | 'immunization'
  | 'reimbursement'
  | 'contact'
  | 'advanceDirective'
  | 'device'
  | 'procedure'
  | 'riskFactor'
  | 'labResult'
  /** An explicit « nothing known » statement (« Aucune allergie connue »): never an item. */
  | 'noneKnown';

export type { ContactRole };

export interface EntryFact {
  label: string;
  value: string;
}

export interface LabReading {
  value: string;
  unit?: string;
  /** Numeric value when the result is a plain number (for the trend). */
  numeric?: number;
  referenceRange?: string;
  flag?: LabFlag;
  flagLabel?: string;
}

/** Reimbursement line details (CNAM-HR). */
export interface ReimbursementDetails {
  quantity?: string;
  prescriber?: string;
  pharmacy?: string;
  performer?: string;
  therapeuticClass?: string;
}
export type ReimbursementKind = 'medicine' | 'act' | 'stay' | 'device' | 'vaccine' | 'other';

export interface ExtractedEntry {
  kind: EntryKind;
  label: string;
  code?: Coded;
  /** Dose, route, reaction, severity… phrased for display in French where the document allows. */
  detail?: string;
  startDate?: string;
  endDate?: string;
  status?: string;
  author?: string;
  reimbursementKind?: ReimbursementKind;
  /** Labelled French details (posology, route, reaction…), one per line. */
  facts?: EntryFact[];
  severity?: string;
  /** The document states the absence of this (negationInd="true"). */
  negated?: boolean;
  /** Raw HL7 moodCode / statusCode, kept for rules (never shown). */
  moodCode?: string;
  /** Narrative anchor the entry references (`#ID` without the hash). */
  anchor?: string;
  lab?: LabReading;
  contactRole?: ContactRole;
  noneKnownSection?: SummarySectionKey;
  reimbursement?: ReimbursementDetails;
  /** Code of the section the entry came from (LOINC). */
  sectionCode?: string;
  /** Template ids of the entry, for traceability. */
  templateIds: string[];
}

export type CdaBody =
  | { kind: 'structured'; sections: CdaSection[] }
  | { kind: 'unstructured'; mediaType: string; content: Uint8Array };

export interface CdaDocument {
  header: CdaHeader;
  body: CdaBody;
  entries: ExtractedEntry[];
  /** Non-fatal findings (unknown template kept as narrative…), French, no patient data. */
  warnings: string[];
}
