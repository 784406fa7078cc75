import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  type WebFrameMain,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, sep, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type App } from '../app/composition';
import { createLogger } from '../log/logger';
import { IPC_INVOKE, IPC_EVENT } from '../../shared/ipc-channels';
import { contentSecurityPolicy } from '../bridge/loopback-host';
import { dataLayout, projectRoot } from '../app/paths';
import { shellSwitches } from './switches';
import { toApiError } from '../app/user-messages';
import { hostOptionsFromArgv } from '../app/host-config';

/**
 * The thin Electron shell: a hardened window, the app:// protocol, and the contract bound to
 * ipcMain. Every service is built by the composition root, which does not import Electron.
 */
const APP_ORIGIN = 'app://poste-dmp';
const here = dirname(fileURLToPath(import.meta.url));
// The built renderer (electron-vite's out/renderer), found from the app root whether this runs
// bundled (out/main), packaged (app.asar) or from source in the shell test.
const rendererDir = join(projectRoot(), 'out', 'renderer');
const switches = shellSwitches(process.env, app.isPackaged);
const devUrl = switches.devUrl;

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

// One instance per session: two would race for the same store and card readers.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();

const log = createLogger({ file: join(app.getPath('userData'), 'logs', 'poste-dmp.log') });
let services: App | null = null;

/**
 * Node's URL gives custom schemes an opaque origin ("null"), so compare scheme and host instead.
 * Only the app's own pages (or the dev server while developing) may call the contract.
 */
function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'app:' && parsed.host === 'poste-dmp') return true;
    return devUrl !== undefined && parsed.origin === new URL(devUrl).origin;
  } catch {
    return false;
  }
}

function isTrustedSender(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

async function serveRenderer(request: Request): Promise<Response> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url).pathname);
  } catch {
    return new Response('', { status: 400 });
  }
  const relative = normalize(path === '/' ? 'index.html' : path).replace(/^([/\\])+/, '');
  const file = join(rendererDir, relative);
  if (!file.startsWith(rendererDir + sep)) return new Response('', { status: 404 });
  try {
    const body = await readFile(file);
    const type =
      { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ??
      'application/octet-stream';
    return new Response(body, {
      headers: { 'content-type': type, 'content-security-policy': contentSecurityPolicy(APP_ORIGIN) },
    });
  } catch {
    return new Response('', { status: 404 });
  }
}

/** DevTools shortcuts, blocked in a packaged build on top of `devTools: false`. */
function isDevToolsShortcut(input: Electron.Input): boolean {
  const key = input.key.toLowerCase();
  if (input.type !== 'keyDown') return false;
  if (key === 'f12') return true;
  return (input.control || input.meta) && input.shift && ['i', 'j', 'c'].includes(key);
}

function lockDown(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // WebHID, WebUSB, Web Serial, Bluetooth, screen capture: the renderer needs none of them.
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    // Sub-frames (the print preview iframe) and server redirects may not leave the app either.
    contents.on('will-frame-navigate', (details) => {
      if (!isAppUrl(details.url)) details.preventDefault();
    });
    contents.on('will-redirect', (details) => {
      if (!isAppUrl(details.url)) details.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('select-bluetooth-device', (event, _devices, callback) => {
      event.preventDefault();
      callback('');
    });
    if (!switches.devTools) {
      contents.on('before-input-event', (event, input) => {
        if (isDevToolsShortcut(input)) event.preventDefault();
      });
      contents.on('devtools-opened', () => contents.closeDevTools());
    }
  });
}

let mainWindow: BrowserWindow | null = null;

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    title: 'Poste DMP',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: switches.devTools,
    },
  });
  const unsubscribe = services!.bus.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, { event, payload });
  });
  mainWindow = win;
  win.on('closed', () => {
    unsubscribe();
    mainWindow = null;
  });
  await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  lockDown();
  protocol.handle('app', serveRenderer);
  const paths = dataLayout(app.getPath('userData'));
  services = await buildApp({
    host: 'desktop',
    dataDir: paths.dataDir,
    simulation: switches.simulation,
    production: switches.production,
    key: {
      kind: 'wrapped',
      path: paths.wrappedKeyFile,
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os',
      available: safeStorage.isEncryptionAvailable(),
      allowInsecure: switches.allowInsecureKey,
      wrap: (secret: string) => safeStorage.encryptString(secret),
      unwrap: (blob: Buffer) => safeStorage.decryptString(blob),
    },
    log,
    hostOptions: hostOptionsFromArgv(process.argv),
    managedHostSettingsFile: switches.managedHostSettingsFile,
  });
  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      log.warn('IPC refused from an untrusted frame');
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Expéditeur non autorisé.' } };
    }
    return services!.dispatch(method, input);
  });
  await createWindow();
}

if (primary) {
  // A second launch brings the running window forward instead of opening the store twice.
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  void app.whenReady().then(() =>
    start().catch((err: unknown) => {
      // A refused keyring or an unreadable store must stop the app with a clear French message.
      log.error('start-up failed', { error: err instanceof Error ? err.message : 'unknown' });
      dialog.showErrorBox(
        'Poste DMP',
        toApiError(err)?.message ?? (err instanceof Error ? err.message : 'Démarrage impossible.'),
      );
      app.exit(1);
    }),
  );
  app.on('window-all-closed', () => {
    void (services?.close() ?? Promise.resolve()).then(() => log.flush()).finally(() => app.quit());
  });
}
