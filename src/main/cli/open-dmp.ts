import { createLogger, type Logger } from '../log/logger';
import { DmpService } from '../dmp/dmp-service';
import { dmpMigrations } from '../dmp/migrations';
import { openStore } from '../store/open-store';
import { checkDataFolder, claimDataFolder } from '../app/data-folder';
import { recoveryNoticeMessage } from '../app/user-messages';
import { dataLayout } from '../app/paths';
import { auditKeySource, openAuditTrail } from '../app/audit-trail';
import type { OpenedForCli, OpenRequest } from './cli-context';
import type { AuditLogOptions } from '../audit/audit-log';

/**
 * Opens the DMP service on a data folder for a headless command: the same data-folder lock and key
 * rules as the browser host. Warnings and recovery notices go to stderr: an administrator running
 * the command must see them. Nothing is created before the folder has been checked (read-only
 * commands never create one).
 */
export async function openDmpForCli(
  request: OpenRequest,
  stderr: (s: string) => void,
  /** The DMP host passes its own logger (one writer per log file); the CLI logs to the folder's. */
  log?: Logger,
): Promise<OpenedForCli & { audit: AuditLogOptions }> {
  checkDataFolder(request.dataDir, { mustExist: request.readOnly });
  const layout = dataLayout(request.dataDir);
  const folderLog = log ?? createLogger({ file: layout.logFile });
  const folder = await claimDataFolder(request.dataDir, {
    key: { kind: 'file', path: layout.keyFile },
    log: folderLog,
    mustExist: request.readOnly,
    ...(request.waitMs !== null
      ? {
          waitMs: request.waitMs,
          onWait: (holder) =>
            stderr(
              `Le dossier de données est utilisé par une autre instance${holder ? ` (processus ${holder.pid})` : ''} : ` +
                `attente de sa libération (au plus ${Math.round(request.waitMs! / 1000)} s)…`,
            ),
        }
      : {}),
  });
  for (const warning of folder.warnings) stderr(`Attention : ${warning}`);
  try {
    // Entries the CLI writes (imports, traced reads) are authenticated and checkpointed like the app's.
    const audit = await openAuditTrail(
      auditKeySource({ kind: 'file', path: folder.layout.keyFile }, request.dataDir),
      request.dataDir,
      folderLog,
    );
    const store = await openStore({
      dir: folder.layout.storeDir,
      key: folder.key,
      migrations: dmpMigrations,
      log: folderLog.child('store'),
    });
    for (const notice of store.recovery.notices) stderr(`Récupération : ${recoveryNoticeMessage(notice)}`);
    return {
      service: new DmpService({
        store,
        log: folderLog.child('dmp'),
        audit: { keys: audit.keys, witness: audit.checkpoints },
      }),
      store,
      audit: { keys: audit.keys, witness: audit.checkpoints },
      close: async () => {
        try {
          await audit.checkpoints.flush();
          await store.close();
        } finally {
          folder.release();
        }
      },
    };
  } catch (err) {
    folder.release();
    throw err;
  }
}
