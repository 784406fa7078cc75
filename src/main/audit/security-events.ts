import type { AuditEvent } from './audit-entry';
import type { AuditLog } from './audit-log';
import { auditWho, type DmpActor } from '../dmp/actors';

/**
 * Security events of the shared DMP host, written to the SAME audit chain as the dossiers' accesses
 * (hash-chained, HMAC-authenticated, checkpointed), with the action `host.refused`. They are not a
 * professional's access: the actor is the workstation (its certificate), `actorId` is
 * `workstation:<serial>`, `cardSerial` is null, and `insKey` is the dossier the refused request named,
 * when it named one (then the patient's history shows « Requête refusée par le serveur DMP »).
 *
 * The target is a fixed `key=value` list an auditor can filter on (SQL `LIKE`, `audit_log` export):
 *
 *   cause=<cause> method=<method> claimed=<national id|-> proven=<national id|-> field=<…>
 *   serial=<workstation cert serial> sha256=<fingerprint> subject=<workstation cert subject>
 *
 * National ids are professionals' RPPS/ADELI numbers (public directory data), never a name or a NIR;
 * the workstation subject is a machine's name in the deployment PKI.
 */
export type HostRefusalCause =
  /** The actor named in the arguments is not the professional whose card was proven on the connection. */
  | 'actor-mismatch'
  /** A card proof did not verify (chain, dates, signature, revoked, challenge). */
  | 'card-proof'
  /** A card certificate revoked after its proof: its open session was ended (CRL reloaded, OCSP). */
  | 'card-revoked'
  /** A system call from a workstation certificate without the system-calls policy. */
  | 'system-call'
  /** The workstation certificate is revoked (or its revocation status cannot be known: CRL expired). */
  | 'workstation-revoked';

/** The workstation certificate as the TLS handshake presented it. */
export interface WorkstationIdentity {
  /** The certificate's common name (the workstation's name in the deployment). */
  name: string;
  subject: string;
  /** Serial number, hexadecimal upper case, as in a CRL. */
  serial: string;
  /** SHA-256 fingerprint (colon-separated hex, as Node gives it). */
  fingerprint: string;
}

export interface HostRefusal {
  cause: HostRefusalCause;
  method: string;
  workstation: WorkstationIdentity;
  claimedId?: string | null;
  provenId?: string | null;
  /** Which field differed, or the verifier's reason code; never a value. */
  detail?: string | null;
  /** The dossier the refused request named (INS key), if any. */
  insKey?: string | null;
}

export const hostRefusedAction = 'host.refused' as const;

/** A value that cannot break the `key=value` list (no spaces, no `=`), bounded. */
function token(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return value.replace(/[\s=]+/g, '_').slice(0, 120);
}

export function hostRefusalTarget(refusal: HostRefusal): string {
  const w = refusal.workstation;
  return [
    `cause=${refusal.cause}`,
    `method=${token(refusal.method)}`,
    `claimed=${token(refusal.claimedId)}`,
    `proven=${token(refusal.provenId)}`,
    `detail=${token(refusal.detail)}`,
    `serial=${token(w.serial)}`,
    `sha256=${token(w.fingerprint)}`,
    // Last: a subject may hold spaces (made safe by token), and an auditor reads it as the end of the line.
    `subject=${token(w.subject)}`,
  ].join(' ');
}

export function hostRefusalEvent(refusal: HostRefusal, at: Date): AuditEvent {
  return {
    at: at.toISOString(),
    actorId: `workstation:${token(refusal.workstation.serial)}`,
    actorName: `Poste ${refusal.workstation.name}`.slice(0, 140),
    cardSerial: null,
    profession: 'Poste de travail',
    mode: null,
    reason: null,
    action: hostRefusedAction,
    insKey: refusal.insKey ?? null,
    target: hostRefusalTarget(refusal),
  };
}

/**
 * A workstation's host settings change as the host records it for a workstation without a local
 * store (`settings.recordHostChange`): what the workstation sent, the professional proven on its
 * connection (never what the workstation says), and the workstation certificate.
 */
export interface HostSideSettingsChange {
  change: Omit<HostSettingsChange, 'actor'>;
  professional: { nationalId: string; firstName: string; lastName: string; professionCode: string };
  workstation: WorkstationIdentity;
}

/**
 * The same `settings.host` entry as a workstation's own chain holds, with the proven professional
 * (national id; the host knows no card serial nor profession label, only the certificate's code),
 * and the workstation's certificate serial appended to the target.
 */
