import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Several processes race for the same data-folder lock a thousand times each, a third of the
 * holders "dying" (leaving a stale lock behind), and a racer that finds another holder inside its
 * critical section fails. Before the fix, 15 aligned rounds were enough to see two holders.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bundleDir = join(repoRoot, 'node_modules', '.cache', 'poste-dmp-lock-child');
const childScript = join(bundleDir, 'lock-child.mjs');
const root = mkdtempSync(join(tmpdir(), 'poste-dmp-lock-race-'));
const racers = 4;
const rounds = Number(process.env.POSTE_DMP_LOCK_ROUNDS ?? 1000);

beforeAll(async () => {
  await build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    entryPoints: [fileURLToPath(new URL('./lock-child.ts', import.meta.url))],
    outfile: childScript,
  });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, pid: child.pid as number }));
  });
}

describe('data folder lock under a multi-process race', () => {
  it(`never has two holders (${racers} processes × ${rounds} acquisitions, stale locks left on the way)`, async () => {
    const dead = await run('true', []);
    const dir = join(root, 'data');
    rmSync(dir, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(dir));
    const results = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        run(process.execPath, [childScript, dir, String(rounds), String(dead.pid), String(i * 7919 + 1)]),
      ),
    );
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^done \d+ \d+\n$/);
      expect(r.code).toBe(0);
    }
    const abandoned = results.reduce((n, r) => n + Number(r.stdout.split(' ')[2]), 0);
    // The takeover path was exercised, many times.
    expect(abandoned).toBeGreaterThan(rounds / 2);
    // Nothing left behind but the last lock (and no private temp files).
    expect(readdirSync(dir).filter((f) => f !== 'LOCK')).toEqual([]);
  }, 300_000);
});
