import type { Migration, MigrationScript, MigrationSource, SqlDialect } from './types';

/** The migrations as one engine applies them: resolved for its dialect, plain data (structured-clone safe). */
export function migrationScripts(migrations: readonly Migration[], dialect: SqlDialect): MigrationScript[] {
  return migrations.map((m) => ({
    version: m.version,
    name: m.name,
    statements: [...m.statements(dialect)],
  }));
}

/** `migrations` as an engine in this thread takes them: each one's SQL resolved when asked for. */
export function migrationSource(migrations: readonly Migration[], dialect: SqlDialect): MigrationSource {
  return {
    headings: migrations.map(({ version, name }) => ({ version, name })),
    // A migration that cannot be compiled rejects, as the store worker's answer would.
    scripts: (versions) =>
      new Promise((resolve) =>
        resolve(
          migrationScripts(
            migrations.filter((m) => versions.includes(m.version)),
            dialect,
          ),
        ),
      ),
  };
}
