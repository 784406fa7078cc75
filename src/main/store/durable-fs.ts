import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  constants,
} from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from './errors';

/** A rename or a new file is atomic but not durable until its directory entry is flushed. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole small file with mode 0600: temp → fsync → rename → fsync directory. */
export function writeFileDurably(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
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

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}

/**
 * One process at a time per store directory: two writers appending to the same journal would
 * interleave records. A lock left by a dead process (crash, SIGKILL) is taken over.
 */
export function acquireDirectoryLock(dir: string): () => void {
  const path = `${dir}/LOCK`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        unlinkIfExists(path);
      };
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && (holder === process.pid || pidIsAlive(holder))) {
        throw new StoreError(
          'LOCKED',
          'Les données sont déjà ouvertes par une autre instance de l’application. Fermez-la puis réessayez.',
          `store directory locked by pid ${holder}`,
        );
      }
      // Stale (its holder died without closing): replace it atomically.
      const stale = `${path}.stale-${process.pid}`;
      try {
        linkSync(path, stale);
        unlinkSync(path);
        unlinkSync(stale);
      } catch (e) {
        if (!isErrno(e, 'ENOENT') && !isErrno(e, 'EEXIST')) throw e;
      }
    }
  }
  throw new StoreError(
    'LOCKED',
    'Impossible de verrouiller le dossier de données.',
    'lock takeover raced twice',
  );
}
