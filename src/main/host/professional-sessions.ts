import { randomBytes } from 'node:crypto';
import { ApiError, type HostSessionEnd, type HostSessionEndCause } from '../../shared/contract';
import { NONCE_BYTES, proofChallenge, EXPORTER_BYTES, proofExporterLabel } from '../host-api/protocol';
import type { Logger } from '../log/logger';
import type { RevocationCheck, RevocationStatus } from '../pki/revocation';
import type { X509Certificate } from '../pki/x509';

/** The professional a card proof establishes, read from the card certificate (never from the workstation). */
export interface VerifiedProfessional {
  nationalId: string;
  professionCode: string;
  lastName: string;
  firstName: string;
  cardKind: 'cps' | 'cpe' | 'cpf';
}

/**
 * Checks a card proof: the certificate chains to a trusted professional CA and is valid now, its key
 * may sign, and `signature` is its signature of `challenge`. Resolves with the professional, or
 * rejects with a French reason. The host's is `verifyProfessionalProof` (src/main/pki).
 */
export type ProofVerifier = (proof: {
  certificatePem: string;
  challenge: Uint8Array;
  signature: Uint8Array;
}) => Promise<VerifiedProfessional & { chain?: readonly X509Certificate[] }>;

/**
 * A refused card proof: the French message for the workstation, and for the host's audit trail the
 * verifier's reason code and the national id the presented certificate names (unverified: what the
 * workstation claimed), never a name.
 */
export class CardProofRefused extends ApiError {
  constructor(
    message: string,
    readonly reason: string,
    readonly claimedId: string | null,
  ) {
    super('FORBIDDEN', message, `card proof refused: ${reason}`);
  }
}

/** What a verifier's error says about the refusal (ProfessionalProofError from src/main/pki has both). */
function refusalFacts(err: unknown): { reason: string; claimedId: string | null } {
  const e = err as { reason?: unknown; claimedNationalId?: unknown } | null;
  return {
    reason: typeof e?.reason === 'string' ? e.reason : 'refused',
    claimedId: typeof e?.claimedNationalId === 'string' ? e.claimedNationalId : null,
  };
}

/** The TLS connection a session is bound to, as the sessions need it. */
export interface BoundConnection {
  id: string;
  exportKeyingMaterial(length: number, label: string): Buffer;
}

interface Pending {
  nonce: Uint8Array;
  issuedAt: number;
}

interface Session {
  professional: VerifiedProfessional;
  lastActivity: number;
  /** The card's verified chain (card first): checked against revocation data on every call. */
  chain: readonly X509Certificate[];
}

/**
 * Why a call on a connection has no professional:
 * `ended` — none proven, or the host ended it before (idle, card revoked: said by `cause`, already
 * logged and audited when it ended);
 * `revoked` — the card certificate is found revoked by this very call: the session is ended now
 * (cause `card-revoked`), and the caller audits it;
 * `revocation-unknown` — its status cannot be known now: the call is refused, the session kept (fail
 * closed until the CRL or the OCSP responder answers again).
 */
export type SessionRefusal =
  | { kind: 'ended'; cause: HostSessionEndCause; message: string }
  | { kind: 'revoked' | 'revocation-unknown'; message: string; nationalId: string; detail: string };

/** An open session the revocation sweep ended: what the host's audit of it needs (no name). */
export interface RevokedSessionEnded {
  connectionId: string;
  nationalId: string;
  detail: string;
}

/** A challenge must be answered soon: a card signs in well under a second, a PIN is typed before. */
const challengeLifetimeMs = 2 * 60 * 1000;

export const sessionRefusals = {
  none: 'Aucun professionnel authentifié par sa carte sur ce poste auprès du serveur DMP : présentez votre carte.',
  idle: 'Session du professionnel terminée après inactivité : présentez à nouveau votre carte.',
  noChallenge:
    'Preuve de carte refusée : aucun défi en cours sur cette connexion (ou défi expiré). Recommencez l’authentification.',
  verifierMissing:
    'Le serveur DMP ne peut pas vérifier les cartes des professionnels (vérification non configurée).',
  revoked:
    'Carte du professionnel révoquée : session fermée. Le certificat de cette carte a été révoqué (carte perdue, volée ou remplacée) ; utilisez votre nouvelle carte ou contactez l’autorité qui l’a délivrée.',
  revocationUnknown:
    'Le serveur DMP ne peut pas vérifier que la carte du professionnel n’est pas révoquée (liste de révocation expirée ou invalide, ou répondeur OCSP injoignable) : requête refusée. Contactez le service informatique.',
} as const;

/**
 * Professional sessions, one per TLS connection at most: a nonce is issued on that connection, the
 * card signs the nonce with keying material exported from the same connection, and the session lives
 * on that connection only — until `end` (card removed), inactivity, or the connection closing.
 */
