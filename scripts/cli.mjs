// `npm run cli -- <command>`: runs the CLI from its esbuild bundles (out/cli/), rebuilt first when they are
// missing or older than any source file under src/main or src/shared. Plain node on a bundle starts in
// a fraction of the time tsx needs to compile the TypeScript on every run.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildFrontBundle, buildNodeBundle, bundleIsOutdated as outdated, root } from './node-bundle.mjs';

export const cliBundle = join(root, 'out', 'cli', 'index.cjs');
const script = fileURLToPath(import.meta.url);

/** True when the bundle is missing or older than a source (or a removed file changed a directory). */
export function bundleIsOutdated() {
  return (
    outdated(cliBundle, script) ||
    !['main.cjs', 'code-cache.cjs'].every((file) => existsSync(join(root, 'out', 'cli', file)))
  );
}

/**
 * `main.cjs`: the whole CLI in one CommonJS file, with the workers beside it (where
 * `resolveWorkerEntry` looks for them). index.cjs runs it through `code-cache.cjs`
 * (src/main/cli/code-cache.ts) with a V8 code cache kept beside it (`main.cjs.v8-cache`), written by
 * the first `import` of each build that succeeds: a cold command then deserializes its code instead
 * of compiling it.
 * `index.cjs`, built last: the entry, which hands an `import` to a running instance by itself and
 * loads the other two for everything else; the hand-off thus loads one module of ours, no store,
 * DMP service, sql.js or code cache (docs/performance.md, CLI import). All three are CommonJS: a
 * cold command loads no ES module, so not Node's ES module loader either.
 */
export async function buildCliBundle() {
  const out = join(root, 'out', 'cli');
  await buildNodeBundle('src/main/cli/main.ts', join(out, 'main.cjs'), { format: 'cjs' });
  await buildFrontBundle('src/main/cli/code-cache.ts', join(out, 'code-cache.cjs'), {}, { format: 'cjs' });
  await buildFrontBundle('src/main/cli/index.ts', cliBundle, { './main': './main.cjs' }, { format: 'cjs' });
  // Earlier builds: the ES module main split in chunks, and the ES module code cache.
  for (const old of [
    'main.mjs',
    'main.mjs.map',
    'chunks',
    'index.mjs.map',
    'code-cache.mjs',
    'code-cache.mjs.map',
  ])
    rmSync(join(out, old), { recursive: true, force: true });
  // The entry's former name, for scripts written against it: it runs the entry (the ES module loader
  // first, so ~10 ms slower to start: docs/performance.md).
  writeFileSync(
    join(out, 'index.mjs'),
    "// Former entry of the CLI, kept for scripts that call it: the entry is index.cjs, faster to start.\nimport './index.cjs';\n",
  );
}

if (process.argv[1] && script === process.argv[1]) {
  if (process.argv[2] === '--build-only') {
    await buildCliBundle();
  } else {
    if (bundleIsOutdated()) await buildCliBundle();
    await import(pathToFileURL(cliBundle).href);
  }
}
