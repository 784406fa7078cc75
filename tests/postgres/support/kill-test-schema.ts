import type { Migration } from '../../../src/main/store/types';

export const killTestMigrations: Migration[] = [
  {
    version: 1,
    name: 'acked',
    statements: () => [
      'CREATE TABLE acked (tx INTEGER NOT NULL, part INTEGER NOT NULL, PRIMARY KEY (tx, part))',
    ],
  },
];
