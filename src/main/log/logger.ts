import { appendFileSync, chmodSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import pino, { type DestinationStream } from 'pino';
import type { RollingStream } from 'pino-roll';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields must never carry a PIN, a NIR or a name in clear: use `redactNir` / `maskName`. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(scope: string): Logger;
}

/** The logger a host creates: it also flushes what is still buffered before the process ends. */
export interface RootLogger extends Logger {
  flush(): Promise<void>;
}

export interface LogRotation {
  /** A file is closed and a new one started past this size. */
  maxFileBytes: number;
  /** Files kept besides the one being written; older ones are deleted. */
  keptFiles: number;
}

export const defaultRotation: LogRotation = { maxFileBytes: 10 * 1024 * 1024, keptFiles: 4 };

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * JSON lines, written asynchronously and rotated by size: `logs/poste-dmp.log` becomes
   * `logs/poste-dmp.1.log`, `.2.log`… (folder 0700, files 0600). When absent, lines go to stderr.
   */
  file?: string;
  rotation?: LogRotation;
  /**
   * When the rolling file is opened: `immediate` (the default, a process that keeps running), or
   * `deferred` — once the process has logged `deferredOpening.lines` lines or run for
   * `deferredOpening.ms`, or is flushed. A CLI command usually ends before either: its lines are then
   * appended at exit, without loading pino-roll and its dependencies at all (docs/performance.md).
   */
  fileOpening?: 'immediate' | 'deferred';
  /** Collects lines in memory (tests assert on what was logged). */
  sink?: (line: string) => void;
  scope?: string;
}

/**
 * Field names that may hold identifying data, whatever the caller meant: a second line of defence
 * behind `redactNir` / `maskName` at the call site. pino applies them by path, at serialisation.
 */
const secretKeys = ['pin', 'puk', 'password', 'secret', 'token', 'key', 'birthDate'];
const nirKeys = ['nir', 'ins', 'insKey', 'matricule'];
const nameKeys = [
  'name',
  'nom',
  'prenom',
  'firstName',
  'lastName',
  'givenName',
  'familyName',
  'birthName',
  'usedName',
];
export const redactedPaths = [...secretKeys, ...nirKeys, ...nameKeys].flatMap((k) => [k, `*.${k}`]);

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? '';
  if (typeof value !== 'string') return value === undefined || value === null ? value : '[masqué]';
  if (nirKeys.includes(key)) return redactNir(value);
  if (nameKeys.includes(key)) return maskName(value);
  return '[masqué]';
}

