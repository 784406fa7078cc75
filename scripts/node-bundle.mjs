// One way to run a Node entry of src/main fast: an esbuild bundle under out/<name>/, with the store
// worker beside it (where `resolveWorkerEntry` looks for it), rebuilt only when it is missing or older
// than any source file under src/main or src/shared. Used by `npm run cli` and `npm run host`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = [join(root, 'src', 'main'), join(root, 'src', 'shared')];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * `bundle`: the entry's output file; `script`: the launcher script, whose changes also rebuild.
 * True when the bundle or its worker is missing or older than a source (or a removed file changed a directory).
 */
export function bundleIsOutdated(bundle, script) {
  if (!existsSync(bundle) || !existsSync(join(dirname(bundle), 'store-worker.js'))) return true;
  const built = statSync(bundle).mtimeMs;
  return [...sources, script].some((source) => newestMtime(source) > built);
}

/** Builds `entry` (relative to the repository) into `bundle`, the store worker first beside it. */
export async function buildNodeBundle(entry, bundle) {
  const { build } = await import('esbuild');
  // Dependencies are bundled too (tree-shaken, no per-package resolution at start-up), except sql.js
  // (finds its .wasm beside itself), the native addons (pcsclite, pkcs11js) and pdf-lib (large,
  // imported only when a letter is printed). CommonJS dependencies inside an ES module bundle need a
  // real `require` for Node built-ins.
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sql.js', 'pcsclite', 'pdf-lib', 'pkcs11js', 'pg-native'],
    banner: {
      js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
    sourcemap: 'linked',
  };
  // The worker first: a bundle newer than its worker must never exist.
  await build({
    ...common,
    entryPoints: [join(root, 'src/main/store/store-worker.ts')],
    outfile: join(dirname(bundle), 'store-worker.js'),
  });
  await build({ ...common, entryPoints: [join(root, entry)], outfile: bundle });
}
