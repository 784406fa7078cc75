import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        // The DMP domain suite again, on PostgreSQL: a throwaway cluster for the run, a schema per
        // test store (tests/support/test-store.ts).
        test: {
          name: 'dmp-postgres',
          include: [
            'tests/unit/dmp/**/*.test.ts',
            'tests/unit/audit/**/*.test.ts',
            'tests/unit/identity/**/*.test.ts',
            'tests/unit/store/field-sealing.test.ts',
            'tests/unit/host/host-request-retry.test.ts',
            'tests/postgres/**/*.test.ts',
          ],
          environment: 'node',
          globalSetup: ['tests/support/pg-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Integration tests share one pcscd and the vpcd ports: run files one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
