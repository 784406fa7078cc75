import { describe, expect, it } from 'vitest';
import { openStore, StoreError, generateStoreKey, resolveWorkerEntry } from '../../../src/main/store';
import { prestartStoreInThisThread } from '../../../src/main/store/in-thread-store';
import type { Migration } from '../../../src/main/store/types';
import { captureLog, itemsMigration, sqliteMigration, tempDir } from './helpers';

/** `migration`, counting how many times its SQL is compiled. */
function counted(migration: Migration, compiled: Map<number, number>): Migration {
  return {
    ...migration,
    statements: (dialect) => {
      compiled.set(migration.version, (compiled.get(migration.version) ?? 0) + 1);
      return migration.statements(dialect);
    },
  };
}

describe('openStore (sql.js in a worker thread)', () => {
  it('starts the worker from the TypeScript sources under vitest', () => {
    const entry = resolveWorkerEntry(new URL('../../../src/main/store/open-store.ts', import.meta.url).href);
    expect(entry.url.pathname.endsWith('/store-worker.ts')).toBe(true);
    expect(entry.tsBootstrap).toContain('register()');
    const bundled = resolveWorkerEntry('file:///app/out/main/index.js');
    expect(bundled.url.href).toBe('file:///app/out/main/store-worker.js');
    expect(bundled.tsBootstrap).toBeNull();
  });

  it('reads, writes durably, compacts, reports stats and reopens', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const key = generateStoreKey();
    const { log, lines } = captureLog();
    const store = await openStore({ dir, key, migrations: [itemsMigration], log });
    expect(store.recovery.notices).toEqual([]);
    await Promise.all(
      Array.from({ length: 10 }, (_, tx) =>
        store.write([{ sql: 'INSERT INTO items (tx, body) VALUES (?, ?)', params: [tx, 'x'] }]),
      ),
    );
    const rows = await store.all<{ n: number }>('SELECT count(*) AS n FROM items WHERE tx >= ?', [5]);
    expect(rows).toEqual([{ n: 5 }]);
    await store.compact();
    const stats = await store.stats();
    expect(stats).toMatchObject({
      snapshotGeneration: 1,
      generation: 1,
      journalRecords: 0,
      schemaVersion: 1,
    });
    expect(stats.snapshotBytes).toBeGreaterThan(stats.databaseBytes);
    // Worker log lines arrive on the caller's logger.
    expect(lines.some((l) => l.msg === 'compaction finished')).toBe(true);
    await store.close();
    await expect(store.all('SELECT 1')).rejects.toBeInstanceOf(StoreError);

    const again = await openStore({ dir, key, migrations: [itemsMigration], log });
    expect(await again.all('SELECT count(*) AS n FROM items')).toEqual([{ n: 10 }]);
    await again.close();
  });

  it('turns worker-side failures into StoreErrors with their reason', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const { log } = captureLog();
    const store = await openStore({ dir, key: generateStoreKey(), migrations: [itemsMigration], log });
    const err = await store.write([{ sql: 'INSERT INTO nope VALUES (1)' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('SQL');
    expect((err as StoreError).detail).toMatch(/no such table/);
    await store.close();
    const wrong = await openStore({ dir, key: generateStoreKey(), migrations: [itemsMigration], log }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(StoreError);
    expect((wrong as StoreError).reason).toBe('WRONG_KEY');
    // No snapshot yet: the journal is the file whose key fingerprint differs.
    expect((wrong as StoreError).facts).toEqual({ subject: 'journal' });
  });

  for (const where of ['worker', 'this thread'] as const) {
    it(
      `compiles a migration's SQL only when the store needs it (store in ${where})`,
      { timeout: 60_000 },
      async () => {
        const dir = tempDir();
        const key = generateStoreKey();
        const { log } = captureLog();
        const compiled = new Map<number, number>();
        const seed = sqliteMigration(2, 'seed', "INSERT INTO items (tx, body) VALUES (0, 'seed')");
        const more = sqliteMigration(3, 'more', 'ALTER TABLE items ADD COLUMN extra TEXT');
        const open = (migrations: Migration[]) =>
          openStore({
            dir,
            key,
            log,
            migrations: migrations.map((m) => counted(m, compiled)),
            ...(where === 'this thread' ? { prestarted: prestartStoreInThisThread() } : {}),
          });
        const created = await open([itemsMigration, seed]);
        expect(Object.fromEntries(compiled)).toEqual({ 1: 1, 2: 1 });
        await created.close();
        // Schema current: nothing to compile (every open compiled every migration before).
        const reopened = await open([itemsMigration, seed]);
        expect(Object.fromEntries(compiled)).toEqual({ 1: 1, 2: 1 });
        await reopened.close();
        // One new migration: its SQL alone.
        const upgraded = await open([more, itemsMigration, seed]);
        expect(Object.fromEntries(compiled)).toEqual({ 1: 1, 2: 1, 3: 1 });
        expect((await upgraded.stats()).schemaVersion).toBe(3);
        expect(await upgraded.all('SELECT count(*) AS n FROM items')).toEqual([{ n: 1 }]);
        await upgraded.close();
      },
    );
  }

  it(
    'refuses to open when a due migration cannot be compiled, and changes nothing',
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      const key = generateStoreKey();
      const { log } = captureLog();
      await (await openStore({ dir, key, log, migrations: [itemsMigration] })).close();
      const broken: Migration = {
        version: 2,
        name: 'broken',
        statements: () => {
          throw new TypeError('migration 2 (broken): a step has parameters');
        },
      };
      const err = await openStore({ dir, key, log, migrations: [itemsMigration, broken] }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).reason).toBe('MIGRATION_FAILED');
      expect((err as StoreError).detail).toMatch(/a step has parameters/);
      const again = await openStore({ dir, key, log, migrations: [itemsMigration] });
      expect((await again.stats()).schemaVersion).toBe(1);
      await again.close();
    },
  );
});
