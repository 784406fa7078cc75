import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  frameText,
  jsonDepthExceeds,
  maxMessageBytes,
  MAX_MESSAGE_BYTES,
  screenFrame,
  SMALL_MESSAGE_BYTES,
} from '../../../src/main/bridge/frame-limits';
import { methodNames } from '../../../src/shared/contract';

/** Independent restatement: the nesting depth of a parsed JSON value (a scalar is depth 0). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null)
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('bridge frame limits', () => {
  it('the depth pre-scan agrees with the depth of the parsed value, strings with brackets and escapes included', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', 'é') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.array(tie('node')),
        fc.dictionary(text, tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 8 }), (v, max) => {
        const frame = Buffer.from(JSON.stringify(v), 'utf8');
        expect(jsonDepthExceeds(frame, max)).toBe(depthOf(v) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a frame as UTF-8, whatever its bytes (ASCII ones through a faster path)', () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200, max: 0x7f }),
      fc.string({ unit: 'grapheme', maxLength: 100 }).map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
    );
    fc.assert(
      fc.property(frames, (bytes) => {
        const frame = Buffer.from(bytes);
        expect(frameText(frame)).toBe(frame.toString('utf8'));
      }),
      { numRuns: 5_000 },
    );
    const deposit = Buffer.from(JSON.stringify({ args: [{ contentBase64: 'QUJD'.repeat(300_000) }] }));
    expect(frameText(deposit)).toBe(deposit.toString('utf8'));
    expect(frameText(Buffer.from('{"t":"Allergie à la pénicilline"}'))).toBe(
      '{"t":"Allergie à la pénicilline"}',
    );
  });

  it('only the document deposit may exceed the small cap, and maxPayload is the largest cap', () => {
    const large = methodNames.filter((m) => maxMessageBytes(m) > SMALL_MESSAGE_BYTES);
    expect(large).toEqual(['documents.deposit']);
    expect(MAX_MESSAGE_BYTES).toBe(maxMessageBytes('documents.deposit'));
    expect(maxMessageBytes('constructor')).toBe(SMALL_MESSAGE_BYTES);
  });

  it('a large frame must name the deposit at its head', () => {
    const pad = 'A'.repeat(SMALL_MESSAGE_BYTES);
    const deposit = Buffer.from(`{"id":9,"method":"documents.deposit","input":{"contentBase64":"${pad}"}}`);
    expect(screenFrame(deposit)).toEqual({ ok: true });
    const search = Buffer.from(`{"id":9,"method":"patient.search","input":{"name":"${pad}"}}`);
    expect(screenFrame(search)).toEqual({ ok: false, reason: 'too-large', id: 9 });
    const headless = Buffer.from(`{"input":{"name":"${pad}"},"id":9,"method":"documents.deposit"}`);
    expect(screenFrame(headless)).toEqual({ ok: false, reason: 'too-large', id: null });
  });
});
