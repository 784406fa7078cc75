import { ApiError, type HostSessionEndCause } from '../../shared/contract';
import { frenchIssues } from '../bridge/dispatcher';
import { toApiError } from '../app/user-messages';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import { IdentityQueryError } from '../identity/identity-reference';
import {
  hostMethods,
  isHostMethodName,
  type Caller,
  type HostMethod,
  type HostMethodName,
  type HostSettingsChangeRecord,
} from '../host-api/methods';
import { requestEnvelopeSchema, type HostResponse } from '../host-api/protocol';
import type { Logger } from '../log/logger';
import type { HostRefusal, SecurityTrail, WorkstationIdentity } from '../audit/security-events';
import { tryParseInsKey, formatInsKey } from '../../shared/identity/ins';
import {
  CardProofRefused,
  type BoundConnection,
  type SessionRefusal,
  type ProfessionalSessions,
  type VerifiedProfessional,
} from './professional-sessions';
import { RecentRequests } from './recent-requests';
import { RequestAlreadyApplied, runAsHostRequest } from '../store/host-requests';
import type { Store } from '../store/types';

/** One workstation's TLS connection, as the routing sees it. */
export interface HostConnection extends BoundConnection {
  /** Common name of the workstation certificate (for logs and `host.hello`). */
  workstation: string;
  /** SHA-256 fingerprint of the workstation certificate: request ids are scoped to it. */
  fingerprint: string;
  /** The workstation certificate is marked for system calls (see docs/host.md). */
  systemCalls: boolean;
  /** Subject, serial and fingerprint of the workstation certificate, for the audit of refusals. */
  certificate: WorkstationIdentity;
}

export interface HostRouterOptions {
  dmp: DmpPort;
  identities: IdentityPort;
  sessions: ProfessionalSessions;
  log: Logger;
  version: string;
  /**
   * The database the DMP service writes to, when several hosts may share it: each write request's id
   * is then claimed in the same transaction as the write (store/host-requests.ts), so a retry that
   * reaches another host never applies twice. The DMP service must be built on `claimingStore`.
   */
  requests?: Store;
  /**
   * Where refusals an auditor must be able to find are recorded (a workstation claiming another
   * professional, a refused card proof, a system call without the system policy): the DMP's audit
   * chain (audit/security-events.ts). Without it they are only logged.
   */
  security?: SecurityTrail;
}

export type HostRoute = (method: string, body: unknown, conn: HostConnection) => Promise<HostResponse>;

const refusals = {
  unknownMethod: 'Opération inconnue du serveur DMP.',
  requestId: 'Requête refusée : une écriture doit porter un identifiant de requête.',
  notSystem:
    'Ce poste n’est pas autorisé aux appels système (import, référentiel) : son certificat n’est pas marqué pour cela.',
  noProfessional: 'Requête refusée : aucune carte professionnelle vérifiée sur ce poste.',
  noAuditTrail: 'Le serveur DMP n’a pas de journal d’audit pour tracer ce changement.',
  spoofed:
    'Requête refusée : le professionnel indiqué n’est pas celui dont la carte a été vérifiée sur ce poste.',
} as const;

/**
 * Writes whose retry, once the first delivery was applied (claimed on another host sharing the
 * database, or before a restart), is answered as done rather than « déjà enregistrée »: they return
 * nothing, so the first answer is known without recording it. The workstation undoes a host
 * settings change the host did not record: answering a resend with a refusal would have it undo a
 * change the audit chain holds.
 */
const retryAnsweredAsDone: ReadonlySet<HostMethodName> = new Set(['settings.recordHostChange']);

function failure(code: ApiError['code'], message: string): HostResponse {
  return { ok: false, error: { code, message } };
}

/** No professional for the call; `ended` when the session is over (the client then stops using it). */
function professionalSessionFailure(message: string, ended?: HostSessionEndCause): HostResponse {
  return {
    ok: false,
    error: {
      code: 'FORBIDDEN',
      message,
      reason: 'professional-session',
      ...(ended ? { sessionEnded: ended } : {}),
    },
  };
}

/**
 * The host's single gate, built from the method table: unknown method → refused; envelope and
 * arguments decoded with the method's strict schemas; the caller the arguments name checked against
 * what this connection proved (card, certificate); writes need a request id and run once per id;
 * the result encoded with the method's schema so nothing outside the table leaves the host.
 */
