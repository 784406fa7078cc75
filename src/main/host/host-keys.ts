import { existsSync } from 'node:fs';
import type pg from 'pg';
import { resolveStoreKey } from '../app/store-key';
import type { Logger } from '../log/logger';
import { loadOrCreateKeyFile, type StoreKey } from '../store/key';
import { heldData } from '../store/pg/held-data';
import { readSealingMarker } from '../store/pg/sealing-marker';
import { withDatabaseWriteLock } from '../store/pg/pg-store';

export interface HostKeyFiles {
  auditKeyFile: string;
  fieldKeyFile: string;
}

/**
 * The PostgreSQL host's two keys, from their 0600 files. The rule is the embedded store's (issue 12,
 * src/main/app/data-folder.ts): a key is created only for a database that holds nothing yet
 * (held-data.ts); beside existing data a missing file refuses the start with `KEY_MISSING` naming it
 * (« Fichier de clé introuvable : <chemin> »), and nothing is created. The database's write lock plays
 * the part of the data-folder lock: the check and the creation happen while holding it, and each
 * file is created exclusively (O_EXCL, store/key.ts), so hosts starting together beside one pair of
 * files end with one key each — the second reads the file the first created.
 */
export async function resolveHostKeys(
  connection: string | pg.PoolConfig,
  files: HostKeyFiles,
  log: Logger,
): Promise<{ audit: StoreKey; field: StoreKey; warnings: string[] }> {
  const read = async (mayCreate: boolean) => {
    const audit = await resolveStoreKey({ kind: 'file', path: files.auditKeyFile }, log.child('audit-key'), {
      mayCreate,
      subject: 'audit-key',
    });
    const field = await resolveStoreKey({ kind: 'file', path: files.fieldKeyFile }, log.child('field-key'), {
      mayCreate,
    });
    return { audit: audit.key, field: field.key, warnings: [...audit.warnings, ...field.warnings] };
  };
  // Both present: the usual start, no extra round trip to the database.
  if (existsSync(files.auditKeyFile) && existsSync(files.fieldKeyFile)) return read(false);
  return withDatabaseWriteLock(connection, async (reader) => {
    const holding = await heldData(reader);
    if (holding)
      log.error('key file missing beside a database holding data: none created', { table: holding });
    else log.info('new empty database: missing key files are created');
    return read(holding === null);
  });
}

/**
 * The field key `seal-existing` seals with. A database that no key has sealed yet (no sealing
 * marker: created in clear by an earlier build) is where a deployment first binds a field key, so
 * here — and only here, beside existing data — a missing field key file is created (exclusively,
 * under the database's write lock). Beside a sealed database a missing file is refused as at start.
 * `created` tells the caller to remove the file again if sealing fails before any value was sealed
 * with it (values in the old format sealed with another key cannot be converted with a new one);
 * once a batch committed, the file must stay: those values open with it alone.
 */
export async function fieldKeyForSealing(
  connection: string | pg.PoolConfig,
  path: string,
  log: Logger,
): Promise<{ key: StoreKey; created: boolean }> {
  if (existsSync(path))
    return { key: loadOrCreateKeyFile(path, log, { mayCreate: false }).key, created: false };
  return withDatabaseWriteLock(connection, async (reader) => {
    const sealed = (await readSealingMarker(reader)) ?? null;
    if (sealed) log.error('field key file missing beside a sealed database: none created');
    // `created` from the exclusive create itself: a file another process made meanwhile is not ours to remove.
    const { key, created } = loadOrCreateKeyFile(path, log, { mayCreate: !sealed });
    return { key, created };
  });
}
