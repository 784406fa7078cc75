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
import { appPaths } from '../app/paths';

/**
 * The thin Electron shell: a hardened window, the app:// protocol, and the contract bound to
 * ipcMain. Every service is built by the composition root, which does not import Electron.
 */
const APP_ORIGIN = 'app://poste-dmp';
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const devUrl = process.env.ELECTRON_RENDERER_URL;

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

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
  const path = decodeURIComponent(new URL(request.url).pathname);
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

function lockDown(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

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
    },
  });
  const unsubscribe = services!.bus.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, { event, payload });
  });
  win.on('closed', unsubscribe);
  await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  lockDown();
  protocol.handle('app', serveRenderer);
  const paths = appPaths(app.getPath('userData'));
  services = await buildApp({
    host: 'desktop',
    dataDir: paths.dataDir,
    simulation: process.env.POSTE_DMP_SIMULATION === '1',
    production: app.isPackaged && process.env.POSTE_DMP_TEST_CARDS !== '1',
    key: {
      kind: 'wrapped',
      path: paths.wrappedKeyFile,
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os',
      available: safeStorage.isEncryptionAvailable(),
      allowInsecure: process.env.POSTE_DMP_ALLOW_INSECURE_KEY === '1',
      wrap: (secret: string) => safeStorage.encryptString(secret),
      unwrap: (blob: Buffer) => safeStorage.decryptString(blob),
    },
    log,
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

void app.whenReady().then(() =>
  start().catch((err: unknown) => {
    // A refused keyring or an unreadable store must stop the app with a clear French message.
    log.error('start-up failed', { error: err instanceof Error ? err.message : 'unknown' });
    dialog.showErrorBox('Poste DMP', err instanceof Error ? err.message : 'Démarrage impossible.');
    app.exit(1);
  }),
);

app.on('window-all-closed', () => {
  void (services?.close() ?? Promise.resolve()).finally(() => app.quit());
});
