import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Electron binary cannot run here, so the shell runs against a recording fake of the `electron`
 * module: what it asks Electron to do is what this test checks (hardening, IPC sender check).
 */
type Handler = (...args: unknown[]) => unknown;
const userData = mkdtempSync(join(tmpdir(), 'poste-dmp-electron-'));
const recorded = {
  sandboxEnabled: false,
  schemes: [] as unknown[],
  windows: [] as { options: { webPreferences: Record<string, unknown> }; url?: string }[],
  permissionRequest: null as Handler | null,
  permissionCheck: null as Handler | null,
  appEvents: new Map<string, Handler>(),
  ipcHandlers: new Map<string, Handler>(),
  protocolHandlers: new Map<string, Handler>(),
};
let ready!: () => void;
const whenReady = new Promise<void>((resolve) => (ready = resolve));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn() };
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      recorded.windows.push(this);
    }
    isDestroyed(): boolean {
      return false;
    }
    on(): void {}
    async loadURL(url: string): Promise<void> {
      recorded.windows[recorded.windows.length - 1]!.url = url;
    }
  }
  return {
    app: {
      enableSandbox: () => (recorded.sandboxEnabled = true),
      getPath: () => userData,
      whenReady: () => whenReady,
      isPackaged: false,
      on: (event: string, handler: Handler) => recorded.appEvents.set(event, handler),
      exit: vi.fn(),
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: { handle: (channel: string, handler: Handler) => recorded.ipcHandlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.schemes.push(...schemes),
      handle: (scheme: string, handler: Handler) => recorded.protocolHandlers.set(scheme, handler),
    },
    safeStorage: {
      getSelectedStorageBackend: () => 'gnome_libsecret',
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`wrapped:${s}`),
      decryptString: (b: Buffer) => b.toString().replace(/^wrapped:/, ''),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: Handler) => (recorded.permissionCheck = h),
      },
    },
  };
});

async function untilWindow(): Promise<void> {
  for (let i = 0; i < 200 && recorded.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  if (recorded.windows.length === 0) throw new Error('no window created');
}

describe('Electron shell', () => {
  beforeAll(async () => {
    process.env.POSTE_DMP_SIMULATION = '1';
    await import('../../../src/main/electron/main');
    ready();
    await untilWindow();
  });
  afterAll(async () => {
    const closeAll = recorded.appEvents.get('window-all-closed');
    closeAll?.();
    await new Promise((r) => setTimeout(r, 200));
    rmSync(userData, { recursive: true, force: true });
  });

  it('enables the sandbox and creates an isolated window without Node', () => {
    expect(recorded.sandboxEnabled).toBe(true);
    const prefs = recorded.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(recorded.windows[0]!.url).toBe('app://poste-dmp/index.html');
  });

  it('denies every permission request', () => {
    const callback = vi.fn();
    recorded.permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheck!()).toBe(false);
  });

  it('blocks navigation away from the app and every window.open', () => {
    const handlers = new Map<string, Handler>();
    let openHandler: Handler | null = null;
    const contents = {
      setWindowOpenHandler: (h: Handler) => (openHandler = h),
      on: (event: string, h: Handler) => handlers.set(event, h),
    };
    recorded.appEvents.get('web-contents-created')!({}, contents);
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
    const invoke = recorded.ipcHandlers.get('poste-dmp:invoke')!;
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
    const serve = recorded.protocolHandlers.get('app')!;
    const outside = (await serve(new Request('app://poste-dmp/..%2f..%2fpackage.json'))) as Response;
    expect(outside.status).toBe(404);
    const index = (await serve(new Request('app://poste-dmp/index.html'))) as Response;
    if (index.status === 200)
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    else expect(index.status).toBe(404); // renderer not built in this run
  });
});
