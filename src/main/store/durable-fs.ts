import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  writevSync,
  constants,
} from 'node:fs';
import { dirname } from 'node:path';

/** A rename or a new file is atomic but not durable until its directory entry is flushed. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `data` at `position` (the file's current position if omitted). */
export function writeAll(fd: number, data: Uint8Array, position?: number): void {
  let written = 0;
  while (written < data.length) {
    written += writeSync(
      fd,
      data,
      written,
      data.length - written,
      position === undefined ? null : position + written,
    );
  }
}

/**
 * Reads the file from `position` into `buffer` from `offset` to its end, or until the file ends;
 * the number of bytes read (fewer than asked only at the end of the file). `writeAll`'s twin.
 */
export function readAt(fd: number, buffer: Uint8Array, offset: number, position: number): number {
  let read = 0;
  while (offset + read < buffer.length) {
    const n = readSync(fd, buffer, offset + read, buffer.length - offset - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

/** Writes `pieces` one after the other at `position`, in one system call when it takes them all. */
export function writePiecesAt(fd: number, pieces: Uint8Array[], position: number): void {
  const total = pieces.reduce((n, piece) => n + piece.length, 0);
  const written = writevSync(fd, pieces, position);
  if (written < total) writeAll(fd, Buffer.concat(pieces).subarray(written), position + written);
}

/** Opens `path` with `flags` (mode 0600 when created), writes all of `data`, fsyncs and closes. */
function writeWholeFileSynced(path: string, flags: 'w' | 'wx', data: Uint8Array): void {
  const fd = openSync(path, flags, 0o600);
  try {
    writeAll(fd, data, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces a small file atomically and durably (temp, fsync, rename, directory fsync), mode 0600. */
export function writeFileDurably(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeWholeFileSynced(tmp, 'w', data);
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
}

/**
 * Creates a whole small file with mode 0600 only if `path` does not exist: written and fsynced
 * under a private name (opened `wx`), then `link()`ed into place, which fails when something is
 * already there. Unlike an exclusive open of `path` itself, nobody can ever see it empty or half
 * written. False when `path` existed (nothing changed).
 */
export function createFileExclusively(path: string, data: Uint8Array): boolean {
  const tmp = `${path}.new-${process.pid}-${Date.now()}`;
  writeWholeFileSynced(tmp, 'wx', data);
  try {
    linkSync(tmp, path);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    throw err;
  } finally {
    unlinkIfExists(tmp);
  }
  fsyncDirectory(dirname(path));
  return true;
}

export function unlinkIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
