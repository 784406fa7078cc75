import { dirname, join } from 'node:path';
import { DmpService } from '../dmp/dmp-service';
import { dmpMigrations } from '../dmp/migrations';
import { deriveAuditKeys } from '../audit/audit-keys';
import { checkAuditKeyMarker } from '../audit/audit-key-marker';
import { openPgStore } from '../store/pg/pg-store';
import { claimingStore } from '../store/host-requests';
import type { Store } from '../store/types';
import { IdentityReference } from '../identity/identity-reference';
import type pg from 'pg';
import { plainKeyFileWarning } from '../app/user-messages';
import type { Logger } from '../log/logger';
import { AuditLog } from '../audit/audit-log';
import { CheckpointLog, lastCheckpoint } from '../audit/checkpoints';
import { resolveHostKeys } from './host-keys';
import { auditLogSecurityTrail, type SecurityTrail } from '../audit/security-events';
import { describeAuditVerdict, type AuditChainVerdict } from '../audit/verify';
import type { CdaParser } from '../dmp/parse-cda';

export interface Opened {
  dmp: DmpService;
  identities: IdentityReference;
  close(): Promise<void>;
  describe: string;
  /** A trivial query on the database (`SELECT 1`): rejects when it does not answer (the health answer). */
  ping(): Promise<void>;
  /** Where write request ids are claimed (a database several hosts may share). */
  requests?: Store;
  /** The host's refusals, in the DMP's audit chain (same store, keys and witness as the service). */
  security: SecurityTrail;
  /**
   * The whole audit chain checked against the stored head, the HMACs and this host's signed
   * checkpoints — the check the start leaves for after listening (the start checks the end only).
   * Run once, whoever asks first; the verdict is logged (`audit-check`) and, when the chain does not
   * verify, printed in French on stderr. Null when the check could not run (database unreachable,
   * host closing).
   */
  auditCheck?: () => Promise<AuditChainVerdict | null>;
}

export interface OpenPostgresRequest {
  /** A libpq connection string, or `pg` pool settings (the local cluster's socket). */
  connection: string | pg.PoolConfig;
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
export async function openPostgres(
  request: OpenPostgresRequest,
): Promise<Opened & Required<Pick<Opened, 'auditCheck'>>> {
  const { connection, keyFiles, log, stderr, describe } = request;
  // Both keys live in 0600 files beside the configuration, never in the database; created only for
  // a new, empty database (host-keys.ts).
  const secrets = await resolveHostKeys(connection, keyFiles, log);
  const keys = deriveAuditKeys(secrets.audit.key);
  secrets.audit.key.fill(0);
  // A server's keys are files by design (0600, its service account's, docs/host.md): the workstation's
  // advice to use the desktop app's keyring instead does not apply.
  for (const warning of secrets.warnings)
    if (warning !== plainKeyFileWarning) stderr(`Attention : ${warning}`);
  const store = await openPgStore({
    connection,
    log: log.child('store'),
    migrations: dmpMigrations,
    fieldKey: secrets.field.key,
    // Every host of this database writes the chain with one audit key (audit-key-marker.ts).
    checksAtOpen: [(tx) => checkAuditKeyMarker(tx, keys, keyFiles.auditKeyFile, log.child('audit-key'))],
  });
  // Signed checkpoints of the audit head in a file of THIS host, outside the database: a DBA who cuts
  // entries off the end together with audit_head leaves a self-consistent chain, but not one that
  // matches these. `verifyAudit` (auditCheck below, and dmp.verifyAudit) compares them.
  const checkpointLog = log.child('audit-checkpoints');
  const checkpointFile =
    request.auditCheckpointFile ?? join(dirname(keyFiles.auditKeyFile), 'audit-checkpoints.log');
  // Read before the audit log notes the head it opens on: after a cut, that head is lower.
  const lastSigned = lastCheckpoint(checkpointFile, keys.publicKey);
  const witness = new CheckpointLog(checkpointFile, keys, {
    checkOnVerify: true,
    onError: (err) =>
      checkpointLog.error('audit checkpoint not written', {
        error: err instanceof Error ? err.message : String(err),
      }),
  });
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
  // Before listening, the end of the chain from this host's last signed checkpoint only: the start
  // does not grow with the trail. A cut tail or an entry rewritten since shows here.
  const auditReport = log.child('audit-check');
  const since = await (await auditLog).verifySince(lastSigned);
  if (!since.ok) {
    // Reported, not fatal: refusing to start would stop care; the checkpoints keep the evidence.
    stderr(`Attention : ${describeAuditVerdict(since)}`);
    auditReport.error('audit chain does not verify at start (since the last checkpoint)', {
      ...since,
      checkpointSeq: lastSigned?.seq ?? null,
    });
  } else
    auditReport.info('audit chain end verified at start', {
      count: since.count,
      checkpointSeq: lastSigned?.seq ?? null,
    });
  let closing = false;
  let fullCheck: Promise<AuditChainVerdict | null> | null = null;
  const auditCheck = (): Promise<AuditChainVerdict | null> =>
    (fullCheck ??= (async () => {
      const started = Date.now();
      try {
        const verdict = await dmp.verifyAudit();
        if (verdict.ok)
          auditReport.info('audit chain verified in full', {
            count: verdict.count,
            ms: Date.now() - started,
          });
        else {
          stderr(`Attention : ${describeAuditVerdict(verdict)}`);
          auditReport.error('audit chain does not verify (full check after start)', { ...verdict });
        }
        return verdict;
      } catch (err) {
        if (closing) return null;
        const detail = err instanceof Error ? err.message : String(err);
        stderr(`Attention : vérification complète du journal d’audit impossible (${detail}).`);
        auditReport.error('full audit check failed to run', { error: detail });
        return null;
      }
    })());
  return {
    dmp,
    identities: new IdentityReference(store),
    close: async () => {
      closing = true;
      await witness.flush();
      await store.close();
    },
    describe,
    ping: async () => void (await store.all('SELECT 1 AS one')),
    auditCheck,
    requests: store,
    security: auditLogSecurityTrail(auditLog),
  };
}
