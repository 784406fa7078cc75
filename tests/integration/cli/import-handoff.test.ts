import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/main/app/composition';
import { dataLayout } from '../../../src/main/app/paths';
import { openDataFolderDmp } from '../../../src/main/app/data-folder-dmp';
import { silentLogger } from '../../../src/main/log/logger';
import { startApp } from '../support/app-harness';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';
import {
  buildCli,
  lockContentFor,
  repoRoot,
  runBuiltCliRecordingModules,
  runCli,
  type CliRun,
} from './support';

/**
 * `cli import` while an instance holds the data folder: the instance is the composition root (the
 * browser host's and the desktop app's) in this process, the CLI a real process on the bundle.
 */
const root = mkdtempSync(join(tmpdir(), 'poste-dmp-handoff-'));
const fixtures = sharedCdaFixturesDir();
const vac = join(fixtures, 'VAC_2023.01.xml');
const cnam = join(fixtures, 'CNAM-HR_2021.01.xml');
const vsm = join(fixtures, 'VSM_1.4_2022.01.xml');
/** VAC, CNAM-HR and VSM all carry this patient's INS. */
const INS = '279035121518989@1.2.250.1.213.1.4.10';
let counter = 0;
const freshDir = (): string => join(root, `data-${++counter}`);

const running: { app: App; logLines: string[] }[] = [];
const children: ChildProcess[] = [];

beforeAll(buildCli, 120_000);
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const { app } of running.splice(0)) await app.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function startInstance(dataDir: string): Promise<{ app: App; logLines: string[] }> {
  const { app, logLines } = await startApp({ dataDir, seedFiles: [] });
  const started = { app, logLines };
  running.push(started);
  return started;
}

async function stopInstance(app: App): Promise<void> {
  running.splice(
    running.findIndex((r) => r.app === app),
    1,
  );
  await app.close();
}

/** The dossier's history as its patient reads it, from the folder once no instance holds it. */
async function historyOf(dataDir: string, insKey: string) {
  const opened = await openDataFolderDmp(
    { dataDir, readOnly: true, waitMs: null },
    () => undefined,
    silentLogger,
  );
  try {
    return await opened.service.accessHistory({ patient: true }, insKey);
  } finally {
    await opened.close();
  }
}

/** Document ids are random: the rest of what the CLI prints must be the same on both paths. */
const withoutIds = (run: CliRun): CliRun => ({
  ...run,
  stdout: run.stdout.replace(/document [0-9a-f]{32}/g, 'document <id>'),
});

