/**
 * Child process of the crash test: opens the store, reports what it holds, then commits
 * transactions in a loop, printing each id once `write` has resolved (= acknowledged durable).
 * The parent SIGKILLs it at random points. Usage:
 *   node --import tsx crash-child.ts <dir> <engine|worker> <first-tx-id> <seed> <whole|on-demand>
 * with the key (hex) in POSTE_DMP_CRASH_KEY.
 */
import { createLogger } from '../../../src/main/log/logger';
import { StoreEngine } from '../../../src/main/store/engine';
import { rawStoreKey } from '../../../src/main/store/key';
import { openStore } from '../../../src/main/store/open-store';
import type { Statement, Store, StoreReader } from '../../../src/main/store/types';
import { crashMigrations, crashMigrationScripts } from './crash-schema';

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
    const { msg } = JSON.parse(line) as { msg: string };
    if (interesting.has(msg)) out(`log ${msg}`);
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
    migrations: crashMigrationScripts,
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

async function main(): Promise<void> {
  const store = await open();
  const txs = await store.all<{ id: number; rows: number; found: number }>(
    'SELECT t.id, t.rows, (SELECT count(*) FROM items i WHERE i.tx = t.id) AS found FROM txs t',
  );
  const orphans = await store.all<{ n: number }>(
    'SELECT count(*) AS n FROM items WHERE tx NOT IN (SELECT id FROM txs)',
  );
  out(
    `state ${JSON.stringify({ txs: txs.map((t) => [t.id, t.rows, t.found]), orphans: orphans[0]?.n ?? -1 })}`,
  );
  for (let id = Number.parseInt(firstArg as string, 10); ; id++) {
    await store.write(transaction(id));
    out(`ack ${id}`);
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
