import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { decodePaddedBase64, isPaddedBase64 } from '../../../src/main/bridge/base64';
import { decodeBase64 } from '../../../src/main/dmp/deposit-input';
import { base64 as base64Check } from '../../../src/main/local-import/json-check';

/** The check every base64 of a deposit went through before isPaddedBase64 (kept here as the reference). */
const regexCheck = (text: string): boolean => text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);

/** decodeBase64 as it was, for the comparison of accepted strings, bytes and refusals. */
function regexDecode(value: string): Uint8Array {
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new ApiError('INVALID_INPUT', 'Le contenu du fichier est mal encodé (base64 attendu).');
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

const outcome = (decode: (v: string) => Uint8Array, value: string) => {
  try {
    return { bytes: Buffer.from(decode(value)).toString('hex') };
  } catch (err) {
    return { error: err instanceof ApiError ? `${err.code} ${err.message}` : String(err) };
  }
};

// Strings near the boundary: mostly the alphabet, with padding, every kind of whitespace \s knows,
// the base64url characters, other ASCII, Latin-1, surrogates and astral characters.
const near = fc.constantFrom(
  ...'ABCXYZabcxyz0189+/',
  '=',
  '=',
  '==',
  ...' \t\n\v\f\r\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff',
  '-',
  '_',
  '.',
  '\0',
  '\u007f',
  '\u0080',
  'é',
  '\u0141',
  '\ud83d',
  '\ude00',
  '😀',
  '\uff21', // fullwidth A
);
const nearStrings = fc.array(near, { maxLength: 24 }).map((parts) => parts.join(''));
const anyStrings = fc.oneof(nearStrings, fc.string({ unit: 'binary', maxLength: 24 }), fc.base64String());

describe('isPaddedBase64', () => {
  it('accepts and refuses exactly what the regular expression did', () => {
    fc.assert(
      fc.property(anyStrings, (text) => {
        expect(isPaddedBase64(text)).toBe(regexCheck(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('on a table of edge cases, too', () => {
    const table = [
      '',
      '=',
      '==',
      '===',
      '====',
      'A===',
      'AA==',
      'AAA=',
      'AAAA',
      'AA=A',
      '=AAA',
      'AAAA====',
      'AAAAAA==',
      'AA==AA==',
      'AB\ncd==',
      'ab-_',
      'QUJD',
      'QUJD\n',
      'Q\u0000JD',
      '\u00c1BCD',
      'ABC\u0141',
    ];
    for (const text of table) expect(isPaddedBase64(text), JSON.stringify(text)).toBe(regexCheck(text));
  });

  it('gives the bytes Buffer.from decodes, when it accepts', () => {
    fc.assert(
      fc.property(anyStrings, (text) => {
        const bytes = decodePaddedBase64(text);
        expect(bytes === null ? null : bytes.toString('hex')).toBe(
          regexCheck(text) ? Buffer.from(text, 'base64').toString('hex') : null,
        );
      }),
      { numRuns: 5_000 },
    );
  });

  it('is what the local import protocol checks (length limit apart)', () => {
    fc.assert(
      fc.property(anyStrings, (text) => {
        expect(base64Check(100)(text)).toBe(regexCheck(text));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('decodeBase64 (deposits)', () => {
  it('gives the same bytes, or the same French refusal, as the regular-expression version', () => {
    fc.assert(
      fc.property(anyStrings, (value) => {
        expect(outcome(decodeBase64, value)).toEqual(outcome(regexDecode, value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('with line breaks inside real base64, and on a large document', () => {
    const doc = Buffer.from(Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
    const text = doc.toString('base64');
    const wrapped = text.replace(/.{76}/g, '$&\r\n');
    for (const value of [text, wrapped, ` ${text}\n`, `${text}=`, `${text.slice(0, -1)}!`])
      expect(outcome(decodeBase64, value)).toEqual(outcome(regexDecode, value));
    expect(Buffer.from(decodeBase64(wrapped)).equals(doc)).toBe(true);
  });

  it('returns bytes owning their whole memory (the CDA parser pool moves them to a worker)', () => {
    for (const size of [1, 3, 100, 5000, 300_000]) {
      const bytes = decodeBase64(Buffer.alloc(size, 7).toString('base64'));
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(size);
    }
  });
});
