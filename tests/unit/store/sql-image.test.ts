import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import {
  allocateImage,
  databaseFromImage,
  onDemandImage,
  type BlockSource,
} from '../../../src/main/store/sql-image';

async function sampleImage(rows: number): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run([`row ${i} ${'x'.repeat(200)}`]);
  insert.free();
  const image = db.export();
  db.close();
  return image;
}

describe('databaseFromImage', () => {
  it('hands the decrypted image to sql.js instead of copying it: the image becomes the database file', async () => {
    const SQL = await initSqlJs();
    const source = await sampleImage(100);
    const image = allocateImage(source.length);
    image.set(source);
    const db = databaseFromImage(SQL, image);
    expect(db.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(100);
    // The first page of the file holds the schema cookie, which a schema change increments:
    // if sql.js wrote into our buffer, it used it rather than a copy.
    const before = new Uint8Array(image.buffer, 0, 100).slice();
    db.exec('CREATE TABLE u (x)');
    expect(new Uint8Array(image.buffer, 0, 100)).not.toEqual(before);
    db.close();
  });

  it('lets the database grow into the reserved room, and beyond it, without losing rows', async () => {
    const SQL = await initSqlJs();
    const source = await sampleImage(50);
    const image = allocateImage(source.length);
    image.set(source);
    expect(image.buffer.byteLength).toBeGreaterThan(source.length);
    const db = databaseFromImage(SQL, image);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    // Well past the reserved room: sql.js then moves the file into a larger buffer of its own.
    for (let i = 0; i < 20_000; i++) insert.run([`more ${i} ${'y'.repeat(200)}`]);
    insert.free();
    expect(db.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(20_050);
    const reopened = new SQL.Database(db.export());
    expect(reopened.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(20_050);
    expect(reopened.exec('PRAGMA integrity_check')[0]?.values[0]?.[0]).toBe('ok');
    reopened.close();
    db.close();
  });
});

/** Blocks of `imageLength` bytes whose every byte is a function of its position, counting loads. */
function patternSource(imageLength: number, blockSize: number): BlockSource & { loads: number[] } {
  const loads: number[] = [];
  return {
    count: Math.ceil(imageLength / blockSize),
    blockSize,
    imageLength,
    loads,
    read(index) {
      loads.push(index);
      const end = Math.min(imageLength, (index + 1) * blockSize);
      const block = new Uint8Array(end - index * blockSize);
      for (let at = index * blockSize; at < end; at++) block[at - index * blockSize] = at % 251;
      return block;
    },
    release() {},
  };
}

describe('onDemandImage', () => {
  it('holds only the blocks it has read or written, not a buffer the size of the image', () => {
    // V8 counts a buffer's size as external memory whether its pages are touched or not, and one
    // of a store's size starts a full mark-compact in a short CLI run (docs/performance.md).
    const before = process.memoryUsage().arrayBuffers;
    const image = onDemandImage(patternSource(160 * 1024 * 1024, 64 * 1024));
    const page = image.plaintext.subarray(80 * 1024 * 1024, 80 * 1024 * 1024 + 4096);
    expect(page[0]).toBe((80 * 1024 * 1024) % 251);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
    expect(image.loadedBlocks).toBe(2);
    image.release();
  });

  it('loads a block for a read or a partial write, not for a write that covers it, and keeps what was written', () => {
    const blockSize = 1024;
    const source = patternSource(10 * blockSize + 100, blockSize);
    const image = onDemandImage(source);
    const file = image.plaintext;
    expect(source.loads).toEqual([0]);

    // A read across two blocks loads both and gives their bytes in order.
    const across = file.subarray(3 * blockSize - 10, 3 * blockSize + 10);
    expect([...across]).toEqual(Array.from({ length: 20 }, (_, i) => (3 * blockSize - 10 + i) % 251));
    expect(source.loads).toEqual([0, 2, 3]);

    // A page written whole over block 5 needs nothing from the file; a partial write of block 7 does.
    file.set(new Uint8Array(blockSize).fill(7), 5 * blockSize);
    file.set(new Uint8Array(10).fill(9), 7 * blockSize + 100);
    expect(source.loads).toEqual([0, 2, 3, 7]);
    expect([...file.subarray(5 * blockSize, 5 * blockSize + 3)]).toEqual([7, 7, 7]);
    expect(file.subarray(7 * blockSize + 99, 7 * blockSize + 111)).toEqual(
      new Uint8Array([
        (7 * blockSize + 99) % 251,
        ...new Array<number>(10).fill(9),
        (7 * blockSize + 110) % 251,
      ]),
    );
    // The last block is short: writing it up to the image's end covers it.
    file.set(new Uint8Array(100).fill(3), 10 * blockSize);
    expect(source.loads).toEqual([0, 2, 3, 7]);

    // Into the room behind the image: no source block there; the file grows.
    const handedOver = file.slice();
    expect(handedOver.length).toBeGreaterThan(file.length);
    handedOver.set(new Uint8Array([1, 2, 3]), 12 * blockSize + 5);
    expect([...handedOver.subarray(12 * blockSize + 4, 12 * blockSize + 9)]).toEqual([0, 1, 2, 3, 0]);
    expect(image.imageLength).toBe(12 * blockSize + 8);
    expect(image.writtenBlocks()).toEqual([5, 7, 10, 12]);
    expect(image.block(7).subarray(100, 110)).toEqual(new Uint8Array(10).fill(9));
    expect(image.block(12).length).toBe(8);
    image.release();
  });

  it('keeps the buffer a block was read into as the block: no copy, a Buffer kept as a plain view', () => {
    const blockSize = 1024;
    const given: Uint8Array[] = [];
    const source: BlockSource = {
      count: 3,
      blockSize,
      imageLength: 2 * blockSize + 100,
      read(index) {
        // A Node Buffer, as decryption gives; the image's short last block.
        const block = index === 2 ? new Uint8Array(100).fill(7) : Buffer.alloc(blockSize, index + 1);
        given[index] = block;
        return block;
      },
      release() {},
    };
    const image = onDemandImage(source);
    expect(image.plaintext.subarray(blockSize, blockSize + 1)[0]).toBe(2);
    expect(image.plaintext.subarray(2 * blockSize, 2 * blockSize + 1)[0]).toBe(7);
    for (const index of [0, 1]) {
      expect(image.block(index).buffer).toBe(given[index]?.buffer);
      // sql.js takes `slice` for a copy: a Buffer's is a view.
      expect(Object.getPrototypeOf(image.block(index))).toBe(Uint8Array.prototype);
    }
    const copy = image.plaintext.slice(blockSize, blockSize + 10) as Uint8Array;
    copy.fill(9);
    expect(image.plaintext.subarray(blockSize, blockSize + 1)[0]).toBe(2);
    // The short last block, in a whole one: room for SQLite to grow the file into.
    expect(image.block(2).buffer.byteLength).toBe(blockSize);
    expect(image.block(2).subarray(0, 100)).toEqual(new Uint8Array(100).fill(7));
    image.release();
  });

  it('fails a write whole when a block it needs cannot be read, and changes nothing', () => {
    const blockSize = 1024;
    const source = patternSource(10 * blockSize, blockSize);
    const damaged: BlockSource = {
      ...source,
      read(index) {
        if (index === 4) throw new Error('block 4: tag mismatch');
        return source.read(index);
      },
    };
    const image = onDemandImage(damaged);
    // Block 3 whole, block 4 in part: block 4 must be read first, and cannot be.
    expect(() => image.plaintext.set(new Uint8Array(blockSize + 10).fill(1), 3 * blockSize)).toThrow();
    expect(image.damage?.message).toBe('block 4: tag mismatch');
    expect(image.writtenBlocks()).toEqual([]);
    // Block 3 still reads as the file holds it: not the write's bytes, not zeros.
    expect([...image.plaintext.subarray(3 * blockSize, 3 * blockSize + 3)]).toEqual(
      [0, 1, 2].map((i) => (3 * blockSize + i) % 251),
    );
    image.release();
  });

  it('is a database file sql.js reads and writes like the buffer it stands for', async () => {
    const SQL = await initSqlJs();
    const bytes = await sampleImage(400);
    const blockSize = 4096;
    const source: BlockSource = {
      count: Math.ceil(bytes.length / blockSize),
      blockSize,
      imageLength: bytes.length,
      read: (index) => bytes.slice(index * blockSize, (index + 1) * blockSize),
      release: () => undefined,
    };
    const image = onDemandImage(source);
    const db = databaseFromImage(SQL, image.plaintext);
    expect(db.exec('SELECT body FROM t WHERE id = 200')[0]?.values[0]?.[0]).toMatch(/^row 199 /);
    expect(image.loadedBlocks).toBeLessThan(image.blocks);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < 300; i++) insert.run([`new ${i} ${'z'.repeat(300)}`]);
    insert.free();
    const copy = new SQL.Database(db.export());
    expect(copy.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(700);
    expect(copy.exec('PRAGMA integrity_check')[0]?.values[0]?.[0]).toBe('ok');
    copy.close();
    db.close();
    image.release();
  });
});