export function createLogger(options: LoggerOptions = {}): RootLogger {
  const level = options.level ?? ((process.env.POSTE_DMP_LOG_LEVEL as LogLevel | undefined) || 'info');
  const destination = options.sink
    ? sinkDestination(options.sink)
    : options.file
      ? rollingDestination(
          options.file,
          options.rotation ?? defaultRotation,
          options.fileOpening ?? 'immediate',
        )
      : { stream: pino.destination({ fd: 2, sync: true }), flush: () => Promise.resolve() };
  const root = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: () => `,"t":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ lvl: label }) },
      redact: { paths: redactedPaths, censor },
    },
    destination.stream,
  );
  const make = (scope: string | undefined): Logger => ({
    debug: (m, f) => root.debug({ scope, ...f }, m),
    info: (m, f) => root.info({ scope, ...f }, m),
    warn: (m, f) => root.warn({ scope, ...f }, m),
    error: (m, f) => root.error({ scope, ...f }, m),
    child: (s) => make(scope ? `${scope}.${s}` : s),
  });
  return { ...make(options.scope), flush: destination.flush };
}

function sinkDestination(sink: (line: string) => void): {
  stream: DestinationStream;
  flush: () => Promise<void>;
} {
  return {
    stream: { write: (line: string) => sink(line.replace(/\n$/, '')) },
    flush: () => Promise.resolve(),
  };
}

/** Synchronous last flushes of every file logger, run once when the process exits. */
const atExit = new Set<() => void>();
function runExitFlushes(): void {
  for (const flush of atExit) {
    try {
      flush();
    } catch {
      // Nothing left to report to at exit.
    }
  }
}
process.once('exit', runExitFlushes);

/**
 * A process ended by one of these signals gets no 'exit' event: a deferred logger (a CLI command
 * interrupted by Ctrl-C, or stopped by its scheduler, while it waits for the data folder) would lose
 * what it queued. Its lines are written first; then, if nothing else handles the signal, the process
 * ends by it as it would have.
 */
const endingSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let endingSignalsWatched = false;
function flushOnEndingSignals(): void {
  if (endingSignalsWatched) return;
  endingSignalsWatched = true;
  for (const signal of endingSignals) {
    process.once(signal, () => {
      runExitFlushes();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** The numbered files of a rolling log (`<base>.<N><extension>`) present in its folder, by number. */
function numberedFiles(base: string, extension: string): Map<number, string> {
  const name = basename(base);
  const files = new Map<number, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dirname(base));
  } catch {
    // No folder yet: no file.
  }
  for (const file of names) {
    if (!file.startsWith(`${name}.`) || !file.endsWith(extension)) continue;
    const number = file.slice(name.length + 1, file.length - extension.length);
    if (/^[1-9]\d*$/.test(number)) files.set(Number(number), join(dirname(base), file));
  }
  return files;
}

/**
 * Appends lines at exit where pino-roll would have: to the highest-numbered file (N = 1 when there is
 * none), after the lines already in it — unless that file has reached the rotation size, after which
 * pino-roll would have rolled to N + 1 and removed the files beyond the ones kept. So a series of
 * short CLI runs, whose lines all go through here, rotates as a running process does.
 */
function appendAtExit(base: string, extension: string, rotation: LogRotation, text: string): void {
  const files = numberedFiles(base, extension);
  let last = Math.max(1, ...files.keys());
  const fileOf = (n: number): string => `${base}.${n}${extension}`;
  let size = 0;
  try {
    size = statSync(fileOf(last)).size;
  } catch {
    // Not there yet: it is created below.
  }
  if (size >= rotation.maxFileBytes) {
    last += 1;
    for (const [n, file] of files) {
      if (n >= last - rotation.keptFiles) continue;
      try {
        rmSync(file, { force: true });
      } catch {
        // A file that cannot be removed stays; the lines still go to the new one.
      }
    }
  }
  appendFileSync(fileOf(last), text, { mode: 0o600 });
}

/** Lines logged while pino-roll opens its file (it looks for the last numbered file first). */
const MAX_PENDING_LINES = 10_000;

/** A deferred file opens once this many lines wait, or after this long (a command that keeps running). */
export const deferredOpening = { lines: 200, ms: 2_000 };

/**
 * pino-roll (pinojs) over sonic-boom: asynchronous appends, size-based rotation, a bounded number of
 * files. It opens asynchronously while `createLogger` must stay synchronous for its callers, so lines
 * are held in a bounded queue until the file is open; at exit whatever is buffered is written
 * synchronously, so a CLI that calls `process.exit` does not lose its last lines.
 *
 * pino-roll itself is loaded here, by `import()`, not with this module: the file opens
 * asynchronously anyway, and a cold CLI import (docs/performance.md, CLI import) must not compile it
 * and its dependencies before it takes the data folder's lock. With `deferred` opening it is not
 * loaded at all by a command that ends first: its lines go to the file at exit (`appendAtExit`).
 */
function rollingDestination(
  file: string,
  rotation: LogRotation,
  opening: 'immediate' | 'deferred',
): { stream: DestinationStream; flush: () => Promise<void> } {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // a folder left 0755 by an older version
  const extension = extname(file);
  const base = extension ? file.slice(0, -extension.length) : file;
  let stream: RollingStream | null = null;
  let failed = false;
  const pending: string[] = [];
  let dropped = 0;
  // Bytes handed to the stream and bytes it reports written ('write' event): flushed when equal.
  let queued = 0;
  let written = 0;
  const send = (s: RollingStream, line: string): void => {
    queued += Buffer.byteLength(line);
    s.write(line);
  };

  const openFile = (): Promise<void> =>
    import('pino-roll')
      .then(({ default: pinoRoll }) =>
        pinoRoll({
          file: base,
          extension,
          size: `${rotation.maxFileBytes}b`,
          limit: { count: rotation.keptFiles, removeOtherLogFiles: true },
          mode: 0o600,
        }),
      )
      .then(
        (opened) => {
          opened.on('error', (err: Error) => process.stderr.write(`Poste DMP : journal — ${err.message}\n`));
          if (dropped > 0)
            pending.push(
              `${JSON.stringify({ t: new Date().toISOString(), lvl: 'warn', msg: 'log lines dropped at start-up', dropped })}\n`,
            );
          opened.on('write', (n: number) => (written += n));
          for (const line of pending.splice(0)) send(opened, line);
          stream = opened;
        },
        (err: unknown) => {
          failed = true;
          process.stderr.write(
            `Poste DMP : journal indisponible (${file}) — ${err instanceof Error ? err.message : String(err)}\n`,
          );
          for (const line of pending.splice(0)) process.stderr.write(line);
        },
      );
  let fileOpening: Promise<void> | null = null;
  const open = (): Promise<void> => (fileOpening ??= openFile());
  if (opening === 'immediate') void open();
  else setTimeout(() => void open(), deferredOpening.ms).unref();

  atExit.add(() => {
    if (stream) stream.flushSync();
    else if (pending.length > 0 && !failed)
      appendAtExit(base, extension, rotation, pending.splice(0).join(''));
  });
  if (opening === 'deferred') flushOnEndingSignals();

  return {
    stream: {
      write(line: string) {
        if (stream) send(stream, line);
        else if (failed) process.stderr.write(line);
        else if (pending.length < MAX_PENDING_LINES) {
          pending.push(line);
          if (pending.length >= deferredOpening.lines) void open();
        } else dropped++;
      },
    },
    flush: async () => {
      await open();
      const s = stream;
      if (!s) return;
      while (written < queued) {
        await new Promise<void>((resolve) => {
          s.once('write', resolve);
          s.once('error', resolve);
        });
      }
    },
  };
}

/** A logger that drops everything, for code paths that do not care. */
export const silentLogger: Logger = createLogger({ sink: () => undefined, level: 'error' });

/** Keeps the first character and the key so support can correlate without exposing the NIR. */
export function redactNir(nir: string): string {
  if (nir.length < 4) return '***';
  return `${nir.slice(0, 1)}${'*'.repeat(nir.length - 3)}${nir.slice(-2)}`;
}

export function maskName(name: string): string {
  return name.length === 0 ? '' : `${name[0]}***`;
}
