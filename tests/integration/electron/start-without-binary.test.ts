import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start without the Electron binary', () => {
  it('says so in one French line pointing to npm run web, without a stack trace', () => {
    const result = spawnSync(process.execPath, ['scripts/start-electron.mjs'], {
      encoding: 'utf8',
      // Points Electron's lookup at an empty place, whatever this machine has installed.
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' },
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/binaire Electron.*npm run web/);
    expect(result.stdout).not.toMatch(/Downloading|\bat .+:\d+:\d+/);
  });
});
