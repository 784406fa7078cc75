import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerEntry {
  url: URL;
  /** Under tsx, the worker is started from this bootstrap instead of `url` (see below). */
  tsBootstrap: string | null;
}

/**
 * Where a worker's entry lives: `./<name>.ts` next to the calling module under tsx/vitest, `<name>.js`
 * next to the bundle otherwise (every bundle build puts each worker entry beside its entries:
 * scripts/node-bundle.mjs, electron.vite.config.ts). `moduleUrl` is the caller's `import.meta.url`:
 * once bundled, it is the bundle's (or chunk's) own location.
 */
export function resolveWorkerEntry(name: string, moduleUrl: string): WorkerEntry {
  if (moduleUrl.endsWith('.ts')) return typeScriptEntry(new URL(`./${name}.ts`, moduleUrl), moduleUrl);
  // The bundler may place the caller in a shared chunk one level below the entries.
  const candidates = [new URL(`./${name}.js`, moduleUrl), new URL(`../${name}.js`, moduleUrl)];
  const found = candidates.find((u) => u.protocol !== 'file:' || existsSync(fileURLToPath(u)));
  return { url: found ?? (candidates[0] as URL), tsBootstrap: null };
}

/** An explicit entry file (tests, unusual bundling): a `.ts` one goes through the tsx bootstrap. */
export function workerEntryAt(url: URL): WorkerEntry {
  return url.pathname.endsWith('.ts') ? typeScriptEntry(url, url.href) : { url, tsBootstrap: null };
}

/**
 * On Node 20, `execArgv: ['--import', 'tsx']` does not reach a worker's entry module ("Unknown file
 * extension .ts"), so the worker starts from a one-line script that registers tsx's ESM hooks in its
 * own thread and then imports the TypeScript entry.
 */
function typeScriptEntry(url: URL, moduleUrl: string): WorkerEntry {
  let tsxApi = 'tsx/esm/api';
  try {
    const tsxPackage = createRequire(moduleUrl).resolve('tsx/package.json');
    tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  } catch {
    // Left as a bare specifier: resolved from the working directory.
  }
  return {
    url,
    tsBootstrap: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`,
  };
}

export function startWorker(entry: WorkerEntry, options: WorkerOptions = {}): Worker {
  if (entry.tsBootstrap) return new Worker(entry.tsBootstrap, { ...options, eval: true });
  return new Worker(entry.url, options);
}
