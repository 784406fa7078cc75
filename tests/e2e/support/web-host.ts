import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

export interface WebHost {
  url: string;
  dataDir: string;
  stderr: () => string;
}

/** Starts the built browser host (`out/main/web-host.js`) on a fresh data folder for one test. */
export async function startWebHost(extraArgs: string[] = []): Promise<WebHost & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['out/main/web-host.js', '--data', dataDir, ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ouvrez (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Playwright test with its own browser host, stopped after the test. */
export const test = base.extend<{ host: WebHost }>({
  host: async ({}, use) => {
    const host = await startWebHost();
    await use(host);
    await host.stop();
  },
});
export { expect } from '@playwright/test';
