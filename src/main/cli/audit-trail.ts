import { existsSync, readFileSync } from 'node:fs';
import { dataLayout } from '../app/paths';
import { AuditLog } from '../audit/audit-log';
import { deriveAuditKeys, exportAuditPublicKey } from '../audit/audit-keys';
import { readCheckpointFile } from '../audit/checkpoints';
import { assessAuditTrail, type AuditTrailReport } from '../audit/trail-report';
import { verifyAuditChain } from '../audit/verify';
import type { Logger } from '../log/logger';
import { openStore, readKeyFile } from '../store';

/**
 * `audit verify` on a data folder (browser host / CLI layout: `store/`, `store.key`, `audit.key`,
 * `audit-checkpoints.log`). The store is opened READ-ONLY — no lock file, no migration, no
 * compaction, no repair — so what is checked is exactly what is on disk, and checking changes nothing.
 * Throws `ApiError`s (French) when the folder cannot be read at all.
 */
export async function checkAuditTrail(dataDir: string, log: Logger): Promise<AuditTrailReport> {
  const layout = dataLayout(dataDir);
  const storeKey = readKeyFile(layout.keyFile);
  const secret = readKeyFile(layout.auditKeyFile);
  const keys = deriveAuditKeys(secret.key);
  secret.key.fill(0);
  const store = await openStore({
    dir: layout.storeDir,
    key: storeKey,
    migrations: [],
    log: log.child('store'),
    readOnly: true,
  });
  storeKey.key.fill(0);
  try {
    const audit = await AuditLog.open(store, { keys });
    const entries = await audit.entries();
    const verdict = verifyAuditChain(entries, await audit.storedHead(), keys);
    const checkpoints = readCheckpointFile(layout.auditCheckpointsFile, keys.publicKey);
    const report = assessAuditTrail({ verdict, entries, checkpoints, recovery: store.recovery });
    log.info('audit verified', {
      ok: report.ok,
      entries: entries.length,
      checkpoints: checkpoints.checkpoints.length,
      failures: report.failures.length,
    });
    return report;
  } finally {
    await store.close();
  }
}

/**
 * `audit export-checkpoints`: the signed checkpoints with the public key that verifies them, as one
 * JSON document an administrator keeps somewhere the workstation cannot rewrite.
 */
export function exportCheckpoints(dataDir: string): string {
  const layout = dataLayout(dataDir);
  const publicKey = existsSync(layout.auditPublicKeyFile)
    ? readFileSync(layout.auditPublicKeyFile, 'utf8')
    : exportAuditPublicKey(deriveAuditKeys(readKeyFile(layout.auditKeyFile).key));
  const lines = existsSync(layout.auditCheckpointsFile)
    ? readFileSync(layout.auditCheckpointsFile, 'utf8').split('\n')
    : [];
  const checkpoints = lines.slice(0, -1).flatMap((line) => {
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
  return JSON.stringify(
    { format: 'poste-dmp-audit-checkpoints', version: 1, publicKey, checkpoints },
    null,
    2,
  );
}
