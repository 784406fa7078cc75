import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface TimedRun {
  /** Wall time from just before the spawn to the child's exit, measured in the timer process. */
  ms: number;
  code: number | null;
}

export interface ProcessTimer {
  /** Runs `node ...args` in `cwd`, output ignored; one run at a time (await each before the next). */
  time(args: string[], cwd: string): Promise<TimedRun>;
  close(): void;
}

/**
 * Starts the small process that spawns and times node commands for a bench
 * (process-timer-child.mjs says why the bench's own process should not).
 */
export function startProcessTimer(): ProcessTimer {
  const script = fileURLToPath(new URL('./process-timer-child.mjs', import.meta.url));
  const timer = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: timer.stdout });
  let pending: { resolve: (run: TimedRun) => void; reject: (error: Error) => void } | null = null;
  answers.on('line', (line) => {
    const answer = JSON.parse(line) as Partial<TimedRun> & { error?: string };
    const waiting = pending;
    pending = null;
    if (!waiting) return;
    if (answer.error !== undefined || answer.ms === undefined) {
      waiting.reject(new Error(`process timer: ${answer.error ?? line}`));
    } else waiting.resolve({ ms: answer.ms, code: answer.code ?? null });
  });
  timer.on('exit', (code) => {
    pending?.reject(new Error(`process timer exited (${code})`));
    pending = null;
  });
  return {
    time: (args, cwd) =>
      new Promise((resolve, reject) => {
        if (pending) {
          reject(new Error('process timer: one run at a time'));
          return;
        }
        pending = { resolve, reject };
        timer.stdin.write(`${JSON.stringify({ args, cwd })}\n`);
      }),
    close: () => {
      timer.stdin.end();
    },
  };
}
