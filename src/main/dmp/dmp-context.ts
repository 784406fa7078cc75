import { randomBytes } from 'node:crypto';
import { ApiError } from '../../shared/contract/api-error';
import { AuditLog, type AuditLogOptions } from '../audit/audit-log';
import type { AuditEvent } from '../audit/audit-entry';
import { decideDocumentRead, type Decision, type DossierFacts } from '../domain/access-policy';
import { formatInsKey, tryParseInsKey } from '../../shared/identity/ins';
import { isUniqueViolation } from '../db/dialect';
import { sqlFor, type DmpSql } from '../db/query-builder';
import type { Logger } from '../log/logger';
import type { Statement, Store } from '../store/types';
import { auditWho, isSystemActor, toDomainActor, type DmpActor, type SystemActor } from './actors';
import { toDocumentFacts, type DocumentRow } from './document-rows';
import { loadDossierFacts, loadDossierRow, type DossierRow } from './dossier-rows';
import { inlineCdaParser, type CdaParser } from './parse-cda';

export interface DmpContextOptions {
  store: Store;
  log: Logger;
  now?: () => Date;
  random?: (n: number) => Uint8Array;
  /** Audit key and checkpoint witness; without them entries are authenticated with a per-process key. */
  audit?: AuditLogOptions;
  /**
   * Where deposited CDAs are parsed. Default: on the calling thread; a host or a workstation passes
   * its `CdaParserPool` (worker threads) so that a large parse does not stall its other requests.
   */
  cdaParser?: CdaParser;
  /**
   * An audit log already opened on this store (then `audit` is not used): whatever else appends to
   * the chain from this process shares it — one instance per store, so that concurrent reads are
   * committed together (`AuditLog.record`).
   */
  auditLog?: Promise<AuditLog>;
}

function notFound(): ApiError {
  return new ApiError('NOT_FOUND', 'Aucun DMP n’existe pour cet INS sur ce poste.');
}

/**
 * What every DMP operation shares: the store, the clock, the randomness and the audit writer, so
 * that each change and its audit entries go through one place and one transaction.
 */
export class DmpContext {
  readonly store: Store;
  /** The queries for this store: its dialect, its plugins (`Store.queryPlugins`). */
  readonly sql: DmpSql;
  readonly log: Logger;
  readonly now: () => Date;
  readonly random: (n: number) => Uint8Array;
  readonly audit: Promise<AuditLog>;
  readonly cdaParser: CdaParser;

  constructor(options: DmpContextOptions) {
    this.store = options.store;
    this.sql = sqlFor(options.store);
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.cdaParser = options.cdaParser ?? inlineCdaParser;
    this.audit = options.auditLog ?? AuditLog.open(this.store, options.audit);
    // Surface a failed load on first use, not as an unhandled rejection at construction.
    this.audit.catch(() => undefined);
  }

  event(
    actor: DmpActor | SystemActor,
    action: AuditEvent['action'],
    insKey: string | null,
    target: string | null,
  ): AuditEvent {
    return { at: this.now().toISOString(), ...auditWho(actor), action, insKey, target };
  }

  async write(events: AuditEvent[], statements: Statement[] = []): Promise<void> {
    try {
      await (await this.audit).record(events, statements);
    } catch (err) {
      // Two requests racing past the duplicate checks meet the unique indexes instead: same answer as the check.
      const text =
        err instanceof ApiError
          ? `${err.logDetail ?? ''} ${err.message}`
          : err instanceof Error
            ? err.message
            : '';
      if (isUniqueViolation(text)) {
        throw new ApiError(
          'CONFLICT',
          'Cet élément existe déjà (dossier ou document identique déjà enregistré).',
          'unique constraint',
        );
      }
      throw err;
    }
  }

  /** Throws the domain's refusal after recording it, so denied attempts show in the patient's history. */
  async enforce(actor: DmpActor, insKey: string, decision: Decision, target?: string): Promise<void> {
    if (decision.allowed) return;
    const detail = target ? `${decision.rule} ${target}` : decision.rule;
    try {
      await this.write([this.event(actor, 'access.denied', insKey, detail)]);
    } catch (err) {
      this.log.error('could not audit a denied access', {
        rule: decision.rule,
        error: err instanceof Error ? err.message : 'unknown',
      });
    }
    this.log.info('access denied', { rule: decision.rule, mode: actor.mode });
    throw new ApiError(decision.code, decision.message, `rule ${decision.rule}`);
  }

  /**
   * Refuses a document (import or deposit): the precise cause goes to the log and, as a stable code
   * that names no one, to the audit trail (on the dossier when one exists); the user gets `message`.
   * A failure to audit is logged, never allowed to hide the refusal.
   */
  async refuseDocument(
    actor: DmpActor | SystemActor,
    insKey: string | null,
    cause: string,
    message: string,
  ): Promise<never> {
    try {
      await this.write([this.event(actor, 'document.refused', insKey, cause)]);
    } catch (err) {
      this.log.error('could not audit a refused document', {
        cause,
        error: err instanceof Error ? err.message : 'unknown',
      });
    }
    this.log.warn('document refused', { cause, dossier: insKey !== null });
    throw new ApiError('INVALID_INPUT', message, `document refused: ${cause}`);
  }

  /**
   * System actors (CLI, imports) are trusted local administration: they see what any professional
   * could, but never a document the patient masked from professionals.
   */
  mayRead(actor: DmpActor | SystemActor, facts: DossierFacts, doc: DocumentRow): boolean {
    const docFacts = toDocumentFacts(doc);
    if (isSystemActor(actor)) return !docFacts.visibility.maskedFromProfessionals;
    return decideDocumentRead(toDomainActor(actor.professional), facts, actor.mode, docFacts).allowed;
  }

  async requireDossier(insKey: string): Promise<{ row: DossierRow; facts: DossierFacts }> {
    const ins = tryParseInsKey(insKey);
    if (!ins)
      throw new ApiError('INVALID_INPUT', 'Identifiant INS invalide : format attendu « matricule@OID ».');
    const row = await loadDossierRow(this.sql, this.store, formatInsKey(ins));
    if (!row) throw notFound();
    return { row, facts: await loadDossierFacts(this.sql, this.store, row) };
  }
}
