/**
 * Writes through openPgStore until killed: transaction n inserts two rows (n, 1) and (n, 2), and
 * "ack n" is printed only once write() has resolved. Argument: the pool settings as JSON.
 */
import { silentLogger } from '../../../src/main/log/logger';
import { openPgStore } from '../../../src/main/store/pg/pg-store';
import { killTestMigrations } from './kill-test-schema';

const connection = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const first = Number(process.argv[3] ?? '1');
const store = await openPgStore({ connection, log: silentLogger, migrations: killTestMigrations });
process.stdout.write('ready\n');
for (let n = first; ; n++) {
  await store.write([
    { sql: 'INSERT INTO acked (tx, part) VALUES ($1, 1)', params: [n] },
    { sql: 'INSERT INTO acked (tx, part) VALUES ($1, 2)', params: [n] },
  ]);
  process.stdout.write(`ack ${n}\n`);
}
