import { sql } from 'kysely';
import { appendOnlyTriggers } from '../db/dialect';
import { migration } from '../db/migration';
import type { Migration } from '../store/types';

/**
 * Audit tables, applied by the DMP migrations. Rows are append-only: triggers refuse UPDATE and
 * DELETE so an ordinary code path cannot rewrite history; the hash chain catches anyone who drops
 * the triggers. `audit_head` remembers count and last hash so rows cut off the end are noticed.
 */
export function auditSchemaMigration(version: number): Migration {
  return migration(version, 'audit-log', (db, dialect) => [
    db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('card_serial', 'text')
      .addColumn('profession', 'text', (c) => c.notNull())
      .addColumn('mode', 'text')
      .addColumn('reason', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('ins_key', 'text')
      .addColumn('target', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull()),
    db.schema.createIndex('audit_log_by_dossier').on('audit_log').columns(['ins_key', 'seq']),
    ...appendOnlyTriggers(dialect, 'audit_log'),
    db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull()),
  ]);
}

/**
 * Each entry's HMAC under the audit key (kept outside the store): a rewrite with the store key alone
 * can recompute the SHA-256 links but not these. Entries written before this migration keep NULL.
 */
export function auditMacMigration(version: number): Migration {
  return migration(version, 'audit-entry-mac', (db) => [
    db.schema.alterTable('audit_log').addColumn('mac', 'text'),
  ]);
}

/**
 * The audit key's marker (issue 13): one row holding the fingerprint of the audit key every host
 * writing this chain must use (`auditKeyFingerprint`), never the key. Checked by the shared host at
 * start (audit-key-marker.ts); created on both engines, used on PostgreSQL only (README.md, « Keys »).
 */
export function auditKeyMarkerMigration(version: number): Migration {
  return migration(version, 'audit-key-marker', (db) => [
    db.schema
      .createTable('audit_key_marker')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('key_fingerprint', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull()),
  ]);
}
