import type { Generated } from 'kysely';
// The kinds the CDA extraction produces: one definition, in the extraction's types.
import type { EntryKind } from '../cda/types';

/**
 * The DMP tables as the queries see them (schema version 7), for Kysely: each query's row type comes
 * from here instead of a cast. Value types are what both stores hand back: INTEGER as a number (the
 * PostgreSQL store converts its integers), BLOB/BYTEA as bytes. `Generated` marks a column with a
 * default an insert may leave out. Kept in step with src/main/dmp/migrations.ts and
 * src/main/audit/schema.ts (tests/unit/db/schema.test.ts compares them).
 */
export interface DmpDatabase {
  dossiers: DossiersTable;
  dossier_professionals: DossierProfessionalsTable;
  dossier_legal_representatives: DossierLegalRepresentativesTable;
  documents: DocumentsTable;
  document_sections: DocumentSectionsTable;
  clinical_entries: ClinicalEntriesTable;
  identity_reference: IdentityReferenceTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  host_requests: HostRequestsTable;
}

/** 0 or 1: SQLite has no boolean, and both stores keep the same columns. */
export type Flag = number;

export interface DossiersTable {
  ins_key: string;
  matricule: string;
  oid: string;
  /** Where the INS came from: typed at the desk, fetched from the identity reference, or vouched for by a sender. */
  ins_status: 'provisional' | 'fetched' | 'qualified';
  status: 'active' | 'closed';
  birth_name: string;
  used_name: string | null;
  first_names: string;
  birth_date: string;
  sex: 'M' | 'F' | 'U';
  birth_place_code: string | null;
  /** Search forms (src/main/dmp/names.ts): upper case A–Z and spaces only. */
  birth_name_norm: string;
  used_name_norm: string | null;
  test_identity: Flag;
  consent_by_id: string;
  consent_by_name: string;
  consent_at: string;
  bris_de_glace_opposition: Generated<Flag>;
  centre15_opposition: Generated<Flag>;
  treating_physician_id: string | null;
  created_at: string;
  closed_reason: string | null;
  closed_at: string | null;
  access_login: string | null;
  access_code_hash: string | null;
  access_code_expires_at: string | null;
  /** Migration 4. An identity document of high trust was checked at the desk. */
  identity_verified: Generated<Flag>;
  /** Migration 4: `patient`, `legal-representative` or `sending-system`. */
  consent_given_by: Generated<string>;
}

export interface DossierProfessionalsTable {
  ins_key: string;
  national_id: string;
  display_name: string;
  relation: 'authorized' | 'blocked';
  since: string;
}

export interface DossierLegalRepresentativesTable {
  ins_key: string;
  position: number;
  last_name: string;
  first_names: string;
  relation: string;
}

export type DocumentFormat = 'cda-structured' | 'cda-unstructured' | 'pdf' | 'text';
export type DocumentStatusValue = 'approved' | 'obsolete' | 'archived';

export interface DocumentsTable {
  id: string;
  ins_key: string;
  title: string;
  type_code: string;
  category: string;
  format: DocumentFormat;
  media_type: string | null;
  author_name: string | null;
  author_id: string | null;
  author_profession: string | null;
  document_date: string | null;
  deposited_at: string;
  deposited_by: string;
  status: DocumentStatusValue;
  /** The visibility bit mask (src/main/domain/visibility.ts). */
  visibility: number;
  version: number;
  replaces_id: string | null;
  set_id: string | null;
  cda_id: string | null;
  content: Uint8Array;
  /** What an unstructured CDA wraps (PDF, text…). */
  payload: Uint8Array | null;
  content_sha256: string;
  /** Migration 7. */
  author_structure_id: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  /**
   * Migration 12: the extraction rules' version (src/main/cda/extraction-version.ts) the document's
   * sections and entries were derived with; 0 = before versions were recorded.
   */
  extraction_version: Generated<number>;
}

export interface DocumentSectionsTable {
  document_id: string;
  position: number;
  code: string | null;
  title: string | null;
  narrative_html: string;
  entry_count: number;
}

export interface ClinicalEntriesTable {
  id: string;
  document_id: string;
  ins_key: string;
  kind: EntryKind;
  label: string;
  code: string | null;
  code_system: string | null;
  code_display: string | null;
  detail: string | null;
  start_date: string | null;
  end_date: string | null;
  status: string | null;
  author: string | null;
  reimbursement_kind: string | null;
  section_code: string | null;
  position: number;
  /** JSON of `EntryData` (migration 5); NULL for rows written before it. */
  data: string | null;
}

export interface IdentityReferenceTable {
  matricule: string;
  oid: string;
  birth_name: string;
  first_names: string;
  birth_date: string;
  sex: 'M' | 'F' | 'U';
  birth_place_code: string;
  birth_name_norm: string;
  first_name_norm: string;
  card_nir: string | null;
  birth_rank: number | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  card_serial: string | null;
  profession: string;
  mode: string | null;
  reason: string | null;
  action: string;
  ins_key: string | null;
  target: string | null;
  prev_hash: string;
  hash: string;
  /** Migration 6; NULL for entries written before it. */
  mac: string | null;
}

export interface AuditHeadTable {
  id: number;
  count: number;
  last_hash: string;
}

/** Write requests a host applied (src/main/store/host-requests.ts, migration 8). */
export interface HostRequestsTable {
  request_id: string;
  method: string;
  applied_at: string;
  outcome: string | null;
}
