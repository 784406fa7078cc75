import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../cli/support';

export const hostScript = join(repoRoot, 'scripts', 'host.mjs');

/** `npm run host -- …` without npm; `listening` resolves with the URL once printed (null if it exited). */
export function startHost(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [hostScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const listening = new Promise<string | null>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /à l’écoute : (https:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    void exited.then(() => resolve(null));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

/** Builds out/host/ once before the processes start (scripts/host.mjs would otherwise race to rebuild). */
export async function buildHost(): Promise<void> {
  const { buildHostBundle } = (await import(hostScript)) as { buildHostBundle: () => Promise<void> };
  await buildHostBundle();
}
