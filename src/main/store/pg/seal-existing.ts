import pg from 'pg';
import type { Logger } from '../../log/logger';
import { StoreError } from '../errors';
import type { Migration } from '../types';
import { fieldSealer, sealedColumns } from './field-sealing';
import { openPgStore, writeLockClass, writeLockSql } from './pg-store';
import { pgParams, sqlValueTypes } from './pg-values';
import { sealingMarkerStatement } from './sealing-marker';

export interface SealExistingOptions {
  connection: string | pg.PoolConfig;
  migrations: Migration[];
  fieldKey: Uint8Array;
  log: Logger;
  /** Rows re-sealed per transaction (default 500). */
  batchSize?: number;
  /** After each committed batch. */
  onBatch?: (progress: { table: string; rows: number }) => void;
}

export interface SealExistingResult {
  /** The database was already marked as sealed with this key (or was empty): nothing was changed. */
  alreadySealed: boolean;
  /** Rows re-sealed, per table. */
  converted: Record<string, number>;
}

/**
 * `seal-existing`: re-seals, in place, the values a database holds from before it was sealed — clear
 * text (written without a field key) and version 1 values (bound to their column, not their row) —
 * into the current format, then marks the database as sealed with this key (sealing-marker.ts).
 *
 * In batches of one transaction each, under the DMP's write lock: a kill loses at most the batch in
 * flight, and running it again carries on (rows already in the current format are not selected).
 * The marker is written last, in a transaction that first checks no row is left, so a host never
 * starts on a half-converted database. On a database already marked it changes nothing: converting
 * clear values then would make values written behind the hosts' backs pass for authentic.
 */
export async function sealExistingValues(options: SealExistingOptions): Promise<SealExistingResult> {
  const { log, fieldKey } = options;
  try {
    // Applies the migrations (the marker table) and says whether there is anything to do.
    const store = await openPgStore({
      connection: options.connection,
      log,
      migrations: options.migrations,
      fieldKey,
    });
    await store.close();
    return { alreadySealed: true, converted: {} };
  } catch (err) {
    if (!(err instanceof StoreError && err.reason === 'NOT_SEALED')) throw err;
  }
  const base: pg.ClientConfig =
    typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection;
  const client = new pg.Client({ ...base, types: sqlValueTypes });
  await client.connect();
  const sealer = fieldSealer(fieldKey);
  const batchSize = options.batchSize ?? 500;
  const converted: Record<string, number> = {};
  const inWriteLock = async <T>(work: () => Promise<T>): Promise<T> => {
    await client.query('BEGIN READ WRITE');
    try {
      await client.query(writeLockSql, [writeLockClass]);
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
  try {
    const tables = await pendingFilters(client);
    // Rounds until the final check finds nothing left (a host of an older version still writing would add rows).
    for (;;) {
      for (const { table, filter } of tables) {
        for (;;) {
          const rows = await inWriteLock(() => sealBatch(client, sealer, table, filter, batchSize));
          if (rows === 0) break;
          converted[table] = (converted[table] ?? 0) + rows;
          log.info('seal-existing batch committed', { table, rows });
          options.onBatch?.({ table, rows });
        }
      }
      const done = await inWriteLock(async () => {
        for (const { table, filter } of tables)
          if ((await client.query(`SELECT 1 FROM ${table} WHERE ${filter} LIMIT 1`)).rows.length > 0)
            return false;
        if ((await client.query('SELECT 1 FROM field_sealing WHERE id = 1')).rows.length === 0) {
          const { sql, params } = sealingMarkerStatement(fieldKey);
          await client.query(sql, params as unknown[]);
        }
        return true;
      });
      if (done) break;
    }
    log.info('database sealed with this field key', {
      rows: Object.values(converted).reduce((a, b) => a + b, 0),
    });
    return { alreadySealed: false, converted };
  } finally {
    await client.end();
  }
}

/** Per table holding sealed columns, a WHERE selecting the rows with a value not in the current format. */
async function pendingFilters(client: pg.Client): Promise<{ table: string; filter: string }[]> {
  const out: { table: string; filter: string }[] = [];
  for (const [table, spec] of Object.entries(sealedColumns)) {
    const { rows } = await client.query<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1`,
      [table],
    );
    if (rows.length === 0) continue;
    const types = new Map(rows.map((r) => [r.name, r.type]));
    const pending = spec.columns
      .filter((c) => types.has(c))
      .map((c) =>
        types.get(c) === 'bytea'
          ? `(${c} IS NOT NULL AND substring(${c} from 1 for 5) <> '\\x00454e4332'::bytea)`
          : `(${c} IS NOT NULL AND ${c} NOT LIKE 'enc:v2:%')`,
      );
    if (pending.length > 0) out.push({ table, filter: pending.join(' OR ') });
  }
  return out;
}

/** Re-seals one batch of `table`'s pending rows; returns how many. */
async function sealBatch(
  client: pg.Client,
  sealer: ReturnType<typeof fieldSealer>,
  table: string,
  filter: string,
  batchSize: number,
): Promise<number> {
  const spec = sealedColumns[table]!;
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${[...spec.key, ...spec.columns].join(', ')} FROM ${table} WHERE ${filter}
      ORDER BY ${spec.key.join(', ')} LIMIT ${batchSize} FOR UPDATE`,
  );
  if (rows.length === 0) return 0;
  // The audit trail is append-only by trigger; its entries' hashes cover the reasons in clear, so
  // re-sealing a reason changes no hash. The trigger is off only inside this transaction.
  const appendOnly = table === 'audit_log';
  if (appendOnly) await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
  for (const row of rows) {
    const rowKey = spec.key.map((k) => row[k]);
    const set = spec.columns.filter((c) => !sealer.isCurrent(row[c]));
    const values = set.map((c) => sealer.seal(table, c, rowKey, sealer.openLegacy(table, c, row[c])));
    await client.query(
      `UPDATE ${table} SET ${set.map((c, i) => `${c} = $${i + 1}`).join(', ')}
        WHERE ${spec.key.map((k, i) => `${k} = $${set.length + i + 1}`).join(' AND ')}`,
      pgParams([...values, ...rowKey] as Parameters<typeof pgParams>[0]),
    );
  }
  if (appendOnly) await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
  return rows.length;
}
