import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JournalWriter,
  journalFileName,
  readJournal,
  type JournalPrefix,
} from '../../../src/main/store/journal';
import { generateStoreKey } from '../../../src/main/store/key';
import { decodeTransaction, encodeTransaction } from '../../../src/main/store/tx-codec';
import type { Statement } from '../../../src/main/store/types';
import { tempDir } from './helpers';

const key = generateStoreKey();

function journalWith(payloads: Uint8Array[]): { path: string; bytes: Buffer } {
  const path = join(tempDir(), journalFileName(3));
  const w = JournalWriter.create(path, 3, key);
  for (const p of payloads) w.append(p);
  w.close();
  return { path, bytes: readFileSync(path) };
}

const payloadsArb = fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 8 });

describe('journal records', () => {
  it('reads back exactly what was appended', () => {
    fc.assert(
      fc.property(payloadsArb, (payloads) => {
        const { path } = journalWith(payloads);
        const read = readJournal(path, 3, key);
        expect(read.droppedReason).toBeNull();
        expect(read.payloads.map((p) => Array.from(p))).toEqual(payloads.map((p) => Array.from(p)));
      }),
      { numRuns: 40 },
    );
  });

  it('after any truncation, yields a prefix of whole records and flags the rest', () => {
    fc.assert(
      fc.property(payloadsArb, fc.double({ min: 0, max: 1, noNaN: true }), (payloads, cut) => {
        const { path, bytes } = journalWith(payloads);
        const at = 24 + Math.floor(cut * (bytes.length - 24));
        writeFileSync(path, bytes.subarray(0, at));
        const read = readJournal(path, 3, key);
        const expected = payloads.slice(0, read.payloads.length).map((p) => Array.from(p));
        expect(read.payloads.map((p) => Array.from(p))).toEqual(expected);
        expect(read.droppedReason === null).toBe(read.validEnd === at);
        if (at < bytes.length) expect(read.payloads.length).toBeLessThan(payloads.length);
      }),
      { numRuns: 60 },
    );
  });

  it('after any single flipped bit, never returns an altered record', () => {
    fc.assert(
      fc.property(payloadsArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (payloads, pos, bit) => {
        const { path, bytes } = journalWith(payloads);
        const at = 24 + (pos % (bytes.length - 24));
        const damaged = Buffer.from(bytes);
        damaged[at] = (damaged[at] ?? 0) ^ (1 << bit);
        writeFileSync(path, damaged);
        const read = readJournal(path, 3, key);
        expect(read.droppedReason).not.toBeNull();
        expect(read.payloads.map((p) => Array.from(p))).toEqual(
          payloads.slice(0, read.payloads.length).map((p) => Array.from(p)),
        );
      }),
      { numRuns: 60 },
    );
  });

  /** A journal of `payloads`, and the prefix its writer vouched for after each record (and before any). */
  function journalWithPrefixes(payloads: Uint8Array[]): {
    path: string;
    bytes: Buffer;
    prefixes: JournalPrefix[];
  } {
    const path = join(tempDir(), journalFileName(3));
    const w = JournalWriter.create(path, 3, key, { digest: true });
    const prefixes = [w.prefix as JournalPrefix];
    for (const p of payloads) {
      w.append(p);
      prefixes.push(w.prefix as JournalPrefix);
    }
    w.close();
    return { path, bytes: readFileSync(path), prefixes };
  }

  it('takes the longest prefix it is given that the file holds, unread, and reads only the records after it', () => {
    fc.assert(
      fc.property(payloadsArb, fc.nat(), (payloads, pick) => {
        const { path, bytes, prefixes } = journalWithPrefixes(payloads);
        const whole = readJournal(path, 3, key);
        // Any subset of the prefixes, as an overlay's segments give them.
        const given = prefixes.filter((_, i) => (pick >> i) % 2 === 1);
        const read = readJournal(path, 3, key, { prefixes: given });
        const longest = given.reduce<JournalPrefix | null>((a, b) => (a && a.bytes >= b.bytes ? a : b), null);
        expect(read.prefix).toBe(longest);
        expect(read.first).toBe(longest?.records ?? 0);
        expect(read.payloads.map((p) => Array.from(p))).toEqual(
          whole.payloads.slice(read.first).map((p) => Array.from(p)),
        );
        expect(read.records).toBe(payloads.length);
        expect(read.lastTag).toEqual(whole.lastTag);
        expect(read.validEnd).toBe(bytes.length);
        expect(prefixes.at(-1)?.sha256).toEqual(createHash('sha256').update(bytes).digest());
      }),
      { numRuns: 40 },
    );
  });

  it('after any single flipped bit, takes no prefix over it and never returns an altered record', () => {
    fc.assert(
      fc.property(payloadsArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (payloads, pos, bit) => {
        const { path, bytes, prefixes } = journalWithPrefixes(payloads);
        const at = 24 + (pos % (bytes.length - 24));
        const damaged = Buffer.from(bytes);
        damaged[at] = (damaged[at] ?? 0) ^ (1 << bit);
        writeFileSync(path, damaged);
        const read = readJournal(path, 3, key, { prefixes });
        expect(read.prefix?.bytes ?? 0).toBeLessThanOrEqual(at);
        expect(read.droppedReason).not.toBeNull();
        expect(read.payloads.map((p) => Array.from(p))).toEqual(
          payloads.slice(read.first, read.records).map((p) => Array.from(p)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the SHA-256 of what it read for the writer, which goes on as records are appended', () => {
    const { path } = journalWithPrefixes([new Uint8Array([1, 2]), new Uint8Array([3])]);
    const read = readJournal(path, 3, key, { digest: true });
    const w = JournalWriter.resume(path, read, key);
    w.append(new Uint8Array([4, 5, 6]));
    const prefix = w.prefix;
    w.close();
    const bytes = readFileSync(path);
    expect(prefix).toEqual({
      bytes: bytes.length,
      records: 3,
      lastTag: bytes.subarray(bytes.length - 16),
      sha256: createHash('sha256').update(bytes).digest(),
    });
    // Without asking, nothing is hashed.
    expect(readJournal(path, 3, key).digest).toBeNull();
  });

  it('refuses a journal whose header names another generation', () => {
    const { path } = journalWith([new Uint8Array([1])]);
    expect(() => readJournal(path, 4, key)).toThrow(
      expect.objectContaining({ reason: 'CORRUPT_JOURNAL', facts: { subject: 'journal' } }),
    );
  });
});

describe('transaction codec', () => {
  const value = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.uint8Array({ maxLength: 40 }),
  );
  const statement: fc.Arbitrary<Statement> = fc.record(
    {
      sql: fc.string(),
      params: fc.oneof(fc.array(value), fc.dictionary(fc.string({ minLength: 1 }), value)),
    },
    { requiredKeys: ['sql'] },
  );

  it('round-trips statements and parameters', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 5 }), (statements) => {
        const decoded = decodeTransaction(encodeTransaction(statements));
        expect(decoded.length).toBe(statements.length);
        decoded.forEach((s, i) => {
          expect(s.sql).toBe(statements[i]?.sql);
          expect(
            JSON.stringify(s.params, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v)),
          ).toBe(
            JSON.stringify(statements[i]?.params, (_k, v: unknown) =>
              v instanceof Uint8Array ? Array.from(v) : v,
            ),
          );
        });
      }),
      { numRuns: 100 },
    );
  });

  it('rejects a payload that is not a list of statements', () => {
    expect(() => decodeTransaction(encodeTransaction([{ sql: 'x' }]).subarray(0, 3))).toThrow();
    expect(() => decodeTransaction(Buffer.from(JSON.stringify({ sql: 1 })))).toThrow();
  });
});
