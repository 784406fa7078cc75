import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/log/logger';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import { freshSchema, requirePgTestConnection } from '../support/test-store';
import { killTestMigrations } from './support/kill-test-schema';

const child = fileURLToPath(new URL('./support/pg-writer-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts a writer, lets it acknowledge `acks` transactions, kills it with SIGKILL; returns the last
 * ack it printed. The writer keeps committing until the signal lands (several more on a loaded
 * machine): acks still in the pipe after the kill was decided are read too, since each is an
 * acknowledged write.
 */
async function killAfter(connection: object, first: number, acks: number): Promise<number> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', child, JSON.stringify(connection), String(first)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.once('exit', (_code, signal) => resolve(signal)),
  );
  let last = first - 1;
  for await (const line of createInterface({ input: proc.stdout })) {
    const m = /^ack (\d+)$/.exec(line);
    if (!m) continue;
    last = Number(m[1]);
    // Killed while it is already sending the next transaction.
    if (last - first + 1 >= acks && !proc.killed) proc.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  return last;
}

describe('an acknowledged write on PostgreSQL', () => {
  it('survives kill -9 of the process that made it, and no transaction survives in part', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const { idleTimeoutMillis: _idle, allowExitOnIdle: _exit, ...plain } = connection;
    let first = 1;
    for (const acks of [5, 23, 11]) {
      const lastAcked = await killAfter(plain, first, acks);
      const store = await openPgStore({ connection, log: silentLogger, migrations: killTestMigrations });
      const rows = await store.all<{ tx: number; parts: number }>(
        'SELECT tx, COUNT(*) AS parts FROM acked GROUP BY tx ORDER BY tx',
      );
      await store.close();
      const byTx = new Map(rows.map((r) => [r.tx, r.parts]));
      for (let tx = 1; tx <= lastAcked; tx++) expect(byTx.get(tx), `transaction ${tx}`).toBe(2);
      // At most the one in flight got further than its ack; whatever is there is whole.
      expect(rows.every((r) => r.parts === 2)).toBe(true);
      expect(Math.max(...rows.map((r) => r.tx))).toBeLessThanOrEqual(lastAcked + 1);
      first = Math.max(lastAcked, ...rows.map((r) => r.tx)) + 1;
    }
  });
});
