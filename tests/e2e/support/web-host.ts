import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { stopChild, track, waitForLine } from './processes';

export interface WebHost {
  url: string;
  dataDir: string;
  stderr: () => string;
}

export interface WebHostOptions {
  /** Added to this process's environment (e.g. SOFTHSM2_CONF for a workstation on a shared host). */
  env?: NodeJS.ProcessEnv;
  /** How long the host may take to print its URL (a shared-host workstation connects first). */
  startTimeoutMs?: number;
}

/** Starts the built browser host (`out/main/web-host.js`) on a fresh data folder for one test. */
export async function startWebHost(
  extraArgs: string[] = [],
  options: WebHostOptions = {},
): Promise<WebHost & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-e2e-'));
  const child = spawn(process.execPath, ['out/main/web-host.js', '--data', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  let url: string;
  try {
    const match = await waitForLine(
      child,
      /ouvrez (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/,
      'web host',
      options.startTimeoutMs ?? 30_000,
      () => stderr,
    );
    url = match[1] as string;
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dataDir, stderr: () => stderr, stop };
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
