import pg from 'pg';
import type { Logger } from '../../log/logger';
import { StoreError } from '../errors';
import type { ChainedWrite, Migration, Row, SqlParams, Statement, Store, StoreReader } from '../types';
import { fieldSealingPlugin } from './field-sealing';
import { pgParams, sqlValueTypes } from './pg-values';
import { checkSealingMarker } from './sealing-marker';

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
  /**
   * Further checks of the database against this host's configuration — the audit key's marker
   * (src/main/audit/audit-key-marker.ts) — run after the sealing marker's, in the same transaction
   * under the write lock: a check that throws refuses the open with nothing written (not even the
   * sealing marker of a fresh database), and the statements they return commit with it.
   */
  checksAtOpen?: ReadonlyArray<(tx: StoreReader) => Promise<Statement[]>>;
  /** Connections kept by this process (default 10). */
  poolSize?: number;
}

/**
 * Advisory lock classes (the first key of `pg_advisory_xact_lock(int, int)`); the second key is the
 * schema, so two DMPs in two schemas of one database do not wait for each other.
 */
export const writeLockClass = 0x444d5057; // 'DMPW'

/** Takes the write lock; its one parameter is `writeLockClass`. */
export const writeLockSql = 'SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))';
/** The same without parameters, so that it can share a round trip with the head read (simple query protocol). */
const lockSqlInline = `SELECT pg_advisory_xact_lock(${writeLockClass}, hashtext(current_schema()))`;

/**
 * The DMP store on PostgreSQL, for hosts that share one database.
 *
 * - The audit chain is appended under one transaction-level advisory lock shared by every host,
 *   taken LATE (`writeChained`): the change itself (document, entries, request-id claim…) runs
 *   first without it, concurrently with other hosts' writes; only then does the transaction take
 *   the lock, read the audit head, append the chained entries, update the head and commit. The lock
 *   is held for the head read (sent in the same round trip as the lock), one statement of inserts
 *   and head update, and the COMMIT. Entries thus chain in commit order whichever host makes them.
 * - Uniqueness (one dossier per INS, one document per id, one claim per request id) is enforced by
 *   the schema's constraints, not by the lock: a second writer of the same key waits on the first's
 *   uncommitted row, then fails on the constraint. No deadlock comes from the lock: a transaction
 *   holding it only goes on to touch `audit_log` and `audit_head`, which nothing writes without
 *   holding it, so it never waits for a transaction that waits for the lock. (Two changes locking
 *   the same rows in opposite orders can still deadlock each other before the lock, as any two
 *   PostgreSQL transactions can: PostgreSQL aborts one, which fails as a write error.)
 * - `write` (nothing chained) takes no lock; migrations take the lock first and hold it throughout.
 * - Connections are read-only by default (`default_transaction_read_only`): `all()` cannot change
 *   data, as on the sql.js store; a write transaction opens with `BEGIN READ WRITE`.
 * - Writes resolve after COMMIT returned: the server has the transaction in its WAL (durability
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

  async function inTransaction<T>(
    begin: string,
    work: (client: pg.PoolClient) => Promise<T>,
    kind: 'read' | 'write' = 'write',
  ): Promise<T> {
    ensureOpen();
    const client = await connect(pool);
    let reusable = true;
    try {
      await run(client, begin, undefined, kind);
      const result = await work(client);
      await run(client, 'COMMIT', undefined, kind);
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

  /** Migrations: the lock from the start, so hosts starting together apply each migration once. */
  const inLockedWriteTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    inTransaction('BEGIN READ WRITE', async (client) => {
      await run(client, writeLockSql, [writeLockClass], 'write');
      return work(client);
    });

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

  /**
   * Reads of the chained part: the first one takes the lock. A read without parameters shares the
   * lock's round trip — one simple-protocol query of two statements; in READ COMMITTED each
   * statement takes its snapshot when it starts, so the head read sees every chained write
   * committed before the lock was granted (ONE statement calling the lock function would read with
   * a snapshot taken before its wait).
   */
  const chainReader = (client: pg.PoolClient, lock: { taken: boolean }): StoreReader => ({
    async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
      ensureOpen();
      const noParams = params === undefined || (Array.isArray(params) && params.length === 0);
      if (!lock.taken && noParams) {
        lock.taken = true;
        const results = (await run(client, `${lockSqlInline}; ${sql}`, undefined, 'write')) as
          pg.QueryResult | pg.QueryResult[];
        if (!Array.isArray(results) || results.length !== 2)
          throw new StoreError('SQL', 'a chained read must be one statement', { subject: 'write' });
        return results[1]!.rows as T[];
      }
      if (!lock.taken) {
        await run(client, writeLockSql, [writeLockClass], 'write');
        lock.taken = true;
      }
      return (await run(client, sql, pgParams(params ?? []), 'write')).rows as T[];
    },
  });

  try {
    await migrate(options.migrations, log, inLockedWriteTransaction);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  // Issue 13: fail closed on a field key that does not match the database's (sealing-marker.ts),
  // then on the host's other checks (the audit key's marker), under the lock as the migrations:
  // hosts starting together on a fresh database write one marker each; every check reads before
  // anything is written, so a refusal leaves the database as it was.
  try {
    await inLockedWriteTransaction(async (client) => {
      const tx = reader(client);
      const statements = await checkSealingMarker(tx, options.fieldKey, log);
      for (const check of options.checksAtOpen ?? []) statements.push(...(await check(tx)));
      await runStatements(client, statements);
    });
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
      return inTransaction('BEGIN READ WRITE', (client) => runStatements(client, statements));
    },
    writeChained(write: ChainedWrite): Promise<void> {
      return inTransaction('BEGIN READ WRITE', async (client) => {
        await runStatements(client, write.statements);
        const lock = { taken: false };
        const chained = await write.chain(chainReader(client, lock));
        if (!lock.taken) await run(client, writeLockSql, [writeLockClass], 'write');
        await runStatements(client, chained);
      });
    },
    readSnapshot<T>(read: (tx: StoreReader) => Promise<T>): Promise<T> {
      // One snapshot for every read, taken at the first: what other hosts commit meanwhile stays unseen.
      return inTransaction(
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
        (client) => read(reader(client)),
        'read',
      );
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Runs `work` in one transaction of a single connection holding the DMP's write lock (the lock the
 * migrations, the sealing marker and every audit append take), before any store is opened: hosts
 * starting together on one database decide in turn. For what must be decided before the store's
 * own open, such as whether a host may create its key files (src/main/host/host-keys.ts).
 */
export async function withDatabaseWriteLock<T>(
  connection: string | pg.PoolConfig,
  work: (reader: StoreReader) => Promise<T>,
): Promise<T> {
  const base: pg.PoolConfig = typeof connection === 'string' ? { connectionString: connection } : connection;
  const pool = new pg.Pool({ ...base, max: 1, types: sqlValueTypes });
  pool.on('error', () => undefined);
  try {
    const client = await connect(pool);
    try {
      await run(client, 'BEGIN', undefined, 'write');
      await run(client, writeLockSql, [writeLockClass], 'write');
      const result = await work({
        async all<R extends object = Row>(sql: string, params?: SqlParams): Promise<R[]> {
          return (await run(client, sql, pgParams(params ?? []), 'read')).rows as R[];
        },
      });
      await run(client, 'COMMIT', undefined, 'write');
      return result;
    } finally {
      // A failed transaction is not reused: the connection goes with the pool.
      client.release(true);
    }
  } finally {
    await pool.end();
  }
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
 * Applies the missing migrations in one transaction under the write lock (taken first), so hosts starting
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
