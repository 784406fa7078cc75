import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { defaultDataDir, userCacheDir } from '../app/paths';
import { printErr, printOut } from './cli-context';
import { handOffImportCommand } from './commands/import';
import { opensStore } from './store-commands';
import { compileSqlWasm, compileSqlWasmAsHinted } from '../store/sql-wasm';

/**
 * The CLI's entry (`node out/cli/index.cjs`, `npm run cli`). A hospital system calls `import` once
 * per document, often while an instance holds the data folder: that hand-off is done from here, so
 * it loads this entry's own small graph (built as one file, without the rest of the CLI: see
 * scripts/cli.mjs) and nothing else. Every other command, and an `import` no instance answers,
 * runs in the full CLI (main.ts), loaded only then.
 */
async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'import') {
    const handedOff = await handOffImportCommand(argv.slice(1), {
      out: printOut,
      err: printErr,
      defaultDataDir: defaultDataDir(),
    });
    if (handedOff !== null) return handedOff;
  }
  // This process now runs the command itself, for a second or so. V8 would spend that time
  // recompiling sql.js's hottest WebAssembly functions with its optimising compiler, on the same two
  // cores, and make the process wait for those compilations at exit (~200 ms here): the baseline
  // code is what a short run needs. And the functions such a command runs are compiled with the
  // module, in the background, rather than one by one at their first call (store/sql-wasm.ts). Set
  // before sql.js is compiled (flags are per process, workers included), and before main.cjs is:
  // V8 takes a code cache only under the flags it was written with. Measured in
  // docs/performance.md (CLI import, cold path).
  setFlagsFromString('--liftoff-only');
  // V8 discards the bytecode of functions that have not run for a few major collections, the bundle's
  // top level first: the code cache written at the end of a long run (a batch import, which collects
  // often) then lacks it, and every later cold command recompiled the whole 1 MB bundle (~45 ms, and
  // ~85 ms of a cold import here). A command's bytecode is a few MB at most: keep it all.
  setFlagsFromString('--no-flush-bytecode');
  compileSqlWasmAsHinted();
  // Compiled while the rest of the CLI loads; a failure is reported where the store opens.
  const sqlWasm = opensStore(argv[0]) ? compileSqlWasm() : undefined;
  sqlWasm?.catch(() => undefined);
  const { main } = await loadRestOfCli(argv[0]);
  return main(argv, sqlWasm ? { sqlWasm } : {});
}

/**
 * The rest of the CLI. Built, it is `main.cjs` beside this bundle, run with its V8 code cache
 * (code-cache.ts), which is written at exit when this run could not use it and is an import that
 * succeeded (`writesCodeCache`). From source (tsx), the module itself.
 */
async function loadRestOfCli(command: string | undefined): Promise<typeof import('./main')> {
  const bundled = fileURLToPath(new URL('./main.cjs', import.meta.url));
  if (!existsSync(bundled)) return import('./main');
  // A file of its own (scripts/cli.mjs): the hand-off above never loads node:crypto or node:vm.
  // Required, not imported: a CommonJS file through `import()` would start the ES module loader.
  const codeCache: unknown = createRequire(bundled)('./code-cache.cjs');
  if (!isCodeCacheModule(codeCache)) throw new Error(`code-cache.cjs beside ${bundled} is not the CLI's`);
  const loaded = codeCache.runWithCodeCache(bundled, { fallbackDir: join(userCacheDir(), 'cli') });
  process.once('exit', (code) => {
    if (writesCodeCache(command, code)) loaded.saveCache();
  });
  if (!isMainModule(loaded.exports)) throw new Error(`${bundled} does not export the CLI's main`);
  return loaded.exports;
}

/**
 * The cache holds the code of the run that wrote it: the functions it compiled, no others. An
 * import that succeeded writes it, so that it holds the whole path of the one command a hospital
 * system runs per document (read, parse, identity, store, write); the other commands use it, and
 * compile the rest of what they run. Measured in docs/performance.md (CLI import, cold path).
 */
function writesCodeCache(command: string | undefined, exitCode: number): boolean {
  return command === 'import' && exitCode === 0;
}

function isCodeCacheModule(exports: unknown): exports is typeof import('./code-cache') {
  return exportsFunction(exports, 'runWithCodeCache');
}

function isMainModule(exports: unknown): exports is typeof import('./main') {
  return exportsFunction(exports, 'main');
}

/** Whether a module's `exports` has a function named `name`. */
function exportsFunction(exports: unknown, name: string): boolean {
  return (
    typeof exports === 'object' &&
    exports !== null &&
    typeof (exports as Record<string, unknown>)[name] === 'function'
  );
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Erreur : ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
