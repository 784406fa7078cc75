import { CardError } from '../errors';

export type StatusKind =
  | 'ok'
  | 'more-data'
  | 'wrong-le'
  | 'end-of-file'
  | 'pin-wrong'
  | 'wrong-length'
  | 'incompatible-file'
  | 'security-not-satisfied'
  | 'auth-blocked'
  | 'data-not-usable'
  | 'conditions-not-satisfied'
  | 'no-current-ef'
  | 'bad-data'
  | 'function-not-supported'
  | 'file-not-found'
  | 'record-not-found'
  | 'bad-p1p2'
  | 'data-not-found'
  | 'offset-out-of-range'
  | 'ins-not-supported'
  | 'cla-not-supported'
  | 'unknown';

export interface StatusResult {
  sw: number;
  kind: StatusKind;
  /** English, for logs. */
  meaning: string;
  /** 61xx: bytes waiting for GET RESPONSE (xx=00 means 256 or more). */
  available?: number;
  /** 6Cxx: the Le the card wants. */
  correctLe?: number;
  /** 63Cx: tries left. */
  triesLeft?: number;
}

const fixed: Record<number, [StatusKind, string]> = {
  0x9000: ['ok', 'success'],
  0x6282: ['end-of-file', 'end of file reached before Le bytes'],
  0x6700: ['wrong-length', 'wrong length'],
  0x6981: ['incompatible-file', 'command incompatible with file structure'],
  0x6982: ['security-not-satisfied', 'security status not satisfied'],
  0x6983: ['auth-blocked', 'authentication method blocked'],
  0x6984: ['data-not-usable', 'referenced data not usable'],
  0x6985: ['conditions-not-satisfied', 'conditions of use not satisfied'],
  0x6986: ['no-current-ef', 'no current EF'],
  0x6a80: ['bad-data', 'incorrect data field'],
  0x6a81: ['function-not-supported', 'function not supported'],
  0x6a82: ['file-not-found', 'file or application not found'],
  0x6a83: ['record-not-found', 'record not found'],
  0x6a86: ['bad-p1p2', 'incorrect P1-P2'],
  0x6a88: ['data-not-found', 'referenced data not found'],
  0x6b00: ['offset-out-of-range', 'wrong P1-P2 (offset outside the EF)'],
  0x6d00: ['ins-not-supported', 'INS not supported'],
  0x6e00: ['cla-not-supported', 'CLA not supported'],
};

/** Maps SW1 SW2 to a typed result (ISO 7816-4 table, meanings as in OpenSC iso7816.c). */
export function interpretStatus(sw1: number, sw2: number): StatusResult {
  const sw = ((sw1 & 0xff) << 8) | (sw2 & 0xff);
  if (sw1 === 0x61)
    return { sw, kind: 'more-data', meaning: 'more data available', available: sw2 === 0 ? 256 : sw2 };
  if (sw1 === 0x6c) return { sw, kind: 'wrong-le', meaning: 'wrong Le', correctLe: sw2 === 0 ? 256 : sw2 };
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) {
    return { sw, kind: 'pin-wrong', meaning: 'verification failed', triesLeft: sw2 & 0x0f };
  }
  const known = fixed[sw];
  if (known) return { sw, kind: known[0], meaning: known[1] };
  return { sw, kind: 'unknown', meaning: `unknown status ${sw.toString(16).padStart(4, '0')}` };
}

export interface ResponseApdu {
  data: Uint8Array;
  sw1: number;
  sw2: number;
  sw: number;
}

/** Splits an R-APDU; fewer than two bytes is a malformed reply, not a crash. */
export function parseResponse(raw: Uint8Array): ResponseApdu {
  if (raw.length < 2) {
    throw new CardError('malformed', { detail: `R-APDU of ${raw.length} bytes has no status word` });
  }
  const sw1 = raw[raw.length - 2] ?? 0;
  const sw2 = raw[raw.length - 1] ?? 0;
  return { data: raw.slice(0, raw.length - 2), sw1, sw2, sw: (sw1 << 8) | sw2 };
}

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0').toUpperCase();
}

/** Throws a typed error unless the response is 9000 (or 6282 when `allowEof`). */
export function expectSuccess(
  response: ResponseApdu,
  what: string,
  options: { allowEof?: boolean } = {},
): void {
  if (response.sw === 0x9000) return;
  if (options.allowEof && response.sw === 0x6282) return;
  const status = interpretStatus(response.sw1, response.sw2);
  throw new CardError('status', { detail: `${what}: SW ${swHex(response.sw)} (${status.meaning})` });
}
