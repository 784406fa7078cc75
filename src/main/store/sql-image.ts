import type { Database, SqlJsStatic } from 'sql.js';

/**
 * A decrypted database image and how it becomes sql.js's database file without being copied.
 *
 * sql.js keeps the database as one `Uint8Array` in its in-memory file system. Given an image, it
 * copies it there (`image.slice(0, n)`), and when SQLite later writes past the end of that buffer
 * it moves the whole file into a buffer 1/8 larger. For a 150 MB store each of those is a fresh
 * 150 MB that the kernel must fault in page by page (about half a second each on the 2-core CI
 * box), while a one-document import touches a few dozen pages. So the snapshot is decrypted
 * straight into a buffer with room to grow, and that very buffer is handed over as the file.
 * Untouched room costs nothing: large buffers are mapped lazily.
 */

/** Room left after the image: a quarter of it, at least 16 MB (address space, not memory). */
function reserveFor(length: number): number {
  return Math.max(16 * 1024 * 1024, Math.ceil(length / 4));
}

/** A buffer of `length` bytes to decrypt an image into, with room to grow behind it. */
export function allocateImage(length: number): Uint8Array {
  return new HandedOverImage(new ArrayBuffer(length + reserveFor(length)), 0, length);
}

/**
 * `slice` is the one call through which sql.js's file system copies a new file's initial content
 * (sql.js 1.16, MEMFS `write` at offset 0 of an empty file). Answering it with a view of the same
 * memory, reserved room included, makes this buffer the file. A sql.js that copied some other
 * way would still be correct, only slower (and `sql-image.test.ts` would say so).
 */
class HandedOverImage extends Uint8Array {
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    if ((start ?? 0) === 0 && (end ?? this.length) === this.length) {
      return new Uint8Array(this.buffer as ArrayBuffer, this.byteOffset);
    }
    return Uint8Array.prototype.slice.call(this, start, end) as Uint8Array<ArrayBuffer>;
  }
}

/**
 * Opens `image` as a database. When it came from `allocateImage` it now belongs to the database:
 * do not reuse or wipe it (it is the live file, freed with the database).
 */
export function databaseFromImage(SQL: SqlJsStatic, image: Uint8Array): Database {
  return new SQL.Database(image);
}

/** Where an on-demand image gets its blocks (snapshot-file.ts: the sealed blocks of a snapshot). */
export interface BlockSource {
  readonly count: number;
  readonly blockSize: number;
  readonly imageLength: number;
  /** Writes block `index` into `target` at `offset`, or throws (damaged block) without writing. */
  load(index: number, target: Uint8Array, offset: number): void;
  release(): void;
}

/**
 * Thrown from inside sql.js's file system when a block cannot be read: Emscripten's system-call
 * wrappers turn an object named `ErrnoError` into an error code (the property holding the code is
 * renamed by its minifier, hence any property answers EIO). SQLite then sees an I/O error, rolls
 * its statement back and stays usable, instead of a JavaScript exception unwinding through it.
 */
const EIO = 29;
function ioError(): unknown {
  return new Proxy(
    { name: 'ErrnoError', message: 'snapshot block unreadable' },
    {
      get: (target, property) =>
        property === 'name' || property === 'message'
          ? target[property]
          : typeof property === 'string'
            ? EIO
            : undefined,
    },
  );
}

/**
 * A database image whose blocks are decrypted when sql.js first reads or partly overwrites them.
 *
 * sql.js reads its in-memory file only through `contents.subarray(…)` and writes it only through
 * `contents.set(…)` (sql.js 1.16 MEMFS; growing or truncating the file copies it through
 * `subarray`, which loads every block). Those two calls are where blocks get loaded, so a query
 * touching a dozen pages of a 150 MB store decrypts a dozen blocks. The untouched rest of the
 * buffer is never written, and large buffers are mapped lazily: it costs no memory either.
 * Like `allocateImage`, the buffer keeps room to grow behind the image.
 */
class OnDemandState {
  readonly buffer: ArrayBuffer;
  private readonly loaded: Uint8Array;
  /** Blocks written since the open, over the whole buffer (the file may grow into its room). */
  private readonly written: Uint8Array;
  loadedBlocks = 0;
  damage: Error | null = null;
  /** The file's length as far as writes through this image tell: the source's, or beyond. */
  length: number;
  /** Reads of SQLite's file change counter (bytes 24–40): how a read transaction starts. */
  headerReads = 0;

  constructor(private readonly source: BlockSource) {
    this.buffer = new ArrayBuffer(source.imageLength + reserveFor(source.imageLength));
    this.loaded = new Uint8Array(source.count);
    this.written = new Uint8Array(Math.ceil(this.buffer.byteLength / source.blockSize));
    this.length = source.imageLength;
  }

  get blockSize(): number {
    return this.source.blockSize;
  }

  /** Indexes of the blocks written since the open, in order. */
  writtenBlocks(): number[] {
    const indexes: number[] = [];
    this.written.forEach((flag, index) => {
      if (flag) indexes.push(index);
    });
    return indexes;
  }

  noteRead(start: number, end: number): void {
    if (start <= 24 && end >= 40) this.headerReads += 1;
  }

  get blocks(): number {
    return this.source.count;
  }

  /** Loads every block that `[start, end)` overlaps. */
  ensure(start: number, end: number): void {
    if (end <= start || this.loadedBlocks === this.source.count) return;
    const { blockSize, count } = this.source;
    const last = Math.min(count - 1, Math.floor((end - 1) / blockSize));
    for (let index = Math.floor(start / blockSize); index <= last; index++) this.load(index);
  }

