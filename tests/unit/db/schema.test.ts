import initSqlJs, { type Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { migrationScripts } from '../../../src/main/store/migration-scripts';
import { schemaV7Sqlite } from './schema-v7-fixture';

async function emptyDatabase(): Promise<Database> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

function rows(db: Database, sql: string): Record<string, unknown>[] {
  const stmt = db.prepare(sql);
  const out: Record<string, unknown>[] = [];
  while (stmt.step()) out.push(stmt.getAsObject());
  stmt.free();
  return out;
}

/** SQL text compared for meaning: case, identifier quotes and layout set aside. */
function normalise(sql: string): string {
  return sql
    .toLowerCase()
    .replace(/"/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),=])\s*/g, '$1')
    .replace(/;\s*$/, '')
    .trim();
}

/** Every `CHECK (…)` of a CREATE TABLE, normalised (SQLite exposes them nowhere but in the text). */
function checks(sql: string): string[] {
  const text = normalise(sql);
  const found: string[] = [];
  for (let i = text.indexOf('check('); i >= 0; i = text.indexOf('check(', i + 1)) {
    let depth = 0;
    let j = i + 5;
    for (; j < text.length; j++) {
      if (text[j] === '(') depth++;
      if (text[j] === ')' && --depth === 0) break;
    }
    found.push(text.slice(i + 6, j));
  }
  return found.sort();
}

/**
 * Everything about a schema that decides how the store behaves: columns (order, type, NOT NULL,
 * default, primary key), every index (unique or not, from which constraint, which columns in which
 * order), foreign keys with their actions, CHECK constraints and triggers.
 */
function describeSchema(db: Database): unknown {
  const objects = rows(
    db,
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  );
  return objects.map((o) => {
    const name = String(o.name);
    if (o.type === 'table') {
      return {
        table: name,
        columns: rows(db, `SELECT * FROM pragma_table_xinfo('${name}')`).map((c) => ({
          ...c,
          type: String(c.type).toUpperCase(),
        })),
        indexes: rows(db, `SELECT * FROM pragma_index_list('${name}') ORDER BY name`).map((i) => ({
          ...i,
          columns: rows(db, `SELECT * FROM pragma_index_xinfo('${String(i.name)}')`),
        })),
        foreignKeys: rows(db, `SELECT * FROM pragma_foreign_key_list('${name}')`),
        checks: checks(String(o.sql)),
      };
    }
    if (o.type === 'trigger') return { trigger: name, on: o.tbl_name, sql: normalise(String(o.sql)) };
    return { [String(o.type)]: name, on: o.tbl_name };
  });
}

describe('DMP migrations written with Kysely', () => {
  it('give SQLite the schema of stores already at version 7 (hand-written SQL, captured before the change)', async () => {
    const old = await emptyDatabase();
    for (const m of [...schemaV7Sqlite].sort((a, b) => a.version - b.version)) old.exec(m.sql);
    const current = await emptyDatabase();
    // Migrations 8 and up came after: the comparison is with what stores at version 7 hold.
    const scripts = migrationScripts(
      dmpMigrations.filter((m) => m.version <= 7),
      'sqlite',
    );
    expect(scripts.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const m of scripts) for (const sql of m.statements) current.exec(sql);

    const before = describeSchema(old);
    expect(describeSchema(current)).toEqual(before);
    // Not an empty comparison: the nine tables, their CHECKs and the append-only triggers are there.
    expect(JSON.stringify(before)).toMatch(/"checks":\["kind in\('allergy'/);
    expect((before as { table?: string }[]).filter((o) => o.table).length).toBe(9);
    expect(JSON.stringify(before)).toMatch(/audit_log_no_delete/);
  });

  it('compile for PostgreSQL: bytes as BYTEA, append-only audit through a PL/pgSQL trigger', () => {
    const statements = migrationScripts(dmpMigrations, 'postgres').flatMap((m) => m.statements);
    const sql = statements.join(';\n');
    expect(sql).not.toMatch(/\bblob\b/i);
    expect(sql).toMatch(/"content" bytea not null/);
    expect(sql).toMatch(/LANGUAGE plpgsql/);
    expect(sql).toMatch(/BEFORE TRUNCATE ON audit_log/);
    expect(statements.every((s) => !/\?/.test(s))).toBe(true);
  });
});
