import type { Compilable } from 'kysely';
import type { Migration, SqlDialect } from '../store/types';
import { queryBuilder, type QueryBuilder } from './query-builder';

/** One step of a migration: a Kysely schema/query builder, or DDL a dialect needs said its own way (src/main/db/dialect.ts). */
export type MigrationStep = Compilable<unknown> | string;

/**
 * A migration written once: `build` gets a builder for the dialect asked for, and its steps are
 * compiled to SQL for that dialect. DDL has no parameters (defaults are compiled as literals).
 */
export function migration(
  version: number,
  name: string,
  build: (db: QueryBuilder, dialect: SqlDialect) => MigrationStep[],
): Migration {
  return {
    version,
    name,
    statements: (dialect) =>
      build(queryBuilder(dialect), dialect).map((step) => {
        if (typeof step === 'string') return step;
        const compiled = step.compile();
        if (compiled.parameters.length > 0)
          throw new TypeError(`migration ${version} (${name}): a step has parameters: ${compiled.sql}`);
        return compiled.sql;
      }),
  };
}
