/**
 * PC/SC failures as typed errors. node-pcsclite reports every failure as a plain `Error` whose text
 * ends with the SCARD code, e.g. `SCardTransmit error: Card was removed.(0x80100069)`, with no code
 * property: the code has to be parsed out of the message.
 */
import type { CardErrorKind } from '../errors';
import { CardError } from '../errors';

export const PCSC = {
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_INSUFFICIENT_BUFFER: 0x80100008,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_PROTO_MISMATCH: 0x8010000f,
  E_SYSTEM_CANCELLED: 0x80100012,
  F_COMM_ERROR: 0x80100013,
  E_INVALID_ATR: 0x80100015,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNSUPPORTED_CARD: 0x80100065,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
  W_SECURITY_VIOLATION: 0x8010006a,
} as const;

export type PcscErrorKind =
  | 'card-removed'
  | 'no-card'
  | 'card-reset'
  | 'service-unavailable'
  | 'no-readers'
  | 'reader-unavailable'
  | 'protocol-mismatch'
  | 'insufficient-buffer'
  | 'sharing-violation'
  | 'unresponsive-card'
  | 'unsupported-card'
  | 'transmission-failed'
  | 'cancelled'
  | 'timeout'
  | 'invalid-handle'
  | 'security-violation'
  | 'unknown';

const kindByCode = new Map<number, PcscErrorKind>([
  [PCSC.W_REMOVED_CARD, 'card-removed'],
  [PCSC.E_NO_SMARTCARD, 'no-card'],
  [PCSC.W_RESET_CARD, 'card-reset'],
  [PCSC.W_UNPOWERED_CARD, 'card-reset'],
  [PCSC.E_NO_SERVICE, 'service-unavailable'],
  [PCSC.E_SERVICE_STOPPED, 'service-unavailable'],
  // The client library reports a broken socket to pcscd as a communication error.
  [PCSC.F_COMM_ERROR, 'service-unavailable'],
  [PCSC.E_NO_READERS_AVAILABLE, 'no-readers'],
  [PCSC.E_UNKNOWN_READER, 'reader-unavailable'],
  [PCSC.E_READER_UNAVAILABLE, 'reader-unavailable'],
  [PCSC.E_PROTO_MISMATCH, 'protocol-mismatch'],
  [PCSC.E_INSUFFICIENT_BUFFER, 'insufficient-buffer'],
  [PCSC.E_SHARING_VIOLATION, 'sharing-violation'],
  [PCSC.W_UNRESPONSIVE_CARD, 'unresponsive-card'],
  [PCSC.W_UNSUPPORTED_CARD, 'unsupported-card'],
  [PCSC.E_INVALID_ATR, 'unsupported-card'],
  [PCSC.E_NOT_TRANSACTED, 'transmission-failed'],
  [PCSC.E_CANCELLED, 'cancelled'],
  [PCSC.E_SYSTEM_CANCELLED, 'cancelled'],
  [PCSC.E_TIMEOUT, 'timeout'],
  [PCSC.E_INVALID_HANDLE, 'invalid-handle'],
  [PCSC.W_SECURITY_VIOLATION, 'security-violation'],
]);

const frenchMessage: Record<PcscErrorKind, string> = {
  'card-removed': 'La carte a été retirée du lecteur.',
  'no-card': 'Aucune carte dans le lecteur.',
  'card-reset': 'La carte a été réinitialisée par une autre application ; recommencez la lecture.',
  'service-unavailable': 'Le service de cartes à puce (pcscd) ne répond pas. Vérifiez qu’il est démarré.',
  'no-readers': 'Aucun lecteur de cartes n’est branché.',
  'reader-unavailable': 'Le lecteur de cartes n’est plus disponible.',
  'protocol-mismatch': 'Le protocole de communication avec la carte ne correspond pas.',
  'insufficient-buffer': 'La réponse de la carte est plus longue que prévu.',
  'sharing-violation': 'La carte est utilisée en exclusivité par une autre application.',
  'unresponsive-card': 'La carte ne répond pas. Retirez-la et réinsérez-la.',
  'unsupported-card': 'Cette carte n’est pas prise en charge par le lecteur.',
  'transmission-failed': 'La communication avec la carte a échoué.',
  cancelled: 'L’opération sur la carte a été annulée.',
  timeout: 'La carte n’a pas répondu à temps.',
  'invalid-handle': 'La connexion à la carte n’est plus valide ; recommencez la lecture.',
  'security-violation': 'L’accès au service de cartes à puce a été refusé.',
  unknown: 'Erreur inattendue du lecteur de cartes.',
};

