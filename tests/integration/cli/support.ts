import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliScript = join(repoRoot, 'scripts', 'cli.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run cli -- …` without npm: node on scripts/cli.mjs (which runs the bundle, built in beforeAll). */
export function runCli(args: string[], onStderr?: (text: string) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliScript, ...args], {
      cwd: repoRoot,
      env: { ...process.env, POSTE_DMP_DATA: '/nonexistent/poste-dmp-default-must-not-be-used' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function buildCli(): Promise<void> {
  const { buildCliBundle } = (await import(cliScript)) as { buildCliBundle: () => Promise<void> };
  await buildCliBundle();
}

const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** What a live holder of a data-folder lock writes (restated here from the lock's documentation). */
export function lockContentFor(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return `${JSON.stringify({ pid, boot: bootId, start, token: 'test-holder' })}\n`;
}
