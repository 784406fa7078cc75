import { toHex } from '../hex';

/** SCARD_STATE_* flags (low 16 bits of dwEventState) this tracking needs. */
const STATE_PRESENT = 0x0020;
const STATE_MUTE = 0x0200;

export interface TrackedCard {
  present: boolean;
  /** pcsc-lite's insertion/removal counter (high 16 bits of dwEventState); null before the first status. */
  counter: number | null;
  atr: Uint8Array | null;
}

export type CardChange = 'inserted' | 'removed';

export const NO_CARD: TrackedCard = { present: false, counter: null, atr: null };

/**
 * Card insert/remove from one reader status. Duplicate statuses (same presence, same counter) give
 * nothing; a changed counter while a card stays present means it was pulled and re-inserted (or
 * swapped) between two statuses, which must still reach the app as a removal then an insertion.
 */
export function trackCardState(
  previous: TrackedCard,
  state: number,
  atr: Uint8Array | null,
): { next: TrackedCard; changes: CardChange[] } {
  const flags = state & 0xffff;
  const counter = state >>> 16;
  // A mute card answered no ATR: nothing can be read from it, so for the app the slot is empty.
  const present = (flags & STATE_PRESENT) !== 0 && (flags & STATE_MUTE) === 0;
  const next: TrackedCard = { present, counter, atr: present ? (atr ?? new Uint8Array(0)) : null };
  if (previous.present && !present) return { next, changes: ['removed'] };
  if (!previous.present && present) return { next, changes: ['inserted'] };
  if (previous.present && present) {
    const counterMoved = previous.counter !== null && previous.counter !== counter;
    const atrChanged =
      atr !== null && atr.length > 0 && previous.atr !== null && toHex(previous.atr) !== toHex(atr);
    if (counterMoved || atrChanged) return { next, changes: ['removed', 'inserted'] };
  }
  return { next, changes: [] };
}
