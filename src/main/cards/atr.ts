import { toHex } from './hex';
import type { Protocol } from './transport/card-transport';

export type CardFamily = 'vitale-2' | 'vitale-1' | 'cps3' | 'cps3-contactless' | 'cps4' | 'unknown';

interface AtrPattern {
  family: Exclude<CardFamily, 'unknown'>;
  atr: number[];
  mask: number[];
}

const full = (n: number): number[] => Array<number>(n).fill(0xff);

/**
 * ATR table (cards.md §1.1/§1.2): Vitale 2 from pcsc-tools' smartcard_list, CPS3/CPS4 from ANS
 * CryptoLib card-cps3.c (the CPS3 contact mask ignores the interface bytes and the chip version).
 */
const patterns: AtrPattern[] = [
  {
    family: 'vitale-2',
    atr: [0x3b, 0x75, 0x13, 0x00, 0x00, 0x40, 0x09, 0xea, 0x90, 0x00],
    mask: [...full(5), 0xf0, ...full(4)],
  },
  {
    family: 'cps3',
    atr: [
      0x3b, 0xac, 0x00, 0x40, 0x2a, 0x00, 0x12, 0x25, 0x00, 0x64, 0x80, 0x00, 0x03, 0x10, 0x00, 0x90, 0x00,
    ],
    mask: [0xff, 0, 0, 0, 0, ...full(6), 0, 0, 0, 0xff, 0xff, 0xff],
  },
  {
    family: 'cps3-contactless',
    atr: [
      0x3b, 0x8f, 0x80, 0x01, 0x00, 0x31, 0xb8, 0x64, 0x04, 0xb0, 0xec, 0xc1, 0x73, 0x94, 0x01, 0x80, 0x82,
      0x90, 0x00, 0x0e,
    ],
    mask: full(20),
  },
  {
    family: 'cps4',
    atr: [
      0x3b, 0x9b, 0x18, 0x80, 0x01, 0x00, 0x12, 0x25, 0x00, 0x64, 0x80, 0x04, 0x01, 0x00, 0x00, 0x90, 0x44,
    ],
    mask: full(17),
  },
];

export function identifyAtr(atr: Uint8Array): CardFamily {
  if (atr[0] === 0x3f) return 'vitale-1'; // inverse convention: only Vitale 1 among the cards we meet
  for (const pattern of patterns) {
    if (atr.length !== pattern.atr.length) continue;
    if (
      pattern.atr.every(
        (byte, i) => ((atr[i] ?? 0) & (pattern.mask[i] ?? 0)) === (byte & (pattern.mask[i] ?? 0)),
      )
    ) {
      return pattern.family;
    }
  }
  return 'unknown';
}

export function isVitale2Atr(atr: Uint8Array): boolean {
  const x = (atr[5] ?? 0) & 0x0f;
  return identifyAtr(atr) === 'vitale-2' && x >= 3 && x <= 9;
}

/**
 * Protocols offered by an ATR (ISO 7816-3 §8.2): T=0 unless a TDi byte announces others. The first
 * offered protocol is the default a reader negotiates.
 */
export function atrProtocols(atr: Uint8Array): Protocol[] {
  const found = new Set<number>();
  let y = (atr[1] ?? 0) >> 4;
  let pos = 2;
  for (let guard = 0; guard < 8 && pos < atr.length; guard++) {
    pos += (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1);
    if (!(y & 0x8) || pos >= atr.length) break;
    const td = atr[pos] ?? 0;
    found.add(td & 0x0f);
    y = td >> 4;
    pos++;
  }
  const out: Protocol[] = [];
  if (found.size === 0 || found.has(0)) out.push('T0');
  if (found.has(1)) out.push('T1');
  return out.length > 0 ? out : ['T0'];
}

export function atrHex(atr: Uint8Array): string {
  return toHex(atr, ' ');
}
