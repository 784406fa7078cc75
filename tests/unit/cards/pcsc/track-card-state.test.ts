import { describe, expect, it } from 'vitest';
import {
  NO_CARD,
  parseReaderNames,
  trackCardState,
  type TrackedCard,
} from '../../../../src/main/cards/transport/pcsclite-transport';

const EMPTY = 0x0010;
const PRESENT = 0x0020;
const INUSE = 0x0100;
const MUTE = 0x0200;
const CHANGED = 0x0002;
const ATR_A = Uint8Array.of(0x3b, 0x75, 0x13, 0x00, 0x00, 0x47, 0x09, 0xea, 0x90, 0x00);
const ATR_B = Uint8Array.of(0x3b, 0xac, 0x00, 0x40);
const state = (flags: number, counter: number): number => ((counter << 16) | flags) >>> 0;

function run(statuses: [number, Uint8Array | null][]): string[] {
  let card: TrackedCard = NO_CARD;
  const out: string[] = [];
  for (const [s, atr] of statuses) {
    const { next, changes } = trackCardState(card, s, atr);
    card = next;
    out.push(...changes);
  }
  return out;
}

describe('trackCardState', () => {
  it('reports a card already present at start as inserted', () => {
    const { next, changes } = trackCardState(NO_CARD, state(PRESENT | CHANGED, 1), ATR_A);
    expect(changes).toEqual(['inserted']);
    expect(next.atr).toEqual(ATR_A);
  });

  it('reports nothing for an empty reader at start', () => {
    expect(run([[state(EMPTY, 0), null]])).toEqual([]);
  });

  it('derives insert and remove from PRESENT/EMPTY transitions', () => {
    expect(
      run([
        [state(EMPTY, 0), null],
        [state(PRESENT | CHANGED, 1), ATR_A],
        [state(EMPTY | CHANGED, 2), null],
      ]),
    ).toEqual(['inserted', 'removed']);
  });

  it('ignores duplicate statuses and flag changes that are not presence (INUSE, CHANGED)', () => {
    expect(
      run([
        [state(PRESENT, 1), ATR_A],
        [state(PRESENT, 1), ATR_A],
        [state(PRESENT | INUSE | CHANGED, 1), ATR_A],
        [state(PRESENT | CHANGED, 1), ATR_A],
      ]),
    ).toEqual(['inserted']);
  });

  it('catches a quick remove + insert from the event counter even though both statuses say PRESENT', () => {
    expect(
      run([
        [state(PRESENT, 3), ATR_A],
        [state(PRESENT | CHANGED, 5), ATR_A],
      ]),
    ).toEqual(['inserted', 'removed', 'inserted']);
  });

  it('treats a different ATR under the same counter as a card swap', () => {
    expect(
      run([
        [state(PRESENT, 1), ATR_A],
        [state(PRESENT, 1), ATR_B],
      ]),
    ).toEqual(['inserted', 'removed', 'inserted']);
  });

  it('treats a mute card as absent', () => {
    expect(run([[state(PRESENT | MUTE, 1), null]])).toEqual([]);
    expect(
      run([
        [state(PRESENT, 1), ATR_A],
        [state(PRESENT | MUTE | CHANGED, 3), null],
      ]),
    ).toEqual(['inserted', 'removed']);
  });

  it('handles the counter in the top bit without going negative', () => {
    const { next } = trackCardState(NO_CARD, state(PRESENT, 0xffff), ATR_A);
    expect(next.counter).toBe(0xffff);
  });
});

describe('parseReaderNames', () => {
  it('splits the PC/SC multi-string', () => {
    expect(parseReaderNames(Buffer.from('Virtual PCD 00 00\0Virtual PCD 00 01\0\0'))).toEqual([
      'Virtual PCD 00 00',
      'Virtual PCD 00 01',
    ]);
    expect(parseReaderNames(Buffer.from('\0'))).toEqual([]);
    expect(parseReaderNames(Buffer.alloc(0))).toEqual([]);
  });
});
