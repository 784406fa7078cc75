/**
 * Runs seal-existing one row per transaction until done (or killed): prints "batch <table>" after
 * each committed batch. Arguments: the pool settings as JSON, the field key in hex.
 */
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { sealExistingValues } from '../../../src/main/store/pg/seal-existing';

const connection = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const fieldKey = Buffer.from(process.argv[3] ?? '', 'hex');
await sealExistingValues({
  connection,
  migrations: dmpMigrations,
  fieldKey,
  log: silentLogger,
  batchSize: 1,
  onBatch: ({ table }) => void process.stdout.write(`batch ${table}\n`),
});
process.stdout.write('done\n');
