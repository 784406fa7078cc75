import { randomBytes } from 'node:crypto';
import { ApiError } from '../../shared/contract';
import { NONCE_BYTES, proofChallenge, EXPORTER_BYTES, proofExporterLabel } from '../host-api/protocol';
import type { Logger } from '../log/logger';

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
}) => Promise<VerifiedProfessional>;

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
} as const;

/**
 * Professional sessions, one per TLS connection at most: a nonce is issued on that connection, the
 * card signs the nonce with keying material exported from the same connection, and the session lives
 * on that connection only — until `end` (card removed), inactivity, or the connection closing.
 */
export class ProfessionalSessions {
  private readonly pending = new Map<string, Pending>();
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(
    private readonly options: {
      verify: ProofVerifier | null;
      idleMs: number;
      log: Logger;
      now?: () => number;
    },
  ) {
    this.now = options.now ?? Date.now;
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
    let professional: VerifiedProfessional;
    try {
      professional = await this.options.verify({
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
    this.sessions.set(conn.id, { professional, lastActivity: this.now() });
    this.options.log.info('professional session started', {
      connection: conn.id,
      cardKind: professional.cardKind,
      profession: professional.professionCode,
    });
    return professional;
  }

  /** The connection's professional, refreshed as active; `expired` when inactivity just ended it. */
  current(conn: BoundConnection): { professional: VerifiedProfessional | null; expired: boolean } {
    const session = this.sessions.get(conn.id);
    if (!session) return { professional: null, expired: false };
    const now = this.now();
    if (now - session.lastActivity > this.options.idleMs) {
      this.sessions.delete(conn.id);
      this.options.log.info('professional session ended', { connection: conn.id, cause: 'inactivity' });
      return { professional: null, expired: true };
    }
    session.lastActivity = now;
    return { professional: session.professional, expired: false };
  }

  /** Without touching the activity time (hello answers "who is here" without keeping a session alive). */
  peek(conn: BoundConnection): VerifiedProfessional | null {
    const session = this.sessions.get(conn.id);
    if (!session || this.now() - session.lastActivity > this.options.idleMs) return null;
    return session.professional;
  }

  end(conn: BoundConnection, cause: 'ended' | 'connection closed'): boolean {
    this.pending.delete(conn.id);
    const had = this.sessions.delete(conn.id);
    if (had) this.options.log.info('professional session ended', { connection: conn.id, cause });
    return had;
  }

  /** Drops sessions idle too long (their next call would be refused anyway): nothing lingers in memory. */
  sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (now - session.lastActivity > this.options.idleMs) {
        this.sessions.delete(id);
        this.options.log.info('professional session ended', { connection: id, cause: 'inactivity' });
      }
    }
    for (const [id, pending] of this.pending) {
      if (now - pending.issuedAt > challengeLifetimeMs) this.pending.delete(id);
    }
  }
}
