/**
 * Child process of the crash test: opens the store, reports what it holds, then commits
 * transactions in a loop, printing each id once `write` has resolved (= acknowledged durable).
 * On demand, it also closes and reopens the store now and then: each close appends the blocks it
 * changed to the snapshot's overlay (snapshot-overlay.ts), which the reopen then starts from, and
 * it checks that every transaction of this run is still there, whole. The parent SIGKILLs it at
 * random points, closes (overlay appends) included. Usage:
 *   node --import tsx crash-child.ts <dir> <engine|worker> <first-tx-id> <seed> <whole|on-demand>
 * with the key (hex) in POSTE_DMP_CRASH_KEY.
 */
import { createLogger } from '../../../src/main/log/logger';
import { StoreEngine } from '../../../src/main/store/engine';
import { rawStoreKey } from '../../../src/main/store/key';
import { openStore } from '../../../src/main/store/open-store';
import type { Statement, Store, StoreReader } from '../../../src/main/store/types';
import { crashMigrations, crashMigrationSource } from './crash-schema';

const [dir, mode, firstArg, seedArg, readingArg] = process.argv.slice(2);
if (
  !dir ||
  (mode !== 'engine' && mode !== 'worker') ||
  !firstArg ||
  !seedArg ||
  (readingArg !== 'whole' && readingArg !== 'on-demand')
)
  throw new Error('usage: crash-child <dir> <engine|worker> <first-tx> <seed> <whole|on-demand>');
const snapshotReading = readingArg;
const key = rawStoreKey(Buffer.from(process.env.POSTE_DMP_CRASH_KEY ?? '', 'hex'));

// Deterministic per run, so a failure can be replayed from its seed.
let state = Number.parseInt(seedArg, 10) >>> 0 || 1;
const random = (): number => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x100000000;
};

// The parent stops reading once it has decided to kill us: that is not an error worth a trace.
process.stdout.on('error', () => process.exit(0));
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const interesting = new Set([
  'compaction started',
  'compaction finished',
  'journal tail dropped',
  'current snapshot unusable, recovered from previous snapshot',
]);
const log = createLogger({
  level: 'info',
  sink: (line) => {
    const { msg, overlaySegments } = JSON.parse(line) as { msg: string; overlaySegments?: number };
    if (interesting.has(msg)) out(`log ${msg}`);
    if (msg === 'store opened' && (overlaySegments ?? 0) > 0) out('log overlay used');
  },
});

const policy = { records: 12, bytes: 512 * 1024 };
const chunkSize = 64 * 1024;
// Small blocks: the snapshots hold dozens of them, so an on-demand open leaves most unread.
const snapshotBlockSize = 4096;

async function open(): Promise<Store> {
  if (mode === 'worker')
    return openStore({
      dir: dir as string,
      key,
      migrations: crashMigrations,
      log,
      snapshotEvery: policy,
      chunkSize,
      snapshotBlockSize,
      snapshotReading,
    });
  const engine = await StoreEngine.open({
    dir: dir as string,
    key,
    migrations: crashMigrationSource,
    log,
    snapshotEvery: policy,
    chunkSize,
    snapshotBlockSize,
    snapshotReading,
  });
  // The engine is single-threaded and synchronous: a transaction's reads and write cannot be split.
  const reader: StoreReader = { all: async (sql, params) => engine.all(sql, params) };
  return {
    dialect: 'sqlite',
    all: async (sql, params) => engine.all(sql, params),
    write: async (statements) => engine.write(statements),
    writeChained: async (write) => engine.write([...write.statements, ...(await write.chain(reader))]),
    readSnapshot: (read) => read(reader),
    close: () => engine.close(),
  };
}

function transaction(id: number): Statement[] {
  const rows = 2 + Math.floor(random() * 4);
  const statements: Statement[] = [{ sql: 'INSERT INTO txs (id, rows) VALUES (?, ?)', params: [id, rows] }];
  for (let n = 0; n < rows; n++) {
    // Mostly small rows, sometimes a document-sized one, so records straddle pages and take time to write.
    const size = random() < 0.03 ? 24 * 1024 : 50 + Math.floor(random() * 1500);
    statements.push({
      sql: 'INSERT INTO items (tx, n, body) VALUES (?, ?, ?)',
      params: [id, n, new Uint8Array(size).fill(id % 251)],
    });
  }
  return statements;
}

/** Every transaction acknowledged in this run, with its rows, as the store now holds it. */
async function checkAcked(store: Store, acked: Map<number, number>): Promise<string | null> {
  const found = new Map(
    (
      await store.all<{ id: number; found: number }>(
        'SELECT t.id, (SELECT count(*) FROM items i WHERE i.tx = t.id) AS found FROM txs t',
      )
    ).map((r) => [r.id, r.found]),
  );
  for (const [id, rows] of acked)
    if (found.get(id) !== rows) return `tx ${id}: ${found.get(id) ?? 0} of ${rows} rows`;
  return null;
}

async function main(): Promise<void> {
  let store = await open();
  const txs = await store.all<{ id: number; rows: number; found: number }>(
    'SELECT t.id, t.rows, (SELECT count(*) FROM items i WHERE i.tx = t.id) AS found FROM txs t',
  );
  const orphans = await store.all<{ n: number }>(
    'SELECT count(*) AS n FROM items WHERE tx NOT IN (SELECT id FROM txs)',
  );
  out(
    `state ${JSON.stringify({ txs: txs.map((t) => [t.id, t.rows, t.found]), orphans: orphans[0]?.n ?? -1 })}`,
  );
  const acked = new Map<number, number>();
  for (let id = Number.parseInt(firstArg as string, 10); ; id++) {
    const tx = transaction(id);
    await store.write(tx);
    out(`ack ${id}`);
    acked.set(id, tx.length - 1);
    if (snapshotReading === 'on-demand' && random() < 0.1) {
      await store.close();
      store = await open();
      const problem = await checkAcked(store, acked);
      if (problem) throw new Error(`after reopening: ${problem}`);
      out('reopened');
    }
    // Lets background compaction run, as the worker's message loop does between requests.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

main().catch((err: unknown) => {
  out(
    `error ${err instanceof Error ? `${err.name}: ${err.message} ${(err as { detail?: string }).detail ?? ''}` : String(err)}`,
  );
  process.exit(2);
});
