import type { Migration, MigrationScript, SqlDialect } from './types';

/** The migrations as one engine applies them: resolved for its dialect, plain data (structured-clone safe). */
export function migrationScripts(migrations: readonly Migration[], dialect: SqlDialect): MigrationScript[] {
  return migrations.map((m) => ({
    version: m.version,
    name: m.name,
    statements: [...m.statements(dialect)],
  }));
}
