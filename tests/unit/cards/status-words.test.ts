import { describe, expect, it } from 'vitest';
import { CardError } from '../../../src/main/cards/errors';
import { expectSuccess, interpretStatus, parseResponse } from '../../../src/main/cards/iso7816/status-words';
import { hex } from './helpers';

describe('interpretStatus', () => {
  it.each([
    [0x90, 0x00, 'ok'],
    [0x62, 0x82, 'end-of-file'],
    [0x67, 0x00, 'wrong-length'],
    [0x69, 0x81, 'incompatible-file'],
    [0x69, 0x82, 'security-not-satisfied'],
    [0x69, 0x83, 'auth-blocked'],
    [0x69, 0x84, 'data-not-usable'],
    [0x69, 0x85, 'conditions-not-satisfied'],
    [0x69, 0x86, 'no-current-ef'],
    [0x6a, 0x80, 'bad-data'],
    [0x6a, 0x81, 'function-not-supported'],
    [0x6a, 0x82, 'file-not-found'],
    [0x6a, 0x83, 'record-not-found'],
    [0x6a, 0x86, 'bad-p1p2'],
    [0x6a, 0x88, 'data-not-found'],
    [0x6b, 0x00, 'offset-out-of-range'],
    [0x6d, 0x00, 'ins-not-supported'],
    [0x6e, 0x00, 'cla-not-supported'],
    [0x6f, 0x00, 'unknown'],
  ])('maps %s %s to %s', (sw1, sw2, kind) => {
    expect(interpretStatus(sw1, sw2).kind).toBe(kind);
  });

  it('extracts the counts carried by 61xx, 6Cxx and 63Cx', () => {
    expect(interpretStatus(0x61, 0x10)).toMatchObject({ kind: 'more-data', available: 16 });
    expect(interpretStatus(0x61, 0x00)).toMatchObject({ kind: 'more-data', available: 256 });
    expect(interpretStatus(0x6c, 0x18)).toMatchObject({ kind: 'wrong-le', correctLe: 24 });
    expect(interpretStatus(0x63, 0xc2)).toMatchObject({ kind: 'pin-wrong', triesLeft: 2 });
    expect(interpretStatus(0x63, 0xc0)).toMatchObject({ kind: 'pin-wrong', triesLeft: 0 });
    expect(interpretStatus(0x63, 0x00).kind).toBe('unknown');
  });
});

describe('parseResponse', () => {
  it('splits data and status word', () => {
    const response = parseResponse(hex('0102039000'));
    expect(Array.from(response.data)).toEqual([1, 2, 3]);
    expect(response.sw).toBe(0x9000);
  });

  it('rejects a reply without status word as malformed', () => {
    for (const raw of ['', '90']) {
      try {
        parseResponse(hex(raw));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CardError);
        expect((error as CardError).kind).toBe('malformed');
      }
    }
  });

  it('expectSuccess accepts 9000, 6282 only when allowed, and types the rest', () => {
    expect(() => expectSuccess(parseResponse(hex('9000')), 'x')).not.toThrow();
    expect(() => expectSuccess(parseResponse(hex('6282')), 'x', { allowEof: true })).not.toThrow();
    expect(() => expectSuccess(parseResponse(hex('6282')), 'x')).toThrow(CardError);
    expect(() => expectSuccess(parseResponse(hex('6A82')), 'READ')).toThrow(/carte a refusé/);
  });
});
