import { dirname, join } from 'node:path';
import { DmpService } from '../dmp/dmp-service';
import { dmpMigrations } from '../dmp/migrations';
import { deriveAuditKeys } from '../audit/audit-keys';
import { resolveStoreKey } from '../app/store-key';
import { openPgStore } from '../store/pg/pg-store';
import { claimingStore } from '../store/host-requests';
import type { Store } from '../store/types';
import { IdentityReference } from '../identity/identity-reference';
import type { PgConnection } from '../store/pg/local-cluster';
import { plainKeyFileWarning } from '../app/user-messages';
import type { Logger } from '../log/logger';
import { AuditLog } from '../audit/audit-log';
import { CheckpointLog } from '../audit/checkpoints';
import { auditLogSecurityTrail, type SecurityTrail } from '../audit/security-events';
import { describeAuditVerdict } from '../audit/verify';
import type { CdaParser } from '../dmp/parse-cda';

export interface Opened {
  dmp: DmpService;
  identities: IdentityReference;
  close(): Promise<void>;
  describe: string;
  /** Where write request ids are claimed (a database several hosts may share). */
  requests?: Store;
  /** The host's refusals, in the DMP's audit chain (same store, keys and witness as the service). */
  security: SecurityTrail;
}

export interface OpenPostgresRequest {
  connection: string | PgConnection;
  keyFiles: { auditKeyFile: string; fieldKeyFile: string };
  /** `auditCheckpointFile` of the configuration; default beside the audit key file. */
  auditCheckpointFile?: string | undefined;
  log: Logger;
  /** French lines for whoever runs the host. */
  stderr: (s: string) => void;
  /** How the listening line names the storage. */
  describe: string;
  cdaParser?: CdaParser;
}

/** The DMP host's storage on PostgreSQL: keys, store, audit trail and its checkpoints, the service. */
export async function openPostgres(request: OpenPostgresRequest): Promise<Opened> {
  const { connection, keyFiles, log, stderr, describe } = request;
  // Both keys live in 0600 files beside the configuration (created on first start), never in the database.
  const auditSecret = await resolveStoreKey(
    { kind: 'file', path: keyFiles.auditKeyFile },
    log.child('audit-key'),
    { mayCreate: true },
  );
  const keys = deriveAuditKeys(auditSecret.key.key);
  auditSecret.key.key.fill(0);
  const fieldSecret = await resolveStoreKey(
    { kind: 'file', path: keyFiles.fieldKeyFile },
    log.child('field-key'),
    {
      mayCreate: true,
    },
  );
  // A server's keys are files by design (0600, its service account's, docs/host.md): the workstation's
  // advice to use the desktop app's keyring instead does not apply.
  for (const warning of [...auditSecret.warnings, ...fieldSecret.warnings])
    if (warning !== plainKeyFileWarning) stderr(`Attention : ${warning}`);
  const store = await openPgStore({
    connection,
    log: log.child('store'),
    migrations: dmpMigrations,
    fieldKey: fieldSecret.key.key,
  });
  // Signed checkpoints of the audit head in a file of THIS host, outside the database: a DBA who cuts
  // entries off the end together with audit_head leaves a self-consistent chain, but not one that
  // matches these. `verifyAudit` (at start below, and dmp.verifyAudit) compares them.
  const checkpointLog = log.child('audit-checkpoints');
  const witness = new CheckpointLog(
    request.auditCheckpointFile ?? join(dirname(keyFiles.auditKeyFile), 'audit-checkpoints.log'),
    keys,
    {
      checkOnVerify: true,
      onError: (err) =>
        checkpointLog.error('audit checkpoint not written', {
          error: err instanceof Error ? err.message : String(err),
        }),
    },
  );
  // Each write request's id is claimed in the write's own transaction: a retry reaching another host
  // sharing this database is refused instead of applied twice.
  const requestStore = claimingStore(store);
  // One audit log for the service and the host's refusals: concurrent reads commit together.
  const auditLog = AuditLog.open(requestStore, { keys, witness });
  auditLog.catch(() => undefined);
  const dmp = new DmpService({
    store: requestStore,
    log: log.child('dmp'),
    auditLog,
    ...(request.cdaParser ? { cdaParser: request.cdaParser } : {}),
  });
  const verdict = await dmp.verifyAudit();
  if (!verdict.ok) {
    // Reported, not fatal: refusing to start would stop care; the checkpoints keep the evidence.
    stderr(`Attention : ${describeAuditVerdict(verdict)}`);
    log.error('audit chain does not verify at start', { ...verdict });
  }
  return {
    dmp,
    identities: new IdentityReference(store),
    close: async () => {
      await witness.flush();
      await store.close();
    },
    describe,
    requests: store,
    security: auditLogSecurityTrail(auditLog),
  };
}
