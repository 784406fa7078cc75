import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './wait';

/**
 * Runs a private `pcscd -f` for the integration tests (the vpcd driver is configured in
 * /etc/reader.conf.d/vpcd: slot 0 on TCP 35963, slot 1 on 35964). Only a pcscd this module started
 * (recorded in our own PID file) is ever signalled; a foreign one makes `startPcscd` fail clearly.
 */

export const PCSCD_BINARY = '/usr/sbin/pcscd';
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const OUR_PID_FILE = join(tmpdir(), 'poste-dmp-test-pcscd.pid');
export const VPCD_PORTS = [35963, 35964] as const;

export interface PcscdHandle {
  readonly pid: number;
  /** Last lines pcscd printed, to explain a failure. */
  output(): string;
  stop(): Promise<void>;
}

export function pcscdInstalled(): boolean {
  return existsSync(PCSCD_BINARY) && existsSync('/etc/reader.conf.d/vpcd');
}

/**
 * Starts our pcscd. On a loaded machine vpcd's listening ports have been seen not to appear within
 * the deadline once (cause unknown: pcscd's output was not kept then); the start is retried once,
 * and a failure names what was missing and ends with pcscd's own last lines.
 */
export async function startPcscd(options: { timeoutMs?: number } = {}): Promise<PcscdHandle> {
  await stopStalePcscd();
  if (await socketAccepts(PCSCD_SOCKET)) {
    throw new Error(
      `A pcscd we did not start owns ${PCSCD_SOCKET}; stop it (systemctl stop pcscd.socket pcscd) before running these tests.`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  try {
    return await startPcscdOnce(timeoutMs);
  } catch (first) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    try {
      return await startPcscdOnce(timeoutMs);
    } catch (second) {
      throw new Error(
        `pcscd did not start twice.\nfirst attempt: ${String(first)}\nsecond attempt: ${String(second)}`,
      );
    }
  }
}

async function startPcscdOnce(timeoutMs: number): Promise<PcscdHandle> {
  const child = spawn(PCSCD_BINARY, ['-f'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error('pcscd did not start');
  writeFileSync(OUR_PID_FILE, String(pid));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitUntil(
      async () => {
        if (exited) throw new Error(`pcscd exited during start-up:\n${lines.join('\n')}`);
        return (await socketAccepts(PCSCD_SOCKET)) && VPCD_PORTS.every(isTcpPortListening);
      },
      { timeoutMs, what: 'pcscd socket and vpcd ports' },
    );
  } catch (error) {
    const state = [
      `socket ${PCSCD_SOCKET}: ${(await socketAccepts(PCSCD_SOCKET)) ? 'accepts' : 'absent or refused'}`,
      ...VPCD_PORTS.map(
        (port) => `vpcd port ${port}: ${isTcpPortListening(port) ? 'listening' : 'not listening'}`,
      ),
    ].join('; ');
    await stopChild(child);
    if (readPidFile() === pid) rmSync(OUR_PID_FILE, { force: true });
    throw new Error(
      `${error instanceof Error ? error.message : String(error)} (${state})\npcscd output (last lines):\n${lines.slice(-30).join('\n') || '(none)'}`,
    );
  }
  return {
    pid,
    output: () => lines.join('\n'),
    stop: async () => {
      await stopChild(child);
      if (readPidFile() === pid) rmSync(OUR_PID_FILE, { force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function readPidFile(): number | null {
  try {
    const pid = Number(readFileSync(OUR_PID_FILE, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A pcscd left running by an earlier, crashed test run (found through our PID file only). */
async function stopStalePcscd(): Promise<void> {
  const pid = readPidFile();
  if (pid === null) return;
  if (isPcscdProcess(pid)) {
    process.kill(pid, 'SIGTERM');
    await waitUntil(() => !isAlive(pid), { timeoutMs: 5_000, what: `stale pcscd ${pid} to exit` }).catch(
      () => {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      },
    );
    await waitUntil(() => !isAlive(pid), { timeoutMs: 2_000, what: `stale pcscd ${pid} to die` });
  }
  rmSync(OUR_PID_FILE, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; it no longer holds any socket.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
  } catch {
    return false;
  }
}

function isPcscdProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === PCSCD_BINARY;
  } catch {
    return false;
  }
}

function socketAccepts(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Checked in /proc/net/tcp rather than by connecting: for vpcd a TCP connection IS a card insertion.
 */
export function isTcpPortListening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local?.endsWith(`:${hexPort}`) && state === '0A') return true;
    }
  }
  return false;
}
