import { afterEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { createLogger } from '../../../src/main/log/logger';
import { createDispatcher, type Handlers } from '../../../src/main/bridge/dispatcher';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string): number => statSync(path).mode & 0o777;
const logFiles = (logs: string): string[] => readdirSync(logs).filter((f) => f.endsWith('.log'));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('logger', () => {
  it('a flood of refused requests leaves a bounded set of rotated files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const logs = join(dir, 'logs');
    const rotation = { maxFileBytes: 64 * 1024, keptFiles: 2 };
    const log = createLogger({ file: join(logs, 'poste-dmp.log'), rotation });
    const dispatch = createDispatcher({} as Handlers, log.child('api'));
    for (let i = 0; i < 20_000; i++) {
      await dispatch('nothing.here', {});
      if (i % 500 === 0) await log.flush(); // let the asynchronous writer keep up, as an event loop would
    }
    await log.flush();
    await until(() => logFiles(logs).length <= rotation.keptFiles + 1);
    const files = logFiles(logs);
    // 20 000 lines of ~110 bytes: about 2 MB were logged, only the last files are kept.
    expect(files.length).toBeLessThanOrEqual(rotation.keptFiles + 1);
    const total = files.reduce((sum, f) => sum + statSync(join(logs, f)).size, 0);
    expect(total).toBeLessThanOrEqual((rotation.keptFiles + 1) * (rotation.maxFileBytes + 64 * 1024));
    const kept = files.map((f) => readFileSync(join(logs, f), 'utf8')).join('');
    expect(kept).toContain('refused unknown method');
  });

  it('creates the data folder and logs/ 0700 and the files 0600, and tightens an old 0755 folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const data = join(dir, 'data');
    const log = createLogger({ file: join(data, 'logs', 'poste-dmp.log') });
    log.info('started');
    await log.flush();
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'logs'))).toBe(0o700);
    for (const f of logFiles(join(data, 'logs'))) expect(mode(join(data, 'logs', f))).toBe(0o600);
    expect(logFiles(join(data, 'logs')).length).toBe(1);

    const old = join(dir, 'old', 'logs');
    mkdirSync(old, { recursive: true });
    chmodSync(old, 0o755);
    const again = createLogger({ file: join(old, 'poste-dmp.log') });
    again.warn('x');
    await again.flush();
    expect(mode(old)).toBe(0o700);
  });

  it('masks known identifying fields by path, whatever the caller passed', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
    log.child('dmp').info('careless call', {
      pin: '1234',
      nir: '180059912345678',
      insKey: '180059912345678|1.2.250.1.213.1.4.8',
      name: 'DUPONT',
      prenom: 'Jean',
      birthDate: '1980-05-01',
      reader: 'Lecteur 0',
      count: 3,
    });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      lvl: 'info',
      scope: 'dmp',
      msg: 'careless call',
      reader: 'Lecteur 0',
      count: 3,
    });
    expect(line.pin).toBe('[masqué]');
    expect(line.birthDate).toBe('[masqué]');
    expect(line.nir).toBe('1************78');
    expect(line.name).toBe('D***');
    expect(line.prenom).toBe('J***');
    expect(lines[0]).not.toMatch(/1234|DUPONT|Jean|912345|1980-05-01/);
  });

  it('keeps the last lines of a process that exits right after logging', () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const file = join(dir, 'logs', 'poste-dmp.log');
    const script = `
      import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
      const log = createLogger({ file: ${JSON.stringify(file)} });
      setTimeout(() => { for (let i = 0; i < 100; i++) log.info('line ' + i); process.exit(0); }, 200);
    `;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const text = logFiles(join(dir, 'logs'))
      .map((f) => readFileSync(join(dir, 'logs', f), 'utf8'))
      .join('');
    expect(text).toContain('"msg":"line 99"');
  });

  it('keeps the lines of a process that exits before the log file is open', () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const file = join(dir, 'logs', 'poste-dmp.log');
    // pino-roll is loaded and opens the file asynchronously: exiting in the same tick leaves the
    // lines queued, and the exit handler must write them (a CLI refused at once, e.g. folder locked).
    const script = `
      import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
      const log = createLogger({ file: ${JSON.stringify(file)} });
      for (let i = 0; i < 3; i++) log.info('line ' + i);
      process.exit(0);
    `;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const logs = join(dir, 'logs');
    expect(logFiles(logs)).toEqual(['poste-dmp.1.log']);
    expect(mode(join(logs, 'poste-dmp.1.log'))).toBe(0o600);
    const lines = readFileSync(join(logs, 'poste-dmp.1.log'), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'line 0',
      'line 1',
      'line 2',
    ]);
  });

  it('writes those lines after the last ones, in the newest rotated file, as pino-roll would have', () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const logs = join(dir, 'logs');
    mkdirSync(logs, { mode: 0o700 });
    // Rotation has reached file 3 (file 2 was removed); other files in the folder do not count.
    writeFileSync(join(logs, 'poste-dmp.1.log'), '{"msg":"old"}\n', { mode: 0o600 });
    writeFileSync(join(logs, 'poste-dmp.3.log'), '{"msg":"before"}\n', { mode: 0o600 });
    writeFileSync(join(logs, 'poste-dmp.12.log.bak'), '', { mode: 0o600 });
    writeFileSync(join(logs, 'other.40.log'), '', { mode: 0o600 });
    const script = `
      import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
      const log = createLogger({ file: ${JSON.stringify(join(logs, 'poste-dmp.log'))} });
      log.info('after');
      process.exit(0);
    `;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const msgs = (file: string): string[] =>
      readFileSync(join(logs, file), 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(msgs('poste-dmp.3.log')).toEqual(['before', 'after']);
    expect(msgs('poste-dmp.1.log')).toEqual(['old']);
  });

  it('deferred: a short command writes its lines at exit and never loads pino-roll', () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const logs = join(dir, 'logs');
    const script = `
      import { createRequire } from 'node:module';
      import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
      const log = createLogger({ file: ${JSON.stringify(join(logs, 'poste-dmp.log'))}, fileOpening: 'deferred' });
      setTimeout(() => {
        log.info('done');
        const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('pino-roll'));
        process.stdout.write(JSON.stringify(loaded));
        process.exit(0);
      }, 300);
    `;
    const loaded = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(loaded)).toEqual([]);
    expect(readFileSync(join(logs, 'poste-dmp.1.log'), 'utf8')).toContain('"msg":"done"');
  });

  it('deferred: the file opens once enough lines wait, and pino-roll takes them', () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const logs = join(dir, 'logs');
    const script = `
      import { createRequire } from 'node:module';
      import { createLogger, deferredOpening } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
      const log = createLogger({ file: ${JSON.stringify(join(logs, 'poste-dmp.log'))}, fileOpening: 'deferred' });
      for (let i = 0; i < deferredOpening.lines; i++) log.info('line ' + i);
      await log.flush();
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('pino-roll'));
      process.stdout.write(JSON.stringify(loaded));
    `;
    const loaded = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(loaded)).toBe(true);
    const text = readFileSync(join(logs, 'poste-dmp.1.log'), 'utf8');
    expect(text).toContain('"msg":"line 0"');
    expect(text).toContain('"msg":"line 199"');
  });

  it('lines written at exit rotate as pino-roll does: a full file is followed by a new one, the oldest removed', () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const logs = join(dir, 'logs');
    mkdirSync(logs, { mode: 0o700 });
    const rotation = { maxFileBytes: 1024, keptFiles: 2 };
    const run = (msg: string): void => {
      const script = `
        import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
        const log = createLogger({ file: ${JSON.stringify(join(logs, 'poste-dmp.log'))}, fileOpening: 'deferred', rotation: ${JSON.stringify(rotation)} });
        log.info(${JSON.stringify(msg)});
        process.exit(0);
      `;
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    };
    writeFileSync(join(logs, 'poste-dmp.1.log'), '{"msg":"one"}\n', { mode: 0o600 });
    writeFileSync(join(logs, 'poste-dmp.2.log'), '{"msg":"two"}\n', { mode: 0o600 });
    writeFileSync(join(logs, 'poste-dmp.3.log'), `${'x'.repeat(rotation.maxFileBytes - 1)}\n`, {
      mode: 0o600,
    });
    run('after a full file');
    // File 3 reached the size: file 4 is started, and only the two files before it are kept.
    expect(logFiles(logs).sort()).toEqual(['poste-dmp.2.log', 'poste-dmp.3.log', 'poste-dmp.4.log']);
    expect(readFileSync(join(logs, 'poste-dmp.4.log'), 'utf8')).toContain('"msg":"after a full file"');
    expect(mode(join(logs, 'poste-dmp.4.log'))).toBe(0o600);
    run('next');
    // File 4 is not full: the next run appends to it.
    expect(logFiles(logs).sort()).toEqual(['poste-dmp.2.log', 'poste-dmp.3.log', 'poste-dmp.4.log']);
    expect(readFileSync(join(logs, 'poste-dmp.4.log'), 'utf8')).toContain('"msg":"next"');
  });

  it('deferred: a command stopped by a signal still writes its lines, then ends by that signal', async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-log-'));
    const logs = join(dir, 'logs');
    const script = `
      import { createLogger } from ${JSON.stringify(join(process.cwd(), 'src/main/log/logger.ts'))};
      const log = createLogger({ file: ${JSON.stringify(join(logs, 'poste-dmp.log'))}, fileOpening: 'deferred' });
      log.info('waiting for the data folder');
      process.stdout.write('ready\\n');
      setInterval(() => undefined, 1000);
    `;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      rmSync(logs, { recursive: true, force: true });
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.kill(signal);
      const ended = await new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, how) => resolve(how)),
      );
      expect(ended).toBe(signal);
      expect(readFileSync(join(logs, 'poste-dmp.1.log'), 'utf8')).toContain(
        '"msg":"waiting for the data folder"',
      );
    }
  });
});
