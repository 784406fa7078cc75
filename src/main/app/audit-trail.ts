import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deriveAuditKeys, exportAuditPublicKey, type AuditKeys } from '../audit/audit-keys';
import { CheckpointLog } from '../audit/checkpoints';
import type { Logger } from '../log/logger';
import { writeFileDurably } from '../store/durable-fs';
import { dataLayout } from './paths';
import { resolveStoreKey, type KeySource } from './store-key';

/**
 * The audit secret is stored like the store key but in a file of its own: a 0600 `audit.key` in
 * the data folder when the store key is a plain file, `audit-key.wrapped` (same OS keyring) next to
 * the wrapped store key in the desktop app. Losing one key never exposes the other.
 */
export function auditKeySource(storeKey: KeySource, dataDir: string): KeySource {
  if (storeKey.kind === 'file') return { kind: 'file', path: dataLayout(dataDir).auditKeyFile };
  return { ...storeKey, path: join(dirname(storeKey.path), 'audit-key.wrapped') };
}

export interface AuditTrailSetup {
  keys: AuditKeys;
  checkpoints: CheckpointLog;
  warnings: string[];
}

/** Loads (or creates) the audit secret, writes the public checkpoint key, opens the checkpoint log. */
export async function openAuditTrail(
  source: KeySource,
  dataDir: string,
  log: Logger,
): Promise<AuditTrailSetup> {
  const layout = dataLayout(dataDir);
  // Created on first use like the store key; a lost audit key is not replaced silently for the old
  // entries: they stop verifying, which `audit verify` reports.
  const secret = await resolveStoreKey(source, log.child('audit-key'), { mayCreate: true });
  const keys = deriveAuditKeys(secret.key.key);
  secret.key.key.fill(0);
  const pem = exportAuditPublicKey(keys);
  if (!existsSync(layout.auditPublicKeyFile) || readFileSync(layout.auditPublicKeyFile, 'utf8') !== pem) {
    // Public: an auditor verifies exported checkpoints with it.
    writeFileDurably(layout.auditPublicKeyFile, Buffer.from(pem, 'utf8'));
  }
  const checkpoints = new CheckpointLog(layout.auditCheckpointsFile, keys, {
    onError: (err) =>
      log.error('audit checkpoint not written', { detail: err instanceof Error ? err.message : String(err) }),
  });
  return { keys, checkpoints, warnings: secret.warnings };
}