export class ProfessionalSessions {
  private readonly pending = new Map<string, Pending>();
  private readonly sessions = new Map<string, Session>();
  /**
   * Per connection, why the host ended its professional session (idle, card revoked): what its next
   * call and `status` answer, so that the workstation learns the cause even after the sweep removed
   * the session. Cleared by a new proof, `end` and the connection closing (bounded by connections).
   */
  private readonly endedCauses = new Map<string, HostSessionEnd>();
  private readonly now: () => number;

  constructor(
    private readonly options: {
      verify: ProofVerifier | null;
      idleMs: number;
      log: Logger;
      now?: () => number;
      /**
       * The card authorities' revocation data (CRLs, OCSP), the same the verifier checks the proof
       * against: each call of a session checks its card chain again, and so does the host's
       * periodic sweep (`endRevokedSessions`), so a card revoked after its proof stops working
       * within a sweep, or at its next call if that comes first.
       */
      revocation?: RevocationCheck | null;
    },
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Professionals proven and not idle past `idleMs`: a count only (the health answer), never who. */
  get openCount(): number {
    const now = this.now();
    let open = 0;
    for (const session of this.sessions.values())
      if (now - session.lastActivity <= this.options.idleMs) open++;
    return open;
  }

  get idleMs(): number {
    return this.options.idleMs;
  }

  challenge(conn: BoundConnection): Uint8Array {
    const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
    this.pending.set(conn.id, { nonce, issuedAt: this.now() });
    return nonce;
  }

  async prove(
    conn: BoundConnection,
    proof: { nonce: Uint8Array; certificatePem: string; signature: Uint8Array },
  ): Promise<VerifiedProfessional> {
    const pending = this.pending.get(conn.id);
    // Single use, whatever the outcome.
    this.pending.delete(conn.id);
    if (
      !pending ||
      this.now() - pending.issuedAt > challengeLifetimeMs ||
      !Buffer.from(pending.nonce).equals(Buffer.from(proof.nonce))
    ) {
      this.options.log.warn('card proof refused', { connection: conn.id, cause: 'no matching challenge' });
      throw new CardProofRefused(sessionRefusals.noChallenge, 'no-challenge', null);
    }
    if (!this.options.verify) throw new ApiError('UNAVAILABLE', sessionRefusals.verifierMissing);
    const exported = conn.exportKeyingMaterial(EXPORTER_BYTES, proofExporterLabel);
    let verified: Awaited<ReturnType<ProofVerifier>>;
    try {
      verified = await this.options.verify({
        certificatePem: proof.certificatePem,
        challenge: proofChallenge(pending.nonce, exported),
        signature: proof.signature,
      });
    } catch (err) {
      // A new proof replaces the old session only when it verifies: a failed one ends it, too.
      this.sessions.delete(conn.id);
      const message = err instanceof Error ? err.message : 'Preuve de carte refusée.';
      const facts = refusalFacts(err);
      this.options.log.warn('card proof refused', {
        connection: conn.id,
        reason: facts.reason,
        cause: message.slice(0, 200),
      });
      throw new CardProofRefused(message, facts.reason, facts.claimedId);
    }
    // What the session and the workstation see: the professional's fields, not the chain.
    const { chain, ...fields } = verified;
    const professional: VerifiedProfessional = {
      nationalId: fields.nationalId,
      professionCode: fields.professionCode,
      lastName: fields.lastName,
      firstName: fields.firstName,
      cardKind: fields.cardKind,
    };
    this.sessions.set(conn.id, { professional, lastActivity: this.now(), chain: chain ?? [] });
    this.endedCauses.delete(conn.id);
    this.options.log.info('professional session started', {
      connection: conn.id,
      cardKind: professional.cardKind,
      profession: professional.professionCode,
    });
    return professional;
  }

  /**
   * The connection's professional, refreshed as active, or why there is none. The card chain is
   * checked against the revocation data first: revoked ends the session (`revoked`, logged here,
   * audited by the caller); unknown refuses the call and keeps the session.
   */
  async current(
    conn: BoundConnection,
  ): Promise<
    { professional: VerifiedProfessional; refusal: null } | { professional: null; refusal: SessionRefusal }
  > {
    const session = this.sessions.get(conn.id);
    if (!session || this.endIfIdle(conn.id, session)) {
      const ended = this.endedOn(conn.id);
      return { professional: null, refusal: { kind: 'ended', ...ended } };
    }
    const verdict = await this.revocationOf(session.chain);
    if (verdict?.status === 'revoked') {
      // Ended while its card was checked (the revocation sweep, which audited it, or a new proof on
      // this connection, which starts afresh): not this call's to end or audit again.
      if (this.sessions.get(conn.id) !== session)
        return { professional: null, refusal: { kind: 'ended', ...this.endedOn(conn.id) } };
      this.endRevoked(conn.id, verdict);
      return {
        professional: null,
        refusal: {
          kind: 'revoked',
          message: sessionRefusals.revoked,
          nationalId: session.professional.nationalId,
          detail: `session-ended-revoked-${verdict.revokedAt.toISOString()}`,
        },
      };
    }
    if (verdict?.status === 'unknown') {
      this.options.log.error('call refused: revocation status of the card certificate unknown', {
        connection: conn.id,
        why: verdict.why,
        source: verdict.source,
      });
      return {
        professional: null,
        refusal: {
          kind: 'revocation-unknown',
          message: sessionRefusals.revocationUnknown,
          nationalId: session.professional.nationalId,
          detail: `revocation-${verdict.why}`,
        },
      };
    }
    session.lastActivity = this.now();
    return { professional: session.professional, refusal: null };
  }

  /**
   * Whether the session proven on this connection is still open, without counting as activity (the
   * client asks on its ping cycle): an idle one is ended here, as the next call would.
   */
  status(conn: BoundConnection): { state: 'open' } | ({ state: 'ended' } & HostSessionEnd) {
    const session = this.sessions.get(conn.id);
    if (session && !this.endIfIdle(conn.id, session)) return { state: 'open' };
    return { state: 'ended', ...this.endedOn(conn.id) };
  }

  /**
   * Checks every open session's card chain against the revocation data now (run when that data is
   * reloaded, and periodically): sessions whose card is revoked are ended and logged, and handed to
   * `onEnded` at once (while their connection is surely still known) for the host to audit, once
   * each. An unknown status keeps the session (its next call is refused).
   */
  async endRevokedSessions(onEnded: (ended: RevokedSessionEnded) => void): Promise<number> {
    if (!this.options.revocation) return 0;
    let count = 0;
    for (const [id, session] of [...this.sessions]) {
      const verdict = await this.revocationOf(session.chain);
      // Ended or replaced by another proof meanwhile: that one is checked on its own.
      if (verdict?.status !== 'revoked' || this.sessions.get(id) !== session) continue;
      this.endRevoked(id, verdict);
      count++;
      onEnded({
        connectionId: id,
        nationalId: session.professional.nationalId,
        detail: `session-ended-revoked-${verdict.revokedAt.toISOString()}`,
      });
    }
    return count;
  }

  private endRevoked(id: string, verdict: Extract<RevocationStatus, { status: 'revoked' }>): void {
    this.sessions.delete(id);
    this.endedCauses.set(id, { cause: 'card-revoked', message: sessionRefusals.revoked });
    this.options.log.warn('professional session ended', {
      connection: id,
      cause: 'card certificate revoked',
      revokedAt: verdict.revokedAt.toISOString(),
      source: verdict.source,
    });
  }

  /** Ends the session when it has been idle too long; true when it did. */
  private endIfIdle(id: string, session: Session): boolean {
    if (this.now() - session.lastActivity <= this.options.idleMs) return false;
    this.sessions.delete(id);
    this.endedCauses.set(id, { cause: 'inactivity', message: sessionRefusals.idle });
    this.options.log.info('professional session ended', { connection: id, cause: 'inactivity' });
    return true;
  }

  /** Why there is no session on this connection: the host's recorded end, else none known. */
  private endedOn(id: string): HostSessionEnd {
    return this.endedCauses.get(id) ?? { cause: 'unknown-session', message: sessionRefusals.none };
  }

  /** Each certificate of the chain against its issuer; the first that is not good, else null. */
  private async revocationOf(chain: readonly X509Certificate[]): Promise<RevocationStatus | null> {
    const revocation = this.options.revocation;
    if (!revocation) return null;
    for (let i = 0; i + 1 < chain.length; i++) {
      let verdict: RevocationStatus;
      try {
        verdict = await revocation.status(chain[i]!, chain[i + 1]!);
      } catch (err) {
        verdict = {
          status: 'unknown',
          why: 'check-failed',
          source: err instanceof Error ? err.message.slice(0, 200) : 'unknown error',
        };
      }
      if (verdict.status !== 'good') return verdict;
    }
    return null;
  }

  /** Without touching the activity time (hello answers "who is here" without keeping a session alive). */
  peek(conn: BoundConnection): VerifiedProfessional | null {
    const session = this.sessions.get(conn.id);
    if (!session || this.now() - session.lastActivity > this.options.idleMs) return null;
    return session.professional;
  }

  end(conn: BoundConnection, cause: 'ended' | 'connection closed' | 'workstation revoked'): boolean {
    this.pending.delete(conn.id);
    this.endedCauses.delete(conn.id);
    const had = this.sessions.delete(conn.id);
    if (had) this.options.log.info('professional session ended', { connection: conn.id, cause });
    return had;
  }

  /** Drops sessions idle too long (their next call would be refused anyway): nothing lingers in memory. */
  sweep(): void {
    const now = this.now();
    for (const [id, session] of [...this.sessions]) this.endIfIdle(id, session);
    for (const [id, pending] of this.pending) {
      if (now - pending.issuedAt > challengeLifetimeMs) this.pending.delete(id);
    }
  }
}
