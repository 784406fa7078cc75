import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fakeContents, untilWindow, type Handler, type Recorded } from './fake-electron';

/**
 * The Electron binary cannot run here, so the shell runs against a recording fake of the `electron`
 * module: what it asks Electron to do is what this test checks (hardening, IPC sender check).
 */
const userData = mkdtempSync(join(tmpdir(), 'poste-dmp-electron-'));
const recorded = vi.hoisted(() => ({ current: null as Recorded | null }));

vi.mock('electron', async () => {
  const fake = await import('./fake-electron');
  recorded.current = fake.createRecorded(userData, false);
  return fake.fakeElectron(recorded.current);
});

const rec = (): Recorded => recorded.current!;

describe('Electron shell', () => {
  beforeAll(async () => {
    // The CSP check reads the real built renderer: build it when this run has not.
    if (!existsSync(join(process.cwd(), 'out', 'renderer', 'index.html'))) {
      execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
    }
    process.env.POSTE_DMP_SIMULATION = '1';
    await import('../../../src/main/electron/main');
    rec().ready();
    await untilWindow(rec());
  });
  afterAll(async () => {
    const closeAll = rec().appEvents.get('window-all-closed');
    closeAll?.();
    await new Promise((r) => setTimeout(r, 200));
    rmSync(userData, { recursive: true, force: true });
  });

  it('enables the sandbox and creates an isolated window without Node', () => {
    expect(rec().sandboxEnabled).toBe(true);
    const prefs = rec().windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(rec().windows[0]!.url).toBe('app://poste-dmp/index.html');
  });

  it('takes the single-instance lock', () => {
    expect(rec().singleInstanceRequested).toBe(true);
    expect(rec().appEvents.has('second-instance')).toBe(true);
  });

  it('denies device access (HID, USB, serial, Bluetooth) and screen capture', () => {
    expect(rec().devicePermission!({ deviceType: 'hid' })).toBe(false);
    const display = vi.fn();
    rec().displayMedia!({}, display);
    expect(display).toHaveBeenCalledWith(null);
    for (const [name, args] of [
      ['select-hid-device', [{}]],
      ['select-usb-device', [{}]],
      ['select-serial-port', [[{ portId: 'p' }], {}]],
    ] as const) {
      const event = { preventDefault: vi.fn() };
      const callback = vi.fn();
      rec().sessionEvents.get(name)!(event, ...args, callback);
      expect(event.preventDefault).toHaveBeenCalled();
      expect(callback.mock.calls[0]?.[0] ?? '').toBe('');
    }
    const { handlers } = fakeContents(rec());
    const event = { preventDefault: vi.fn() };
    const callback = vi.fn();
    handlers.get('select-bluetooth-device')!(event, [{ deviceId: 'b' }], callback);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledWith('');
  });

  it('keeps frames and redirects inside the app', () => {
    const { handlers } = fakeContents(rec());
    for (const name of ['will-frame-navigate', 'will-redirect']) {
      const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
      handlers.get(name)!(away);
      expect(away.preventDefault).toHaveBeenCalled();
      const inside = { url: 'app://poste-dmp/index.html', preventDefault: vi.fn() };
      handlers.get(name)!(inside);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
  });

  it('denies every permission request', () => {
    const callback = vi.fn();
    rec().permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(rec().permissionCheck!()).toBe(false);
  });

  it('blocks navigation away from the app and every window.open', () => {
    const handlers = new Map<string, Handler>();
    let openHandler: Handler | null = null;
    const contents = {
      setWindowOpenHandler: (h: Handler) => (openHandler = h),
      on: (event: string, h: Handler) => handlers.set(event, h),
    };
    rec().appEvents.get('web-contents-created')!({}, contents);
    expect(openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const external = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(external, 'https://app.poste-dmp.attacker.example/');
    expect(external.preventDefault).toHaveBeenCalled();
    const internal = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(internal, 'app://poste-dmp/index.html');
    expect(internal.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('answers IPC only from the app’s own top frame, through the contract', async () => {
    const invoke = rec().ipcHandlers.get('poste-dmp:invoke')!;
    const trusted = { senderFrame: { url: 'app://poste-dmp/index.html', parent: null } };
    const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
    const subframe = { senderFrame: { url: 'app://poste-dmp/index.html', parent: {} } };
    expect(await invoke(foreign, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invoke(subframe, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invoke(trusted, 'app.info', {})).toMatchObject({
      ok: true,
      value: { host: 'desktop', simulation: true },
    });
    expect(await invoke(trusted, 'session.verifyPin', { reader: 'x', pin: 'abcd' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('serves the renderer from app:// with a CSP and refuses paths outside it', async () => {
    const serve = rec().protocolHandlers.get('app')!;
    const outside = (await serve(new Request('app://poste-dmp/..%2f..%2fpackage.json'))) as Response;
    expect(outside.status).toBe(404);
    const index = (await serve(new Request('app://poste-dmp/index.html'))) as Response;
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await index.text()).toContain('<div id="root">');
    const malformed = (await serve(new Request('app://poste-dmp/%E0%A4%A'))) as Response;
    expect(malformed.status).toBe(400);
  });
});
