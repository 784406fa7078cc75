import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { recoveryNoticeMessage } from '../../../src/main/app/user-messages';
import type { StoreNotice } from '../../../src/main/store/errors';
import { generateStoreKey, keyFingerprint, type StoreKey } from '../../../src/main/store/key';
import { JournalWriter, journalFileName } from '../../../src/main/store/journal';
import { openSnapshotFile, writeSnapshotFile } from '../../../src/main/store/snapshot-file';
import { harness, insertTx, tempDir, txCounts } from './helpers';

/**
 * Snapshot format 2 (blocks sealed one by one) and on-demand reading, restated here independently
 * of snapshot-file.ts: header `PDMPSNAP | u16 2 | u16 0 | u32 generation | 8-byte key fingerprint |
 * 12-byte file id | u32 block size | u64 image length` (48 bytes), then per block `IV | ciphertext |
 * tag`, additional data = header + u32 block index.
 */
const headerLength = 48;
const overhead = 28;
const blockSize = 4096;

function blockOffset(index: number): number {
  return headerLength + index * (blockSize + overhead);
}

/** A database image of a few hundred KB: many 4 KB blocks. */
async function sampleImage(rows = 2000): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run([`row ${i} ${'x'.repeat(150)}`]);
  insert.free();
  const image = db.export();
  db.close();
  return image;
}

