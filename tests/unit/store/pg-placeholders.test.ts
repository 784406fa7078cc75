import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberPlaceholders } from '../../../src/main/store/pg/placeholders';

describe('numberPlaceholders (SQLite ? → PostgreSQL $n)', () => {
  it('numbers the placeholders in order', () => {
    expect(numberPlaceholders('SELECT a FROM t WHERE b = ? AND c IN (?, ?)')).toBe(
      'SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)',
    );
  });

  it('leaves a ? inside a string literal, a quoted identifier or a comment alone', () => {
    expect(
      numberPlaceholders(`SELECT '?', 'it''s ?', "col?" FROM t -- why?\nWHERE a = ? /* ? */ AND b = ?`),
    ).toBe(`SELECT '?', 'it''s ?', "col?" FROM t -- why?\nWHERE a = $1 /* ? */ AND b = $2`);
  });

  it('changes nothing but the placeholders: removing the $n gives back the text without its ?', () => {
    // Independent restatement: outside quotes and comments every ? becomes $k, k counting from 1.
    const piece = fc.constantFrom('a', ' ', '=', '?', "'x?'", '"c?"', '-- ?\n', '/* ? */', ',');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        let k = 0;
        const expected = pieces.map((p) => (p === '?' ? `$${++k}` : p)).join('');
        expect(numberPlaceholders(pieces.join(''))).toBe(expected);
      }),
    );
  });
});
