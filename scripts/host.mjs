// `npm run host -- --config FILE`: the DMP host from its esbuild bundle (out/host/), rebuilt first when
// it is missing or older than a source, like the CLI (scripts/cli.mjs).
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildNodeBundle, bundleIsOutdated, root } from './node-bundle.mjs';

export const hostBundle = join(root, 'out', 'host', 'index.mjs');
const script = fileURLToPath(import.meta.url);

export async function buildHostBundle() {
  await buildNodeBundle('src/main/host/main.ts', hostBundle);
}

if (process.argv[1] && script === process.argv[1]) {
  if (process.argv[2] === '--build-only') {
    await buildHostBundle();
  } else {
    if (bundleIsOutdated(hostBundle, script)) await buildHostBundle();
    await import(pathToFileURL(hostBundle).href);
  }
}
