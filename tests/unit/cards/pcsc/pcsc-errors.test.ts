import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CardError } from '../../../../src/main/cards/errors';
import {
  PCSC,
  describePcscFailure,
  endsSession,
  formatPcscCode,
  parsePcscErrorCode,
  toCardError,
} from '../../../../src/main/cards/transport/pcsc-errors';

describe('parsePcscErrorCode', () => {
  it('reads the code at the end of a pcsclite message', () => {
    expect(parsePcscErrorCode('SCardTransmit error: Card was removed.(0x80100069)')).toBe(
      PCSC.W_REMOVED_CARD,
    );
    expect(parsePcscErrorCode('SCardConnect error: Card was reset.(0x80100068)')).toBe(PCSC.W_RESET_CARD);
  });

  it('accepts either case and keeps the last code when there are several', () => {
    expect(parsePcscErrorCode('SCardEstablishContext error: Service not available.(0x8010001d)')).toBe(
      PCSC.E_NO_SERVICE,
    );
    expect(parsePcscErrorCode('wrapped 0x80100069 then (0x8010001E)')).toBe(PCSC.E_SERVICE_STOPPED);
  });

  it('returns null when there is no PC/SC code', () => {
    expect(parsePcscErrorCode('Card Reader not connected')).toBeNull();
    expect(parsePcscErrorCode('errno 0x12345678')).toBeNull();
    expect(parsePcscErrorCode('')).toBeNull();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const code = parsePcscErrorCode(text);
        expect(code === null || (code >= 0x80100000 && code <= 0x8010ffff)).toBe(true);
      }),
    );
  });
});

describe('toCardError', () => {
  const cases: [string, string][] = [
    ['SCardTransmit error: Card was removed.(0x80100069)', 'removed'],
    ['SCardTransmit error: Card was reset.(0x80100068)', 'reset'],
    ['SCardEstablishContext error: Service not available.(0x8010001D)', 'no-service'],
    ['SCardGetStatusChange error: Service was stopped.(0x8010001E)', 'no-service'],
    ['SCardGetStatusChange error: RPC transport error.(0x80100013)', 'no-service'],
    ['SCardListReaders error: Cannot find a smart card reader.(0x8010002E)', 'no-reader'],
    ['SCardConnect error: Unknown reader specified.(0x80100009)', 'no-reader'],
    ['SCardConnect error: No smart card inserted.(0x8010000C)', 'no-card'],
    ['SCardTransmit error: Card protocol mismatch.(0x8010000F)', 'protocol'],
    ['SCardTransmit error: Insufficient buffer.(0x80100008)', 'protocol'],
    ['SCardTransmit error: Transaction failed.(0x80100016)', 'io'],
    ['SCardTransmit error: Invalid handle.(0x80100003)', 'closed'],
    ['something odd', 'io'],
  ];
  it.each(cases)('%s → %s', (message, kind) => {
    const error = toCardError(new Error(message));
    expect(error).toBeInstanceOf(CardError);
    expect(error.kind).toBe(kind);
    expect(error.detail).toContain(message);
  });

  it('gives French user messages and keeps the operation and hex code for the logs', () => {
    const error = toCardError(new Error('SCardConnect error: Sharing violation.(0x8010000B)'));
    expect(error.message).toBe('La carte est utilisée en exclusivité par une autre application.');
    expect(error.detail).toContain('SCardConnect');
    expect(error.detail).toContain('0x8010000B');
    expect(
      describePcscFailure(new Error('SCardConnect error: Sharing violation.(0x8010000B)')),
    ).toMatchObject({
      kind: 'sharing-violation',
      operation: 'SCardConnect',
      code: PCSC.E_SHARING_VIOLATION,
    });
  });

  it('passes CardErrors through and accepts non-Error values', () => {
    const original = new CardError('pin-wrong');
    expect(toCardError(original)).toBe(original);
    expect(toCardError('SCardTransmit error: Card was removed.(0x80100069)').kind).toBe('removed');
    expect(toCardError(undefined).kind).toBe('io');
  });

  it('marks which failures end the session', () => {
    expect(endsSession(toCardError(new Error('(0x80100069)')))).toBe(true);
    expect(endsSession(toCardError(new Error('(0x80100068)')))).toBe(true);
    expect(endsSession(toCardError(new Error('(0x8010001D)')))).toBe(true);
    expect(endsSession(toCardError(new Error('(0x80100016)')))).toBe(false);
    expect(endsSession(toCardError(new Error('(0x8010000F)')))).toBe(false);
  });

  it('formats codes as 8 hex digits', () => {
    expect(formatPcscCode(PCSC.E_NO_READERS_AVAILABLE)).toBe('0x8010002E');
  });
});
