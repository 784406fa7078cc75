import pg from 'pg';
import type { Logger } from '../../log/logger';
import { StoreError } from '../errors';
import type { Migration, Row, SqlParams, Statement, Store, StoreReader } from '../types';
import { fieldSealingPlugin } from './field-sealing';
import { pgParams, sqlValueTypes } from './pg-values';
import { enforceSealingMarker } from './sealing-marker';

export interface OpenPgStoreOptions {
  /** A libpq connection string (`postgresql://…`), or `pg` pool settings (a socket folder as `host`…). */
  connection: string | pg.PoolConfig;
  log: Logger;
  migrations: Migration[];
  /**
   * 32-byte key sealing designated columns at rest (AES-256-GCM, field-sealing.ts), from the host's
   * configuration. Without it those columns are stored in clear. Checked at open against the
   * database's sealing marker (sealing-marker.ts): a different key, no key on a sealed database, or
   * rows written before sealing, refuse the open.
   */
  fieldKey?: Uint8Array;
  /** Connections kept by this process (default 10). */
  poolSize?: number;
}

/**
 * Advisory lock classes (the first key of `pg_advisory_xact_lock(int, int)`); the second key is the
 * schema, so two DMPs in two schemas of one database do not wait for each other.
 */
export const writeLockClass = 0x444d5057; // 'DMPW'

const lockSql = 'SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))';

/**
 * The DMP store on PostgreSQL, for hosts that share one database.
 *
 * - Every write is one transaction that first takes the same transaction-level advisory lock, so
 *   writes from every host are serialised: `transaction(build)` reads (the audit head…) and writes
 *   with no other write in between, and audit appends chain in order whichever host makes them.
 * - Connections are read-only by default (`default_transaction_read_only`): `all()` cannot change
 *   data, as on the sql.js store; a write transaction opens with `BEGIN READ WRITE`.
 * - `write` resolves after COMMIT returned: the server has the transaction in its WAL (durability
 *   against a power cut then rests on the server's own `fsync`/`synchronous_commit` settings).
 * - Rows come back in the sql.js shapes (pg-values.ts).
 * - SQL is PostgreSQL's, placeholders `$1, $2…`: the DMP's queries are compiled by Kysely for this
 *   dialect (`sqlFor(store)`, src/main/db); hand-written SQL (tests, store internals) says `$n`.
 */
