import { CardError } from '../errors';
import type { Protocol } from '../transport/card-transport';

/** A command APDU before encoding. `le` counts expected bytes: 256 is short `00`, 65536 extended `0000`. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
}

export type ApduCase = 1 | 2 | 3 | 4;

export interface DecodedCommandApdu extends CommandApdu {
  case: ApduCase;
  extended: boolean;
}

export type ApduDecodeResult = { ok: true; apdu: DecodedCommandApdu } | { ok: false; reason: string };

export function apduCase(apdu: CommandApdu): ApduCase {
  const hasData = apdu.data !== undefined && apdu.data.length > 0;
  const hasLe = apdu.le !== undefined;
  if (hasData) return hasLe ? 4 : 3;
  return hasLe ? 2 : 1;
}

export function needsExtendedLength(apdu: CommandApdu): boolean {
  return (apdu.data?.length ?? 0) > 255 || (apdu.le ?? 0) > 256;
}

function checkByte(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new CardError('protocol', { detail: `APDU ${field} out of range: ${value}` });
  }
}

/**
 * Encodes per ISO 7816-4 §5.1. Over T=0 a case-4 command goes out without Le (ISO 7816-3 maps it
 * to case 3; the card answers 61xx) and extended lengths are impossible, so they are refused.
 */
export function encodeApdu(apdu: CommandApdu, options: { protocol?: Protocol } = {}): Uint8Array {
  checkByte(apdu.cla, 'CLA');
  checkByte(apdu.ins, 'INS');
  checkByte(apdu.p1, 'P1');
  checkByte(apdu.p2, 'P2');
  const data = apdu.data ?? new Uint8Array(0);
  if (data.length > 65535) throw new CardError('protocol', { detail: `APDU data too long: ${data.length}` });
  if (apdu.le !== undefined && (!Number.isInteger(apdu.le) || apdu.le < 1 || apdu.le > 65536)) {
    throw new CardError('protocol', { detail: `APDU Le out of range: ${apdu.le}` });
  }
  const extended = needsExtendedLength(apdu);
  if (extended && options.protocol === 'T0') {
    throw new CardError('protocol', {
      message: 'Commande trop longue pour le protocole T=0 de cette carte.',
      detail: 'extended-length APDU refused over T=0',
    });
  }
  const le = options.protocol === 'T0' && data.length > 0 ? undefined : apdu.le;
  const header = [apdu.cla, apdu.ins, apdu.p1, apdu.p2];
  const out: number[] = [...header];
  if (!extended) {
    if (data.length > 0) out.push(data.length, ...data);
    if (le !== undefined) out.push(le === 256 ? 0 : le);
  } else {
    out.push(0);
    if (data.length > 0) out.push(data.length >> 8, data.length & 0xff, ...data);
    if (le !== undefined) out.push((le >> 8) & 0xff, le & 0xff);
  }
  return Uint8Array.from(out);
}

/** Parses a C-APDU the way OpenSC's sc_bytes2apdu does; trailing or missing bytes are malformed. */
export function decodeApdu(bytes: Uint8Array): ApduDecodeResult {
  if (bytes.length < 4) return { ok: false, reason: 'shorter than a header' };
  const [cla, ins, p1, p2] = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0];
  const base = { cla, ins, p1, p2 };
  if (bytes.length === 4) return { ok: true, apdu: { ...base, case: 1, extended: false } };
  const b4 = bytes[4] ?? 0;
  if (bytes.length === 5)
    return { ok: true, apdu: { ...base, le: b4 === 0 ? 256 : b4, case: 2, extended: false } };
  if (b4 !== 0) {
    const data = bytes.slice(5, 5 + b4);
    if (bytes.length === 5 + b4) return { ok: true, apdu: { ...base, data, case: 3, extended: false } };
    if (bytes.length === 6 + b4) {
      const le = bytes[5 + b4] ?? 0;
      return { ok: true, apdu: { ...base, data, le: le === 0 ? 256 : le, case: 4, extended: false } };
    }
    return { ok: false, reason: `Lc=${b4} does not match ${bytes.length} bytes` };
  }
  if (bytes.length < 7) return { ok: false, reason: 'truncated extended length' };
  const word = ((bytes[5] ?? 0) << 8) | (bytes[6] ?? 0);
  if (bytes.length === 7)
    return { ok: true, apdu: { ...base, le: word === 0 ? 65536 : word, case: 2, extended: true } };
  if (word === 0) return { ok: false, reason: 'extended Lc of zero' };
  const data = bytes.slice(7, 7 + word);
  if (bytes.length === 7 + word) return { ok: true, apdu: { ...base, data, case: 3, extended: true } };
  if (bytes.length === 9 + word) {
    const le = ((bytes[7 + word] ?? 0) << 8) | (bytes[8 + word] ?? 0);
    return { ok: true, apdu: { ...base, data, le: le === 0 ? 65536 : le, case: 4, extended: true } };
  }
  return { ok: false, reason: `extended Lc=${word} does not match ${bytes.length} bytes` };
}

/** INS codes whose data field carries a PIN or PUK (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER). */
export const SENSITIVE_INS: ReadonlySet<number> = new Set([0x20, 0x24, 0x2c]);

/** Hex trace of a C-APDU for logs; the data of PIN-carrying commands is replaced by its length. */
export function describeCommandForLog(bytes: Uint8Array): string {
  const hex = (b: Uint8Array): string =>
    Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  const ins = bytes[1];
  if (ins !== undefined && SENSITIVE_INS.has(ins) && bytes.length > 4) {
    return `${hex(bytes.slice(0, 4))} [${bytes.length - 4} bytes redacted]`;
  }
  return hex(bytes);
}
