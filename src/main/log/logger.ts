import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured fields must never carry a PIN, a NIR or a name in clear: use `redactNir` / `maskName`. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(scope: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** JSON lines file; when absent, lines go to stderr. */
  file?: string;
  /** Collects lines in memory (tests assert on what was logged). */
  sink?: (line: string) => void;
  scope?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? ((process.env.POSTE_DMP_LOG_LEVEL as LogLevel | undefined) || 'info');
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });
  const write = (lvl: LogLevel, scope: string | undefined, msg: string, fields?: LogFields): void => {
    if (order[lvl] < order[level]) return;
    const line = JSON.stringify({ t: new Date().toISOString(), lvl, scope, msg, ...fields });
    if (options.sink) options.sink(line);
    else if (options.file) appendFileSync(options.file, line + '\n', { mode: 0o600 });
    else process.stderr.write(line + '\n');
  };
  const make = (scope: string | undefined): Logger => ({
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
    child: (s) => make(scope ? `${scope}.${s}` : s),
  });
  return make(options.scope);
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
