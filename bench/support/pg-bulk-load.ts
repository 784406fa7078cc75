import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  fieldKeyFingerprint,
  fieldSealer,
  sealedColumns,
  type FieldSealer,
} from '../../src/main/store/pg/field-sealing';
import { sealingMarkerStatement } from '../../src/main/store/pg/sealing-marker';
import {
  populationTables,
  type PopulationRow,
  type PopulationTable,
} from '../../src/main/population/write-population';

/**
 * Bulk-loads population rows (`populationRows`) into a migrated DMP schema with COPY: the same rows
 * `writePopulation` writes through the store, sealed columns encrypted with the host's field key by
 * the store's own sealer (field-sealing.ts), each bound to its row's key, and the database marked as
 * sealed with that key (sealing-marker.ts), so a host started on it reads them as its own.
 *
 * Rows are buffered per table and sent in chunks, every table of a chunk in `populationTables` order
 * (parents before children: the foreign keys hold at every step). Secondary indexes of those tables
 * are dropped first and rebuilt from their own definitions at the end (`pg_indexes.indexdef`), which
 * is how a restore loads; primary keys and unique constraints stay, so a duplicate still fails.
 */
export interface BulkLoadOptions {
  /** A connection to the database (its `search_path` naming the DMP schema, if not `public`). */
  connection: pg.ClientConfig;
  fieldKey: Uint8Array;
  rows: Iterable<PopulationRow[]>;
  /** Text buffered before a chunk is sent (default 16 MB). */
  chunkBytes?: number;
  /** Keep the secondary indexes during the load (small loads, tests). */
  keepIndexes?: boolean;
  onProgress?: (counts: Record<PopulationTable, number>) => void;
}

export interface BulkLoadResult {
  counts: Record<PopulationTable, number>;
  loadMs: number;
  indexMs: number;
}

export async function bulkLoadPopulation(options: BulkLoadOptions): Promise<BulkLoadResult> {
  const client = new pg.Client(options.connection);
  await client.connect();
  try {
    const started = performance.now();
    const marker = await client.query<{ key_fingerprint: string }>(
      'SELECT key_fingerprint FROM field_sealing WHERE id = 1',
    );
    const fingerprint = fieldKeyFingerprint(options.fieldKey);
    if (marker.rows[0] && marker.rows[0].key_fingerprint !== fingerprint)
      throw new Error('bulk load: the database is sealed with another field key');
    const indexes = options.keepIndexes ? [] : await dropSecondaryIndexes(client);
    const counts = await copyRows(client, options);
    const loaded = performance.now();
    // Sealed with the host's key, as a host starting on it checks (sealing-marker.ts).
    if (!marker.rows[0]) {
      const { sql, params } = sealingMarkerStatement(options.fieldKey);
      await client.query(sql, params as unknown[]);
    }
    for (const index of indexes) await client.query(index);
    // The planner needs statistics for a million rows loaded behind its back.
    await client.query(`ANALYZE ${populationTables.join(', ')}`);
    return { counts, loadMs: loaded - started, indexMs: performance.now() - loaded };
  } finally {
    await client.end();
  }
}

/** Drops the population tables' indexes that back no constraint; returns their CREATE INDEX statements. */
async function dropSecondaryIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    [populationTables],
  );
  for (const { indexname } of rows) await client.query(`DROP INDEX ${pg.escapeIdentifier(indexname)}`);
  return rows.map((r) => r.indexdef);
}

async function copyRows(
  client: pg.Client,
  options: BulkLoadOptions,
): Promise<Record<PopulationTable, number>> {
  const sealer = fieldSealer(options.fieldKey);
  const chunkBytes = options.chunkBytes ?? 16 * 1024 * 1024;
  const counts = Object.fromEntries(populationTables.map((t) => [t, 0])) as Record<PopulationTable, number>;
  const columns = new Map<PopulationTable, string[]>();
  const buffers = new Map<PopulationTable, string[]>(populationTables.map((t) => [t, []]));
  let buffered = 0;
  let inFlight: Promise<void> = Promise.resolve();

  const send = async (): Promise<void> => {
    const chunk = populationTables.flatMap((table) => {
      const lines = buffers.get(table)!;
      buffers.set(table, []);
      return lines.length > 0 ? [{ table, lines }] : [];
    });
    buffered = 0;
    // One COPY at a time on the connection; the next chunk is built while this one is sent.
    await inFlight;
    inFlight = (async () => {
      for (const { table, lines } of chunk) {
        const list = columns
          .get(table)!
          .map((c) => pg.escapeIdentifier(c))
          .join(', ');
        await pipeline(
          Readable.from([lines.join('')]),
          client.query(copyFrom(`COPY ${pg.escapeIdentifier(table)} (${list}) FROM STDIN`)),
        );
      }
      options.onProgress?.({ ...counts });
    })();
    // Let the socket drain while the next chunk is generated.
    inFlight.catch(() => undefined);
  };

  let sinceYield = 0;
  for (const household of options.rows) {
    for (const { table, row } of household) {
      const record = row as Record<string, unknown>;
      let names = columns.get(table);
      if (!names) {
        names = Object.keys(record);
        columns.set(table, names);
      }
      const line = copyLine(table, names, record, sealer);
      buffers.get(table)!.push(line);
      buffered += line.length;
      counts[table]++;
    }
    if (buffered >= chunkBytes) await send();
    if (++sinceYield >= 500) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await send();
  await inFlight;
  return counts;
}

/** One row in COPY's text format, sealed columns sealed with the row's key; a row whose columns differ from the table's first is refused. */
function copyLine(
  table: string,
  names: readonly string[],
  row: Record<string, unknown>,
  sealer: FieldSealer,
): string {
  if (Object.keys(row).length !== names.length)
    throw new Error(`${table}: rows with different columns (${Object.keys(row).join(', ')})`);
  const spec = sealedColumns[table];
  const rowKey = spec?.key.map((k) => row[k]) ?? [];
  return `${names
    .map((name) => {
      if (!(name in row)) throw new Error(`${table}: a row lacks ${name}`);
      const value = spec?.columns.includes(name) ? sealer.seal(table, name, rowKey, row[name]) : row[name];
      return copyValue(table, name, value);
    })
    .join('\t')}\n`;
}

function copyValue(table: string, column: string, value: unknown): string {
  if (value === null) return '\\N';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, escapeChar);
  // bytea in hex; its leading backslash is itself escaped in the text format.
  if (value instanceof Uint8Array)
    return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  throw new TypeError(`${table}.${column}: cannot COPY a ${typeof value}`);
}

function escapeChar(c: string): string {
  return c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r';
}
