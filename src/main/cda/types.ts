/** What the CDA importer hands to the DMP service. Produced by `parseCda` in ./import. */

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
  'allergy' | 'medication' | 'problem' | 'immunization' | 'reimbursement' | 'contact' | 'advanceDirective';
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
