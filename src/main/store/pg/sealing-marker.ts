import { sql } from 'kysely';
import { migration } from '../../db/migration';
import type { Logger } from '../../log/logger';
import { StoreError } from '../errors';
import type { Migration, Statement, StoreReader } from '../types';
import { fieldKeyFingerprint, sealedColumns } from './field-sealing';

/**
 * The database says whether its designated columns are sealed, and under which field key: one row
 * of `field_sealing` holding the key's fingerprint (an HMAC of a fixed label, field-sealing.ts), never
 * the key. A host starts only if its configuration agrees with it (fail closed, docs/host.md,
 * « Encryption at rest »): so a wrong key file, a missing one, or values written before sealing
 * (clear text, version 1) stop the start with a reason, instead of showing unreadable or
 * unauthenticated values later.
 */
const sqlIdIsOne = sql<boolean>`id = 1`;

export const fieldSealingMigrationName = 'field-sealing-marker';

export function fieldSealingMigration(version: number): Migration {
  return migration(version, fieldSealingMigrationName, (db) => [
    db.schema
      .createTable('field_sealing')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sqlIdIsOne))
      .addColumn('key_fingerprint', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('sealed_at', 'text', (c) => c.notNull()),
  ]);
}

/** The format the marker promises: every non-null value of a sealed column is `enc:v2:` / `\0ENC2`. */
export const sealedFormat = 'v2';

interface MarkerRow {
  key_fingerprint: string;
  format: string;
}

/** The marker, or null; `undefined` when the database has no `field_sealing` table (not a DMP schema). */
export async function readSealingMarker(reader: StoreReader): Promise<MarkerRow | null | undefined> {
  const [exists] = await reader.all<{ t: string | null }>("SELECT to_regclass('field_sealing')::text AS t");
  if (!exists?.t) return undefined;
  const [row] = await reader.all<MarkerRow>('SELECT key_fingerprint, format FROM field_sealing WHERE id = 1');
  return row ?? null;
}

/** The statement recording that every sealed column is sealed with this key. */
export function sealingMarkerStatement(fieldKey: Uint8Array, now: Date = new Date()): Statement {
  return {
    sql: 'INSERT INTO field_sealing (id, key_fingerprint, format, sealed_at) VALUES (1, $1, $2, $3)',
    params: [fieldKeyFingerprint(fieldKey), sealedFormat, now.toISOString()],
  };
}

/** Whether any table with sealed columns holds a row (values written before the marker). */
export async function holdsSealableRows(reader: StoreReader): Promise<string | null> {
  for (const table of Object.keys(sealedColumns)) {
    const [exists] = await reader.all<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    if (!exists?.t) continue;
    const rows = await reader.all(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length > 0) return table;
  }
  return null;
}

/**
 * Checks the migrated database against the host's field key, read through `tx` inside a transaction
 * that holds the DMP's write lock (hosts starting together on a fresh database write the marker
 * once). Returns the statements to run in that transaction (the marker of a fresh database), or
 * refuses:
 * - marked with this key: fine; marked with another, or marked while no key is configured: refused;
 * - not marked, with a key: an empty database gets the marker; one holding rows was written in clear
 *   or in version 1 and is refused until `seal-existing` has converted it;
 * - not marked, no key: a database in clear, as configured.
 */
export async function checkSealingMarker(
  tx: StoreReader,
  fieldKey: Uint8Array | undefined,
  log: Logger,
): Promise<Statement[]> {
  const fingerprint = fieldKey ? fieldKeyFingerprint(fieldKey) : null;
  const marker = await readSealingMarker(tx);
  if (marker === undefined) {
    if (!fieldKey) return [];
    throw new StoreError(
      'MIGRATION_FAILED',
      'field key configured but the schema has no field_sealing table',
    );
  }
  if (marker) {
    if (!fingerprint) {
      log.error('database is sealed but no field key is configured', { sealedFormat: marker.format });
      throw new StoreError(
        'KEY_MISSING',
        'database sealed (field_sealing marker) but no field key configured',
        {
          subject: 'field-key',
        },
      );
    }
    if (marker.key_fingerprint !== fingerprint) {
      // Fingerprints are public by design (an HMAC of a fixed label): the log may say which differ.
      log.error('field key differs from the one the database was sealed with', {
        databaseKeyFingerprint: marker.key_fingerprint.slice(0, 16),
        configuredKeyFingerprint: fingerprint.slice(0, 16),
      });
      throw new StoreError(
        'WRONG_KEY',
        'field key fingerprint differs from the database field_sealing marker',
        {
          subject: 'field-key',
        },
      );
    }
    if (marker.format !== sealedFormat)
      throw new StoreError(
        'TOO_NEW',
        `database sealed in format ${marker.format}, this build knows ${sealedFormat}`,
      );
    return [];
  }
  if (!fieldKey) return [];
  const holding = await holdsSealableRows(tx);
  if (holding) {
    log.error('database holds rows written before sealing (clear or version 1): run seal-existing', {
      table: holding,
    });
    throw new StoreError(
      'NOT_SEALED',
      `table ${holding} holds rows but the database has no field_sealing marker`,
      {
        subject: 'field-key',
      },
    );
  }
  log.info('fresh database marked as sealed with this field key');
  return [sealingMarkerStatement(fieldKey)];
}
