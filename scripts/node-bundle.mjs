// One way to run a Node entry of src/main fast: an esbuild bundle under out/<name>/, with the worker
// entries beside it (where `resolveWorkerEntry` looks for them), rebuilt only when it is missing or
// older than any source file under src/main or src/shared. Used by `npm run cli` and `npm run host`.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asciiSource } from './ascii-source.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Worker threads' entries (src/main/concurrency/worker-entry.ts), built beside every bundle. */
const workers = {
  'store-worker': 'src/main/store/store-worker.ts',
  'cda-parser-worker': 'src/main/dmp/cda-parser-worker.ts',
};
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
  if (!existsSync(bundle)) return true;
  if (Object.keys(workers).some((name) => !existsSync(join(dirname(bundle), `${name}.js`)))) return true;
  const built = statSync(bundle).mtimeMs;
  return [...sources, script].some((source) => newestMtime(source) > built);
}

/**
 * esbuild cannot tree-shake a CommonJS `require`: pino-roll's `const { format, … } = require('date-fns')`
 * would bundle date-fns's index.cjs, all ~250 of its functions (~620 KB of source, most of the
 * logger's compile time in a cold CLI import: docs/performance.md, CLI import). The importer's own
 * destructuring says which functions it uses; each is taken from its own file (`date-fns/format`…),
 * the same code date-fns's index re-exports. An importer that uses date-fns otherwise gets it whole.
 */
const dateFnsByFunction = {
  name: 'date-fns-by-function',
  setup(b) {
    b.onResolve({ filter: /^date-fns$/ }, ({ importer, kind, resolveDir }) => {
      if (kind !== 'require-call') return undefined;
      const used = readFileSync(importer, 'utf8').match(
        /^const \{([\w\s,]+)\} = require\(['"]date-fns['"]\);?$/m,
      );
      if (!used) return undefined;
      const names = used[1]
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      return { path: importer, namespace: 'date-fns-by-function', pluginData: { names, resolveDir } };
    });
    b.onLoad(
      { filter: /.*/, namespace: 'date-fns-by-function' },
      ({ pluginData: { names, resolveDir } }) => ({
        contents: names.map((name) => `exports.${name} = require('date-fns/${name}').${name};`).join('\n'),
        loader: 'js',
        resolveDir,
      }),
    );
  },
};

/**
 * sql.js is CommonJS and stays external (it finds its .wasm beside itself). Imported by an ES
 * module, Node first scans its 47 KB with cjs-module-lexer for named exports (~10 ms of a cold CLI
 * start on this VM); required, it is only loaded. So the bundles take it through the banner's
 * `require`, the same module either way.
 */
const sqlJsByRequire = {
  name: 'sql.js-by-require',
  setup(b) {
    b.onResolve({ filter: /^sql\.js$/ }, ({ kind }) =>
      kind === 'require-call'
        ? { path: 'sql.js', external: true }
        : { path: 'sql.js', namespace: 'sql.js-by-require' },
    );
    b.onLoad({ filter: /.*/, namespace: 'sql.js-by-require' }, () => ({
      contents: "module.exports = require('sql.js');",
      loader: 'js',
    }));
  },
};

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
  plugins: [dateFnsByFunction, sqlJsByRequire],
};

/**
 * Builds `entry` (relative to the repository) into the single file `bundle`, the workers first beside
 * it. `format: 'cjs'` (the CLI's main, which index.cjs runs with a V8 code cache: code-cache.ts)
 * gives a minified CommonJS file; `import.meta.url` is then the bundle's own URL, as in an ES module.
 */
export async function buildNodeBundle(entry, bundle, { format = 'esm' } = {}) {
  const { build } = await import('esbuild');
  // The workers first: a bundle newer than its workers must never exist.
  for (const [name, source] of Object.entries(workers))
    await build({
      ...common,
      entryPoints: [join(root, source)],
      outfile: join(dirname(bundle), `${name}.js`),
    });
  if (format === 'esm') {
    await build({ ...common, entryPoints: [join(root, entry)], outfile: bundle });
    return;
  }
  await build({
    ...common,
    ...commonJs,
    entryPoints: [join(root, entry)],
    outfile: bundle,
    // Written inside Node's CommonJS wrapper (code-cache.ts compiles the file as it is: wrapped when
    // run, its source would be a second string V8 copies whole before compiling).
    banner: { js: `${commonJsWrapper.head}${commonJs.banner.js}` },
    footer: { js: commonJsWrapper.tail },
    // Less source to read and hash at every start (names kept for stack traces; the source map maps back).
    minify: true,
    keepNames: true,
  });
  // ASCII, so that V8 holds the source in one byte per character (ascii-source.mjs).
  const map = `${bundle}.map`;
  const ascii = asciiSource(readFileSync(bundle, 'utf8'), JSON.parse(readFileSync(map, 'utf8')));
  writeFileSync(map, JSON.stringify(ascii.map));
  writeFileSync(bundle, ascii.code);
}

/**
 * Node's CommonJS module wrapper, which a `format: 'cjs'` bundle is written inside: the file is one
 * function expression taking a module's `exports, require, module, __filename, __dirname`.
 */
const commonJsWrapper = {
  head: '(function (exports, require, module, __filename, __dirname) {',
  tail: '\n})',
};

/**
 * A bundle as a CommonJS file: `import.meta.url` is the file's URL, as in an ES module. For the CLI's
 * entry too: an ES module entry costs a cold CLI command Node's ES module loader, and views of the
 * built-ins it imports that read every property they export (~10 ms here: docs/performance.md).
 */
const commonJs = {
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * Builds `entry` into the single file `bundle` (minified), in front of files built beside it:
 * `lazy` maps each relative specifier the entry imports dynamically (`'./main'`) to the file it
 * loads (`'./main.cjs'`), which stays an import of that file, loaded only when reached. Everything
 * else it imports is in the one file, so what it does by itself costs one module to load; code it
 * shares with those files is built into each (they exchange only what the entry passes as arguments).
 */
export async function buildFrontBundle(entry, bundle, lazy = {}, { format = 'esm' } = {}) {
  const { build } = await import('esbuild');
  await build({
    ...common,
    ...(format === 'cjs' ? commonJs : {}),
    entryPoints: [join(root, entry)],
    outfile: bundle,
    minify: true,
    keepNames: true,
    plugins: [
      ...common.plugins,
      {
        name: 'loaded-when-reached',
        setup(b) {
          b.onResolve({ filter: /^\.\/[\w-]+$/ }, ({ path, kind }) =>
            kind === 'dynamic-import' && path in lazy ? { path: lazy[path], external: true } : undefined,
          );
        },
      },
    ],
  });
}
