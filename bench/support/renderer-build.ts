import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/main/app/paths';

/** The built renderer the loopback host serves; checked first so a missing build fails in seconds, not after the store is generated. */
export function rendererDir(): string {
  const dir = join(projectRoot(), 'out', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(
      `Interface non construite (${join(dir, 'index.html')} absent) : lancez d’abord « npx electron-vite build ».`,
    );
  }
  return dir;
}
