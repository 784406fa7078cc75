import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/main/store/errors';
import { journalFileName } from '../../../src/main/store/journal';
import { generateStoreKey } from '../../../src/main/store/key';
import { crashImage, harness, insertTx, itemsMigration, sqliteMigration, txCounts } from './helpers';

const expectStoreError = async (p: Promise<unknown>, reason: string): Promise<StoreError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).reason).toBe(reason);
  expect((err as StoreError).message).toMatch(/[éèàùç]|données|clé/);
  return err as StoreError;
};

describe('StoreEngine', () => {
  it('round-trips rows, including blobs, through close and reopen', async () => {
    const h = harness();
    const a = await h.open();
    a.write(insertTx(1));
    a.write([
      { sql: 'CREATE TABLE blobs (b BLOB)' },
      { sql: 'INSERT INTO blobs VALUES (?)', params: [new Uint8Array([0, 1, 255])] },
    ]);
    await a.close();
    const b = await h.open();
    expect(txCounts(b).get(1)).toBe(3);
    const [row] = b.all<{ b: Uint8Array }>('SELECT b FROM blobs');
    expect(Array.from(row?.b ?? [])).toEqual([0, 1, 255]);
    await b.close();
  });

  it('replays the journal when the process died before any snapshot', async () => {
    const h = harness();
    const live = await h.open();
    for (let tx = 1; tx <= 20; tx++) live.write(insertTx(tx));
    const image = crashImage(h.dir);
    expect(existsSync(join(image, 'snapshot'))).toBe(false);
    const reopened = await h.open({ dir: image });
    expect(txCounts(reopened).size).toBe(20);
    expect(reopened.recovery.notices).toEqual([]);
    await reopened.close();
    await live.close();
  });

  it('compacts into a snapshot, rotates the journal and replays each transaction exactly once', async () => {
    const h = harness();
    const live = await h.open({ snapshotEvery: { records: 5 }, chunkSize: 1024 });
    for (let tx = 1; tx <= 12; tx++) live.write(insertTx(tx, 3, 400));
    await live.compact();
    live.write(insertTx(13));
    const stats = live.stats();
    expect(stats.compactions).toBeGreaterThanOrEqual(1);
    expect(stats.snapshotGeneration).toBe(stats.generation);
    expect(stats.journalRecords).toBe(1);
    const image = crashImage(h.dir);
    const reopened = await h.open({ dir: image });
    const counts = txCounts(reopened);
    expect(counts.size).toBe(13);
    expect([...counts.values()].every((n) => n === 3)).toBe(true);
    await reopened.close();
    await live.close();
  });

  it('replays both journals when a crash hits between journal rotation and snapshot install', async () => {
    const h = harness();
    const live = await h.open();
    for (let tx = 1; tx <= 3; tx++) live.write(insertTx(tx));
    await live.compact(); // snapshot 1, journal 1
    live.write(insertTx(4));
    const beforeSecond = crashImage(h.dir);
    await live.compact(); // snapshot 2, journal 2
    live.write(insertTx(5));
    // Journal 2 exists and holds tx 5, but snapshot 2 never got installed.
    writeFileSync(join(beforeSecond, journalFileName(2)), readFileSync(join(h.dir, journalFileName(2))));
    const reopened = await h.open({ dir: beforeSecond });
    const counts = txCounts(reopened);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...counts.values()].every((n) => n === 3)).toBe(true);
    await reopened.close();
    await live.close();
  });

  it('keeps only the journals that .prev still needs', async () => {
    const h = harness();
    const s = await h.open();
    for (let round = 0; round < 4; round++) {
      s.write(insertTx(round));
      await s.compact();
    }
    const journals = readdirSync(h.dir).filter((n) => n.startsWith('journal.'));
    const g = s.stats().generation;
    expect(journals.sort()).toEqual([journalFileName(g - 1), journalFileName(g)]);
    expect(existsSync(join(h.dir, 'snapshot.prev'))).toBe(true);
    await s.close();
  });

  it('drops a torn tail record with a log line and keeps every complete one', async () => {
    const h = harness();
    const live = await h.open();
    for (let tx = 1; tx <= 5; tx++) live.write(insertTx(tx));
    const image = crashImage(h.dir);
    await live.close();
    const journal = join(image, journalFileName(0));
    truncateSync(journal, statSync(journal).size - 7); // the last record loses its end
    const reopened = await h.open({ dir: image });
    const counts = txCounts(reopened);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(reopened.recovery.droppedJournalTail).toMatchObject({ generation: 0 });
    expect(h.logs.lines.some((l) => l.msg === 'journal tail dropped')).toBe(true);
    // The store keeps working after the cut, and the cut is durable.
    reopened.write(insertTx(6));
    await reopened.close();
    const again = await h.open({ dir: image });
    expect([...txCounts(again).keys()].sort()).toEqual([1, 2, 3, 4, 6]);
    expect(again.recovery.droppedJournalTail).toBeNull();
    await again.close();
  });

  it('drops garbage appended after the last record and keeps a copy of it', async () => {
    const h = harness();
    const live = await h.open();
    live.write(insertTx(1));
    await live.compact();
    await live.close();
    const journal = join(h.dir, journalFileName(1));
    // A complete-looking record header with a body that cannot authenticate.
    const fake = Buffer.alloc(20 + 10 + 16, 7);
    fake.writeUInt32BE(10, 0);
    fake.writeUInt32BE(0, 4);
    appendFileSync(journal, fake);
    const reopened = await h.open();
    expect(txCounts(reopened).get(1)).toBe(3);
    expect(reopened.recovery.droppedJournalTail?.reason).toMatch(/authentication/);
    expect(readdirSync(h.dir).some((n) => n.includes('.dropped-'))).toBe(true);
    await reopened.close();
  });

  it('refuses a wrong key with a clear error, before and after the first snapshot', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    const journalOnly = crashImage(h.dir);
    await s.close();
    await expectStoreError(h.open({ key: generateStoreKey() }), 'WRONG_KEY');
    await expectStoreError(h.open({ dir: journalOnly, key: generateStoreKey() }), 'WRONG_KEY');
    // The refused attempt must not have damaged anything.
    const ok = await h.open();
    expect(txCounts(ok).get(1)).toBe(3);
    await ok.close();
  });

  it('falls back to .prev when the current snapshot is corrupt, loses nothing, and reports it', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    await s.compact();
    s.write(insertTx(2));
    await s.compact();
    s.write(insertTx(3));
    await s.close();
    const snapshot = join(h.dir, 'snapshot');
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] ?? 0) ^ 0x01;
    writeFileSync(snapshot, bytes);
    const reopened = await h.open();
    expect([...txCounts(reopened).keys()].sort()).toEqual([1, 2, 3]);
    expect(reopened.recovery.usedPreviousSnapshot).toBe(true);
    expect(reopened.recovery.notices.join(' ')).toMatch(/copie précédente/);
    expect(h.logs.lines.some((l) => l.lvl === 'error' && /recovered from previous/.test(l.msg))).toBe(true);
    expect(readdirSync(h.dir).some((n) => n.startsWith('snapshot.corrupt-'))).toBe(true);
    await reopened.close();
    const clean = await h.open();
    expect(clean.recovery.usedPreviousSnapshot).toBe(false);
    expect(txCounts(clean).size).toBe(3);
    await clean.close();
  });

  it('refuses a truncated snapshot when there is no .prev, instead of opening an empty database', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    await s.compact();
    await s.close();
    const snapshot = join(h.dir, 'snapshot');
    truncateSync(snapshot, statSync(snapshot).size - 100);
    const err = await expectStoreError(h.open(), 'CORRUPT_SNAPSHOT');
    expect(err.message).toMatch(/snapshot\.prev/);
  });

  it('refuses a foreign file in place of the snapshot or of a journal', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    await s.close();
    writeFileSync(join(h.dir, 'snapshot'), Buffer.from('SQLite format 3\0 this is not ours'));
    await expectStoreError(h.open(), 'FOREIGN_FILE');

    const j = harness();
    const t = await j.open();
    const image = crashImage(j.dir);
    await t.close();
    writeFileSync(join(image, journalFileName(0)), 'hello, I am a text file that happens to be here');
    await expectStoreError(j.open({ dir: image }), 'FOREIGN_FILE');
  });

  it('refuses to start from nothing when the snapshot is gone but its journal is not', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    await s.compact();
    await s.close();
    const { rmSync } = await import('node:fs');
    rmSync(join(h.dir, 'snapshot'));
    await expectStoreError(h.open(), 'MISSING_FILE');
  });

  it('applies migrations once each, in order, and records the version', async () => {
    const h = harness([
      itemsMigration,
      sqliteMigration(2, 'seed', "INSERT INTO items (tx, body) VALUES (0, 'seed')"),
    ]);
    const a = await h.open();
    expect(a.stats().schemaVersion).toBe(2);
    await a.close();
    const b = await h.open();
    expect(b.all<{ n: number }>('SELECT count(*) AS n FROM items')[0]?.n).toBe(1);
    await b.close();
    const c = await h.open({
      migrations: [
        sqliteMigration(3, 'more', 'ALTER TABLE items ADD COLUMN extra TEXT'),
        itemsMigration,
        sqliteMigration(2, 'seed', "INSERT INTO items (tx, body) VALUES (0, 'seed')"),
      ],
    });
    expect(c.stats().schemaVersion).toBe(3);
    expect(c.all<{ n: number }>('SELECT count(*) AS n FROM items')[0]?.n).toBe(1);
    await c.close();
    await expectStoreError(h.open({ migrations: [itemsMigration] }), 'TOO_NEW');
  });

  it('rolls back a failing migration entirely', async () => {
    const h = harness([
      itemsMigration,
      sqliteMigration(2, 'broken', 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);'),
    ]);
    await expectStoreError(h.open(), 'MIGRATION_FAILED');
    const ok = await h.open({ migrations: [itemsMigration] });
    expect(ok.stats().schemaVersion).toBe(1);
    expect(ok.all("SELECT name FROM sqlite_master WHERE name = 'half'")).toEqual([]);
    await ok.close();
  });

  it('makes a failing transaction all-or-nothing and stays usable', async () => {
    const h = harness();
    const s = await h.open();
    expect(() => s.write([...insertTx(1), { sql: 'INSERT INTO missing_table VALUES (1)' }])).toThrow(
      StoreError,
    );
    expect(txCounts(s).size).toBe(0);
    expect(s.stats().journalRecords).toBe(1); // the migration only
    s.write(insertTx(2));
    expect(txCounts(s).get(2)).toBe(3);
    await s.close();
  });

  it('refuses parameters the journal could not replay faithfully', async () => {
    const h = harness();
    const s = await h.open();
    const bad = [
      { sql: 'INSERT INTO items (tx, body) VALUES (?, ?)', params: [1, true as unknown as string] },
    ];
    expect(() => s.write(bad)).toThrow(StoreError);
    expect(txCounts(s).size).toBe(0);
    await s.close();
  });

  it('never lets all() modify the database', async () => {
    const h = harness();
    const s = await h.open();
    expect(() => s.all("INSERT INTO items (tx, body) VALUES (1, 'sneaky')")).toThrow(
      expect.objectContaining({ reason: 'READ_ONLY_VIOLATION' }),
    );
    expect(txCounts(s).size).toBe(0);
    await s.close();
  });

  it('does not rewrite the snapshot on close unless a compaction is due', async () => {
    const h = harness();
    const policy = { snapshotEvery: { records: 5 } };
    const s = await h.open(policy);
    s.write(insertTx(1));
    await s.close();
    // Only the journal holds the transaction: no snapshot was written for one write.
    expect(existsSync(join(h.dir, 'snapshot'))).toBe(false);
    const again = await h.open(policy);
    expect(txCounts(again).get(1)).toBe(3);
    for (let tx = 2; tx <= 6; tx++) again.write(insertTx(tx));
    await again.close();
    // Past the policy's threshold: compacted by the time close returns.
    expect(existsSync(join(h.dir, 'snapshot'))).toBe(true);
    const last = await h.open(policy);
    expect(last.stats().journalRecords).toBe(0);
    expect(txCounts(last).size).toBe(6);
    await last.close();
  });

  it('refuses a second opener of the same directory', async () => {
    const h = harness();
    const s = await h.open();
    await expectStoreError(h.open(), 'LOCKED');
    await s.close();
    const again = await h.open();
    await again.close();
  });
  it('uses .prev when the current snapshot file is missing', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    await s.compact();
    s.write(insertTx(2));
    await s.compact();
    s.write(insertTx(3));
    await s.close();
    const { rmSync } = await import('node:fs');
    rmSync(join(h.dir, 'snapshot'));
    const reopened = await h.open();
    expect([...txCounts(reopened).keys()].sort()).toEqual([1, 2, 3]);
    expect(reopened.recovery.usedPreviousSnapshot).toBe(true);
    expect(existsSync(join(h.dir, 'snapshot'))).toBe(true);
    await reopened.close();
  });

  it('recreates a last journal whose header was cut by a crash during rotation', async () => {
    const h = harness();
    const s = await h.open();
    s.write(insertTx(1));
    await s.compact(); // snapshot 1 + journal 1
    s.write(insertTx(2));
    await s.compact();
    await s.close(); // snapshot 2 + journal 2
    // As if the process died while creating journal 3, before snapshot 3 existed.
    writeFileSync(join(h.dir, journalFileName(3)), Buffer.from('PDMPJR'));
    const reopened = await h.open();
    expect([...txCounts(reopened).keys()].sort()).toEqual([1, 2]);
    expect(h.logs.lines.some((l) => /journal header incomplete/.test(l.msg))).toBe(true);
    reopened.write(insertTx(3));
    await reopened.close();
    const again = await h.open();
    expect([...txCounts(again).keys()].sort()).toEqual([1, 2, 3]);
    await again.close();
  });

  it('refuses a damaged journal that is not the last one', async () => {
    const h = harness();
    const live = await h.open();
    for (let tx = 1; tx <= 3; tx++) live.write(insertTx(tx));
    const image = crashImage(h.dir); // journal 0 only
    await live.compact();
    await live.close();
    const journal0 = join(image, journalFileName(0));
    truncateSync(journal0, statSync(journal0).size - 5);
    // A later journal exists, so the damaged records of journal 0 were acknowledged ones.
    writeFileSync(join(image, journalFileName(1)), readFileSync(join(h.dir, journalFileName(1))));
    await expectStoreError(h.open({ dir: image }), 'CORRUPT_JOURNAL');
  });
});
