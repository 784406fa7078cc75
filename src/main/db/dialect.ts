import { sql, type Expression, type SqlBool } from 'kysely';
import type { SqlDialect, StoreReader } from '../store/types';
import type { DmpSql } from './query-builder';

/**
 * The few things the two dialects cannot say the same way, in one place; every other query and
 * migration is written once with Kysely and compiled for the store's dialect.
 */

/** Column type for bytes (document contents). */
export function binaryColumnType(dialect: SqlDialect): 'blob' | 'bytea' {
  return dialect === 'sqlite' ? 'blob' : 'bytea';
}

/**
 * Triggers refusing UPDATE and DELETE on `table` (and, on PostgreSQL, TRUNCATE, which row triggers do
 * not see), so an ordinary code path cannot rewrite it. Trigger names: `<table>_no_update` / `_no_delete`.
 */
export function appendOnlyTriggers(dialect: SqlDialect, table: string): string[] {
  const message = `${table} is append-only`;
  if (dialect === 'sqlite') {
    return ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    );
  }
  const fn = `${table}_append_only`;
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`,
    `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

/** Drops what `appendOnlyTriggers` created: for tests that play an attacker holding the store key. */
export function dropAppendOnlyTriggers(dialect: SqlDialect, table: string): string[] {
  if (dialect === 'sqlite') return [`DROP TRIGGER ${table}_no_update`, `DROP TRIGGER ${table}_no_delete`];
  return [`DROP FUNCTION ${table}_append_only() CASCADE`];
}

/** The column names of a table as the store holds it (a store opened read-only may predate a migration). */
export async function tableColumns(q: DmpSql, reader: StoreReader, table: string): Promise<string[]> {
  const query =
    q.dialect === 'sqlite'
      ? sql<{ name: string }>`select name from pragma_table_info(${table})`
      : sql<{
          name: string;
        }>`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ${table}`;
  const rows = await q.rows(reader, { compile: () => query.compile(q.db) });
  return rows.map((r) => r.name);
}

/**
 * `column` begins with `prefix` (case-sensitive in both dialects). SQLite: GLOB, which (unlike its
 * LIKE) is case-sensitive and can use the column's index. PostgreSQL: LIKE. The prefixes searched are
 * normalised names (A–Z and spaces) and dates (digits and `-`), never a wildcard of either.
 */
export function startsWith(dialect: SqlDialect, column: string, prefix: string): Expression<SqlBool> {
  if (/[*?[\]%_\\]/.test(prefix)) throw new TypeError('startsWith: the prefix holds a wildcard character');
  return dialect === 'sqlite'
    ? sql<SqlBool>`${sql.ref(column)} glob ${`${prefix}*`}`
    : sql<SqlBool>`${sql.ref(column)} like ${`${prefix}%`}`;
}

/** A write refused by a unique constraint or index, from the store's error text (either dialect). */
export function isUniqueViolation(text: string): boolean {
  return /UNIQUE constraint failed|duplicate key value violates unique constraint/i.test(text);
}
