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
  sql: string;
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
