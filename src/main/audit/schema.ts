/**
 * Audit tables, applied by the DMP migrations. Rows are append-only: triggers refuse UPDATE and
 * DELETE so an ordinary code path cannot rewrite history; the hash chain catches anyone who drops
 * the triggers. `audit_head` remembers count and last hash so rows cut off the end are noticed.
 */
export const auditSchemaSql = `
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
`;

/**
 * Each entry's HMAC under the audit key (kept outside the store): a rewrite with the store key alone
 * can recompute the SHA-256 links but not these. Entries written before this migration keep NULL.
 */
export const auditMacSql = 'ALTER TABLE audit_log ADD COLUMN mac TEXT;';
