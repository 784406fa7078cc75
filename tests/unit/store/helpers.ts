import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createLogger, type Logger } from '../../../src/main/log/logger';
import { StoreEngine, type EngineOptions } from '../../../src/main/store/engine';
import { generateStoreKey, type StoreKey } from '../../../src/main/store/key';
import { migrationSource } from '../../../src/main/store/migration-scripts';
import type { Migration } from '../../../src/main/store/types';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-store-'));
  created.push(dir);
  return dir;
}

export interface CapturedLog {
  log: Logger;
  lines: { lvl: string; msg: string; [field: string]: unknown }[];
}

export function captureLog(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const log = createLogger({
    level: 'debug',
    sink: (line) => lines.push(JSON.parse(line) as CapturedLog['lines'][number]),
  });
  return { log, lines };
}

/** A test migration in SQLite only (the engine under test is sql.js): one script, possibly several statements. */
export function sqliteMigration(version: number, name: string, sql: string): Migration {
  return {
    version,
    name,
    statements: (dialect) => {
      if (dialect !== 'sqlite') throw new Error(`test migration ${name} is SQLite only`);
      return [sql];
    },
  };
}

export const itemsMigration: Migration = sqliteMigration(
  1,
  'items',
  'CREATE TABLE items (id INTEGER PRIMARY KEY, tx INTEGER NOT NULL, body TEXT NOT NULL); CREATE INDEX items_by_tx ON items(tx);',
);

type HarnessOpenOptions = Partial<Omit<EngineOptions, 'migrations'>> & { migrations?: Migration[] };

export interface Harness {
  dir: string;
  key: StoreKey;
  logs: CapturedLog;
  open(extra?: HarnessOpenOptions): Promise<StoreEngine>;
}

export function harness(migrations: Migration[] = [itemsMigration]): Harness {
  const dir = join(tempDir(), 'store');
  const key = generateStoreKey();
  const logs = captureLog();
  return {
    dir,
    key,
    logs,
    open: ({ migrations: chosen = migrations, ...extra }: HarnessOpenOptions = {}) =>
      StoreEngine.open({
        dir,
        key,
        migrations: migrationSource(chosen, 'sqlite'),
        log: logs.log,
        ...extra,
      }),
  };
}

/**
 * What the disk holds at this instant, as a crash would leave it (the lock of the live process
 * excluded): every acknowledged write must be in it.
 */
export function crashImage(dir: string): string {
  const copy = join(tempDir(), 'crashed');
  mkdirSync(copy, { recursive: true });
  for (const name of readdirSync(dir)) if (name !== 'LOCK') copyFileSync(join(dir, name), join(copy, name));
  return copy;
}

export function insertTx(tx: number, rows = 3, size = 50): { sql: string; params: (string | number)[] }[] {
  return Array.from({ length: rows }, (_, i) => ({
    sql: 'INSERT INTO items (tx, body) VALUES (?, ?)',
    params: [tx, `${tx}-${i}-`.padEnd(size, 'x')],
  }));
}

export function txCounts(engine: StoreEngine): Map<number, number> {
  return new Map(
    engine
      .all<{ tx: number; n: number }>('SELECT tx, count(*) AS n FROM items GROUP BY tx')
      .map((r) => [r.tx, r.n]),
  );
}
