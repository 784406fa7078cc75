import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { lockFileName } from '../store/dir-lock';

/**
 * The repository/app root, found from this module whether it runs from `src/main/app` (tsx) or from
 * the bundle in `out/main`: the first ancestor holding `resources/`.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return resolve(process.cwd());
}

export const resourcesDir = (): string => join(projectRoot(), 'resources');

/**
 * Data folder of the browser host and the CLI: `$POSTE_DMP_DATA`, else the XDG data folder. The
 * desktop app keeps its own in Electron's userData, with its key wrapped by the OS keyring.
 */
export function defaultDataDir(): string {
  if (process.env.POSTE_DMP_DATA) return resolve(process.env.POSTE_DMP_DATA);
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'poste-dmp');
}

/**
 * The user's cache folder for Poste DMP (the XDG cache folder): what can be rebuilt at any time,
 * never patient data. Today the CLI's V8 code cache, when the CLI's own folder is not writable.
 */
export function userCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'poste-dmp');
}

/** The one layout of a data folder, for the desktop app, the browser host, the CLI and the benchmarks. */
export interface DataLayout {
  dataDir: string;
  /** The encrypted store (its own `LOCK` inside is the store engine's). */
  storeDir: string;
  /** Browser host and CLI: the data key in a plain mode-0600 file. */
  keyFile: string;
  /** Desktop app: the data key wrapped by the OS keyring. */
  wrappedKeyFile: string;
  /** Held by the one process using this folder: covers the key, the store and the logs. */
  lockFile: string;
  logFile: string;
  /** The audit trail's own key and signed checkpoints, deliberately outside `store/` (src/main/audit/README.md). */
  auditKeyFile: string;
  auditCheckpointsFile: string;
  auditPublicKeyFile: string;
  /** The shared DMP host this workstation uses (issue 13), as the settings screen saved it; absent: embedded store. */
  hostSettingsFile: string;
  /**
   * Unix socket (0600) of the instance holding the folder: `cli import` hands its files to it
   * (src/main/local-import/README.md). Present only while that instance runs.
   */
  importSocket: string;
}

export function dataLayout(dataDir: string): DataLayout {
  return {
    dataDir,
    storeDir: join(dataDir, 'store'),
    keyFile: join(dataDir, 'store.key'),
    wrappedKeyFile: join(dataDir, 'store-key.wrapped'),
    lockFile: join(dataDir, lockFileName),
    logFile: join(dataDir, 'logs', 'poste-dmp.log'),
    auditKeyFile: join(dataDir, 'audit.key'),
    auditCheckpointsFile: join(dataDir, 'audit-checkpoints.log'),
    auditPublicKeyFile: join(dataDir, 'audit-checkpoints.pub.pem'),
    hostSettingsFile: join(dataDir, 'host-settings.json'),
    importSocket: join(dataDir, 'import.sock'),
  };
}

/**
 * Host settings managed by the deployment (issue 13): a file hospital IT installs OUTSIDE every
 * user's data folder (owned by root, read-only to the user), in the same format as
 * `host-settings.json`. When it exists it decides the DMP host, the « Paramètres » screen shows it
 * read-only and `settings.saveHost` is refused. A packaged build reads only this fixed path: like its
 * other switches (src/main/electron/switches.ts), nothing in the user's environment moves it.
 */
export const systemManagedHostSettingsFile = '/etc/poste-dmp/host-settings.json';

/** Development builds, the browser host and tests may name another file (`POSTE_DMP_MANAGED_HOST_SETTINGS`). */
export function managedHostSettingsFile(env: NodeJS.ProcessEnv, packaged: boolean): string {
  if (packaged || !env.POSTE_DMP_MANAGED_HOST_SETTINGS) return systemManagedHostSettingsFile;
  return resolve(env.POSTE_DMP_MANAGED_HOST_SETTINGS);
}
