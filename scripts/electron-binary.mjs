// Where the Electron binary is, without requiring the `electron` package (which would try to
// download it). Shared by `npm start` and `npm run package`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export function electronBinaryPath() {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
    const pathFile = join(pkgDir, 'path.txt');
    const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
    const full = join(distDir, executable);
    return existsSync(full) ? full : null;
  } catch {
    return null;
  }
}
