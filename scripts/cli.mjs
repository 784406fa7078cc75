// `npm run cli -- <command>`: runs the CLI from its esbuild bundle (out/cli/), rebuilt first when it is
// missing or older than any source file under src/main or src/shared. Plain node on a bundle starts in
// a fraction of the time tsx needs to compile the TypeScript on every run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cliBundle = join(root, 'out', 'cli', 'index.mjs');
const sources = [join(root, 'src', 'main'), join(root, 'src', 'shared'), fileURLToPath(import.meta.url)];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when the bundle is missing or older than a source (or a removed file changed a directory). */
export function bundleIsOutdated() {
  if (!existsSync(cliBundle) || !existsSync(join(root, 'out', 'cli', 'store-worker.js'))) return true;
  const built = statSync(cliBundle).mtimeMs;
  return sources.some((source) => newestMtime(source) > built);
}

/** The CLI and, beside it, the store worker (where `resolveWorkerEntry` looks for it). */
export async function buildCliBundle() {
  const { build } = await import('esbuild');
  // Dependencies are bundled too (tree-shaken, no per-package resolution at start-up), except sql.js
  // (finds its .wasm beside itself), the native pcsclite addon and pdf-lib (large, imported only when
  // a letter is printed, which no command does). CommonJS dependencies inside an
  // ES module bundle need a real `require` for Node built-ins.
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sql.js', 'pcsclite', 'pdf-lib'],
    banner: {
      js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
    sourcemap: 'linked',
  };
  const outDir = join(root, 'out', 'cli');
  // The worker first: a bundle newer than its worker must never exist.
  await build({
    ...common,
    entryPoints: [join(root, 'src/main/store/store-worker.ts')],
    outfile: join(outDir, 'store-worker.js'),
  });
  await build({ ...common, entryPoints: [join(root, 'src/main/cli/index.ts')], outfile: cliBundle });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--build-only') {
    await buildCliBundle();
  } else {
    if (bundleIsOutdated()) await buildCliBundle();
    await import(pathToFileURL(cliBundle).href);
  }
}
