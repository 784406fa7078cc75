import type { KyselyPlugin } from 'kysely';
import initSqlJs from 'sql.js';
import { SerialQueue } from '../concurrency/serial-queue';
import type { ChainedWrite, Migration, Row, SqlParams, Statement, Store, StoreReader } from './types';

/**
 * In-process, non-durable store for unit tests of the code built on `Store`.
 * Same SQL semantics as the real store (same sql.js build), none of its durability.
 */
export async function openMemoryStore(
  migrations: Migration[],
  options: { queryPlugins?: readonly KyselyPlugin[] } = {},
): Promise<Store> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec('PRAGMA foreign_keys = ON');
  for (const m of [...migrations].sort((a, b) => a.version - b.version))
    for (const sql of m.statements('sqlite')) db.exec(sql);
  // Writes queue so that a transaction's reads and its write are never split by another write, and a
  // snapshot's reads see no write in between.
  const writes = new SerialQueue();
  const store: Store = {
    dialect: 'sqlite',
    ...(options.queryPlugins ? { queryPlugins: options.queryPlugins } : {}),
    async all<T extends object = Row>(sql: string, params?: SqlParams): Promise<T[]> {
      const stmt = db.prepare(sql);
      try {
        if (params) stmt.bind(params);
        const rows: T[] = [];
        while (stmt.step()) rows.push(stmt.getAsObject() as T);
        return rows;
      } finally {
        stmt.free();
      }
    },
    write(statements: Statement[]): Promise<void> {
      return writes.run(async () => writeNow(statements));
    },
    writeChained(write: ChainedWrite): Promise<void> {
      return writes.run(async () => writeNow([...write.statements, ...(await write.chain(store))]));
    },
    readSnapshot<T>(read: (tx: StoreReader) => Promise<T>): Promise<T> {
      return writes.run(() => read(store));
    },
    async close(): Promise<void> {
      db.close();
    },
  };
  function writeNow(statements: Statement[]): void {
    db.exec('BEGIN');
    try {
      for (const s of statements) db.run(s.sql, s.params ?? []);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
  return store;
}
