import type { Migration } from '../types';

/**
 * INTERIM, until migrations are written per dialect (i13-query): the PostgreSQL text of a migration
 * written for SQLite. Only the differences the DMP migrations actually contain are translated —
 * BLOB columns and the append-only triggers; anything else SQLite-only is refused rather than
 * guessed, so a new migration cannot silently drift between the two engines.
 */
export function postgresMigrationSql(migration: Migration): string {
  const sql = migration.sql
    .replace(/\bBLOB\b/g, 'BYTEA')
    .replace(
      /CREATE TRIGGER (\w+) BEFORE (UPDATE|DELETE) ON (\w+) BEGIN SELECT RAISE\(ABORT, '([^']*)'\); END;/g,
      (_all, name: string, event: string, table: string, message: string) =>
        refusingTrigger(name, event, table, message),
    );
  const leftover = /\bPRAGMA\b|\bAUTOINCREMENT\b|\bRAISE\(|\bWITHOUT ROWID\b|\bINSERT OR\b/i.exec(sql);
  if (leftover)
    throw new Error(
      `migration ${migration.version} (${migration.name}) has SQLite-only SQL with no PostgreSQL translation: ${leftover[0]}`,
    );
  return sql;
}

/** A PL/pgSQL trigger refusing every row change of one kind, like SQLite's RAISE(ABORT, …). */
function refusingTrigger(name: string, event: string, table: string, message: string): string {
  const fn = `${name}_refuse`;
  return `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN RAISE EXCEPTION '${message}'; END
$fn$;
CREATE TRIGGER ${name} BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}();`;
}
