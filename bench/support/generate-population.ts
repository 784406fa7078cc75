import { openStore } from '../../src/main/store';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { writePopulation } from '../../src/main/population/write-population';
import { loadOrCreateKeyFile } from '../../src/main/store/key';
import { dataLayout } from '../../src/main/app/paths';
import { createLogger } from '../../src/main/log/logger';

/**
 * Child-process entry of `prepareDataDir`: `generate-population.ts <dataDir> <patients> <seed> <referenceISO>`.
 * Errors go to stderr (the parent quotes them); nothing identifying is printed.
 */
async function main(argv: string[]): Promise<void> {
  const [dataDir, patientsText, seed, referenceText] = argv;
  const patients = Number(patientsText);
  const reference = new Date(referenceText ?? '');
  if (!dataDir || !seed || !Number.isInteger(patients) || patients < 1 || Number.isNaN(reference.getTime())) {
    throw new Error('usage: generate-population.ts <dataDir> <patients> <seed> <referenceISO>');
  }
  const log = createLogger({ level: 'warn' });
  const layout = dataLayout(dataDir);
  const { key } = loadOrCreateKeyFile(layout.keyFile, log);
  // One compaction at the end instead of one every 2000 transactions: the bench's set-up, not its subject.
  const store = await openStore({
    dir: layout.storeDir,
    key,
    migrations: dmpMigrations,
    log,
    snapshotEvery: { records: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER },
  });
  try {
    await writePopulation(store, { patients, seed, reference, batchSize: 30_000 });
    // Close compacts only past its thresholds, which "never" disables here: compact explicitly.
    await store.compact();
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
