import { migrationSource } from '../../../src/main/store/migration-scripts';
import type { Migration, MigrationSource } from '../../../src/main/store/types';

/** Each transaction records how many item rows it wrote, so a partial one is detectable. */
export const crashMigrations: Migration[] = [
  {
    version: 1,
    name: 'crash-schema',
    // The crash test exercises the embedded (SQLite) store.
    statements: () => [
      'CREATE TABLE txs (id INTEGER PRIMARY KEY, rows INTEGER NOT NULL)',
      'CREATE TABLE items (tx INTEGER NOT NULL, n INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (tx, n))',
    ],
  },
];

/** The same, as the engine applies it (the crash child and the final check open the engine directly). */
export const crashMigrationSource: MigrationSource = migrationSource(crashMigrations, 'sqlite');
