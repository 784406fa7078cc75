import type { Database } from 'sql.js';
import { StoreError } from './errors';
import type { Row, SqlParams, SqlValue, Statement } from './types';

/** Statements whose parameters the journal could not faithfully replay are refused up front. */
export function checkStatements(statements: Statement[]): void {
  statements.forEach((s, i) => {
    if (typeof s.sql !== 'string') throw invalid(`statement ${i} has no SQL text`);
    if (s.params === undefined) return;
    const values: unknown[] = Array.isArray(s.params) ? s.params : Object.values(s.params);
    if (!values.every(isSqlValue))
      throw invalid(`statement ${i} has a parameter that is not string, number, null or bytes`);
  });
}

function isSqlValue(v: unknown): v is SqlValue {
  return (
    v === null ||
    typeof v === 'string' ||
    (typeof v === 'number' && Number.isFinite(v)) ||
    v instanceof Uint8Array
  );
}

function invalid(detail: string): StoreError {
  return new StoreError('SQL', detail, { subject: 'request' });
}

/**
 * Runs the statements as one transaction; on any error nothing of it remains. A statement without
 * parameters may hold several SQL statements (migrations); it must not open or end a transaction.
 */
export function applyTransaction(db: Database, statements: Statement[]): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const s of statements) {
      if (s.params === undefined) db.exec(s.sql);
      else db.run(s.sql, s.params as SqlParams);
    }
    db.exec('COMMIT');
  } catch (err) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // A statement already ended the transaction (e.g. a stray COMMIT): nothing left to undo here.
    }
    throw new StoreError('SQL', sqliteMessage(err), { subject: 'write' });
  }
}

/**
 * A read runs inside a transaction that is always rolled back, so a statement that writes through
 * `all()` can never change the in-memory database behind the journal's back.
 */
export function queryRows<T extends object = Row>(db: Database, sql: string, params?: SqlParams): T[] {
  db.exec('BEGIN');
  const before = totalChanges(db);
  let rows: T[];
  let changed = false;
  try {
    const stmt = db.prepare(sql);
    try {
      if (params !== undefined) stmt.bind(params);
      rows = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as T);
    } finally {
      stmt.free();
    }
    changed = totalChanges(db) !== before;
  } catch (err) {
    throw new StoreError('SQL', sqliteMessage(err), { subject: 'read' });
  } finally {
    db.exec('ROLLBACK');
  }
  if (changed) {
    throw new StoreError(
      'READ_ONLY_VIOLATION',
      'all() was given a statement that modifies data; use write()',
      {
        subject: 'read',
      },
    );
  }
  return rows;
}

function totalChanges(db: Database): number {
  const value = db.exec('SELECT total_changes()')[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : -1;
}

export function pragmaNumber(db: Database, pragma: string): number {
  const value = db.exec(`PRAGMA ${pragma}`)[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : 0;
}

function sqliteMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
