import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataLayout } from '../../../src/main/app/paths';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';
import { buildCli, runCli } from './support';

/**
 * A cold `cli import` (no instance holds the folder) reads the store's snapshot on demand: the
 * blocks its queries touch, not the whole file (docs/performance.md, src/main/store/README.md).
 */
const root = mkdtempSync(join(tmpdir(), 'poste-dmp-cold-import-'));
const fixtures = sharedCdaFixturesDir();
const vac = join(fixtures, 'VAC_2023.01.xml');
const vsm = join(fixtures, 'VSM_1.4_2022.01.xml');
let population = '';

beforeAll(async () => {
  await buildCli();
  // A few MB of store, compacted into a snapshot of dozens of 64 KB blocks.
  population = join(root, 'population');
  const generated = await runCli(['generate', '--patients', '300', '--data', population]);
  expect(generated.code, generated.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let copies = 0;
function copyOfPopulation(): string {
  const dir = join(root, `copy-${++copies}`);
  cpSync(population, dir, { recursive: true });
  return dir;
}

interface StoreClosed {
  snapshotBlocksRead?: number;
  snapshotBlocks?: number;
}

interface StoreOpened {
  journalRecords?: number;
  replayedRecords?: number;
  overlaySegments?: number;
}

/** The last line with this message in the folder's log, parsed. */
function lastLogLine<T>(dataDir: string, msg: string): T {
  // pino-roll numbers its files (poste-dmp.1.log, …): read them all, oldest first.
  const logs = dirname(dataLayout(dataDir).logFile);
  const lines = readdirSync(logs)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => readFileSync(join(logs, name), 'utf8'))
    .join('\n')
    .split('\n')
    .filter((line) => line.includes(`"msg":"${msg}"`));
  return JSON.parse(lines.at(-1) ?? '{}') as T;
}

function lastStoreClosed(dataDir: string): StoreClosed {
  return lastLogLine<StoreClosed>(dataDir, 'store closed');
}

describe('cold cli import and the snapshot', () => {
  it('decrypts only the blocks the import touches', async () => {
    const dataDir = copyOfPopulation();
    const run = await runCli(['import', vac, '--create', '--data', dataDir]);
    expect(run.code, run.stderr).toBe(0);
    const closed = lastStoreClosed(dataDir);
    expect(closed.snapshotBlocks).toBeGreaterThan(30);
    expect(closed.snapshotBlocksRead).toBeLessThan((closed.snapshotBlocks ?? 0) / 2);
  });

  it('leaves what it changed in the snapshot overlay: the next cold import replays no journal record', async () => {
    const dataDir = copyOfPopulation();
    const first = await runCli(['import', vac, '--create', '--data', dataDir]);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['import', vsm, '--create', '--data', dataDir]);
    expect(second.code, second.stderr).toBe(0);
    const opened = lastLogLine<StoreOpened>(dataDir, 'store opened');
    // The journal holds the first import (and its audit entry), yet none of it is run again.
    expect(opened.journalRecords).toBeGreaterThan(0);
    expect(opened.replayedRecords).toBe(0);
    expect(opened.overlaySegments).toBe(1);
    // Read back through the overlay, the audit trail of both imports verifies.
    const verify = await runCli(['audit', 'verify', '--data', dataDir]);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('meets damaged blocks: recovers from the previous snapshot, says so in French, and imports', async () => {
    const dataDir = copyOfPopulation();
    const store = dataLayout(dataDir).storeDir;
    // The previous snapshot: here the same generation as the current one, whose journal is kept.
    copyFileSync(join(store, 'snapshot'), join(store, 'snapshot.prev'));
    const snapshot = readFileSync(join(store, 'snapshot'));
    // Every block but the first (read at open) altered: whatever the import reads, it meets one.
    const blockSize = snapshot.readUInt32BE(36);
    const blocks = Math.ceil(Number(snapshot.readBigUInt64BE(40)) / blockSize);
    for (let index = 1; index < blocks; index++) {
      const at = 48 + index * (blockSize + 28) + 40;
      snapshot[at] = (snapshot[at] ?? 0) ^ 1;
    }
    writeFileSync(join(store, 'snapshot'), snapshot);

    const run = await runCli(['import', vac, '--create', '--data', dataDir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
    expect(run.stderr).toMatch(/Récupération : .*copie précédente/);
    expect(readdirSync(store).some((name) => name.startsWith('snapshot.corrupt-'))).toBe(true);

    // The folder is whole again: the next import meets no damage, and both documents are there.
    const next = await runCli(['import', vsm, '--create', '--data', dataDir]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/Récupération/);
    const verify = await runCli(['audit', 'verify', '--data', dataDir]);
    expect(verify.code, verify.stderr).toBe(0);
  });
});