/** A version-1 file as the store wrote it before format 2: one GCM over the whole image. */
function writeVersion1(path: string, image: Uint8Array, generation: number, key: StoreKey): void {
  const header = Buffer.alloc(36);
  header.write('PDMPSNAP', 0, 'ascii');
  header.writeUInt16BE(1, 8);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  randomBytes(12).copy(header, 24);
  const cipher = createCipheriv('aes-256-gcm', key.key, header.subarray(24));
  cipher.setAAD(header);
  writeFileSync(path, Buffer.concat([header, cipher.update(image), cipher.final(), cipher.getAuthTag()]));
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('snapshot format 2: blocks sealed one by one', () => {
  it('writes the announced layout and reads back the same image, whole or on demand', async () => {
    const key = generateStoreKey();
    const image = await sampleImage();
    const path = join(tempDir(), 'snapshot');
    const size = await writeSnapshotFile(path, image, 7, key, 64 * 1024, blockSize);
    const blocks = Math.ceil(image.length / blockSize);
    expect(blocks).toBeGreaterThan(50);
    expect(statSync(path).size).toBe(size);
    expect(size).toBe(headerLength + image.length + blocks * overhead);
    const header = readFileSync(path).subarray(0, headerLength);
    expect(header.subarray(0, 8).toString('ascii')).toBe('PDMPSNAP');
    expect(header.readUInt16BE(8)).toBe(2);
    expect(header.readUInt32BE(12)).toBe(7);
    expect(header.readUInt32BE(36)).toBe(blockSize);
    expect(Number(header.readBigUInt64BE(40))).toBe(image.length);

    const whole = openSnapshotFile(path, key, 'whole');
    expect(whole.generation).toBe(7);
    expect(whole.onDemand).toBeNull();
    expect(sha(whole.plaintext)).toBe(sha(image));

    const lazy = openSnapshotFile(path, key, 'on-demand');
    expect(lazy.onDemand?.blocks).toBe(blocks);
    // Only the first block (SQLite's header page) is read at open.
    expect(lazy.onDemand?.loadedBlocks).toBe(1);
    // Reading a range loads the blocks under it, and only those.
    const middle = lazy.plaintext.subarray(20 * blockSize + 10, 22 * blockSize + 10);
    expect(sha(middle)).toBe(sha(image.subarray(20 * blockSize + 10, 22 * blockSize + 10)));
    expect(lazy.onDemand?.loadedBlocks).toBe(4);
    expect(sha(lazy.plaintext.subarray(0, lazy.plaintext.length))).toBe(sha(image));
    expect(lazy.onDemand?.loadedBlocks).toBe(blocks);
    lazy.onDemand?.release();
  });

  it('refuses a block altered, moved, or taken from another snapshot of the same generation', async () => {
    const key = generateStoreKey();
    const image = await sampleImage();
    const dir = tempDir();
    const path = join(dir, 'snapshot');
    const other = join(dir, 'other');
    await writeSnapshotFile(path, image, 3, key, 64 * 1024, blockSize);
    await writeSnapshotFile(other, image, 3, key, 64 * 1024, blockSize);
    const pristine = readFileSync(path);
    const cases: [string, (bytes: Buffer) => void][] = [
      ['altered', (b) => (b[blockOffset(10) + 100] = (b[blockOffset(10) + 100] ?? 0) ^ 1)],
      [
        'swapped with the next block',
        (b) => {
          const a = Buffer.from(b.subarray(blockOffset(10), blockOffset(11)));
          b.copy(b, blockOffset(10), blockOffset(11), blockOffset(12));
          a.copy(b, blockOffset(11));
        },
      ],
      [
        'from another snapshot',
        (b) => readFileSync(other).copy(b, blockOffset(10), blockOffset(10), blockOffset(11)),
      ],
    ];
    for (const [what, damage] of cases) {
      const bytes = Buffer.from(pristine);
      damage(bytes);
      writeFileSync(path, bytes);
      expect(() => openSnapshotFile(path, key, 'whole'), what).toThrow(
        /block 10 of \d+ failed authentication/,
      );
      const lazy = openSnapshotFile(path, key, 'on-demand');
      // Undamaged blocks read fine; the damaged one is refused, never handed out.
      expect(sha(lazy.plaintext.subarray(0, 10 * blockSize))).toBe(sha(image.subarray(0, 10 * blockSize)));
      expect(() => lazy.plaintext.subarray(10 * blockSize, 10 * blockSize + 10), what).toThrow();
      expect(lazy.onDemand?.damage?.message, what).toMatch(/block 10 of \d+ failed authentication/);
      lazy.onDemand?.release();
    }
  });

  it('refuses at open a truncated file and an altered header, even on demand', async () => {
    const key = generateStoreKey();
    const image = await sampleImage();
    const path = join(tempDir(), 'snapshot');
    await writeSnapshotFile(path, image, 3, key, 64 * 1024, blockSize);
    const pristine = readFileSync(path);
    truncateSync(path, pristine.length - blockSize);
    expect(() => openSnapshotFile(path, key, 'on-demand')).toThrow(/bytes where the header announces/);
    // An image length cut by one block, with the file cut to match: the first block's tag catches it.
    const shorter = Buffer.from(pristine.subarray(0, pristine.length - blockSize - overhead));
    shorter.writeBigUInt64BE(BigInt(image.length - blockSize), 40);
    writeFileSync(path, shorter);
    expect(() => openSnapshotFile(path, key, 'on-demand')).toThrow(/block 0 of \d+ failed authentication/);
  });

  it('on demand, takes one fresh buffer per block it reads: the decrypted block itself', async () => {
    // Every page of fresh memory is a page fault, ~10 µs each on the CI's VMs: more than decrypting
    // the page. Decrypting a block into a buffer, copying it into a second one and that into the
    // image's own took three pages per page read (docs/performance.md, CLI import, cold path).
    const key = generateStoreKey();
    const path = join(tempDir(), 'snapshot');
    const bigBlock = 64 * 1024;
    const blocks = 200;
    await writeSnapshotFile(path, randomBytes(blocks * bigBlock), 1, key, 8 * 1024 * 1024, bigBlock);
    // In a process of its own, which has freed no memory it could hand out again.
    const module = (name: string): string =>
      JSON.stringify(new URL(`../../../src/main/store/${name}.ts`, import.meta.url).href);
    const script = `
      const { openSnapshotFile } = await import(${module('snapshot-file')});
      const key = { kind: 'raw', key: Buffer.from(${JSON.stringify(Buffer.from(key.key).toString('base64'))}, 'base64') };
      const lazy = openSnapshotFile(${JSON.stringify(path)}, key, 'on-demand');
      const at = (index) => lazy.plaintext.subarray(index * ${bigBlock}, index * ${bigBlock} + 1)[0];
      at(1);
      const before = process.resourceUsage().minorPageFault;
      for (let index = 2; index < ${blocks}; index++) at(index);
      process.stdout.write(String(process.resourceUsage().minorPageFault - before));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    const pagesRead = ((blocks - 2) * bigBlock) / 4096;
    expect(Number(child.stdout)).toBeGreaterThan(0);
    expect(Number(child.stdout)).toBeLessThan(1.5 * pagesRead);
  }, 30_000);

  it('still reads a version-1 snapshot, whole even when asked on demand', async () => {
    const key = generateStoreKey();
    const image = await sampleImage(300);
    const path = join(tempDir(), 'snapshot');
    writeVersion1(path, image, 4, key);
    for (const reading of ['whole', 'on-demand'] as const) {
      const opened = openSnapshotFile(path, key, reading);
      expect(opened.generation).toBe(4);
      expect(opened.onDemand).toBeNull();
      expect(sha(opened.plaintext.subarray(0, opened.plaintext.length))).toBe(sha(image));
    }
  });
});

describe('StoreEngine reading its snapshot on demand', () => {
  /**
   * A store whose snapshot has hundreds of 4 KB blocks, then (with `tail`) a journal on top of it
   * that an open replays.
   */
  async function populated({ tail = true } = {}): Promise<ReturnType<typeof harness>> {
    const h = harness();
    const s = await h.open({ snapshotBlockSize: blockSize });
    for (let tx = 1; tx <= 60; tx++) s.write(insertTx(tx, 10, 400));
    await s.compact();
    if (tail) s.write(insertTx(61));
    await s.close();
    return h;
  }

  /** Damages every block of the current snapshot but the first (which an open always reads). */
  function damageAllButFirstBlock(h: ReturnType<typeof harness>): void {
    const snapshot = join(h.dir, 'snapshot');
    const blocks = Math.ceil((statSync(snapshot).size - headerLength) / (blockSize + overhead));
    const bytes = readFileSync(snapshot);
    for (let index = 1; index < blocks; index++) {
      const at = blockOffset(index) + 20;
      bytes[at] = (bytes[at] ?? 0) ^ 1;
    }
    writeFileSync(snapshot, bytes);
  }

  it('answers a point query from a few blocks, and writes, compacts and reopens whole without a difference', async () => {
    const h = await populated();
    const s = await h.open({ snapshotReading: 'on-demand', snapshotBlockSize: blockSize });
    const before = s.snapshotBlocksRead();
    expect(before?.of).toBeGreaterThan(60);
    expect(s.all<{ n: number }>('SELECT count(*) AS n FROM items WHERE tx = 61')[0]?.n).toBe(3);
    s.write(insertTx(62));
    const after = s.snapshotBlocksRead();
    // An indexed lookup and an insert touch a handful of blocks, not the store.
    expect(after?.read).toBeLessThan((after?.of ?? 0) / 4);
    await s.close();
    expect(
      h.logs.lines.some((l) => l.msg === 'store closed' && typeof l.snapshotBlocksRead === 'number'),
    ).toBe(true);

    const whole = await h.open();
    expect(whole.snapshotBlocksRead()).toBeNull();
    const counts = txCounts(whole);
    expect(counts.size).toBe(62);
    expect(counts.get(1)).toBe(10);
    expect(counts.get(62)).toBe(3);
    await whole.close();

    // A compaction from an on-demand open reads every block and writes a complete snapshot.
    const lazy = await h.open({ snapshotReading: 'on-demand', snapshotBlockSize: blockSize });
    lazy.write(insertTx(63));
    await lazy.compact();
    expect(lazy.snapshotBlocksRead()?.read).toBe(lazy.snapshotBlocksRead()?.of);
    await lazy.close();
    const check = await h.open();
    expect(txCounts(check).size).toBe(63);
    expect(Object.values(check.all('PRAGMA integrity_check')[0] ?? {})).toEqual(['ok']);
    await check.close();
  });

  it('meets a damaged block on demand: reloads whole from .prev and the journals, runs the write once, loses nothing', async () => {
    const h = await populated();
    // A second snapshot, so that .prev exists and the damaged one is the newer; no journal tail,
    // so the open itself reads only the first block and sees nothing.
    const s = await h.open({ snapshotBlockSize: blockSize });
    s.write(insertTx(70));
    await s.compact();
    await s.close();
    damageAllButFirstBlock(h);

    const notices: StoreNotice[] = [];
    const lazy = await h.open({
      snapshotReading: 'on-demand',
      snapshotBlockSize: blockSize,
      onNotice: (n) => notices.push(n),
    });
    expect(lazy.recovery.usedPreviousSnapshot).toBe(false);
    lazy.write(insertTx(72, 4));
    expect(txCounts(lazy).get(72)).toBe(4);
    expect(lazy.recovery.usedPreviousSnapshot).toBe(true);
    expect(notices.map(recoveryNoticeMessage).join(' ')).toMatch(/copie précédente/);
    expect(h.logs.lines.some((l) => l.lvl === 'error' && /on demand, reloading/.test(l.msg))).toBe(true);
    expect(readdirSync(h.dir).some((n) => n.startsWith('snapshot.corrupt-'))).toBe(true);
    await lazy.close();

    const whole = await h.open();
    const counts = txCounts(whole);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 61 }, (_, i) => i + 1),
      70,
      72,
    ]);
    // Written once, although the first attempt met the damage.
    expect(counts.get(72)).toBe(4);
    expect(whole.recovery.usedPreviousSnapshot).toBe(false);
    await whole.close();
  });

  it('meets a damaged block while replaying the journal at open: opens whole from .prev instead', async () => {
    const h = await populated();
    const s = await h.open({ snapshotBlockSize: blockSize });
    await s.compact();
    s.write(insertTx(75));
    await s.close();
    damageAllButFirstBlock(h);
    const lazy = await h.open({ snapshotReading: 'on-demand', snapshotBlockSize: blockSize });
    expect(lazy.recovery.usedPreviousSnapshot).toBe(true);
    expect(lazy.recovery.notices.map(recoveryNoticeMessage).join(' ')).toMatch(/copie précédente/);
    expect(lazy.snapshotBlocksRead()).toBeNull();
    const counts = txCounts(lazy);
    expect(counts.size).toBe(62);
    expect(counts.get(75)).toBe(3);
    expect(h.logs.lines.some((l) => /on demand while opening/.test(l.msg))).toBe(true);
    await lazy.close();
  });

  it('refuses, and writes nothing, when a block is damaged and there is no .prev to fall back on', async () => {
    const h = await populated({ tail: false });
    expect(existsSync(join(h.dir, 'snapshot.prev'))).toBe(false);
    damageAllButFirstBlock(h);
    const journal = readdirSync(h.dir).find((n) => n.startsWith('journal.')) ?? '';
    const journalBytes = statSync(join(h.dir, journal)).size;
    const lazy = await h.open({ snapshotReading: 'on-demand', snapshotBlockSize: blockSize });
    expect(() => lazy.write(insertTx(80))).toThrow(expect.objectContaining({ reason: 'CORRUPT_SNAPSHOT' }));
    // Refused from then on, and the journal did not receive the failed write.
    expect(() => lazy.all('SELECT 1')).toThrow(expect.objectContaining({ reason: 'CORRUPT_SNAPSHOT' }));
    await lazy.close();
    expect(statSync(join(h.dir, journal)).size).toBe(journalBytes);
    // Nothing was renamed or rewritten: the next open refuses the same way, with the same files.
    expect(readdirSync(h.dir).some((n) => n.startsWith('snapshot.corrupt-'))).toBe(false);
  });

  it('opens a version-1 store, and its next compaction writes format 2', async () => {
    const h = harness();
    // The store as an older build left it: a version-1 snapshot of generation 1 and its journal.
    mkdirSync(h.dir, { recursive: true });
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec(
      'CREATE TABLE items (id INTEGER PRIMARY KEY, tx INTEGER NOT NULL, body TEXT NOT NULL); CREATE INDEX items_by_tx ON items(tx); PRAGMA user_version = 1;',
    );
    db.run('INSERT INTO items (tx, body) VALUES (5, ?), (5, ?)', ['a', 'b']);
    writeVersion1(join(h.dir, 'snapshot'), db.export(), 1, h.key);
    db.close();
    JournalWriter.create(join(h.dir, journalFileName(1)), 1, h.key).close();

    const old = await h.open({ snapshotReading: 'on-demand' });
    expect(txCounts(old).get(5)).toBe(2);
    expect(old.snapshotBlocksRead()).toBeNull();
    old.write(insertTx(6));
    await old.compact();
    await old.close();
    expect(readFileSync(join(h.dir, 'snapshot')).readUInt16BE(8)).toBe(2);
    const reopened = await h.open({ snapshotReading: 'on-demand' });
    expect(txCounts(reopened).get(5)).toBe(2);
    expect(txCounts(reopened).get(6)).toBe(3);
    await reopened.close();
  });
});
