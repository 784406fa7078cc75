import type { Logger } from '../log/logger';
import { StoreError } from '../store/errors';
import type { Statement, StoreReader } from '../store/types';
import { auditKeyFingerprint, auditMacMatches, type AuditKeys } from './audit-keys';

/**
 * Every host writing one shared database's audit chain must use the same audit key (issue 13): an
 * entry MACed under another key verifies with no one's, and was only noticed by a later `audit
 * verify`. So the database keeps the key's fingerprint (`audit_key_marker`, migration 11; an HMAC of
 * a fixed label, audit-keys.ts) and a host whose key differs does not start — as the field key's
 * marker (store/pg/sealing-marker.ts), and checked right after it in the same transaction, under
 * the DMP's write lock (`checksAtOpen` of pg-store.ts): hosts starting together on a fresh database
 * record one marker, and a refused host leaves nothing written.
 *
 * Without a marker — a new database, or one from before migration 11 — the marker is recorded only
 * when the chain agrees with this key: its FIRST and its LAST entry carrying a MAC both verify (or
 * no entry carries one yet: no key has signed this chain, it binds now as on a new database). The
 * first names the key the deployment started with, the last the one it writes with now; checking
 * both keeps a host that joined with another key (the very mistake of issue 13, made before this
 * check existed) from binding its key when it happens to have written the last entry. A chain that
 * already mixes keys thus refuses every host: which key is the deployment's is the administrator's
 * decision (docs/host.md, « Keys »). Reading the two ends is bounded; the whole chain is checked
 * after the start (open-postgres.ts, `auditCheck`).
 */

interface MacedEntry {
  seq: number;
  hash: string;
  mac: string;
}

/** The statement recording this key as the database's audit key. */
export function auditKeyMarkerStatement(keys: AuditKeys, now: Date = new Date()): Statement {
  return {
    sql: 'INSERT INTO audit_key_marker (id, key_fingerprint, recorded_at) VALUES (1, $1, $2)',
    params: [auditKeyFingerprint(keys), now.toISOString()],
  };
}

/**
 * Checks the migrated PostgreSQL database against this host's audit key, read through `tx` inside
 * the transaction holding the write lock. Returns the statement recording the marker when there is
 * none and the chain agrees, or refuses with `WRONG_KEY` (subject `audit-key`, `path` the key file).
 */
export async function checkAuditKeyMarker(
  tx: StoreReader,
  keys: AuditKeys,
  keyFile: string,
  log: Logger,
): Promise<Statement[]> {
  const [exists] = await tx.all<{ t: string | null }>("SELECT to_regclass('audit_key_marker')::text AS t");
  if (!exists?.t)
    throw new StoreError('MIGRATION_FAILED', 'the schema has no audit_key_marker table (migration 11)');
  const fingerprint = auditKeyFingerprint(keys);
  const refuse = (detail: string): StoreError =>
    new StoreError('WRONG_KEY', detail, { subject: 'audit-key', path: keyFile });
  const [marker] = await tx.all<{ key_fingerprint: string }>(
    'SELECT key_fingerprint FROM audit_key_marker WHERE id = 1',
  );
  if (marker) {
    if (marker.key_fingerprint === fingerprint) return [];
    // Fingerprints are public by design: the log may say which differ (never the key file's content).
    log.error('audit key differs from the one recorded in the database', {
      databaseKeyFingerprint: marker.key_fingerprint.slice(0, 16),
      configuredKeyFingerprint: fingerprint.slice(0, 16),
    });
    throw refuse('audit key fingerprint differs from the database audit_key_marker');
  }
  const ends = [
    ...(await tx.all<MacedEntry>(
      'SELECT seq, hash, mac FROM audit_log WHERE mac IS NOT NULL ORDER BY seq ASC LIMIT 1',
    )),
    ...(await tx.all<MacedEntry>(
      'SELECT seq, hash, mac FROM audit_log WHERE mac IS NOT NULL ORDER BY seq DESC LIMIT 1',
    )),
  ];
  const foreign = ends.find((e) => !auditMacMatches(keys, e.hash, e.mac));
  if (foreign) {
    // The full fingerprint: with it the administrator can record the deployment's key by hand (docs/host.md).
    log.error('no audit key marker yet, and the audit chain holds an entry this key did not authenticate', {
      seq: foreign.seq,
      end: foreign === ends[0] ? 'first' : 'last',
      configuredKeyFingerprint: fingerprint,
    });
    throw refuse(`no audit_key_marker, and audit entry ${foreign.seq} does not verify with this audit key`);
  }
  log.info('audit key recorded in the database (audit_key_marker)', {
    checkedEntries: ends.length,
    keyFingerprint: fingerprint.slice(0, 16),
  });
  return [auditKeyMarkerStatement(keys)];
}
