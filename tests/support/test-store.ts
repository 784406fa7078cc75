import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { toApiError } from '../../src/main/app/user-messages';
import { dropAppendOnlyTriggers } from '../../src/main/db/dialect';
import { silentLogger } from '../../src/main/log/logger';
import { openMemoryStore } from '../../src/main/store/memory-store';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import { fieldSealingMigrationName } from '../../src/main/store/pg/sealing-marker';
import type { Migration, Statement, Store } from '../../src/main/store/types';
import type { PgConnection } from './pg-cluster';
import './pg-global-setup';

/** The field key of the PostgreSQL test stores: the domain suite runs with its columns sealed, as a host does. */
export const testFieldKey = randomBytes(32);

/**
 * The store the domain suite runs on: the in-memory sql.js store, or — in the `*-postgres` vitest
 * projects, whose global setup starts a throwaway cluster — a PostgreSQL store in a fresh schema
 * of that cluster, designated columns sealed with `testFieldKey` (as on a host). Tests call this
 * instead of `openMemoryStore` so one suite checks both engines.
 */
export async function openTestStore(migrations: Migration[]): Promise<Store> {
  const connection = inject('pgTestConnection');
  if (!connection) return openMemoryStore(migrations);
  return openPgStore({
    connection: await freshSchema(connection),
    log: silentLogger,
    migrations,
    poolSize: 4,
    // Schemas of a few tables only (audit tests) have no sealing marker to check the key against.
    ...(migrations.some((m) => m.name === fieldSealingMigrationName) ? { fieldKey: testFieldKey } : {}),
  });
}

/** Which engine this run's test stores use. */
export function testStoreDialect(): Store['dialect'] {
  return inject('pgTestConnection') ? 'postgres' : 'sqlite';
}

/** A new empty schema, and pool settings whose connections use it. */
export async function freshSchema(connection: PgConnection): Promise<pg.PoolConfig> {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const admin = new pg.Client(connection);
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    ...connection,
    options: `-c search_path=${schema}`,
    // Tests rarely close their stores: idle connections go quickly and never hold the worker open.
    idleTimeoutMillis: 1000,
    allowExitOnIdle: true,
  };
}

/** Every table of the store (tests that look at everything stored). */
export async function tableNames(store: Store): Promise<string[]> {
  const sql =
    store.dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
  return (await store.all<{ name: string }>(sql)).map((r) => r.name);
}

/** Statements removing the audit log's append-only triggers (tests that tamper with the trail). */
export function dropAuditTriggers(store: Store): Statement[] {
  return dropAppendOnlyTriggers(store.dialect, 'audit_log').map((sql) => ({ sql }));
}

/**
 * What a superuser can do to the audit trail on PostgreSQL: drop the append-only triggers, delete the
 * last `entries` rows and set `audit_head` to the new last entry (links, HMACs and head then agree).
 */
export async function cutAuditTail(connection: pg.PoolConfig, entries: number): Promise<void> {
  const dba = new pg.Client(connection);
  await dba.connect();
  try {
    await dba.query('DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE');
    const { rows } = await dba.query<{ count: number }>('SELECT count FROM audit_head WHERE id = 1');
    const keep = Number(rows[0]!.count) - entries;
    await dba.query('DELETE FROM audit_log WHERE seq > $1', [keep]);
    await dba.query(
      'UPDATE audit_head SET count = $1, last_hash = (SELECT hash FROM audit_log WHERE seq = $1) WHERE id = 1',
      [keep],
    );
  } finally {
    await dba.end();
  }
}

/** What a failed store operation says, wherever the engine put it (message, or a StoreError's detail). */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const detail = (err as { detail?: unknown }).detail;
  return typeof detail === 'string' ? `${err.message} ${detail}` : err.message;
}

/** The French message an open (a host's start, a store's) was refused with; fails the test if it opened. */
export async function refusal(opening: Promise<unknown>): Promise<string> {
  try {
    await opening;
  } catch (err) {
    return toApiError(err)?.message ?? String(err);
  }
  throw new Error('the host started');
}

/** The cluster of this run (the `*-postgres` projects only); PostgreSQL-only tests fail clearly elsewhere. */
export function requirePgTestConnection(): PgConnection {
  const connection = inject('pgTestConnection');
  if (!connection)
    throw new Error('no PostgreSQL test cluster: run this file in the dmp-postgres vitest project');
  return connection;
}
