import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWorker, workerEntryAt } from '../../../src/main/concurrency/worker-entry';
import { generateStoreKey, openStore, StoreError } from '../../../src/main/store';
import { prestartStoreInThisThread } from '../../../src/main/store/in-thread-store';
import { PrestartedStore } from '../../../src/main/store/store-thread';
import { captureLog, itemsMigration, tempDir } from './helpers';

/** Gives a started store time to load sql.js and do anything else it would do unasked. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('a store started before it is opened (the CLI’s, served in its own thread)', () => {
  it(
    'loads sql.js on its own, touches nothing until adopted, then opens, writes and reads like a worker',
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      const storeDir = join(dir, 'store');
      const prestarted = prestartStoreInThisThread();
      await pause(300);
      // No request yet, so no folder, lock or file: the service does not know where the store is.
      expect(existsSync(storeDir)).toBe(false);
      const key = generateStoreKey();
      const { log } = captureLog();
      const store = await openStore({ dir: storeDir, key, migrations: [itemsMigration], log, prestarted });
      await store.write([{ sql: 'INSERT INTO items (tx, body) VALUES (?, ?)', params: [1, 'x'] }]);
      expect(await store.all('SELECT tx, body FROM items')).toEqual([{ tx: 1, body: 'x' }]);
      await store.close();
      // The next open (a store worker) sees what the one served in this thread wrote.
      const again = await openStore({ dir: storeDir, key, migrations: [itemsMigration], log });
      expect(await again.all('SELECT count(*) AS n FROM items')).toEqual([{ n: 1 }]);
      await again.close();
    },
  );

  it(
    'a worker that failed before it was adopted makes the open fail with WORKER_FAILED, not an uncaught error',
    { timeout: 60_000 },
    async () => {
      const broken = new PrestartedStore(
        startWorker(workerEntryAt(new URL('file:///nonexistent/store-worker.js'))),
      );
      // Let the failure happen before adoption: it must be kept, not thrown.
      await new Promise<void>((resolve) => broken.worker.on('exit', () => resolve()));
      const { log, lines } = captureLog();
      const opened = openStore({
        dir: join(tempDir(), 'store'),
        key: generateStoreKey(),
        migrations: [itemsMigration],
        log,
        prestarted: broken,
      });
      const err = await opened.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).reason).toBe('WORKER_FAILED');
      expect(lines.some((l) => l.msg === 'store worker crashed')).toBe(true);
    },
  );

  it('is adopted once; one never adopted is stopped by dispose', { timeout: 60_000 }, async () => {
    const prestarted = prestartStoreInThisThread();
    const exited = new Promise<number>((resolve) => prestarted.worker.on('exit', resolve));
    await prestarted.dispose();
    await exited;
    expect(() => prestarted.adopt()).toThrow(/adopted twice/);
  });
});
