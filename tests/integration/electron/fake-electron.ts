import { vi } from 'vitest';

/**
 * A recording fake of the `electron` module (the Electron binary cannot run here): what the shell
 * asks Electron to do is what the shell tests check.
 */
export type Handler = (...args: unknown[]) => unknown;

export interface Recorded {
  packaged: boolean;
  userData: string;
  sandboxEnabled: boolean;
  singleInstanceRequested: boolean;
  schemes: unknown[];
  windows: { options: { webPreferences: Record<string, unknown> }; url?: string }[];
  permissionRequest: Handler | null;
  permissionCheck: Handler | null;
  devicePermission: Handler | null;
  displayMedia: Handler | null;
  sessionEvents: Map<string, Handler>;
  appEvents: Map<string, Handler>;
  ipcHandlers: Map<string, Handler>;
  protocolHandlers: Map<string, Handler>;
  ready: () => void;
}

export function createRecorded(userData: string, packaged: boolean): Recorded {
  return {
    packaged,
    userData,
    sandboxEnabled: false,
    singleInstanceRequested: false,
    schemes: [],
    windows: [],
    permissionRequest: null,
    permissionCheck: null,
    devicePermission: null,
    displayMedia: null,
    sessionEvents: new Map(),
    appEvents: new Map(),
    ipcHandlers: new Map(),
    protocolHandlers: new Map(),
    ready: () => undefined,
  };
}

export function fakeElectron(recorded: Recorded): Record<string, unknown> {
  const whenReady = new Promise<void>((resolve) => (recorded.ready = resolve));
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
      requestSingleInstanceLock: () => (recorded.singleInstanceRequested = true),
      getPath: () => recorded.userData,
      whenReady: () => whenReady,
      isPackaged: recorded.packaged,
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
        setDevicePermissionHandler: (h: Handler) => (recorded.devicePermission = h),
        setDisplayMediaRequestHandler: (h: Handler) => (recorded.displayMedia = h),
        on: (event: string, h: Handler) => recorded.sessionEvents.set(event, h),
      },
    },
  };
}

export async function untilWindow(recorded: Recorded): Promise<void> {
  for (let i = 0; i < 400 && recorded.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  if (recorded.windows.length === 0) throw new Error('no window created');
}

/** Simulates Electron creating a webContents; returns the handlers the shell registered on it. */
export function fakeContents(recorded: Recorded): {
  handlers: Map<string, Handler>;
  openHandler: () => Handler | null;
  closeDevTools: ReturnType<typeof vi.fn>;
} {
  const handlers = new Map<string, Handler>();
  let openHandler: Handler | null = null;
  const closeDevTools = vi.fn();
  const contents = {
    setWindowOpenHandler: (h: Handler) => (openHandler = h),
    on: (event: string, h: Handler) => handlers.set(event, h),
    closeDevTools,
  };
  recorded.appEvents.get('web-contents-created')!({}, contents);
  return { handlers, openHandler: () => openHandler, closeDevTools };
}
