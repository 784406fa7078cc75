import { createDecipheriv, createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../../src/main/store/key';
import { harness, insertTx, txCounts, type Harness } from './helpers';

/**
 * The snapshot overlay (snapshot-overlay.ts), restated here independently: header `PDMPOVLY | u16 2 |
 * u16 0 | u32 snapshot generation | 8-byte key fingerprint | 12-byte snapshot file id | u32 block
 * size | 8 zero bytes` (48 bytes), then per segment `u32 head length | IV | sealed head | tag`
 * followed by its blocks, each `IV | ciphertext | tag`. Head plaintext: `u32 journal generation |
 * u32 records | 16-byte last record tag | u64 image length | u64 journal length | 32-byte SHA-256 of
 * the journal up to that length | u32 n | n × u32 block index`.
 */
const blockSize = 4096;
const overlayHeader = 48;

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 1;
  return copy;
}

function overlayPath(h: Harness): string {
  return join(h.dir, 'snapshot.overlay');
}

/** The fields of the last `store opened` line: what the last open replayed and used. */
function lastOpen(h: Harness): { replayedRecords?: number; overlaySegments?: number } {
  const line = h.logs.lines.filter((l) => l.msg === 'store opened').at(-1);
  return {
    replayedRecords: line?.replayedRecords as number,
    overlaySegments: line?.overlaySegments as number,
  };
}

/** A store whose snapshot has hundreds of 4 KB blocks, and one journal record on top of it. */
async function populated(): Promise<Harness> {
  const h = harness();
  const s = await h.open({ snapshotBlockSize: blockSize });
  for (let tx = 1; tx <= 60; tx++) s.write(insertTx(tx, 10, 400));
  await s.compact();
  s.write(insertTx(61));
  await s.close();
  return h;
}

const onDemand = { snapshotReading: 'on-demand', snapshotBlockSize: blockSize } as const;

/** `populated()`, then one on-demand session that writes tx 62: its close leaves one overlay segment. */
async function withOneSegment(): Promise<Harness> {
  const h = await populated();
  const s = await h.open(onDemand);
  s.write(insertTx(62));
  await s.close();
  return h;
}

async function wholeCounts(h: Harness): Promise<Map<number, number>> {
  const whole = await h.open({ snapshotBlockSize: blockSize });
  const counts = txCounts(whole);
  expect(Object.values(whole.all('PRAGMA integrity_check')[0] ?? {})).toEqual(['ok']);
  await whole.close();
  return counts;
}

