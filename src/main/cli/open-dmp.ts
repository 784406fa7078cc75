import type { Logger } from '../log/logger';
import type { Store } from '../store/types';
import { DmpService } from '../dmp/dmp-service';
import { dmpMigrations } from '../dmp/migrations';
import { openStore } from '../store';
import { resolveStoreKey } from '../app/store-key';
import { dataLayout } from '../app/paths';
import { auditKeySource, openAuditTrail } from '../app/audit-trail';

/** Opens the DMP service on a data folder for a headless command (initialised on first use). */
export async function openDmpForCli(
  dataDir: string,
  log: Logger,
): Promise<{ service: DmpService; store: Store; close(): Promise<void> }> {
  const layout = dataLayout(dataDir);
  const key = await resolveStoreKey({ kind: 'file', path: layout.keyFile }, log);
  for (const warning of key.warnings) process.stderr.write(`Attention : ${warning}\n`);
  // Entries the CLI writes (imports, traced reads) are authenticated and checkpointed like the app's.
  const audit = await openAuditTrail(
    auditKeySource({ kind: 'file', path: layout.keyFile }, dataDir),
    dataDir,
    log,
  );
  const store = await openStore({
    dir: layout.storeDir,
    key: key.key,
    migrations: dmpMigrations,
    log: log.child('store'),
  });
  return {
    service: new DmpService({
      store,
      log: log.child('dmp'),
      audit: { keys: audit.keys, witness: audit.checkpoints },
    }),
    store,
    async close() {
      await audit.checkpoints.flush();
      await store.close();
    },
  };
}