export function createHostRouter(options: HostRouterOptions): HostRoute {
  const { dmp, identities, sessions, log } = options;
  const recent = new RecentRequests();

  /** Audited before the refusal is answered; a failure to audit is logged and never hides the refusal. */
  async function audit(conn: HostConnection, refusal: Omit<HostRefusal, 'workstation'>): Promise<void> {
    if (!options.security) return;
    try {
      await options.security.record({ ...refusal, workstation: conn.certificate });
    } catch (err) {
      log.error('could not audit a host refusal', {
        cause: refusal.cause,
        connection: conn.id,
        error: err instanceof Error ? err.message : 'unknown',
      });
    }
  }

  const connectionCalls = {
    'host.hello': async (_args: [], conn: HostConnection) => ({
      service: 'poste-dmp-host' as const,
      version: options.version,
      workstation: conn.workstation,
      systemCalls: conn.systemCalls,
      professional: (() => {
        const p = sessions.peek(conn);
        return p ? { nationalId: p.nationalId } : null;
      })(),
    }),
    'session.challenge': async (_args: [], conn: HostConnection) => ({ nonce: sessions.challenge(conn) }),
    'session.prove': async (
      [proof]: [{ nonce: Uint8Array; certificatePem: string; signature: Uint8Array }],
      conn: HostConnection,
    ) => {
      try {
        return {
          professional: await sessions.prove(conn, proof),
          idleTimeoutSeconds: Math.round(sessions.idleMs / 1000),
        };
      } catch (err) {
        if (err instanceof CardProofRefused) {
          await audit(conn, {
            cause: 'card-proof',
            method: 'session.prove',
            claimedId: err.claimedId,
            provenId: null,
            detail: err.reason,
          });
        }
        throw err;
      }
    },
    'session.end': async (_args: [], conn: HostConnection) => ({ ended: sessions.end(conn, 'ended') }),
    'session.status': async (_args: [], conn: HostConnection) => sessions.status(conn),
    // Admitted only with a professional session proven on this connection (`proven`): the entry
    // names that professional, whatever the workstation says.
    'settings.recordHostChange': async ([change]: [HostSettingsChangeRecord], conn: HostConnection) => {
      const professional = sessions.peek(conn);
      if (!professional) throw new ApiError('FORBIDDEN', refusals.noProfessional);
      if (!options.security) throw new ApiError('UNAVAILABLE', refusals.noAuditTrail);
      await options.security.recordHostSettings({
        change: {
          outcome: change.outcome,
          ...(change.cause ? { cause: change.cause } : {}),
          oldUrl: change.oldUrl,
          newUrl: change.newUrl,
        },
        professional,
        workstation: conn.certificate,
      });
      log.info('workstation host settings change recorded', {
        outcome: change.outcome,
        connection: conn.id,
        workstation: conn.workstation,
      });
      return undefined;
    },
  } as const;

  /**
   * Null when the caller may go on, else the refusal: logged here (no name, no national id) and, for
   * what an auditor must find, recorded in the audit chain before it is answered.
   */
  async function admit(
    method: HostMethodName,
    caller: Caller,
    args: unknown[],
    conn: HostConnection,
  ): Promise<HostResponse | null> {
    switch (caller.kind) {
      case 'connection':
        return null;
      case 'system': {
        if (conn.systemCalls) return null;
        log.warn('system call refused', { method, connection: conn.id, workstation: conn.workstation });
        const proven = sessions.peek(conn);
        await audit(conn, {
          cause: 'system-call',
          method,
          claimedId: null,
          provenId: proven?.nationalId ?? null,
          insKey: dossierNamed(args),
        });
        return failure('FORBIDDEN', refusals.notSystem);
      }
      case 'proven': {
        const found = await sessions.current(conn);
        return found.refusal ? await sessionRefused(method, found.refusal, args, conn) : null;
      }
      case 'session': {
        if (conn.systemCalls) return null;
        const found = await sessions.current(conn);
        return found.refusal ? await sessionRefused(method, found.refusal, args, conn) : null;
      }
      case 'professional': {
        const found = await sessions.current(conn);
        if (found.refusal) return sessionRefused(method, found.refusal, args, conn);
        const mismatch = actorMismatch(caller.actor.professional, found.professional);
        if (mismatch === null) return null;
        log.warn('call refused: actor is not the card holder proven on this connection', {
          method,
          connection: conn.id,
          workstation: conn.workstation,
          mismatch,
        });
        await audit(conn, {
          cause: 'actor-mismatch',
          method,
          claimedId: caller.actor.professional.holder.nationalId,
          provenId: found.professional.nationalId,
          detail: mismatch,
          insKey: dossierNamed(args),
        });
        return failure('FORBIDDEN', refusals.spoofed);
      }
    }
  }

  /**
   * No professional for this call. A card revoked since its proof ended the session: the auditor
   * finds it in the audit chain (the proven national id, never a name), once, on the call that
   * found it (a session the revocation sweep ended was audited by the sweep: `ended` here).
   */
  async function sessionRefused(
    method: HostMethodName,
    refusal: SessionRefusal,
    args: unknown[],
    conn: HostConnection,
  ): Promise<HostResponse> {
    switch (refusal.kind) {
      case 'ended':
        return professionalSessionFailure(refusal.message, refusal.cause);
      case 'revocation-unknown':
        return professionalSessionFailure(refusal.message);
      case 'revoked':
        await audit(conn, {
          cause: 'card-revoked',
          method,
          claimedId: null,
          provenId: refusal.nationalId,
          detail: refusal.detail,
          insKey: dossierNamed(args),
        });
        return professionalSessionFailure(refusal.message, 'card-revoked');
    }
  }

  async function call(method: HostMethodName, args: unknown[], conn: HostConnection): Promise<unknown> {
    if (method in connectionCalls) {
      const handler = connectionCalls[method as keyof typeof connectionCalls] as (
        args: unknown[],
        conn: HostConnection,
      ) => Promise<unknown>;
      return handler(args, conn);
    }
    const [namespace, name] = method.split('.') as ['dmp' | 'identities', string];
    const target = (namespace === 'dmp' ? dmp : identities) as unknown as Record<
      string,
      (...args: unknown[]) => Promise<unknown>
    >;
    return target[name]!(...args);
  }

  async function run(
    method: HostMethodName,
    spec: HostMethod,
    args: unknown[],
    conn: HostConnection,
    requestId?: string,
  ): Promise<HostResponse> {
    try {
      const requests = options.requests;
      const value =
        requestId && requests
          ? await runAsHostRequest(requests, { requestId, method }, () => call(method, args, conn))
          : await call(method, args, conn);
      const encoded = spec.result.safeEncode(value);
      if (!encoded.success) {
        log.error('host method returned a value outside the table', {
          method,
          detail: encoded.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', '),
        });
        return failure('INTERNAL', 'Erreur interne du serveur DMP : réponse non conforme.');
      }
      return { ok: true, value: encoded.data };
    } catch (err) {
      if (
        err instanceof RequestAlreadyApplied &&
        err.applied.method === method &&
        retryAnsweredAsDone.has(method)
      ) {
        log.info('request already applied: answered as done', { method, connection: conn.id });
        return { ok: true, value: undefined };
      }
      if (err instanceof IdentityQueryError) {
        log.info('identity query refused', { method, detail: err.detail });
        return {
          ok: false,
          error: { code: 'INVALID_INPUT', message: err.message, reason: 'identity-query' },
        };
      }
      // Store failures are worded from their reason (user-messages.ts), like ApiErrors.
      const refusal = toApiError(err);
      if (refusal) {
        log.info('request refused', { method, code: refusal.code, detail: refusal.logDetail });
        return failure(refusal.code, refusal.message);
      }
      log.error('host method failed', {
        method,
        error: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown',
      });
      return failure('INTERNAL', 'Erreur interne du serveur DMP. L’incident a été journalisé.');
    }
  }

  return async (method, body, conn) => {
    if (!isHostMethodName(method)) {
      log.warn('refused unknown host method', { method: method.slice(0, 80), connection: conn.id });
      return failure('UNKNOWN_METHOD', refusals.unknownMethod);
    }
    const spec: HostMethod = hostMethods[method];
    const envelope = requestEnvelopeSchema.safeParse(body);
    const decoded = envelope.success ? spec.args.safeDecode(envelope.data.args) : envelope;
    if (!envelope.success || !decoded.success) {
      const error = decoded.success ? null : decoded.error;
      // Paths and issue codes only: values may be health data.
      log.warn('refused invalid host request', {
        method,
        connection: conn.id,
        detail: error?.issues.map((i) => `${i.path.join('.') || '(root)'}:${i.code}`).join(', ') ?? '',
      });
      return failure('INVALID_INPUT', `Requête invalide (${method}) : ${error ? frenchIssues(error) : ''}.`);
    }
    const args = decoded.data as unknown[];
    const refused = await admit(method, spec.caller(args as never), args, conn);
    if (refused) return refused;
    const requestId = envelope.data.requestId;
    if (!spec.write) return run(method, spec, args, conn);
    if (!requestId) {
      log.warn('write refused without a request id', { method, connection: conn.id });
      return failure('INVALID_INPUT', refusals.requestId);
    }
    return recent.once(`${conn.fingerprint}:${requestId}`, method, () =>
      run(method, spec, args, conn, requestId),
    );
  };
}

/**
 * The dossier a refused request named, so that the refusal shows on it: the first argument that is
 * an INS key (`matricule@OID`), or an object's `insKey`. Null when none (a search by traits, an import).
 */
function dossierNamed(args: unknown[]): string | null {
  for (const arg of args) {
    const candidate =
      typeof arg === 'string'
        ? arg
        : typeof arg === 'object' && arg !== null && typeof (arg as { insKey?: unknown }).insKey === 'string'
          ? (arg as { insKey: string }).insKey
          : null;
    const ins = candidate === null ? null : tryParseInsKey(candidate);
    if (ins) return formatInsKey(ins);
  }
  return null;
}

/** Which part of the claimed professional differs from the card proof (a field name, never a value). */
function actorMismatch(
  claimed: { cardKind: string; holder: { nationalId: string; professionCode: string } },
  proven: VerifiedProfessional,
): string | null {
  if (claimed.holder.nationalId !== proven.nationalId) return 'nationalId';
  if (claimed.cardKind !== proven.cardKind) return 'cardKind';
  // A CPE holder without a health profession has none in the certificate: nothing to compare then.
  if (proven.professionCode !== '' && claimed.holder.professionCode !== proven.professionCode) {
    return 'professionCode';
  }
  return null;
}