  /** Before `[start, end)` is overwritten: blocks it covers entirely need no loading, the others do. */
  beforeWrite(start: number, end: number): void {
    if (end <= start) return;
    const lastWritten = Math.min(this.written.length - 1, Math.floor((end - 1) / this.source.blockSize));
    for (let index = Math.floor(start / this.source.blockSize); index <= lastWritten; index++)
      this.written[index] = 1;
    this.length = Math.max(this.length, end);
    if (this.loadedBlocks === this.source.count) return;
    const { blockSize, count, imageLength } = this.source;
    const last = Math.min(count - 1, Math.floor((end - 1) / blockSize));
    for (let index = Math.floor(start / blockSize); index <= last; index++) {
      const blockStart = index * blockSize;
      const blockEnd = Math.min(blockStart + blockSize, imageLength);
      if (start <= blockStart && end >= blockEnd) this.markLoaded(index);
      else this.load(index);
    }
  }

  release(): void {
    this.source.release();
  }

  private load(index: number): void {
    if (this.loaded[index]) return;
    try {
      this.source.load(index, new Uint8Array(this.buffer), index * this.source.blockSize);
    } catch (err) {
      this.damage ??= err instanceof Error ? err : new Error(String(err));
      throw ioError();
    }
    this.markLoaded(index);
  }

  private markLoaded(index: number): void {
    if (this.loaded[index]) return;
    this.loaded[index] = 1;
    this.loadedBlocks += 1;
    // Nothing left to read: let go of the file now rather than at close.
    if (this.loadedBlocks === this.source.count) this.source.release();
  }
}

class OnDemandImage extends Uint8Array {
  // subarray, slice, map… build plain arrays: only the file's own contents load blocks.
  static get [Symbol.species](): Uint8ArrayConstructor {
    return Uint8Array;
  }

  constructor(
    private readonly state: OnDemandState,
    length: number,
  ) {
    super(state.buffer, 0, length);
  }

  override subarray(begin?: number, end?: number): Uint8Array<ArrayBuffer> {
    const [start, stop] = clampRange(this.length, begin, end);
    this.state.noteRead(start, stop);
    this.state.ensure(start, stop);
    return Uint8Array.prototype.subarray.call(this, start, stop) as Uint8Array<ArrayBuffer>;
  }

  override set(array: ArrayLike<number>, offset = 0): void {
    this.state.beforeWrite(offset, offset + array.length);
    Uint8Array.prototype.set.call(this, array, offset);
  }

  /** As in `HandedOverImage`: the first write of a new file takes this image, and its room, as the file. */
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    if ((start ?? 0) === 0 && (end ?? this.length) === this.length) {
      return new OnDemandImage(this.state, this.state.buffer.byteLength) as Uint8Array<ArrayBuffer>;
    }
    const [from, to] = clampRange(this.length, start, end);
    this.state.ensure(from, to);
    return Uint8Array.prototype.slice.call(this, from, to) as Uint8Array<ArrayBuffer>;
  }
}

function clampRange(length: number, begin?: number, end?: number): [number, number] {
  const at = (value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Math.trunc(value);
    return n < 0 ? Math.max(0, length + n) : Math.min(n, length);
  };
  return [at(begin, 0), at(end, length)];
}

export interface OnDemandImageHandle {
  /** The image to hand to `databaseFromImage`. */
  readonly plaintext: Uint8Array;
  /** The error met by the first block that could not be read, if any. */
  readonly damage: Error | null;
  readonly loadedBlocks: number;
  readonly blocks: number;
  /** The file's length as far as the writes seen here tell (see `headerReadBy`). */
  readonly imageLength: number;
  readonly blockSize: number;
  /** Blocks written since the open (by replay, writes or rollbacks), in order. */
  writtenBlocks(): number[];
  /**
   * The plaintext of block `index` as it is now, for a block `writtenBlocks` names: written blocks
   * were loaded, or wholly written, before their write.
   */
  block(index: number): Uint8Array;
  /**
   * Whether `run` made SQLite read its file header through this image. SQLite starts every read
   * transaction by reading its file change counter; if that read does not come here, sql.js has
   * replaced the file's contents with a copy (it does so to grow it past its room or to truncate
   * it), and the writes seen here are no longer all of them.
   */
  headerReadBy<T>(run: () => T): { value: T; read: boolean };
  /** Closes the file behind the blocks (after the database is closed or replaced). */
  release(): void;
}

/** An image loaded block by block from `source`; its first block is loaded now. */
export function onDemandImage(source: BlockSource): OnDemandImageHandle {
  const state = new OnDemandState(source);
  const plaintext = new OnDemandImage(state, source.imageLength);
  try {
    state.ensure(0, 1);
  } catch {
    state.release();
    throw state.damage;
  }
  return {
    plaintext,
    get damage() {
      return state.damage;
    },
    get loadedBlocks() {
      return state.loadedBlocks;
    },
    blocks: state.blocks,
    get imageLength() {
      return state.length;
    },
    blockSize: state.blockSize,
    writtenBlocks: () => state.writtenBlocks(),
    block: (index) => {
      const start = index * state.blockSize;
      return new Uint8Array(
        state.buffer,
        start,
        Math.max(0, Math.min(state.blockSize, state.length - start)),
      );
    },
    headerReadBy: (run) => {
      const before = state.headerReads;
      const value = run();
      return { value, read: state.headerReads > before };
    },
    release: () => state.release(),
  };
}