/** The shared CardError kind each PC/SC failure becomes for the layers above the transport. */
const cardErrorKindByPcscKind: Record<PcscErrorKind, CardErrorKind> = {
  'card-removed': 'removed',
  'no-card': 'no-card',
  'card-reset': 'reset',
  'service-unavailable': 'no-service',
  'no-readers': 'no-reader',
  'reader-unavailable': 'no-reader',
  'protocol-mismatch': 'protocol',
  'insufficient-buffer': 'protocol',
  'sharing-violation': 'io',
  'unresponsive-card': 'io',
  'unsupported-card': 'unsupported',
  'transmission-failed': 'io',
  cancelled: 'io',
  timeout: 'io',
  'invalid-handle': 'closed',
  'security-violation': 'no-service',
  unknown: 'io',
};

/** CardError kinds after which the open card handle is useless and a new connection is needed. */
const sessionEndingKinds: ReadonlySet<CardErrorKind> = new Set([
  'removed',
  'reset',
  'no-card',
  'no-service',
  'no-reader',
  'closed',
]);

export interface PcscFailure {
  kind: PcscErrorKind;
  /** The SCARD_* code when the message carried one. */
  code: number | null;
  /** The PC/SC call that failed (`SCardTransmit`…), when known. */
  operation: string | null;
  /** Original English text, for the logs only. */
  message: string;
}

export function formatPcscCode(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The last `0x8010xxxx` in a pcsclite message, or null when there is none. */
export function parsePcscErrorCode(message: string): number | null {
  const matches = [...message.matchAll(/0x(8010[0-9a-fA-F]{4})/g)];
  const last = matches.at(-1);
  return last?.[1] === undefined ? null : Number.parseInt(last[1], 16);
}

export function pcscErrorKind(code: number | null): PcscErrorKind {
  return code === null ? 'unknown' : (kindByCode.get(code >>> 0) ?? 'unknown');
}

/** Reads whatever the addon threw or passed to a callback; never throws itself. */
export function describePcscFailure(error: unknown): PcscFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = parsePcscErrorCode(message);
  const operation = /^(SCard\w+)/.exec(message)?.[1] ?? null;
  return { kind: pcscErrorKind(code), code, operation, message };
}

export function pcscFailureToCardError(failure: PcscFailure, cause?: unknown): CardError {
  const code = failure.code === null ? 'no code' : formatPcscCode(failure.code);
  return new CardError(cardErrorKindByPcscKind[failure.kind], {
    message: frenchMessage[failure.kind],
    detail: `${failure.operation ?? 'PC/SC'} failed: ${failure.kind} (${code}): ${failure.message}`,
    cause,
  });
}

/** The typed error the transport throws for a raw pcsclite error (already-typed CardErrors pass through). */
export function toCardError(error: unknown): CardError {
  if (error instanceof CardError) return error;
  return pcscFailureToCardError(describePcscFailure(error), error);
}

export function pcscCardError(kind: PcscErrorKind, detail: string): CardError {
  return pcscFailureToCardError({ kind, code: null, operation: null, message: detail });
}

export function endsSession(error: CardError): boolean {
  return sessionEndingKinds.has(error.kind);
}