describe('snapshot overlay: the blocks an on-demand session changed, kept for the next one', () => {
  it('lets the next on-demand open replay nothing, and reads exactly what a whole open reads', async () => {
    const h = await populated();
    const first = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 1, overlaySegments: 0 });
    first.write(insertTx(62));
    await first.close();
    expect(existsSync(overlayPath(h))).toBe(true);

    const second = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 0, overlaySegments: 1 });
    expect(txCounts(second).get(62)).toBe(3);
    second.write(insertTx(63));
    await second.close();

    const third = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 0, overlaySegments: 2 });
    const lazy = txCounts(third);
    expect(Object.values(third.all('PRAGMA integrity_check')[0] ?? {})).toEqual(['ok']);
    await third.close();
    // A whole open ignores the overlay and replays the journal: the same database either way.
    const whole = await wholeCounts(h);
    expect(lastOpen(h).replayedRecords).toBe(3);
    expect(lazy).toEqual(whole);
    expect(whole.size).toBe(63);

    // Records written meanwhile by an open that does not keep the overlay are replayed after it.
    const app = await h.open({ snapshotBlockSize: blockSize });
    app.write(insertTx(64));
    await app.close();
    const after = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 1, overlaySegments: 2 });
    expect(txCounts(after).get(64)).toBe(3);
    await after.close();
  });

  it('writes the announced layout: bound to the snapshot file, its key, and a position of the journal', async () => {
    const h = await withOneSegment();
    const bytes = readFileSync(overlayPath(h));
    const snapshotHeader = readFileSync(join(h.dir, 'snapshot')).subarray(0, 48);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('PDMPOVLY');
    expect(bytes.readUInt16BE(8)).toBe(2);
    expect(bytes.readUInt32BE(12)).toBe(snapshotHeader.readUInt32BE(12));
    expect(bytes.subarray(16, 24)).toEqual(keyFingerprint(h.key));
    expect(bytes.subarray(24, 36)).toEqual(snapshotHeader.subarray(24, 36));
    expect(bytes.readUInt32BE(36)).toBe(blockSize);

    const headLength = bytes.readUInt32BE(overlayHeader);
    const sealedHead = bytes.subarray(overlayHeader + 4, overlayHeader + 4 + headLength);
    const aad = Buffer.alloc(8);
    aad.writeUInt32BE(0, 0);
    aad.writeUInt32BE(headLength, 4);
    const decipher = createDecipheriv('aes-256-gcm', h.key.key, sealedHead.subarray(0, 12));
    decipher.setAAD(Buffer.concat([bytes.subarray(0, overlayHeader), aad, Buffer.alloc(16)]));
    decipher.setAuthTag(sealedHead.subarray(headLength - 16));
    const head = Buffer.concat([decipher.update(sealedHead.subarray(12, headLength - 16)), decipher.final()]);
    // Two records of the snapshot's journal: 61 (replayed) and 62 (written); the last one's tag.
    expect(head.readUInt32BE(0)).toBe(bytes.readUInt32BE(12));
    expect(head.readUInt32BE(4)).toBe(2);
    const journal = readFileSync(join(h.dir, `journal.${String(head.readUInt32BE(0)).padStart(10, '0')}`));
    expect(head.subarray(8, 24)).toEqual(journal.subarray(journal.length - 16));
    const imageLength = Number(head.readBigUInt64BE(24));
    // The journal up to there, by length and digest: what lets the next open take it unread.
    expect(Number(head.readBigUInt64BE(32))).toBe(journal.length);
    expect(head.subarray(40, 72)).toEqual(createHash('sha256').update(journal).digest());
    const count = head.readUInt32BE(72);
    expect(count).toBeGreaterThan(0);
    // Only the blocks the session touched, not the store.
    expect(count).toBeLessThan(Math.ceil(imageLength / blockSize) / 4);
    const blocksBytes = Array.from({ length: count }, (_, i) => head.readUInt32BE(76 + i * 4)).reduce(
      (n, index) => n + Math.min(blockSize, imageLength - index * blockSize) + 28,
      0,
    );
    expect(bytes.length).toBe(overlayHeader + 4 + headLength + blocksBytes);
  });

  it('takes the journal records the overlay holds without reading them, and still finds one damaged since', async () => {
    const h = await withOneSegment();
    const journalName = `journal.${String(readFileSync(overlayPath(h)).readUInt32BE(12)).padStart(10, '0')}`;
    const journal = join(h.dir, journalName);
    const unread = (): unknown =>
      h.logs.lines.filter((l) => l.msg === 'store opened').at(-1)?.journalBytesUnread;
    const again = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 0, overlaySegments: 1 });
    // The whole journal (tx 61 and 62), as the segment's digest vouches for it: not decrypted.
    expect(unread()).toBe(statSync(journal).size);
    await again.close();

    // A bit flipped in record 0 (tx 61) after the segment was written: its digest no longer holds,
    // the records are authenticated as without an overlay, and the damage is found.
    writeFileSync(journal, flip(readFileSync(journal), 24 + 20 + 5));
    const damaged = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 0, overlaySegments: 0 });
    expect(damaged.recovery.droppedJournalTail?.reason).toMatch(/record at 24 failed authentication/);
    const lazy = txCounts(damaged);
    await damaged.close();
    expect(lazy.has(61)).toBe(false);
    expect(lazy).toEqual(await wholeCounts(h));
  });

  it('does not use a segment the journal no longer holds, and writes the next one in its place', async () => {
    const h = await withOneSegment();
    // The journal's last record (62) torn off, as if it had never been written: the overlay, which
    // holds its blocks, must not bring it back.
    const journalName = `journal.${String(readFileSync(overlayPath(h)).readUInt32BE(12)).padStart(10, '0')}`;
    truncateSync(join(h.dir, journalName), statSync(join(h.dir, journalName)).size - 10);
    const torn = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 1, overlaySegments: 0 });
    expect(torn.recovery.droppedJournalTail).not.toBeNull();
    expect(txCounts(torn).has(62)).toBe(false);
    torn.write(insertTx(65));
    await torn.close();

    const next = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 0, overlaySegments: 1 });
    const lazy = txCounts(next);
    await next.close();
    const whole = await wholeCounts(h);
    expect(lazy).toEqual(whole);
    expect(whole.has(62)).toBe(false);
    expect(whole.get(65)).toBe(3);
  });

  it('meets a damaged overlay block: reloads whole from the journal, loses nothing, drops the overlay', async () => {
    const h = await withOneSegment();
    // Inside the segment's last block (its last 16 bytes are the tag).
    const bytes = readFileSync(overlayPath(h));
    writeFileSync(overlayPath(h), flip(bytes, bytes.length - 40));

    const lazy = await h.open(onDemand);
    expect(lastOpen(h).overlaySegments).toBe(1);
    // Reads every page, the damaged block's among them.
    expect(Object.values(lazy.all('PRAGMA integrity_check')[0] ?? {})).toEqual(['ok']);
    const counts = txCounts(lazy);
    expect(h.logs.lines.some((l) => l.msg.startsWith('snapshot block unreadable on demand'))).toBe(true);
    expect(counts.size).toBe(62);
    expect(existsSync(overlayPath(h))).toBe(false);
    // Nothing was quarantined: the snapshot itself is sound.
    expect(lazy.recovery.usedPreviousSnapshot).toBe(false);
    await lazy.close();
    expect(await wholeCounts(h)).toEqual(counts);
  });

  it('ignores an overlay whose block 0 or head is damaged, or that belongs to another snapshot', async () => {
    const h = await withOneSegment();
    const good = readFileSync(overlayPath(h));
    const headLength = good.readUInt32BE(overlayHeader);

    writeFileSync(overlayPath(h), flip(good, overlayHeader + 4 + 20));
    const a = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 2, overlaySegments: 0 });
    expect(txCounts(a).size).toBe(62);
    await a.close();

    // Block 0 (SQLite's header, read by the open itself) is the first block of the segment.
    writeFileSync(overlayPath(h), flip(good, overlayHeader + 4 + headLength + 20));
    const b = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 2, overlaySegments: 0 });
    expect(b.recovery.usedPreviousSnapshot).toBe(false);
    expect(txCounts(b).size).toBe(62);
    await b.close();

    // After a compaction, an overlay of the snapshot before is stale: removed, and ignored if back.
    const stale = join(h.dir, 'stale-overlay');
    copyFileSync(overlayPath(h), stale);
    const c = await h.open(onDemand);
    c.write(insertTx(63));
    await c.compact();
    expect(existsSync(overlayPath(h))).toBe(false);
    c.write(insertTx(64));
    await c.close();
    copyFileSync(stale, overlayPath(h));
    const d = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 1, overlaySegments: 0 });
    const lazy = txCounts(d);
    await d.close();
    expect(lazy).toEqual(await wholeCounts(h));
    expect(lazy.size).toBe(64);
  });

  it('writes no overlay once the database has grown out of its on-demand image', async () => {
    const h = await populated();
    const s = await h.open(onDemand);
    // Past the 16 MB of room behind the image: sql.js moves the file into a buffer of its own.
    s.write([{ sql: 'INSERT INTO items (tx, body) VALUES (?, zeroblob(17000000))', params: [70] }]);
    s.write(insertTx(71));
    await s.close();
    expect(existsSync(overlayPath(h))).toBe(false);
    expect(h.logs.lines.some((l) => l.msg.startsWith('snapshot overlay not written'))).toBe(true);
    const lazy = await h.open(onDemand);
    expect(lastOpen(h)).toEqual({ replayedRecords: 3, overlaySegments: 0 });
    const counts = txCounts(lazy);
    await lazy.close();
    expect(counts.get(70)).toBe(1);
    expect(counts).toEqual(await wholeCounts(h));
  });
});
