import type { Logger } from '../log/logger';
import type { Store } from '../store/types';
import { DmpService } from '../dmp/dmp-service';
import { dmpMigrations } from '../dmp/migrations';
import { openStore } from '../store';
import { resolveStoreKey } from '../app/store-key';
import { dataLayout } from '../app/paths';

/** Opens the DMP service on a data folder for a headless command (initialised on first use). */
export async function openDmpForCli(
  dataDir: string,
  log: Logger,
): Promise<{ service: DmpService; store: Store; close(): Promise<void> }> {
  const layout = dataLayout(dataDir);
  const key = await resolveStoreKey({ kind: 'file', path: layout.keyFile }, log);
  for (const warning of key.warnings) process.stderr.write(`Attention : ${warning}\n`);
  const store = await openStore({
    dir: layout.storeDir,
    key: key.key,
    migrations: dmpMigrations,
    log: log.child('store'),
  });
  return { service: new DmpService({ store, log: log.child('dmp') }), store, close: () => store.close() };
}
