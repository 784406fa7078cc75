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
export function databaseFromImage(SQL: SqlJsStatic, image: DatabaseImage): Database {
  // An OnDemandFile has every member sql.js uses of the array it is given (see OnDemandState).
  return new SQL.Database(image as Uint8Array);
}

/** Where an on-demand image gets its blocks (snapshot-file.ts: the sealed blocks of a snapshot). */
export interface BlockSource {
  readonly count: number;
  readonly blockSize: number;
  readonly imageLength: number;
  /**
   * Block `index` in a buffer of its own, which the caller keeps: the image holds it as the block,
   * without a copy, when it is `blockSize` long (the image's last block may be shorter: it is then
   * copied into a whole one, zeros after it). Throws for a damaged block. One fresh buffer per block:
   * on this VM every page of fresh memory costs a page fault of ~10 µs, more than decrypting it
   * (docs/performance.md, CLI import, cold path).
   */
  read(index: number): Uint8Array;
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
 * A database image whose blocks are decrypted when sql.js first reads or partly overwrites them,
 * each block in a buffer of its own.
 *
 * sql.js reads its in-memory file only through `contents.subarray(…)` and writes it only through
 * `contents.set(…)`, after checking the room it has in `contents.length` (sql.js 1.16 MEMFS; growing
 * past that room or truncating the file copies it through `subarray`, which loads every block).
 * Those calls are where blocks get loaded, so a query touching a dozen pages of a 150 MB store
 * decrypts a dozen blocks. The image is not one 150 MB buffer: V8 counts a buffer's size as
 * external memory whether or not its pages are ever touched, and one that large starts an
 * incremental mark-compact of the whole heap in a process that would otherwise never need one
 * (~35 ms of a cold CLI import in `--trace-gc`, docs/performance.md). Like `allocateImage`, the
 * image keeps room to grow behind it: blocks there exist once written.
 */
class OnDemandState {
  /** The file's blocks, over its room: each allocated when loaded or first written. */
  private readonly blocks: (Uint8Array | undefined)[];
  private readonly loaded: Uint8Array;
  /** Blocks written since the open, over the whole room (the file may grow into it). */
  private readonly written: Uint8Array;
  /** Bytes the file can hold before sql.js moves it into a buffer of its own. */
  readonly capacity: number;
  loadedBlocks = 0;
  damage: Error | null = null;
  /** The file's length as far as writes through this image tell: the source's, or beyond. */
  length: number;
  /** Reads of SQLite's file change counter (bytes 24–40): how a read transaction starts. */
  headerReads = 0;

  constructor(private readonly source: BlockSource) {
    this.capacity = source.imageLength + reserveFor(source.imageLength);
    const slots = Math.ceil(this.capacity / source.blockSize);
    this.blocks = new Array<Uint8Array | undefined>(slots).fill(undefined);
    this.loaded = new Uint8Array(source.count);
    this.written = new Uint8Array(slots);
    this.length = source.imageLength;
  }

  get blockSize(): number {
    return this.source.blockSize;
  }

  get count(): number {
    return this.source.count;
  }

  /** Indexes of the blocks written since the open, in order. */
  writtenBlocks(): number[] {
    const indexes: number[] = [];
    this.written.forEach((flag, index) => {
      if (flag) indexes.push(index);
    });
    return indexes;
  }

  /** Bytes `[start, end)` of the file: a view of one block when the range lies in it, else a copy. */
  read(start: number, end: number): Uint8Array {
    if (start <= 24 && end >= 40) this.headerReads += 1;
    const { blockSize } = this.source;
    const first = Math.floor(start / blockSize);
    if (end <= start) return new Uint8Array(0);
    const last = Math.floor((end - 1) / blockSize);
    if (first === last) {
      const offset = first * blockSize;
      return this.readable(first).subarray(start - offset, end - offset);
    }
    const out = new Uint8Array(end - start);
    for (let index = first; index <= last; index++) {
      const offset = index * blockSize;
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + blockSize);
      out.set(this.readable(index).subarray(from - offset, to - offset), from - start);
    }
    return out;
  }

  /**
   * Writes `data` at `position` (within the capacity: sql.js checks it first). Every block the
   * write needs is loaded before any byte changes, so a block that cannot be read fails the write
   * whole, as SQLite expects of an I/O error.
   */
  write(data: ArrayLike<number>, position: number): void {
    const end = position + data.length;
    if (end <= position) return;
    const { blockSize } = this.source;
    const bytes = ArrayBuffer.isView(data) ? (data as Uint8Array) : Uint8Array.from(data);
    const indexes: number[] = [];
    for (let index = Math.floor(position / blockSize); index <= Math.floor((end - 1) / blockSize); index++)
      indexes.push(index);
    const covers = (index: number): boolean =>
      position <= index * blockSize && end >= Math.min((index + 1) * blockSize, this.sourceEnd(index));
    // Blocks partly written are read first: one that fails leaves everything as it was.
    for (const index of indexes) if (!covers(index)) this.readable(index);
    for (const index of indexes) {
      const offset = index * blockSize;
      const from = Math.max(position, offset);
      const to = Math.min(end, offset + blockSize);
      const block = covers(index) ? this.fresh(index) : this.readable(index);
      block.set(bytes.subarray(from - position, to - position), from - offset);
      this.written[index] = 1;
    }
    this.length = Math.max(this.length, end);
  }

