import type { Migration } from '../../../src/main/store/types';

/** Each transaction records how many item rows it wrote, so a partial one is detectable. */
export const crashMigrations: Migration[] = [
  {
    version: 1,
    name: 'crash-schema',
    sql: 'CREATE TABLE txs (id INTEGER PRIMARY KEY, rows INTEGER NOT NULL); CREATE TABLE items (tx INTEGER NOT NULL, n INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (tx, n));',
  },
];
