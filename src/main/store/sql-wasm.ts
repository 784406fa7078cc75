import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { sqlWasmEagerFunctions } from './sql-wasm-eager-functions';
import { readWithCompilationHints } from './wasm-compilation-hints';

/**
 * sql.js's WebAssembly, compiled by us rather than by sql.js, so that a process can start compiling
 * it before it loads the code that will use it, and so that it carries compilation hints: the
 * functions a short CLI command runs (sql-wasm-eager-functions.ts) are compiled on V8's background
 * threads with the module, the others at their first call (wasm-compilation-hints.ts). The hints
 * take effect only in a process that called `compileSqlWasmAsHinted` first (the CLI); elsewhere V8
 * compiles every function at its first call, as it does for sql.js's own loading.
 */

/** The file sql.js loads by itself: the same WebAssembly, from the same installed package. */
export function sqlWasmFile(): string {
  return createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
}

/** Starts compiling sql.js's WebAssembly; the module is instantiated by the engine (engine.ts). */
export function compileSqlWasm(): Promise<WebAssembly.Module> {
  try {
    return WebAssembly.compile(readWithCompilationHints(sqlWasmFile(), sqlWasmEagerFunctions.functions));
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Has V8 follow compilation hints for the rest of this process: the hinted functions of every module
 * compiled from now on are compiled with it, in the background, the others at their first call. A
 * module without hints is then compiled whole when compiled, which is why only the CLI does this and
 * compiles sql.js through `compileSqlWasm`. One background compilation thread: the process's own
 * thread keeps a core to itself on a two-core machine (with V8's default, four threads, a cold
 * import was slower). Set before any code that the V8 code cache covers is compiled: the cache is
 * taken only under the flags it was written with (cli/code-cache.ts).
 */
export function compileSqlWasmAsHinted(): void {
  setFlagsFromString('--no-wasm-lazy-compilation');
  setFlagsFromString('--experimental-wasm-compilation-hints');
  setFlagsFromString('--wasm-num-compilation-tasks=1');
}