  /** Block `index` as it is now (zeros where nothing was ever loaded or written). */
  block(index: number): Uint8Array {
    const start = index * this.source.blockSize;
    const size = Math.max(0, Math.min(this.source.blockSize, this.length - start));
    return (this.blocks[index] ?? new Uint8Array(this.source.blockSize)).subarray(0, size);
  }

  release(): void {
    this.source.release();
  }

  /** Where the source's own bytes for block `index` end (a block past the source has none). */
  private sourceEnd(index: number): number {
    return index < this.source.count ? this.source.imageLength : index * this.source.blockSize;
  }

  /** Block `index` with its content: loaded from the source first if it has never been. */
  private readable(index: number): Uint8Array {
    const block = this.blocks[index];
    if (block) return block;
    if (index >= this.source.count) return this.fresh(index);
    let target: Uint8Array;
    try {
      target = ownBlock(this.source.read(index), this.source.blockSize);
    } catch (err) {
      this.damage ??= err instanceof Error ? err : new Error(String(err));
      throw ioError();
    }
    this.blocks[index] = target;
    this.markLoaded(index);
    return target;
  }

  /** Block `index` about to be overwritten whole: its old content need not be read. */
  private fresh(index: number): Uint8Array {
    let block = this.blocks[index];
    if (!block) {
      block = new Uint8Array(this.source.blockSize);
      this.blocks[index] = block;
    }
    if (index < this.source.count) this.markLoaded(index);
    return block;
  }

  private markLoaded(index: number): void {
    if (this.loaded[index]) return;
    this.loaded[index] = 1;
    this.loadedBlocks += 1;
    // Nothing left to read: let go of the file now rather than at close.
    if (this.loadedBlocks === this.source.count) this.source.release();
  }
}

/**
 * `bytes` as a block the image can keep: a plain `Uint8Array` (a Node `Buffer`'s `slice` is a view,
 * where sql.js expects a copy) of exactly `blockSize` bytes, over the same memory when it is one.
 */
function ownBlock(bytes: Uint8Array, blockSize: number): Uint8Array {
  if (bytes.length === blockSize)
    return Object.getPrototypeOf(bytes) === Uint8Array.prototype
      ? bytes
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const block = new Uint8Array(blockSize);
  block.set(bytes.subarray(0, blockSize));
  return block;
}

/**
 * The file sql.js is handed: the calls its in-memory file system makes on a file's contents, over
 * `OnDemandState`. `length` is what sql.js reads it as: the image's length when handed over (how
 * much `Database` writes into its new file), then the room it has (`slice` below).
 */
export class OnDemandFile {
  constructor(
    private readonly state: OnDemandState,
    readonly length: number,
  ) {}

  subarray(begin?: number, end?: number): Uint8Array {
    const [start, stop] = clampRange(this.length, begin, end);
    return this.state.read(start, stop);
  }

  set(array: ArrayLike<number>, offset = 0): void {
    this.state.write(array, offset);
  }

  /**
   * As in `HandedOverImage`: sql.js creates the database file by writing the image into an empty
   * file, which takes `slice()` of it as the file's contents; answering with this same image, and
   * its room, makes it the file.
   */
  slice(start?: number, end?: number): OnDemandFile | Uint8Array {
    const [from, to] = clampRange(this.length, start, end);
    if (from === 0 && to === this.length) return new OnDemandFile(this.state, this.state.capacity);
    return this.state.read(from, to).slice();
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

/** What sql.js is handed as a database file: a decrypted buffer, or an image read on demand. */
export type DatabaseImage = Uint8Array | OnDemandFile;

export interface OnDemandImageHandle {
  /** The image to hand to `databaseFromImage`. */
  readonly plaintext: OnDemandFile;
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
  const plaintext = new OnDemandFile(state, source.imageLength);
  try {
    state.read(0, 1);
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
    blocks: state.count,
    get imageLength() {
      return state.length;
    },
    blockSize: state.blockSize,
    writtenBlocks: () => state.writtenBlocks(),
    block: (index) => state.block(index),
    headerReadBy: (run) => {
      const before = state.headerReads;
      const value = run();
      return { value, read: state.headerReads > before };
    },
    release: () => state.release(),
  };
}
