import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

/** Files the app keeps in its data folder. */
export function appPaths(root: string): { dataDir: string; storeDir: string; wrappedKeyFile: string; logFile: string } {
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
