import { z } from 'zod';
import { apiErrorCode, hostSessionEndCause } from '../../shared/contract';

/**
 * How a call travels: HTTP/2 over TLS 1.3 with client certificates, one long-lived connection per
 * workstation (so the professional session can be bound to it), `POST /api/v1/<method>` with a JSON
 * body `{ args, requestId? }`, answered with the same envelope as the renderer's contract.
 */
export const apiPathPrefix = '/api/v1/';

export const requestEnvelopeSchema = z.strictObject({
  /** The method's arguments in their wire form (see wire.ts). */
  args: z.array(z.unknown()).max(8),
  /** Every write carries one; a retry of the same call sends the same id. */
  requestId: z.uuid().optional(),
});
export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>;

/**
 * Why a call failed beyond its API code, when the client must act on it:
 * `professional-session` — no (or no longer a) proven professional on this connection: the client
 * proves again with the card it holds, or reports that the card must be presented;
 * `identity-query` — the identity reference could not answer the query (IdentityQueryError).
 */
export const hostErrorReason = z.enum(['professional-session', 'identity-query']);
export type HostErrorReason = z.infer<typeof hostErrorReason>;

export const hostErrorSchema = z
  .strictObject({
    code: apiErrorCode,
    message: z.string(),
    reason: hostErrorReason.optional(),
    /**
     * With `professional-session` only: the professional session on this connection is over (or
     * there is none), and why — the client acts on this, never on the French `message`. Absent when
     * the call is refused but the session is kept (revocation status of the card unknown for now).
     */
    sessionEnded: hostSessionEndCause.optional(),
  })
  .refine((error) => error.sessionEnded === undefined || error.reason === 'professional-session', {
    message: 'sessionEnded goes with reason professional-session',
  });
export type HostError = z.infer<typeof hostErrorSchema>;

export const responseEnvelopeSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.unknown().optional() }),
  z.strictObject({ ok: z.literal(false), error: hostErrorSchema }),
]);
export type HostResponse = z.infer<typeof responseEnvelopeSchema>;

/** HTTP status for an answer: the envelope says the same, the status lets proxies and logs see it. */
export function httpStatusFor(response: HostResponse): number {
  if (response.ok) return 200;
  if (response.error.reason === 'professional-session') return 401;
  switch (response.error.code) {
    case 'INVALID_INPUT':
      return 400;
    case 'UNKNOWN_METHOD':
    case 'NOT_FOUND':
      return 404;
    case 'FORBIDDEN':
    case 'LOCKED':
      return 403;
    case 'CONFLICT':
      return 409;
    case 'UNAVAILABLE':
      return 503;
    default:
      return 500;
  }
}

/** Label of the TLS exporter (RFC 8446 §7.5 / RFC 5705) whose output the card signs. */
export const proofExporterLabel = 'EXPORTER-poste-dmp-professional-proof';
const proofContext = Buffer.from('poste-dmp/professional-proof/v1\0', 'utf8');
export const NONCE_BYTES = 32;
export const EXPORTER_BYTES = 32;

/**
 * What the professional's card signs: a fixed context, the host's fresh nonce, and keying material
 * exported from THIS TLS connection — which both ends compute and nobody else can. A signature
 * relayed from another connection (a rogue workstation replaying a card it saw) does not verify.
 */
export function proofChallenge(nonce: Uint8Array, exported: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([proofContext, nonce, exported]));
}
