import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeErrorMessage } from '../../../src/main/app/user-messages';
import { acquireDirectoryLock } from '../../../src/main/store/dir-lock';
import { StoreError } from '../../../src/main/store/errors';
import { tempDir } from './helpers';

/** Independent restatement of what a holder is: pid, boot id, start time (field 22 of /proc/<pid>/stat). */
const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
}
function lockContent(fields: { pid: number; boot?: string; start?: string }): string {
  return `${JSON.stringify({ pid: fields.pid, boot: fields.boot ?? bootId, start: fields.start ?? startTimeOf(fields.pid), token: 'written-by-test' })}\n`;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A live process that is not this one and holds no lock: what a reused pid looks like. */
async function unrelatedLiveProcess(): Promise<number> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child.pid as number;
}

describe('data folder lock', () => {
  it('writes the holder (pid, boot id, start time) in the lock file and removes it on release', () => {
    const dir = tempDir();
    const release = acquireDirectoryLock(dir);
    const content = JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8')) as Record<string, unknown>;
    expect(content).toMatchObject({ pid: process.pid, boot: bootId, start: startTimeOf(process.pid) });
    release();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });

  it('refuses a lock held by a live process, naming the lock file and the holder', async () => {
    const dir = tempDir();
    const pid = await unrelatedLiveProcess();
    writeFileSync(join(dir, 'LOCK'), lockContent({ pid }));
    let error: unknown;
    try {
      acquireDirectoryLock(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('LOCKED');
    expect((error as StoreError).facts).toMatchObject({ path: join(dir, 'LOCK'), pid });
    expect(storeErrorMessage(error as StoreError)).toContain(join(dir, 'LOCK'));
    expect(storeErrorMessage(error as StoreError)).toContain(String(pid));
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(lockContent({ pid }));
  });

  it('takes over a lock naming a live unrelated pid whose start time differs (pid reused)', async () => {
    const dir = tempDir();
    const pid = await unrelatedLiveProcess();
    writeFileSync(join(dir, 'LOCK'), lockContent({ pid, start: '1' }));
    const release = acquireDirectoryLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8'))).toMatchObject({ pid: process.pid });
    release();
  });

  it('takes over a lock written before a reboot (other boot id), even if its pid is alive now', async () => {
    const dir = tempDir();
    const pid = await unrelatedLiveProcess();
    writeFileSync(join(dir, 'LOCK'), lockContent({ pid, boot: '00000000-0000-0000-0000-000000000000' }));
    const release = acquireDirectoryLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8'))).toMatchObject({ pid: process.pid });
    release();
  });

  it('takes over a lock naming its own pid from an earlier life (host restarted as pid 1 in a container)', () => {
    const dir = tempDir();
    // The killed host had the same pid as this process (pid 1 both times) but started earlier.
    writeFileSync(
      join(dir, 'LOCK'),
      lockContent({ pid: process.pid, start: String(Number(startTimeOf(process.pid)) - 500) }),
    );
    const release = acquireDirectoryLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8'))).toMatchObject({
      pid: process.pid,
      start: startTimeOf(process.pid),
    });
    release();
  });

  it('takes over a lock of a dead process and an old pid-only lock of a dead process', async () => {
    const dir = tempDir();
    const child = spawn('true', { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(join(dir, 'LOCK'), lockContent({ pid: child.pid as number, start: '1' }));
    acquireDirectoryLock(dir)();
    writeFileSync(join(dir, 'LOCK'), String(child.pid));
    acquireDirectoryLock(dir)();
  });

  it('refuses a second holder in the same process, and release never removes a lock it does not own', () => {
    const dir = tempDir();
    const release = acquireDirectoryLock(dir);
    expect(() => acquireDirectoryLock(dir)).toThrow(expect.objectContaining({ reason: 'LOCKED' }));
    const mine = readFileSync(join(dir, 'LOCK'), 'utf8');
    // Someone else's lock replaced ours (an administrator removed ours and another instance started).
    writeFileSync(join(dir, 'LOCK'), lockContent({ pid: process.ppid }));
    release();
    expect(existsSync(join(dir, 'LOCK'))).toBe(true);
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).not.toBe(mine);
  });
});
