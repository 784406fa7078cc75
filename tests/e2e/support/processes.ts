import type { ChildProcess } from 'node:child_process';

/**
 * Children this Playwright worker started for a test: each is stopped by its own PID (SIGTERM, then
 * SIGKILL if it has not exited after `graceMs`), never by name. A worker that dies anyway takes
 * whatever is left with it (`exit` handler, SIGKILL).
 */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const left of running) if (left.pid !== undefined) left.kill('SIGKILL');
    });
  }
}

export async function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits or times out first. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (match) {
        done();
        resolve(match);
      }
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`${what} exited with ${code} before it was ready:\n${stdout}\n${stderr()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} not ready within ${timeoutMs / 1000} s:\n${stdout}\n${stderr()}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
