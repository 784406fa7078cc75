import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apduCase,
  decodeApdu,
  describeCommandForLog,
  encodeApdu,
} from '../../../src/main/cards/iso7816/apdu';
import { CardError } from '../../../src/main/cards/errors';
import { hex, toHexString } from './helpers';

describe('encodeApdu', () => {
  it('encodes the four short cases', () => {
    expect(toHexString(encodeApdu({ cla: 0, ins: 0xa4, p1: 0, p2: 0x0c }))).toBe('00A4000C');
    expect(toHexString(encodeApdu({ cla: 0, ins: 0xb0, p1: 0x82, p2: 0, le: 256 }))).toBe('00B0820000');
    expect(toHexString(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 12 }))).toBe('00B000000C');
    expect(toHexString(encodeApdu({ cla: 0, ins: 0xa4, p1: 0, p2: 0, data: hex('3F00') }))).toBe(
      '00A40000023F00',
    );
    expect(toHexString(encodeApdu({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: hex('A0000001'), le: 256 }))).toBe(
      '00A4040004A000000100',
    );
  });

  it('encodes extended lengths when data exceeds 255 bytes or Le exceeds 256', () => {
    const data = new Uint8Array(300).fill(0xaa);
    const encoded = encodeApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data, le: 65536 });
    expect(toHexString(encoded.slice(0, 7))).toBe('00D60000' + '00012C');
    expect(encoded.length).toBe(7 + 300 + 2);
    expect(toHexString(encoded.slice(-2))).toBe('0000');
    expect(toHexString(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1000 }))).toBe('00B000000003E8');
  });

  it('drops Le of a case-4 command over T=0 (the card answers 61xx instead)', () => {
    const encoded = encodeApdu(
      { cla: 0, ins: 0xcb, p1: 0x3f, p2: 0xff, data: hex('0102'), le: 256 },
      { protocol: 'T0' },
    );
    expect(toHexString(encoded)).toBe('00CB3FFF020102');
    const t1 = encodeApdu(
      { cla: 0, ins: 0xcb, p1: 0x3f, p2: 0xff, data: hex('0102'), le: 256 },
      { protocol: 'T1' },
    );
    expect(toHexString(t1)).toBe('00CB3FFF02010200');
  });

  it('refuses extended APDUs over T=0 with a typed protocol error', () => {
    const attempt = (): Uint8Array =>
      encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1000 }, { protocol: 'T0' });
    expect(attempt).toThrow(CardError);
    try {
      attempt();
    } catch (error) {
      expect((error as CardError).kind).toBe('protocol');
      expect((error as CardError).message).toMatch(/T=0/);
    }
  });

  it('refuses out-of-range header bytes and Le', () => {
    expect(() => encodeApdu({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(CardError);
    expect(() => encodeApdu({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(CardError);
    expect(() => encodeApdu({ cla: 0, ins: 0, p1: 0, p2: 0, le: 70000 })).toThrow(CardError);
  });
});

describe('decodeApdu', () => {
  it('recognises each case', () => {
    const c1 = decodeApdu(hex('00A4000C'));
    expect(c1.ok && c1.apdu.case).toBe(1);
    const c2 = decodeApdu(hex('00B0820000'));
    expect(c2.ok && c2.apdu.case === 2 && c2.apdu.le).toBe(256);
    const c3 = decodeApdu(hex('00A40000023F00'));
    expect(c3.ok && c3.apdu.case === 3 && toHexString(c3.apdu.data ?? new Uint8Array())).toBe('3F00');
    const c4 = decodeApdu(hex('00A4040002A0000A'));
    expect(c4.ok && c4.apdu.case === 4 && c4.apdu.le).toBe(10);
    const e2 = decodeApdu(hex('00B00000000000'));
    expect(e2.ok && e2.apdu.extended && e2.apdu.le).toBe(65536);
    const e4 = decodeApdu(hex('00D6000000000201020010'));
    expect(e4.ok && e4.apdu.case === 4 && e4.apdu.extended && e4.apdu.le).toBe(16);
  });

  it('reports malformed APDUs instead of throwing', () => {
    for (const bad of [
      '',
      '00',
      '00A400',
      '00A4000003 3F00',
      '00A4000002 3F00 00 00',
      '00B000000000',
      '00B00000 00 0000 FF',
      '00B00000 00 0002 01',
    ]) {
      const result = decodeApdu(hex(bad));
      expect(result.ok, bad).toBe(false);
    }
  });

  it('round-trips every encodable short or extended APDU (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          cla: fc.integer({ min: 0, max: 255 }),
          ins: fc.integer({ min: 0, max: 255 }),
          p1: fc.integer({ min: 0, max: 255 }),
          p2: fc.integer({ min: 0, max: 255 }),
          data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 400 }), { nil: undefined }),
          le: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
        }),
        (apdu) => {
          const decoded = decodeApdu(encodeApdu(apdu));
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          expect(decoded.apdu.case).toBe(apduCase(apdu));
          expect(decoded.apdu.le).toBe(apdu.le);
          expect(Array.from(decoded.apdu.data ?? [])).toEqual(Array.from(apdu.data ?? []));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void decodeApdu(bytes)),
      { numRuns: 500 },
    );
  });
});

describe('describeCommandForLog', () => {
  it('redacts the data of VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER', () => {
    expect(describeCommandForLog(hex('0020000104 31323334'))).toBe('00 20 00 01 [5 bytes redacted]');
    expect(describeCommandForLog(hex('00240001083132333435363738'))).not.toMatch(/31 32/);
    expect(describeCommandForLog(hex('002C000108 3132333435363738'))).toMatch(/redacted/);
    expect(describeCommandForLog(hex('00A40000023F00'))).toBe('00 A4 00 00 02 3F 00');
  });
});
