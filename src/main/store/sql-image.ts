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
