import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeContents, untilWindow, type Recorded } from './fake-electron';

/**
 * The packaged shell (what a hospital installs) with every test switch set in its environment:
 * none of them may take effect.
 */
const userData = mkdtempSync(join(tmpdir(), 'poste-dmp-electron-packaged-'));
const recorded = vi.hoisted(() => ({ current: null as Recorded | null }));

vi.mock('electron', async () => {
  const fake = await import('./fake-electron');
  recorded.current = fake.createRecorded(userData, true);
  return fake.fakeElectron(recorded.current);
});

const rec = (): Recorded => recorded.current!;
const saved = { ...process.env };

describe('Electron shell, packaged', () => {
  beforeAll(async () => {
    process.env.POSTE_DMP_SIMULATION = '1';
    process.env.POSTE_DMP_TEST_CARDS = '1';
    process.env.ELECTRON_RENDERER_URL = 'http://evil.example:5173';
    await import('../../../src/main/electron/main');
    rec().ready();
    await untilWindow(rec());
  });
  afterAll(async () => {
    rec().appEvents.get('window-all-closed')?.();
    await new Promise((r) => setTimeout(r, 200));
    process.env = saved;
    rmSync(userData, { recursive: true, force: true });
  });

  it('ignores POSTE_DMP_SIMULATION and POSTE_DMP_TEST_CARDS: real readers, test cards refused', async () => {
    const invoke = rec().ipcHandlers.get('poste-dmp:invoke')!;
    const trusted = { senderFrame: { url: 'app://poste-dmp/index.html', parent: null } };
    expect(await invoke(trusted, 'app.info', {})).toMatchObject({
      ok: true,
      value: { host: 'desktop', simulation: false, production: true },
    });
    expect(await invoke(trusted, 'simulator.profiles', {})).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });

  it('ignores ELECTRON_RENDERER_URL: loads its own pages and refuses IPC from that origin', async () => {
    expect(rec().windows[0]!.url).toBe('app://poste-dmp/index.html');
    const invoke = rec().ipcHandlers.get('poste-dmp:invoke')!;
    const remote = { senderFrame: { url: 'http://evil.example:5173/', parent: null } };
    expect(await invoke(remote, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('has no DevTools: disabled in the window, shortcuts blocked, closed if opened anyway', () => {
    expect(rec().windows[0]!.options.webPreferences.devTools).toBe(false);
    const { handlers, closeDevTools } = fakeContents(rec());
    for (const input of [
      { type: 'keyDown', key: 'F12', control: false, meta: false, shift: false },
      { type: 'keyDown', key: 'I', control: true, meta: false, shift: true },
      { type: 'keyDown', key: 'j', control: true, meta: false, shift: true },
    ]) {
      const event = { preventDefault: vi.fn() };
      handlers.get('before-input-event')!(event, input);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    const typing = { preventDefault: vi.fn() };
    handlers.get('before-input-event')!(typing, {
      type: 'keyDown',
      key: 'i',
      control: false,
      meta: false,
      shift: false,
    });
    expect(typing.preventDefault).not.toHaveBeenCalled();
    handlers.get('devtools-opened')!();
    expect(closeDevTools).toHaveBeenCalled();
  });
});
