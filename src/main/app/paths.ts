import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';

/** Files the app keeps in its data folder. */
export function appPaths(root: string): {
  dataDir: string;
  storeDir: string;
  wrappedKeyFile: string;
  logFile: string;
} {
  return {
    dataDir: root,
    storeDir: join(root, 'store'),
    wrappedKeyFile: join(root, 'store-key.wrapped'),
    logFile: join(root, 'logs', 'poste-dmp.log'),
  };
}

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

/** Where a data folder keeps the store and, outside Electron, its key file. */
export function dataLayout(dataDir: string): { storeDir: string; keyFile: string; logFile: string } {
  return {
    storeDir: join(dataDir, 'store'),
    keyFile: join(dataDir, 'store.key'),
    logFile: join(dataDir, 'logs', 'poste-dmp.log'),
  };
}
