export type SqlValue = string | number | null | Uint8Array;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, SqlValue>;

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

/**
 * The DMP store as the rest of the main process sees it. Implementations run sql.js off the main
 * thread; `write` resolves only once the transaction is durable on disk.
 */
export interface Store {
  all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Runs the statements as one transaction. All or nothing; resolves once durable. */
  write(statements: Statement[]): Promise<void>;
  close(): Promise<void>;
}