export function hostSideSettingsEvent(entry: HostSideSettingsChange, at: Date): AuditEvent {
  const { professional, workstation } = entry;
  return {
    at: at.toISOString(),
    actorId: professional.nationalId,
    actorName: `${professional.firstName} ${professional.lastName}`.trim().slice(0, 140),
    cardSerial: null,
    profession: professional.professionCode || 'Professionnel',
    mode: null,
    reason: null,
    action: hostSettingsAction,
    insKey: null,
    target: `${hostSettingsTarget({ ...entry.change, actor: null })} serial=${token(workstation.serial)}`,
  };
}

/** Where the host records its refusals and workstations' settings changes: the DMP's audit chain. */
export interface SecurityTrail {
  record(refusal: HostRefusal): Promise<void>;
  recordHostSettings(entry: HostSideSettingsChange): Promise<void>;
}

/**
 * Appends refusals to an audit log opened on the DMP's own store with the DMP's audit keys and
 * checkpoint witness: the store serialises write transactions and `AuditLog.record` reads the head
 * inside its transaction, so these entries and the DMP service's share one unbroken chain.
 */
export function auditLogSecurityTrail(
  log: Promise<AuditLog>,
  now: () => Date = () => new Date(),
): SecurityTrail {
  return {
    async record(refusal) {
      await (await log).record([hostRefusalEvent(refusal, now())]);
    },
    async recordHostSettings(entry) {
      await (await log).record([hostSideSettingsEvent(entry, now())]);
    },
  };
}

/**
 * A change of this workstation's shared-host settings (which DMP host, with which certificate files),
 * or a refused attempt, with the action `settings.host`, in the SAME chain as the dossiers' accesses
 * (the embedded store's). No patient: `insKey` is null. The target, for an auditor's filter:
 *
 *   outcome=saved|refused cause=<cause|-> old=<host URL|embedded> new=<host URL|embedded>
 *
 * Only the host URLs (origins): the certificate and key paths stay in the settings file, never key
 * material. The actor is the professional whose card and PIN opened the session (national id), or
 * `workstation:local` when nobody was authenticated.
 */
export type HostSettingsRefusalCause =
  /** Nobody authenticated (card + PIN) on this workstation. */
  | 'not-authenticated'
  /** The deployment manages the settings (a managed settings file exists). */
  | 'managed';

export interface HostSettingsChange {
  outcome: 'saved' | 'refused';
  cause?: HostSettingsRefusalCause;
  /** The professional in session; null: nobody authenticated. */
  actor: DmpActor | null;
  /** Host URLs; null: the embedded store. */
  oldUrl: string | null;
  newUrl: string | null;
}

export const hostSettingsAction = 'settings.host' as const;

export function hostSettingsTarget(change: HostSettingsChange): string {
  const url = (value: string | null): string => (value === null ? 'embedded' : token(value));
  return [
    `outcome=${change.outcome}`,
    `cause=${token(change.cause)}`,
    `old=${url(change.oldUrl)}`,
    `new=${url(change.newUrl)}`,
  ].join(' ');
}

export function hostSettingsEvent(change: HostSettingsChange, at: Date): AuditEvent {
  const who = change.actor
    ? auditWho(change.actor)
    : {
        actorId: 'workstation:local',
        actorName: 'Poste (aucune carte authentifiée)',
        cardSerial: null,
        profession: 'Poste de travail',
      };
  return {
    at: at.toISOString(),
    ...who,
    // Not an access to a dossier: no access mode, no emergency reason.
    mode: null,
    reason: null,
    action: hostSettingsAction,
    insKey: null,
    target: hostSettingsTarget(change),
  };
}

/**
 * Where the workstation records its host settings changes: the embedded store's audit chain, or on
 * a workstation using the shared host the host's (`settings.recordHostChange`, app/remote-dmp.ts).
 */
export interface HostSettingsTrail {
  /** Whose chain it is: the workstation's own, or the shared host's (the refusal names it). */
  readonly whose: 'workstation' | 'host';
  record(change: HostSettingsChange): Promise<void>;
}

/** As `auditLogSecurityTrail`: the log is the DMP service's own instance, so both share one chain. */
export function auditLogHostSettingsTrail(
  log: Promise<AuditLog>,
  now: () => Date = () => new Date(),
): HostSettingsTrail {
  return {
    whose: 'workstation',
    async record(change) {
      await (await log).record([hostSettingsEvent(change, now())]);
    },
  };
}