export async function openPgStore(options: OpenPgStoreOptions): Promise<Store> {
  const { log } = options;
  const queryPlugins = options.fieldKey ? [fieldSealingPlugin(options.fieldKey)] : undefined;
  const base: pg.PoolConfig =
    typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection;
  const pool = new pg.Pool({
    ...base,
    max: options.poolSize ?? base.max ?? 10,
    options: [base.options, '-c default_transaction_read_only=on'].filter(Boolean).join(' '),
    types: sqlValueTypes,
  });
  // An idle connection the server drops (restart, admin) is an event, not a crash of the host.
  pool.on('error', (err) => log.warn('postgres connection lost', { error: err.message }));

  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new StoreError('CLOSED', 'store closed', { subject: 'database' });
  };

  async function inWriteTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    ensureOpen();
    const client = await connect(pool);
    let reusable = true;
    try {
      await run(client, 'BEGIN READ WRITE', undefined, 'write');
      await run(client, lockSql, [writeLockClass], 'write');
      const result = await work(client);
      await run(client, 'COMMIT', undefined, 'write');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        reusable = false;
      });
      throw err;
    } finally {
      client.release(!reusable);
    }
  }

  const reader = (queryable: pg.Pool | pg.PoolClient): StoreReader => ({
    async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
      ensureOpen();
      const result = await run(queryable, sql, pgParams(params ?? []), 'read');
      return result.rows as T[];
    },
  });

  async function runStatements(client: pg.PoolClient, statements: Statement[]): Promise<void> {
    for (const s of statements) {
      // Without parameters a statement may hold several (migrations): the simple query protocol runs them.
      if (s.params === undefined) await run(client, s.sql, undefined, 'write');
      else await run(client, s.sql, pgParams(s.params), 'write');
    }
  }

  try {
    await migrate(options.migrations, log, (work) => inWriteTransaction(work));
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  // Issue 13: fail closed on a field key that does not match the database's (sealing-marker.ts).
  try {
    await enforceSealingMarker(pool.options, options.fieldKey, log);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  const poolReader = reader(pool);
  return {
    dialect: 'postgres',
    ...(queryPlugins ? { queryPlugins } : {}),
    all: poolReader.all,
    write(statements: Statement[]): Promise<void> {
      return inWriteTransaction((client) => runStatements(client, statements));
    },
    transaction(build: (tx: StoreReader) => Promise<Statement[]>): Promise<void> {
      return inWriteTransaction(async (client) => runStatements(client, await build(reader(client))));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw unreachable(err);
  }
}

async function run(
  queryable: pg.Pool | pg.PoolClient,
  text: string,
  values: unknown[] | undefined,
  kind: 'read' | 'write',
): Promise<pg.QueryResult> {
  try {
    return values === undefined ? await queryable.query(text) : await queryable.query(text, values);
  } catch (err) {
    throw storeErrorFrom(err, kind);
  }
}

/**
 * PostgreSQL's message names the constraint, never the values (those are in `detail`, which may
 * carry an INS and is left out of our errors and logs).
 */
function storeErrorFrom(err: unknown, kind: 'read' | 'write'): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof pg.DatabaseError) {
    const detail = `postgres ${err.code ?? '?'}: ${err.message}`;
    if (err.code === '25006') return new StoreError('READ_ONLY_VIOLATION', detail, { subject: 'read' });
    if (err.code?.startsWith('08') || err.code?.startsWith('57P'))
      return new StoreError('IO', detail, { subject: 'database' });
    return new StoreError('SQL', detail, { subject: kind === 'read' ? 'read' : 'write' });
  }
  return unreachable(err);
}

/** The connection failed or was lost: for a write, whether it was applied is unknown. */
function unreachable(err: unknown): StoreError {
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new StoreError('IO', detail, { subject: 'database' });
}

/**
 * Applies the missing migrations in one transaction under the write lock, so hosts starting
 * together apply each migration once and no write lands halfway through. The versions applied are
 * kept in `schema_migrations`.
 */
async function migrate(
  migrations: Migration[],
  log: Logger,
  inWriteTransaction: <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
): Promise<void> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && sorted[i - 1]?.version === m.version)) {
      throw new StoreError('MIGRATION_FAILED', `bad migration version ${m.version} (${m.name})`, {
        subject: 'migration-list',
      });
    }
  });
  const latest = sorted.at(-1)?.version ?? 0;
  const applied = await inWriteTransaction(async (client) => {
    await run(
      client,
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         name TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
      undefined,
      'write',
    );
    const rows = await run(client, 'SELECT max(version) AS v FROM schema_migrations', [], 'write');
    const current = Number((rows.rows[0] as { v: number | null } | undefined)?.v ?? 0);
    if (current > latest) {
      throw new StoreError('TOO_NEW', `schema version ${current}, this build knows up to ${latest}`);
    }
    const done: Migration[] = [];
    for (const m of sorted) {
      if (m.version <= current) continue;
      try {
        for (const statement of m.statements('postgres')) await run(client, statement, undefined, 'write');
        await run(
          client,
          'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)',
          [m.version, m.name],
          'write',
        );
      } catch (err) {
        throw new StoreError(
          'MIGRATION_FAILED',
          `migration ${m.version} (${m.name}): ${err instanceof StoreError ? err.detail : String(err)}`,
        );
      }
      done.push(m);
    }
    return done;
  });
  for (const m of applied) log.info('migration applied', { version: m.version, migration: m.name });
}
