import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isErrno, unlinkIfExists } from './durable-fs';
import { StoreError } from './errors';

/**
 * One process at a time per folder, without an OS advisory lock (Node has none without a native
 * addon). The lock is a file `LOCK` whose content names its holder:
 *
 * - it is created atomically WITH its content: written under a private name, then `link()`ed to
 *   `LOCK`, which fails with EEXIST when a lock is there. A reader never sees an empty or half
 *   written lock.
 * - the holder is (pid, boot id, process start time). A lock is stale only when the boot id differs
 *   (written before a reboot), the pid is dead, or the pid is alive but started at another time
 *   (pid reused — e.g. pid 1 in a container restarted after a kill).
 * - a stale lock is removed only under a second lock, `LOCK.takeover`, after re-reading it there:
 *   with the takeover serialised and a stale holder unable to release, the lock re-read under
 *   `LOCK.takeover` is still the one removed. The removal itself is a rename followed by a check of
 *   what was renamed (rename-and-recheck), so a broken assumption is detected and undone rather than
 *   silently removing a live lock.
 * - released only by its owner: the content is compared with what this acquisition wrote (a random
 *   token is part of it) before the file is removed.
 */
export const lockFileName = 'LOCK';

export interface LockHolder {
  pid: number;
  /** `/proc/sys/kernel/random/boot_id` when the lock was taken; null in an old pid-only lock. */
  boot: string | null;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks after boot); null in an old pid-only lock. */
  start: string | null;
  host?: string;
  token?: string;
}

let cachedBootId: string | null | undefined;
function currentBootId(): string | null {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}

/** Start time of a live process, null when it does not exist (or /proc is not available). */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // `comm` (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}

function parseHolder(text: string): LockHolder | null {
  const trimmed = text.trim();
  // Written by versions before this one: the pid alone.
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), boot: null, start: null };
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid < 1) return null;
    return {
      pid: value.pid,
      boot: typeof value.boot === 'string' ? value.boot : null,
      start: typeof value.start === 'string' ? value.start : null,
      ...(typeof value.host === 'string' ? { host: value.host } : {}),
      ...(typeof value.token === 'string' ? { token: value.token } : {}),
    };
  } catch {
    return null;
  }
}

/** Why a holder no longer holds anything; null while it may still be running. */
export function staleReason(holder: LockHolder | null): string | null {
  if (!holder) return 'unreadable lock content';
  const boot = currentBootId();
  if (holder.boot !== null && boot !== null && holder.boot !== boot) return 'written before a reboot';
  if (!pidIsAlive(holder.pid)) return 'holder process is dead';
  if (holder.start !== null) {
    const start = processStartTime(holder.pid);
    if (start !== null && start !== holder.start) return 'pid reused by another process';
  }
  return null;
}

function readLock(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
}

export class LockHeldError extends StoreError {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | null,
  ) {
    super('LOCKED', `lock ${lockPath} held by ${JSON.stringify(holder)}`, {
      path: lockPath,
      ...(holder ? { pid: holder.pid, ...(holder.host ? { host: holder.host } : {}) } : {}),
    });
  }
}

interface Created {
  content: string;
  /** Removes the private file the content was written to (the lock itself stays). */
  discard(): void;
  tmp: string;
}

function prepare(path: string): Created {
  const token = randomBytes(12).toString('hex');
  const holder: LockHolder = {
    pid: process.pid,
    boot: currentBootId(),
    start: processStartTime(process.pid),
    host: hostname(),
    token,
  };
  const content = `${JSON.stringify(holder)}\n`;
  const tmp = `${path}.${process.pid}-${token}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  return { content, tmp, discard: () => unlinkIfExists(tmp) };
}

/** Creates `path` from the prepared file unless it exists; true when created. */
function linkIfAbsent(created: Created, path: string): boolean {
  try {
    linkSync(created.tmp, path);
    return true;
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    throw err;
  }
}

function releaser(path: string, content: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // Only the owner removes the lock: if its content is not ours, someone took it over.
    if (readLock(path) === content) unlinkIfExists(path);
  };
}

/**
 * Removes `path` if it still holds `stale` (which the caller judged stale). Caller holds the
 * takeover lock, so no other process removes or replaces a stale lock meanwhile.
 */
function removeIfUnchanged(path: string, stale: string): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return;
    throw err;
  }
  const moved = readLock(aside);
  if (moved === stale) {
    unlinkIfExists(aside);
    return;
  }
  // Not the stale lock any more: put it back, exactly as it was, unless a lock appeared meanwhile.
  try {
    linkSync(aside, path);
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err;
  }
  unlinkIfExists(aside);
}

/**
 * One attempt: the release function, or the live holder. Stale locks met on the way are removed
 * (under the takeover lock) and the attempt goes on.
 */
export function tryAcquireLock(path: string): { release: () => void } | { holder: LockHolder | null } {
  const created = prepare(path);
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (linkIfAbsent(created, path)) return { release: releaser(path, created.content) };
      const seen = readLock(path);
      if (seen === null) continue;
      const holder = parseHolder(seen);
      const reason = staleReason(holder);
      if (reason === null) return { holder };
      const takeover = tryAcquireTakeover(`${path}.takeover`);
      if (!takeover) continue;
      try {
        // Re-read under the takeover lock: only what is still stale now is removed.
        const now = readLock(path);
        if (now !== null && staleReason(parseHolder(now)) !== null) removeIfUnchanged(path, now);
      } finally {
        takeover();
      }
    }
    // Twenty rounds of other processes taking over before this one: report whoever holds it now.
    const seen = readLock(path);
    return { holder: seen === null ? null : parseHolder(seen) };
  } finally {
    created.discard();
  }
}

/** The short-lived lock under which stale locks are removed; null while someone else holds it. */
function tryAcquireTakeover(path: string): (() => void) | null {
  const created = prepare(path);
  try {
    if (linkIfAbsent(created, path)) return releaser(path, created.content);
    const seen = readLock(path);
    // A takeover lock left by a process killed during a takeover (a few microseconds of window).
    if (seen !== null && staleReason(parseHolder(seen)) !== null) removeIfUnchanged(path, seen);
    return null;
  } finally {
    created.discard();
  }
}

/** Takes `<dir>/LOCK` or throws `LockHeldError` (reason LOCKED) naming the lock file and its holder. */
export function acquireDirectoryLock(dir: string): () => void {
  const path = join(dir, lockFileName);
  const result = tryAcquireLock(path);
  if ('release' in result) return result.release;
  throw new LockHeldError(path, result.holder);
}

/**
 * Same, but queues behind the current holder for up to `waitMs` (polling: a lock file cannot be
 * waited on). `onWait` is called once, when the first attempt finds the lock held.
 */
export async function acquireDirectoryLockWaiting(
  dir: string,
  waitMs: number,
  onWait?: (holder: LockHolder | null) => void,
): Promise<() => void> {
  const path = join(dir, lockFileName);
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    const result = tryAcquireLock(path);
    if ('release' in result) return result.release;
    if (Date.now() >= deadline) throw new LockHeldError(path, result.holder);
    if (!announced) {
      announced = true;
      onWait?.(result.holder);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
