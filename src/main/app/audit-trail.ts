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

/**
 * Loads (or, for a folder that never had one, creates) the audit secret, writes the public
 * checkpoint key, opens the checkpoint log. Call under the data-folder lock (`claimDataFolder`).
 */
export async function openAuditTrail(
  source: KeySource,
  dataDir: string,
  log: Logger,
): Promise<AuditTrailSetup> {
  const layout = dataLayout(dataDir);
  // The checkpoint file is written with this secret at every start: once it exists, a missing key is
  // a lost key. A new one would sign on as if nothing happened while every earlier entry stops
  // verifying, so the start is refused and the file named instead (KEY_MISSING, subject audit-key).
  // Without a checkpoint file — a new folder, or one from before the audit secret existed — the key
  // is created (exclusively) as the store key is.
  const secret = await resolveStoreKey(source, log.child('audit-key'), {
    mayCreate: !existsSync(layout.auditCheckpointsFile),
    subject: 'audit-key',
  });
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
