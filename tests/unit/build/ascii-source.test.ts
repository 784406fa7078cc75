import { decode, encode } from '@jridgewell/sourcemap-codec';
import { describe, expect, it } from 'vitest';
import { asciiSource } from '../../../scripts/ascii-source.mjs';

/** A source map of `code` with one segment at each column listed, mapping to source line = segment index. */
function mapOf(columnsByLine: number[][]): { version: number; mappings: string } {
  return {
    version: 3,
    mappings: encode(columnsByLine.map((columns) => columns.map((column, i) => [column, 0, i, 0]))),
  };
}

describe('asciiSource', () => {
  it('writes non-ASCII code units as \\u escapes that mean the same in regular expressions', () => {
    const code = 'const a=/r[ée]g/i,b=/^[\\p{L}’]+$/u,c=/😀/u,d=/😀/;';
    const { code: ascii } = asciiSource(code, null);
    expect([...ascii].every((character) => character.charCodeAt(0) < 0x80)).toBe(true);
    const [a, b, c, d] = new Function(`${ascii}; return [a, b, c, d];`)() as RegExp[];
    expect(a?.test('RÉGLE')).toBe(true);
    expect(a?.test('rag')).toBe(false);
    expect(b?.test('l’Hôpital')).toBe(true);
    expect(b?.test('l"H')).toBe(false);
    expect(c?.test('😀')).toBe(true);
    expect(d?.test('😀')).toBe(true);
  });

  it('moves the source map’s generated columns after each escape, line by line', () => {
    // Line 1: a segment before the é, one after it, one after the second one; line 2 unchanged.
    const code = 'x=/é/;y=1;z=/ü/;w\nq=2;';
    const { map } = asciiSource(
      code,
      mapOf([
        [0, 6, 16],
        [0, 2],
      ]),
    );
    const shifted = decode((map as { mappings: string }).mappings).map((line) => line.map((s) => s[0]));
    // Each escape is 6 characters for 1: +5 after the first, +10 after the second.
    expect(shifted).toEqual([
      [0, 11, 26],
      [0, 2],
    ]);
  });

  it('refuses a non-ASCII character right after a backslash, which an escape would change', () => {
    expect(() => asciiSource('x=/\\é/;', null)).toThrow(
      /line 1, column 5: a non-ASCII character after a backslash/,
    );
    // After an escaped backslash it is a character of its own: rewritten.
    expect(asciiSource('x=/\\\\é/;', null).code).toBe('x=/\\\\\\u00e9/;');
  });
});
