import { createLogger, type Logger } from '../log/logger';
import { DmpService } from '../dmp/dmp-service';
import { dmpMigrations } from '../dmp/migrations';
import { openStore } from '../store/open-store';
import type { Store } from '../store/types';
import type { PrestartedStore } from '../store/store-thread';
import type { SnapshotReading } from '../store/snapshot-file';
import { AuditLog } from '../audit/audit-log';
import type { CdaParser } from '../dmp/parse-cda';
import { checkDataFolder, claimDataFolder } from './data-folder';
import { recoveryNoticeMessage } from './user-messages';
import { dataLayout } from './paths';
import { auditKeySource, openAuditTrail } from './audit-trail';

export interface DataFolderDmpRequest {
  dataDir: string;
  /** Read-only commands refuse a folder without a store instead of creating one. */
  readOnly: boolean;
  /** Null: fail at once when another instance holds the data folder. */
  waitMs: number | null;
  /** Where deposited CDAs are parsed (the DMP host's worker pool); default: on this thread. */
  cdaParser?: CdaParser;
  /** A store the caller started early (the CLI's, in its own thread); disposed of if not used. */
  prestartedStore?: PrestartedStore;
  /**
   * The CLI's short commands read the snapshot on demand, so that opening a large folder to import
   * one document does not decrypt all of it; the DMP host, which stays up, reads it whole
   * (`EngineOptions.snapshotReading`).
   */
  snapshotReading?: SnapshotReading;
}

export interface DataFolderDmp {
  /** The embedded service on the data folder's store; CLI commands take it as a `DmpPort`. */
  service: DmpService;
  store: Store;
  /** The audit log the service appends to (the DMP host appends its refusals to the same instance). */
  auditLog?: Promise<AuditLog>;
  close(): Promise<void>;
}

/**
 * Opens the DMP service on a data folder for a headless process — a CLI command, or the DMP host
 * with embedded storage: the same data-folder lock and key rules as the browser host. Warnings and
 * recovery notices go to stderr: an administrator running the process must see them. Nothing is
 * created before the folder has been checked (read-only commands never create one).
 */
export async function openDataFolderDmp(
  request: DataFolderDmpRequest,
  stderr: (s: string) => void,
  /** The DMP host passes its own logger (one writer per log file); the CLI logs to the folder's. */
  log?: Logger,
): Promise<DataFolderDmp & { auditLog: Promise<AuditLog> }> {
  try {
    return await openWithFolder(request, stderr, log);
  } catch (err) {
    await request.prestartedStore?.dispose();
    throw err;
  }
}

async function openWithFolder(
  request: DataFolderDmpRequest,
  stderr: (s: string) => void,
  log: Logger | undefined,
): Promise<DataFolderDmp & { auditLog: Promise<AuditLog> }> {
  checkDataFolder(request.dataDir, { mustExist: request.readOnly });
  const layout = dataLayout(request.dataDir);
  // A command's own logger (the CLI's; a host passes its own): most commands end before it would
  // be worth loading the rolling file writer, so their lines are written at exit.
  const folderLog = log ?? createLogger({ file: layout.logFile, fileOpening: 'deferred' });
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
      ...(request.prestartedStore ? { prestarted: request.prestartedStore } : {}),
      ...(request.snapshotReading ? { snapshotReading: request.snapshotReading } : {}),
      onNotice: (notice) => stderr(`Récupération : ${recoveryNoticeMessage(notice)}`),
    });
    for (const notice of store.recovery.notices) stderr(`Récupération : ${recoveryNoticeMessage(notice)}`);
    const auditLog = AuditLog.open(store, { keys: audit.keys, witness: audit.checkpoints });
    // Surfaced by the first use, not as an unhandled rejection here.
    auditLog.catch(() => undefined);
    return {
      service: new DmpService({
        store,
        log: folderLog.child('dmp'),
        auditLog,
        ...(request.cdaParser ? { cdaParser: request.cdaParser } : {}),
      }),
      store,
      auditLog,
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
