import type { StoreReader } from '../types';
import { holdsSealableRows, readSealingMarker } from './sealing-marker';

/**
 * Whether a DMP database already holds something a key was used for, and what (a table name, for the
 * log), else null: the sealing marker (the field key's fingerprint), the audit trail (its key's
 * marker, entries or its head: HMACs under the audit key), or a row of any table with sealed columns (dossiers, documents,
 * identity reference…). A host creates its key files only for a database answering null (issue 13,
 * with the embedded store's rule of issue 12): a new key beside such data could never read or verify
 * it, and would hide a lost key file behind "wrong key" or "audit chain altered". Tables not created
 * yet count as empty (a database before its first migration).
 */
export async function heldData(reader: StoreReader): Promise<string | null> {
  if (await readSealingMarker(reader)) return 'field_sealing';
  for (const table of ['audit_key_marker', 'audit_head', 'audit_log']) {
    const [exists] = await reader.all<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    if (exists?.t && (await reader.all(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0) return table;
  }
  return holdsSealableRows(reader);
}
