import { describe, expect, it } from 'vitest';
import { openStore, StoreError, generateStoreKey, resolveWorkerEntry } from '../../../src/main/store';
import { captureLog, itemsMigration, tempDir } from './helpers';

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
});
