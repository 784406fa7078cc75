import { isAscii } from 'node:buffer';
import type { MethodName } from '../../shared/contract';

/**
 * Limits on one bridge message, checked on the raw frame before `JSON.parse`: parsing is synchronous,
 * so a 28 MB nested message parsed on the main thread freezes every other client. Only a document
 * deposit may be large (its `contentBase64` is capped at 28 000 000 characters by the contract).
 */
export const SMALL_MESSAGE_BYTES = 64 * 1024;
const DEPOSIT_MESSAGE_BYTES = 28_000_000 + SMALL_MESSAGE_BYTES;
const largeMethods: Partial<Record<MethodName, number>> = { 'documents.deposit': DEPOSIT_MESSAGE_BYTES };

/** The WebSocket `maxPayload`: no frame may exceed the largest method's cap. */
export const MAX_MESSAGE_BYTES = Math.max(SMALL_MESSAGE_BYTES, ...Object.values(largeMethods));

/** Contract inputs are a few levels deep; 32 leaves room without letting a parser recurse far. */
export const MAX_JSON_DEPTH = 32;

export function maxMessageBytes(method: string): number {
  return Object.prototype.hasOwnProperty.call(largeMethods, method)
    ? largeMethods[method as MethodName]!
    : SMALL_MESSAGE_BYTES;
}

export type FrameVerdict = { ok: true } | { ok: false; reason: 'too-large' | 'too-deep'; id: number | null };

/** The renderer writes `{"id":N,"method":"…",…` first: enough to pick the cap without parsing. */
const envelopeHead = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*,\s*"method"\s*:\s*"([A-Za-z.]{1,80})"/;

export function peekEnvelope(frame: Buffer): { id: number; method: string } | null {
  const match = envelopeHead.exec(frame.subarray(0, 160).toString('latin1'));
  return match ? { id: Number(match[1]), method: match[2]! } : null;
}

/**
 * Cheap checks on a raw text frame, in order: size against the cap of the method named at its head
 * (a large frame must name a large method there), then nesting depth by a linear scan that stops at
 * the first level over the limit. The parsed message is checked again against its real method.
 */
export function screenFrame(frame: Buffer): FrameVerdict {
  const head = peekEnvelope(frame);
  const cap = head ? maxMessageBytes(head.method) : SMALL_MESSAGE_BYTES;
  if (frame.length > cap) return { ok: false, reason: 'too-large', id: head?.id ?? null };
  if (jsonDepthExceeds(frame, MAX_JSON_DEPTH)) return { ok: false, reason: 'too-deep', id: head?.id ?? null };
  return { ok: true };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * True when `[`/`{` nest deeper than `max` outside strings. One pass, no allocation; inside a string
 * it jumps to the next quote with `indexOf` (base64 content is skipped at memcpy speed). UTF-8
 * continuation bytes are ≥ 0x80, so byte-wise scanning cannot mistake them for brackets or quotes.
 */
export function jsonDepthExceeds(text: Buffer, max: number): boolean {
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === QUOTE) {
      i = endOfString(text, i + 1);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    i++;
  }
  return false;
}

/** Index just after the quote closing the string that starts at `from` (or the end of the text). */
function endOfString(text: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf(QUOTE, i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    for (let j = quote - 1; j >= from && text[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/**
 * The text of a received JSON frame (UTF-8). A deposit's frame is megabytes of base64 inside ASCII
 * JSON: ASCII decodes to the same string as Latin-1, which is a plain copy, where UTF-8 decoding
 * validated every byte (~7 ms of the host's CPU per 2 MB deposit). Anything else is decoded as UTF-8.
 */
export function frameText(frame: Buffer): string {
  return isAscii(frame) ? frame.toString('latin1') : frame.toString('utf8');
}
