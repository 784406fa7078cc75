import { describe, expect, it } from 'vitest';
import { atrProtocols, identifyAtr, isVitale2Atr } from '../../../src/main/cards/atr';
import { hex } from './helpers';

describe('identifyAtr', () => {
  it.each([
    ['3B 75 13 00 00 43 09 EA 90 00', 'vitale-2'],
    ['3B 75 13 00 00 49 09 EA 90 00', 'vitale-2'],
    ['3F 65 25 00 2C 09 6A 90 00', 'vitale-1'],
    ['3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00', 'cps3'],
    // The mask ignores interface bytes and the chip/version bytes.
    ['3B AC 11 22 33 00 12 25 00 64 80 55 66 77 00 90 00', 'cps3'],
    ['3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E', 'cps3-contactless'],
    ['3B 9B 18 80 01 00 12 25 00 64 80 04 01 00 00 90 44', 'cps4'],
    ['3B AC 00 40 2A 00 12 25 00 64 81 00 03 10 00 90 00', 'unknown'],
    ['3B 6E 00 00 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00', 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (atr, family) => {
    expect(identifyAtr(hex(atr))).toBe(family);
  });

  it('accepts only x = 3…9 in the Vitale 2 ATR', () => {
    expect(isVitale2Atr(hex('3B 75 13 00 00 47 09 EA 90 00'))).toBe(true);
    expect(isVitale2Atr(hex('3B 75 13 00 00 42 09 EA 90 00'))).toBe(false);
  });
});

describe('atrProtocols', () => {
  it('reads T=0 only for Vitale 2 and CPS3 and T=0 + T=1 for CPS4', () => {
    expect(atrProtocols(hex('3B 75 13 00 00 47 09 EA 90 00'))).toEqual(['T0']);
    expect(atrProtocols(hex('3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00'))).toEqual(['T0']);
    expect(atrProtocols(hex('3B 9B 18 80 01 00 12 25 00 64 80 04 01 00 00 90 44'))).toEqual(['T0', 'T1']);
    expect(atrProtocols(hex('3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E'))).toEqual([
      'T0',
      'T1',
    ]);
  });

  it('survives truncated ATRs', () => {
    expect(atrProtocols(hex('3B F0'))).toEqual(['T0']);
    expect(atrProtocols(new Uint8Array())).toEqual(['T0']);
  });
});
