// `npm run cli -- <command>`: runs the CLI from its esbuild bundle (out/cli/), rebuilt first when it is
// missing or older than any source file under src/main or src/shared. Plain node on a bundle starts in
// a fraction of the time tsx needs to compile the TypeScript on every run.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildNodeBundle, bundleIsOutdated as outdated, root } from './node-bundle.mjs';

export const cliBundle = join(root, 'out', 'cli', 'index.mjs');
const script = fileURLToPath(import.meta.url);

/** True when the bundle is missing or older than a source (or a removed file changed a directory). */
export function bundleIsOutdated() {
  return outdated(cliBundle, script);
}

/**
 * The CLI and, beside it, the store worker (where `resolveWorkerEntry` looks for it). Split: an
 * `import` handed to a running instance loads neither the store, the DMP service nor sql.js.
 */
export async function buildCliBundle() {
  await buildNodeBundle('src/main/cli/index.ts', cliBundle, { splitting: true });
}

if (process.argv[1] && script === process.argv[1]) {
  if (process.argv[2] === '--build-only') {
    await buildCliBundle();
  } else {
    if (bundleIsOutdated()) await buildCliBundle();
    await import(pathToFileURL(cliBundle).href);
  }
}
