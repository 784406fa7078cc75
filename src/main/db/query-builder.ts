import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type CompiledQuery,
  type Dialect,
  type Insertable,
  type KyselyPlugin,
  type UnknownRow,
} from 'kysely';
import type { SqlDialect, SqlValue, Statement, Store, StoreReader } from '../store/types';
import type { DmpDatabase } from './database';

/**
 * Kysely here only BUILDS and COMPILES queries; our `Store` executes them (the sql.js worker and its
 * journal, or the PostgreSQL store). Hence a driver that never connects: a query sent to Kysely's own
 * executor fails instead of bypassing the store.
 */
function compileOnly(dialect: SqlDialect): Dialect {
  return dialect === 'sqlite'
    ? {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      }
    : {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      };
}

export type QueryBuilder = Kysely<DmpDatabase>;

export interface QueryBuilderOptions {
  /** Applied to every query compiled (`transformQuery`) and, through `DmpSql.rows`, to rows read. */
  plugins?: readonly KyselyPlugin[] | undefined;
}

export function queryBuilder(dialect: SqlDialect, options: QueryBuilderOptions = {}): QueryBuilder {
  return new Kysely<DmpDatabase>({ dialect: compileOnly(dialect), plugins: [...(options.plugins ?? [])] });
}

function isSqlValue(value: unknown): value is SqlValue {
  return (
    value === null ||
    typeof value === 'string' ||
    value instanceof Uint8Array ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function sqlValue(value: unknown, index: number, sql: string): SqlValue {
  if (isSqlValue(value)) return value;
  // A programming error (a boolean, a Date, undefined inside an array…): refuse before the store does.
  throw new TypeError(`query parameter ${index} is not string, number, null or bytes: ${sql}`);
}

/** A compiled query as our store's statement. */
export function toStatement(compiled: CompiledQuery): Statement {
  return { sql: compiled.sql, params: compiled.parameters.map((v, i) => sqlValue(v, i, compiled.sql)) };
}

/**
 * The DMP's queries for one store: the builder (compiling for the store's dialect, with its plugins)
 * and the two ways a query reaches the store, as rows read or as a statement of a write.
 */
export class DmpSql {
  readonly db: QueryBuilder;
  private readonly plugins: readonly KyselyPlugin[];
  /** SQL of single-row inserts by table and column list (see `insert`). */
  private readonly insertSql = new Map<string, string>();

  constructor(
    readonly dialect: SqlDialect,
    options: QueryBuilderOptions = {},
  ) {
    this.plugins = [...(options.plugins ?? [])];
    this.db = queryBuilder(dialect, { plugins: this.plugins });
  }

  /**
   * The rows of a query built with `this.db`, read through `reader` (the store, or the inside of a
   * transaction), each plugin's `transformResult` applied as Kysely's own executor would.
   */
  async rows<O>(reader: StoreReader, query: Compilable<O>): Promise<O[]> {
    const compiled = query.compile();
    const { sql, params } = toStatement(compiled);
    let result = { rows: await reader.all<UnknownRow>(sql, params) };
    for (const plugin of this.plugins)
      result = await plugin.transformResult({ queryId: compiled.queryId, result });
    // The one place a row is trusted to have the query's shape: the schema types say what it holds.
    return result.rows as O[];
  }

  /** The first row, or null. */
  async first<O>(reader: StoreReader, query: Compilable<O>): Promise<O | null> {
    return (await this.rows(reader, query))[0] ?? null;
  }

  /** A query of a write (insert, update, delete), for `Store.write` / `transaction`. */
  statement(query: Compilable<unknown>): Statement {
    return toStatement(query.compile());
  }

  /**
   * `insertInto(table).values(row)` as a statement. Bulk writes (population generator, imports) insert
   * thousands of rows of a few shapes: the SQL of each shape is compiled once and reused, its
   * parameters being the row's values in column order, as Kysely binds them. When a plugin may rewrite
   * queries (sealing values), or a value is an expression, every row is compiled as usual.
   */
  insert<T extends keyof DmpDatabase & string>(table: T, row: Insertable<DmpDatabase[T]>): Statement {
    const entries = Object.entries(row).filter(([, v]) => v !== undefined);
    if (this.plugins.length > 0 || !entries.every(([, v]) => isSqlValue(v)))
      return this.statement(this.db.insertInto(table).values(row));
    const shape = `${table}(${entries.map(([c]) => c).join(',')})`;
    let sql = this.insertSql.get(shape);
    if (sql === undefined) {
      sql = this.statement(this.db.insertInto(table).values(row)).sql;
      this.insertSql.set(shape, sql);
    }
    return { sql, params: entries.map(([, v]) => v as SqlValue) };
  }

  /**
   * Rows of one table as multi-row INSERTs, in order, each of at most `maxParams` parameters (SQLite
   * and PostgreSQL cap the parameters of one statement: 32 766 and 65 535). One statement per chunk
   * instead of one per row: a deposit's sections and clinical entries reach the database in a few
   * round trips and are compiled (and sealed, on the host) a few times instead of once per row.
   * Every row must give the same columns (`null` for an absent value).
   */
  insertRows<T extends keyof DmpDatabase & string>(
    table: T,
    rows: readonly Insertable<DmpDatabase[T]>[],
    maxParams = 8_000,
  ): Statement[] {
    const first = rows[0];
    if (!first) return [];
    const columns = Object.keys(first).join(',');
    for (const row of rows)
      // Kysely would give a row missing a column (or holding undefined) DEFAULT, which SQLite's VALUES refuses.
      if (Object.keys(row).join(',') !== columns || Object.values(row).includes(undefined))
        throw new TypeError(`insertRows(${table}): every row must give every column, in the same order`);
    const perStatement = Math.max(1, Math.floor(maxParams / Object.keys(first).length));
    const statements: Statement[] = [];
    for (let start = 0; start < rows.length; start += perStatement)
      statements.push(
        this.statement(
          this.db
            .insertInto(table)
            .values(rows.slice(start, start + perStatement) as Insertable<DmpDatabase[T]>[]),
        ),
      );
    return statements;
  }
}

const perStore = new WeakMap<object, DmpSql>();

/** The queries for this store (one builder per store, built with the store's dialect and plugins). */
export function sqlFor(store: Pick<Store, 'dialect' | 'queryPlugins'>): DmpSql {
  let sql = perStore.get(store);
  if (!sql) {
    sql = new DmpSql(store.dialect, { plugins: store.queryPlugins });
    perStore.set(store, sql);
  }
  return sql;
}
