import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliScript = join(repoRoot, 'scripts', 'cli.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run cli -- …` without npm: node on scripts/cli.mjs (which runs the bundle, built in beforeAll). */
export function runCli(args: string[], onStderr?: (text: string) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliScript, ...args], {
      cwd: repoRoot,
      env: { ...process.env, POSTE_DMP_DATA: '/nonexistent/poste-dmp-default-must-not-be-used' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The built CLI (`node out/cli/index.cjs`, as a hospital system runs it) with a module hook in front
 * that records every module it loads (ES modules through the loader's `load` hook, CommonJS files
 * through `Module._load`; each file once, in the order first loaded): `files`, the modules' files, and `sources`, the source files
 * those were built from (read from each bundle file's source map), all relative to the repository
 * (`out/cli/index.cjs`, `node_modules/zod/…`); `modules`, each file with its own sources. `main.cjs`,
 * which code-cache.ts compiles itself, shows in `events` only. `events`
 * is the same record in order, main thread and workers together, with the V8 flags the process set
 * (`v8 --flag`), each script compiled through `vm.Script` and whether V8 took its code cache
 * (`script out/cli/main.cjs cache=used|rejected|none`), and each worker thread started
 * (`worker out/cli/store-worker.js`) among the modules. `nodeFlags` go to node before the rest.
 */
export async function runBuiltCliRecordingModules(
  args: string[],
  options: { nodeFlags?: string[] } = {},
): Promise<
  CliRun & {
    files: string[];
    sources: string[];
    modules: { file: string; sources: string[] }[];
    events: string[];
  }
> {
  const { cliBundle } = (await import(cliScript)) as { cliBundle: string };
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-cli-modules-'));
  const list = join(dir, 'loaded.txt');
  const hooks = `import { appendFileSync } from 'node:fs';
    let file;
    export function initialize(data) { file = data.file; }
    export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context); }`;
  // Runs in the main thread and again in each worker (workers inherit the process's --import).
  const preload = `import Module, { register, syncBuiltinESMExports } from 'node:module';
    import { appendFileSync } from 'node:fs';
    import { pathToFileURL } from 'node:url';
    import v8 from 'node:v8';
    import vm from 'node:vm';
    import threads from 'node:worker_threads';
    const record = (line) => appendFileSync(${JSON.stringify(list)}, line + '\\n');
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
      if (!Module.isBuiltin(request)) {
        try { record(pathToFileURL(Module._resolveFilename(request, parent, isMain)).href); } catch {}
      }
      return load.apply(this, arguments);
    };
    const setFlags = v8.setFlagsFromString;
    v8.setFlagsFromString = (flags) => { record('v8 ' + flags); setFlags(flags); };
    const Script = vm.Script;
    vm.Script = class extends Script {
      constructor(code, options) {
        super(code, options);
        const cache = options?.cachedData ? (this.cachedDataRejected ? 'rejected' : 'used') : 'none';
        record('script ' + options?.filename + ' cache=' + cache);
      }
    };
    const compile = WebAssembly.compile;
    WebAssembly.compile = (bytes) => {
      record('wasm compile ' + (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('compilationHints') ? 'hinted' : 'plain'));
      return compile(bytes);
    };
    const Worker = threads.Worker;
    threads.Worker = class extends Worker {
      constructor(entry, options) { record('worker ' + (entry instanceof URL ? entry.pathname : entry)); super(entry, options); }
    };
    syncBuiltinESMExports();
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: { file: ${JSON.stringify(list)} } });`;
  try {
    const run = await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          ...(options.nodeFlags ?? []),
          '--import',
          `data:text/javascript,${encodeURIComponent(preload)}`,
          cliBundle,
          ...args,
        ],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const lines = readFileSync(list, 'utf8').split('\n');
    // A CommonJS file run through the ES module loader (the entry, under a hook) is seen by both.
    const files = [...new Set(lines.filter((url) => url.startsWith('file:')))].map((url) =>
      fileURLToPath(url),
    );
    const relative = (path: string): string => path.slice(repoRoot.length);
    const modules = files.map((file) => {
      // A bundle file names its sources in its map; a module loaded from node_modules is its own source.
      if (!existsSync(`${file}.map`)) return { file: relative(file), sources: [relative(file)] };
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      return {
        file: relative(file),
        sources: map.sources.map((source) => relative(resolve(dirname(file), source))),
      };
    });
    const events = lines
      .filter((line) => /^(file:|v8 |script |worker |wasm )/.test(line))
      .map((line) => (line.startsWith('file:') ? relative(fileURLToPath(line)) : line.replace(repoRoot, '')));
    return {
      ...run,
      files: files.map(relative),
      sources: modules.flatMap((module) => module.sources),
      modules,
      events,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function buildCli(): Promise<void> {
  const { buildCliBundle } = (await import(cliScript)) as { buildCliBundle: () => Promise<void> };
  await buildCliBundle();
}

const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** What a live holder of a data-folder lock writes (restated here from the lock's documentation). */
export function lockContentFor(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return `${JSON.stringify({ pid, boot: bootId, start, token: 'test-holder' })}\n`;
}
