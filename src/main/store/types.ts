import type { KyselyPlugin } from 'kysely';

export type SqlValue = string | number | null | Uint8Array;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, SqlValue>;

/** Which SQL the store speaks: the embedded sql.js store, or PostgreSQL behind the shared DMP host. */
export type SqlDialect = 'sqlite' | 'postgres';

export interface Statement {
  sql: string;
  params?: SqlParams;
}

export interface Migration {
  /** 1, 2, 3… applied in order, each once; the version is recorded in the store. */
  version: number;
  name: string;
  /**
   * This step in the store's dialect: statements run in order, as one transaction. Each is one
   * SQL statement without parameters (a PL/pgSQL body counts as one).
   */
  statements(dialect: SqlDialect): readonly string[];
}

/** A migration resolved for one dialect: what an engine applies (and what crosses to the store worker). */
export interface MigrationScript extends MigrationHeading {
  statements: readonly string[];
}

/** A migration's place in the list, without its SQL. */
export interface MigrationHeading {
  version: number;
  name: string;
}

/**
 * The migrations an engine may apply: every one's heading, and the SQL of those a store still
 * needs, asked for only then. Compiling every migration's SQL at each open, when none is due, cost a
 * cold CLI import ~7 ms (docs/performance.md, CLI import, cold path).
 */
export interface MigrationSource {
  headings: readonly MigrationHeading[];
  scripts(versions: readonly number[]): Promise<readonly MigrationScript[]>;
}

/** Reading rows: the store itself, or the inside of a `transaction`. */
export interface StoreReader {
  all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]>;
}

/**
 * A write that appends to the store's one chain (the audit log, `AuditLog.record`): the change
 * itself, then the entries chained onto the head as it stands when this transaction commits.
 */
export interface ChainedWrite {
  /**
   * The change the chained part records, run first. On PostgreSQL it runs WITHOUT the chain lock,
   * concurrently with other hosts' writes: what must stay unique (dossiers, documents, request ids)
   * is enforced by the schema's constraints, never by the lock.
   */
  statements: Statement[];
  /**
   * Run after `statements`, in the same transaction, with every other chained write kept out until
   * it commits (PostgreSQL: the chain lock, taken here; sql.js: the single writer): reads the head
   * through `tx` and returns the statements that append to it. Its reads must not depend on
   * `statements` (the sql.js stores read before running them).
   */
  chain(tx: StoreReader): Promise<Statement[]>;
}

/**
 * The DMP store as the rest of the main process sees it. Implementations run sql.js off the main
 * thread; `write` resolves only once the transaction is durable on disk.
 */
export interface Store extends StoreReader {
  readonly dialect: SqlDialect;
  /**
   * Kysely plugins every query for this store is compiled with, and every row read through
   * `src/main/db` is passed back through (`transformResult`): e.g. the PostgreSQL host sealing
   * designated columns at rest. None for the embedded store.
   */
  readonly queryPlugins?: readonly KyselyPlugin[];
  /**
   * Runs the statements as one transaction. All or nothing; resolves once durable. Nothing in it may
   * depend on the chain (use `writeChained`).
   */
  write(statements: Statement[]): Promise<void>;
  /** One transaction: `write.statements`, then the chained part (see `ChainedWrite`). All or nothing; resolves once durable. */
  writeChained(write: ChainedWrite): Promise<void>;
  /**
   * Reads that all see one committed state of the store, whatever is written meanwhile (by this
   * process or by another host sharing the database): e.g. the audit entries and the head together.
   */
  readSnapshot<T>(read: (tx: StoreReader) => Promise<T>): Promise<T>;
  /**
   * True when the next write made from the calling async context carries statements of that
   * context (host-requests.ts: a request id's first write claims the id). Such a write must stay
   * its own transaction: `AuditLog` does not group it with other callers' appends. Absent: false.
   */
  writeCarriesContext?(): boolean;
  close(): Promise<void>;
}
