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
export interface MigrationScript {
  version: number;
  name: string;
  statements: readonly string[];
}

/** Reading rows: the store itself, or the inside of a `transaction`. */
export interface StoreReader {
  all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]>;
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
  /** Runs the statements as one transaction. All or nothing; resolves once durable. */
  write(statements: Statement[]): Promise<void>;
  /**
   * One transaction whose statements are computed from rows read inside it: no other write to this
   * store lands between those reads and the write (in this process, or from another host sharing
   * the database). All or nothing; resolves once durable.
   */
  transaction(build: (tx: StoreReader) => Promise<Statement[]>): Promise<void>;
  close(): Promise<void>;
}
