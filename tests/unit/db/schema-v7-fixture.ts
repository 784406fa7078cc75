/**
 * The SQLite schema of migrations 1–7 exactly as the hand-written SQL of the stores already in use
 * created it (copied from src/main/dmp/migrations.ts and src/main/audit/schema.ts at commit 5c9a71b,
 * before the migrations were written with Kysely). Existing stores are at version 7 and keep this
 * schema: the Kysely migrations must produce the same one.
 */
export const schemaV7Sqlite: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE dossiers (
  ins_key TEXT PRIMARY KEY,
  matricule TEXT NOT NULL,
  oid TEXT NOT NULL,
  ins_status TEXT NOT NULL CHECK (ins_status IN ('provisional', 'fetched', 'qualified')),
  status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
  birth_name TEXT NOT NULL,
  used_name TEXT,
  first_names TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F', 'U')),
  birth_place_code TEXT,
  birth_name_norm TEXT NOT NULL,
  used_name_norm TEXT,
  test_identity INTEGER NOT NULL,
  consent_by_id TEXT NOT NULL,
  consent_by_name TEXT NOT NULL,
  consent_at TEXT NOT NULL,
  bris_de_glace_opposition INTEGER NOT NULL DEFAULT 0,
  centre15_opposition INTEGER NOT NULL DEFAULT 0,
  treating_physician_id TEXT,
  created_at TEXT NOT NULL,
  closed_reason TEXT,
  closed_at TEXT,
  access_login TEXT,
  access_code_hash TEXT,
  access_code_expires_at TEXT,
  UNIQUE (matricule, oid)
);
CREATE INDEX dossiers_by_birth_name ON dossiers(birth_name_norm, birth_date);
CREATE INDEX dossiers_by_used_name ON dossiers(used_name_norm, birth_date);
CREATE INDEX dossiers_by_birth_date ON dossiers(birth_date, birth_name_norm);
CREATE INDEX dossiers_by_matricule ON dossiers(matricule);

CREATE TABLE dossier_professionals (
  ins_key TEXT NOT NULL REFERENCES dossiers(ins_key) ON DELETE CASCADE,
  national_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  relation TEXT NOT NULL CHECK (relation IN ('authorized', 'blocked')),
  since TEXT NOT NULL,
  PRIMARY KEY (ins_key, national_id)
);
`,
  },
  {
    version: 2,
    sql: `
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  ins_key TEXT NOT NULL REFERENCES dossiers(ins_key) ON DELETE CASCADE,
  title TEXT NOT NULL,
  type_code TEXT NOT NULL,
  category TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('cda-structured', 'cda-unstructured', 'pdf', 'text')),
  media_type TEXT,
  author_name TEXT,
  author_id TEXT,
  author_profession TEXT,
  document_date TEXT,
  deposited_at TEXT NOT NULL,
  deposited_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('approved', 'obsolete', 'archived')),
  visibility INTEGER NOT NULL,
  version INTEGER NOT NULL,
  replaces_id TEXT,
  set_id TEXT,
  cda_id TEXT,
  content BLOB NOT NULL,
  -- What an unstructured CDA wraps (PDF, text…), kept apart so reading it needs no re-parse.
  payload BLOB,
  content_sha256 TEXT NOT NULL,
  UNIQUE (ins_key, content_sha256)
);
CREATE INDEX documents_by_dossier ON documents(ins_key, status, document_date);
CREATE INDEX documents_by_set ON documents(ins_key, set_id);

CREATE TABLE document_sections (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  code TEXT,
  title TEXT,
  narrative_html TEXT NOT NULL,
  entry_count INTEGER NOT NULL,
  PRIMARY KEY (document_id, position)
);

CREATE TABLE clinical_entries (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ins_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('allergy', 'medication', 'problem', 'immunization', 'reimbursement', 'contact', 'advanceDirective')),
  label TEXT NOT NULL,
  code TEXT,
  code_system TEXT,
  code_display TEXT,
  detail TEXT,
  start_date TEXT,
  end_date TEXT,
  status TEXT,
  author TEXT,
  reimbursement_kind TEXT,
  section_code TEXT,
  position INTEGER NOT NULL
);
CREATE INDEX clinical_entries_by_dossier ON clinical_entries(ins_key, kind);
CREATE INDEX clinical_entries_by_document ON clinical_entries(document_id);
`,
  },
  {
    version: 3,
    sql: `
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  card_serial TEXT,
  profession TEXT NOT NULL,
  mode TEXT,
  reason TEXT,
  action TEXT NOT NULL,
  ins_key TEXT,
  target TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_dossier ON audit_log(ins_key, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  count INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
`,
  },
  {
    version: 4,
    sql: `
CREATE TABLE identity_reference (
  matricule TEXT NOT NULL,
  oid TEXT NOT NULL,
  birth_name TEXT NOT NULL,
  first_names TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F', 'U')),
  birth_place_code TEXT NOT NULL,
  birth_name_norm TEXT NOT NULL,
  first_name_norm TEXT NOT NULL,
  card_nir TEXT,
  birth_rank INTEGER,
  PRIMARY KEY (matricule, oid)
);
CREATE INDEX identity_reference_by_card ON identity_reference(card_nir, birth_date);
CREATE INDEX identity_reference_by_traits ON identity_reference(birth_name_norm, birth_date);

ALTER TABLE dossiers ADD COLUMN identity_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN consent_given_by TEXT NOT NULL DEFAULT 'patient';

CREATE TABLE dossier_legal_representatives (
  ins_key TEXT NOT NULL REFERENCES dossiers(ins_key) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  last_name TEXT NOT NULL,
  first_names TEXT NOT NULL,
  relation TEXT NOT NULL,
  PRIMARY KEY (ins_key, position)
);
`,
  },
  {
    version: 5,
    sql: `
CREATE TABLE clinical_entries_v5 (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ins_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('allergy', 'medication', 'problem', 'immunization', 'reimbursement', 'contact', 'advanceDirective',
    'device', 'procedure', 'riskFactor', 'labResult', 'noneKnown')),
  label TEXT NOT NULL,
  code TEXT,
  code_system TEXT,
  code_display TEXT,
  detail TEXT,
  start_date TEXT,
  end_date TEXT,
  status TEXT,
  author TEXT,
  reimbursement_kind TEXT,
  section_code TEXT,
  position INTEGER NOT NULL,
  data TEXT
);
INSERT INTO clinical_entries_v5 (id, document_id, ins_key, kind, label, code, code_system, code_display, detail, start_date, end_date,
  status, author, reimbursement_kind, section_code, position)
  SELECT id, document_id, ins_key, kind, label, code, code_system, code_display, detail, start_date, end_date,
  status, author, reimbursement_kind, section_code, position FROM clinical_entries;
DROP TABLE clinical_entries;
ALTER TABLE clinical_entries_v5 RENAME TO clinical_entries;
CREATE INDEX clinical_entries_by_dossier ON clinical_entries(ins_key, kind);
CREATE INDEX clinical_entries_by_document ON clinical_entries(document_id);
`,
  },
  {
    version: 7,
    sql: `
ALTER TABLE documents ADD COLUMN author_structure_id TEXT;
ALTER TABLE documents ADD COLUMN deleted_at TEXT;
ALTER TABLE documents ADD COLUMN deleted_by TEXT;
`,
  },
  { version: 6, sql: 'ALTER TABLE audit_log ADD COLUMN mac TEXT;' },
];
