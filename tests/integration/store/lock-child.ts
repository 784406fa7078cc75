import { openSync, closeSync, unlinkSync, writeFileSync, renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tryAcquireLock } from '../../../src/main/store/dir-lock';

/**
 * One racer of lock-race.test.ts: `rounds` times, take `<dir>/LOCK` (retrying while held), prove it
 * is alone by creating `<dir>/holder` exclusively, then either release or "die" — leave the lock
 * replaced by a stale one (dead pid, other boot, reused pid), as a killed holder would.
 * Prints `done <acquired> <takeoversLeft>`; exits 3 at the first sign of a second holder.
 */
const [dir, roundsText, deadPidText, seedText] = process.argv.slice(2) as [string, string, string, string];
const rounds = Number(roundsText);
const lock = join(dir, 'LOCK');
const marker = join(dir, 'holder');
let seed = Number(seedText);
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const sleep = new Int32Array(new SharedArrayBuffer(4));
const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const myStat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
const myStart = myStat.slice(myStat.lastIndexOf(')') + 2).split(' ')[19] as string;
const staleContents = [
  { pid: Number(deadPidText), boot: bootId, start: '1' },
  { pid: process.pid, boot: '00000000-0000-0000-0000-000000000000', start: myStart },
  { pid: process.pid, boot: bootId, start: String(Number(myStart) - 1) },
].map((h) => `${JSON.stringify({ ...h, token: 'stale' })}\n`);

let abandoned = 0;
for (let i = 0; i < rounds; i++) {
  let release: (() => void) | null = null;
  while (!release) {
    const result = tryAcquireLock(lock);
    if ('release' in result) release = result.release;
    else Atomics.wait(sleep, 0, 0, Math.floor(random() * 3));
  }
  let fd: number;
  try {
    fd = openSync(marker, 'wx');
  } catch {
    process.stdout.write(`two holders at round ${i}\n`);
    process.exit(3);
  }
  // Hold a little: long enough for another racer to run its whole acquisition meanwhile.
  if (random() < 0.5) Atomics.wait(sleep, 0, 0, 1);
  closeSync(fd);
  unlinkSync(marker);
  if (random() < 0.3) {
    const tmp = join(dir, `stale-${process.pid}`);
    writeFileSync(tmp, staleContents[Math.floor(random() * staleContents.length)] as string);
    renameSync(tmp, lock);
    abandoned++;
  } else release();
}
process.stdout.write(`done ${rounds} ${abandoned}\n`);