describe('cli import hands its files to the instance holding the data folder', () => {
  it('imports through the running instance: same output and exit code as the cold path, document in the dossier, audited as the CLI', async () => {
    const missing = join(root, 'absent.xml');
    const args = [vac, missing, cnam, '--create'];

    const cold = freshDir();
    const coldRun = await runCli(['import', ...args, '--data', cold]);

    const held = freshDir();
    const { app, logLines } = await startInstance(held);
    const handedRun = await runCli(['import', ...args, '--data', held]);

    expect(handedRun.code).toBe(1);
    expect(handedRun.code).toBe(coldRun.code);
    expect(withoutIds(handedRun).stdout).toBe(withoutIds(coldRun).stdout);
    expect(handedRun.stdout).toMatch(/^OK VAC_2023\.01\.xml : document [0-9a-f]{32} \(dossier créé\)/);
    expect(handedRun.stdout).toContain('2 fichier(s) importé(s), 1 échec(s).');
    expect(handedRun.stderr).toBe('ÉCHEC absent.xml : fichier introuvable ou illisible.\n');
    // The cold path also says what it saw on opening the folder; the instance said it when it started.
    expect(coldRun.stderr).toContain('ÉCHEC absent.xml : fichier introuvable ou illisible.');
    expect(logLines.join('\n')).toMatch(/CLI import handed off/);

    // A document refused by the import itself comes back as the instance's French reason.
    const again = await runCli(['import', vac, '--data', held]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^ÉCHEC VAC_2023\.01\.xml : Ce document a déjà été déposé/);

    await stopInstance(app);
    const history = await historyOf(held, INS);
    const byCli = history.filter((h) => ['document.deposit', 'dossier.create'].includes(h.action));
    expect(byCli.map((h) => h.action).sort()).toEqual([
      'document.deposit',
      'document.deposit',
      'dossier.create',
    ]);
    for (const h of byCli)
      expect(h.actor).toBe('Système (import, via ligne de commande, par l’instance en cours)');
    const coldHistory = await historyOf(cold, INS);
    expect(coldHistory.find((h) => h.action === 'document.deposit')?.actor).toBe(
      'Système (import, via ligne de commande)',
    );
  });

  it('a handed-off import loads only the hand-off: no zod, store, sql.js, CDA parser, DMP service or logger', async () => {
    const dataDir = freshDir();
    await startInstance(dataDir);
    const run = await runBuiltCliRecordingModules(['import', vac, '--create', '--data', dataDir]);
    expect(run.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    expect(run.code).toBe(0);
    // One module of ours, the entry (main.cjs and code-cache.cjs are the rest of the CLI), and in it the
    // client: the list is the real one.
    expect(run.files.filter((file) => !file.startsWith('node_modules/'))).toEqual(['out/cli/index.cjs']);
    expect(run.sources).toContain('src/main/local-import/client.ts');
    // Each of these costs the process start compile time (zod alone was ~470 KB minified) and is
    // needed only when the CLI imports by itself.
    const heavy = run.sources.filter(
      (source) =>
        /^node_modules\/(zod|saxes|sql\.js|kysely|pino)\//.test(source) ||
        /^src\/main\/(store\/(open-store|sql-image)|dmp\/(dmp-service|parse-cda)|cda\/(import|xml\/(parse|reader))|log\/logger)\.ts$/.test(
          source,
        ),
    );
    expect(heavy).toEqual([]);
    // Nor does it compile sql.js's WebAssembly, or change V8's flags for it.
    expect(run.events.filter((event) => event.startsWith('wasm ') || event.startsWith('v8 '))).toEqual([]);
  });

  it('a cold import runs sql.js on baseline code only, set before the rest of the CLI is compiled, and its store in its own thread', async () => {
    const dataDir = freshDir();
    const run = await runBuiltCliRecordingModules(['import', vac, '--create', '--data', dataDir]);
    expect(run.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    expect(run.code).toBe(0);
    // The optimising recompilation of WebAssembly costs a short process more than it saves, and its
    // exit waits for it (docs/performance.md): the flag must be set before sql.js is compiled, and
    // before main.cjs is (V8 takes a code cache only under the flags it was written with).
    const flag = run.events.indexOf('v8 --liftoff-only');
    expect(flag).toBeGreaterThanOrEqual(0);
    expect(flag).toBeLessThan(run.events.findIndex((event) => event.startsWith('script out/cli/main.cjs ')));
    // No worker thread to boot beside the CLI's own start-up: the store is served in this thread
    // (in-thread-store.ts), the document parsed in it (docs/performance.md).
    expect(run.events.filter((event) => event.startsWith('worker '))).toEqual([]);
  });

  it('a cold import loads no ES module: its entry and the rest of the CLI are CommonJS files', async () => {
    // Node's ES module loader, and its views of the built-ins an ES module imports, were ~10 ms of a
    // cold command here (docs/performance.md). Watched from a CommonJS preload, which loads none.
    const { cliBundle } = (await import(join(repoRoot, 'scripts', 'cli.mjs'))) as { cliBundle: string };
    const preload = join(root, 'module-list.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeSync(2, 'MODULES ' + JSON.stringify(process.moduleLoadList) + '\\n'));`,
    );
    const child = spawn(
      process.execPath,
      ['-r', preload, cliBundle, 'import', vac, '--create', '--data', freshDir()],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    const loaded = JSON.parse(/^MODULES (.*)$/m.exec(stderr)?.[1] ?? '[]') as string[];
    expect(loaded).toContain('NativeModule internal/modules/cjs/loader');
    expect(loaded).not.toContain('NativeModule internal/modules/esm/module_job');
    expect(loaded).not.toContain('NativeModule internal/modules/esm/translators');
  });

  it('the entry’s former name, out/cli/index.mjs, still runs the CLI for scripts written against it', () => {
    const former = spawnSync(
      process.execPath,
      [join(repoRoot, 'out', 'cli', 'index.mjs'), 'import', vac, '--create', '--data', freshDir()],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(former.status).toBe(0);
    expect(former.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
  });

  it('a cold import compiles sql.js once, with its compilation hints, before it loads the rest of the CLI', async () => {
    const run = await runBuiltCliRecordingModules(['import', vac, '--create', '--data', freshDir()]);
    expect(run.code).toBe(0);
    const rest = run.events.findIndex((event) => event.startsWith('script out/cli/main.cjs '));
    // V8 follows the hints only under these flags, and takes the code cache only under the flags it
    // was written with: set before main.cjs is compiled (store/sql-wasm.ts).
    for (const flag of ['--no-wasm-lazy-compilation', '--experimental-wasm-compilation-hints']) {
      const set = run.events.indexOf(`v8 ${flag}`);
      expect(set, flag).toBeGreaterThanOrEqual(0);
      expect(set, flag).toBeLessThan(rest);
    }
    // Compiled in the background while main.cjs loads, and by nobody else (docs/performance.md).
    expect(run.events.filter((event) => event.startsWith('wasm compile '))).toEqual(['wasm compile hinted']);
    expect(run.events.indexOf('wasm compile hinted')).toBeLessThan(rest);
  });

  it('a cold import runs the rest of the CLI from its code cache, written by the first import of the build that succeeds', async () => {
    const cache = join(repoRoot, 'out', 'cli', 'main.cjs.v8-cache');
    rmSync(cache, { force: true });
    // The cache holds what the run that wrote it compiled: another command, or an import that stopped
    // early, would leave out most of what an import runs (index.ts, writesCodeCache).
    const other = await runBuiltCliRecordingModules(['generate', '--patients', '1', '--data', freshDir()]);
    expect(other.code).toBe(0);
    expect(other.events).toContain('script out/cli/main.cjs cache=none');
    expect(existsSync(cache)).toBe(false);
    const failed = await runBuiltCliRecordingModules([
      'import',
      join(root, 'absent.xml'),
      '--data',
      freshDir(),
    ]);
    expect(failed.code).toBe(1);
    expect(existsSync(cache)).toBe(false);

    const compiled = await runBuiltCliRecordingModules(['import', vac, '--create', '--data', freshDir()]);
    expect(compiled.code).toBe(0);
    expect(compiled.events).toContain('script out/cli/main.cjs cache=none');
    // Bound to this very build: its digest is in the header (code-cache.ts).
    const digest = createHash('sha256')
      .update(readFileSync(join(repoRoot, 'out', 'cli', 'main.cjs')))
      .digest();
    expect(readFileSync(cache).subarray(16, 48)).toEqual(digest);

    const cached = await runBuiltCliRecordingModules(['import', vac, '--create', '--data', freshDir()]);
    expect(cached.code).toBe(0);
    expect(withoutIds(cached).stdout).toBe(withoutIds(compiled).stdout);
    expect(cached.events).toContain('script out/cli/main.cjs cache=used');
    // The code cache is compiled code, never loaded by the hand-off.
    expect(cached.files).toContain('out/cli/code-cache.cjs');
  });

  it('a long import discards none of the code it compiled, so that the cache it writes holds all of it', async () => {
    // V8 drops the bytecode of functions idle for a few major collections (here, one), the bundle's
    // top level first; a cache written after that made every later cold command recompile the whole
    // bundle. Ten documents in one run collect often enough to show it.
    const documents = readdirSync(fixtures)
      .filter((file) => file.endsWith('.xml'))
      .map((file) => join(fixtures, file));
    expect(documents.length).toBeGreaterThanOrEqual(10);
    const run = await runBuiltCliRecordingModules(
      ['import', ...documents, '--create', '--data', freshDir()],
      {
        nodeFlags: ['--bytecode-old-age=1', '--trace-flush-bytecode'],
      },
    );
    // Written under these flags, the cache would be refused by every normal run: it goes.
    rmSync(join(repoRoot, 'out', 'cli', 'main.cjs.v8-cache'), { force: true });
    expect(run.stdout).toContain(`${documents.length} fichier(s)`);
    expect(run.stdout.split('\n').filter((line) => line.includes('discarding compiled'))).toEqual([]);
  }, 60_000);

  it('the CLI bundle is ASCII, inside the CommonJS wrapper, and its source map still finds the code', () => {
    // One byte per character for V8, and no second string to join before compiling: each is ~1 MB
    // of fresh memory a cold command would fault in (scripts/ascii-source.mjs, code-cache.ts).
    const code = readFileSync(join(repoRoot, 'out', 'cli', 'main.cjs'), 'latin1');
    expect(Buffer.from(code, 'latin1').every((byte) => byte < 0x80)).toBe(true);
    expect(code.startsWith('(function (exports, require, module, __filename, __dirname) {')).toBe(true);
    // A regular expression with two escaped characters, then code on the same line after it.
    const map = new SourceMap(JSON.parse(readFileSync(join(repoRoot, 'out', 'cli', 'main.cjs.map'), 'utf8')));
    const escaped = code.indexOf('r[\\u00e9e]gulation\\s+m[\\u00e9e]dicale');
    expect(escaped).toBeGreaterThan(0);
    const after = code.indexOf('function ', escaped);
    const lineStart = code.lastIndexOf('\n', after) + 1;
    const line = code.slice(0, after).split('\n').length - 1;
    const entry = map.findEntry(line, after - lineStart) as {
      generatedColumn: number;
      originalSource: string;
      originalLine: number;
      originalColumn: number;
    };
    // The mapping that starts exactly there: the function's own, at the start of its source line.
    expect(entry.generatedColumn).toBe(after - lineStart);
    expect(entry.originalColumn).toBe(0);
    const source = join(repoRoot, 'src', 'main', 'domain', 'access-policy.ts');
    expect(entry.originalSource.endsWith('src/main/domain/access-policy.ts')).toBe(true);
    const next = readFileSync(source, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('function isTreatingPhysician('));
    expect(entry.originalLine).toBe(next);
  });

  it('the CLI bundle takes from date-fns only the functions pino-roll calls', () => {
    // pino-roll's `require('date-fns')` would bring date-fns whole (~250 functions) for five calls
    // (scripts/node-bundle.mjs, dateFnsByFunction).
    const map = JSON.parse(readFileSync(join(repoRoot, 'out', 'cli', 'main.cjs.map'), 'utf8')) as {
      sources: string[];
    };
    const dateFns = map.sources.filter((source) => source.includes('node_modules/date-fns/'));
    expect(dateFns.some((source) => source.endsWith('node_modules/date-fns/format.cjs'))).toBe(true);
    expect(dateFns.some((source) => source.endsWith('node_modules/date-fns/index.cjs'))).toBe(false);
    expect(dateFns.length).toBeLessThan(100);
  });

  it('offers the socket only while the instance runs, 0600 in a 0700 folder; without an instance the CLI opens the store itself', async () => {
    const dataDir = freshDir();
    const { app } = await startInstance(dataDir);
    const socket = dataLayout(dataDir).importSocket;
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await stopInstance(app);
    expect(() => statSync(socket)).toThrow(/ENOENT/);

    const run = await runCli(['import', vac, '--create', '--data', dataDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    expect(run.stderr).toMatch(/Attention : Clé de chiffrement stockée en clair/);
  });

  it('a socket file and lock left by a killed instance do not block the CLI, and the next instance replaces the socket', async () => {
    const dataDir = freshDir();
    const socket = dataLayout(dataDir).importSocket;
    // An instance that dies without cleaning up: its socket file and its lock stay behind.
    const seed = await runCli(['import', vsm, '--create', '--data', dataDir]);
    expect(seed.code).toBe(0);
    const killed = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(killed);
    await new Promise((resolve) => killed.stdout!.once('data', resolve));
    writeFileSync(dataLayout(dataDir).lockFile, lockContentFor(killed.pid as number));
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(statSync(socket).isSocket()).toBe(true);

    const cold = await runCli(['import', vac, '--create', '--data', dataDir]);
    expect(cold.stderr).not.toMatch(/Import impossible/);
    expect(cold.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    expect(cold.code).toBe(0);

    const { app } = await startInstance(dataDir);
    const handed = await runCli(['import', cnam, '--create', '--data', dataDir]);
    expect(handed.stdout).toMatch(/^OK CNAM-HR_2021\.01\.xml/);
    expect(handed.code).toBe(0);
    await stopInstance(app);
    const history = await historyOf(dataDir, INS);
    expect(history.some((h) => h.actor.includes('par l’instance en cours'))).toBe(true);
  });

  it('bad frames on the socket are refused in French and the instance goes on serving', async () => {
    const dataDir = freshDir();
    const { app, logLines } = await startInstance(dataDir);
    const socket = dataLayout(dataDir).importSocket;

    const frame = (body: Buffer): Buffer => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length);
      return Buffer.concat([head, body]);
    };
    const json = (value: unknown): Buffer => frame(Buffer.from(JSON.stringify(value)));
    const attacks: { name: string; bytes: Buffer; code: string | null }[] = [
      { name: 'announces 4 GiB', bytes: Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]), code: 'TOO_LARGE' },
      { name: 'invalid UTF-8', bytes: frame(Buffer.from([0xc3, 0x28, 0xa0])), code: 'BAD_FRAME' },
      { name: 'not JSON', bytes: frame(Buffer.from('{"v":1,')), code: 'BAD_FRAME' },
      { name: 'nested', bytes: frame(Buffer.from('['.repeat(100_000))), code: 'BAD_FRAME' },
      { name: 'other version', bytes: json({ v: 2, type: 'hello' }), code: 'VERSION' },
      { name: 'unknown type', bytes: json({ v: 1, type: 'summary', ins: '1' }), code: 'BAD_FRAME' },
      {
        name: 'extra field',
        bytes: json({ v: 1, type: 'import', create: true, contentBase64: 'AA==', actor: 'x' }),
        code: 'BAD_FRAME',
      },
      {
        name: 'not base64',
        bytes: json({ v: 1, type: 'import', create: true, contentBase64: '!!' }),
        code: 'BAD_FRAME',
      },
      { name: 'half a frame, then hang up', bytes: frame(Buffer.alloc(1000)).subarray(0, 500), code: null },
    ];
    for (const attack of attacks) {
      const answer = await new Promise<string>((resolve, reject) => {
        const s = createConnection({ path: socket });
        const got: Buffer[] = [];
        s.on('data', (d: Buffer) => got.push(d));
        s.on('error', reject);
        // One length-prefixed answer, then the instance closes the connection.
        s.on('close', () => resolve(Buffer.concat(got).subarray(4).toString()));
        s.write(attack.bytes, () => {
          if (attack.code === null) s.end();
        });
      });
      if (attack.code === null) expect(answer, attack.name).toBe('');
      else {
        expect(JSON.parse(answer), attack.name).toMatchObject({ v: 1, type: 'refused', code: attack.code });
        expect(JSON.parse(answer).message, attack.name).toMatch(/import local|version/i);
      }
    }
    expect(logLines.join('\n')).toMatch(/local import socket: request refused/);

    // Still serving: the UI's dispatcher and the socket.
    expect((await app.dispatch('app.info', {})).ok).toBe(true);
    const run = await runCli(['import', vac, '--create', '--data', dataDir]);
    expect(run.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    expect(run.code).toBe(0);
  });
});
