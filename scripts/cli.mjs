// `npm run cli -- <command>`: runs the CLI from its esbuild bundles (out/cli/), rebuilt first when they are
// missing or older than any source file under src/main or src/shared. Plain node on a bundle starts in
// a fraction of the time tsx needs to compile the TypeScript on every run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildFrontBundle, buildNodeBundle, bundleIsOutdated as outdated, root } from './node-bundle.mjs';

export const cliBundle = join(root, 'out', 'cli', 'index.mjs');
const script = fileURLToPath(import.meta.url);

/** True when the bundle is missing or older than a source (or a removed file changed a directory). */
export function bundleIsOutdated() {
  return outdated(cliBundle, script) || !existsSync(join(root, 'out', 'cli', 'main.mjs'));
}

/**
 * Two bundles. `main.mjs`: the whole CLI, split (esbuild `splitting`), with the store worker beside
 * it (where `resolveWorkerEntry` looks for it), so that a command loads only what it uses.
 * `index.mjs`, built last: the entry, one file, which hands an `import` to a running instance by
 * itself and loads `main.mjs` for everything else; the hand-off thus loads one module of ours, no
 * store, DMP service or sql.js (docs/performance.md, CLI import).
 */
export async function buildCliBundle() {
  await buildNodeBundle('src/main/cli/main.ts', join(root, 'out', 'cli', 'main.mjs'), { splitting: true });
  await buildFrontBundle('src/main/cli/index.ts', cliBundle, 'main');
}

if (process.argv[1] && script === process.argv[1]) {
  if (process.argv[2] === '--build-only') {
    await buildCliBundle();
  } else {
    if (bundleIsOutdated()) await buildCliBundle();
    await import(pathToFileURL(cliBundle).href);
  }
}
