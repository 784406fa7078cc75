import type { TestProject } from 'vitest/node';
import { startPgCluster, type PgConnection } from './pg-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by this global setup (the `*-postgres` projects): where test stores open on PostgreSQL. */
    pgTestConnection?: PgConnection;
  }
}

/** One throwaway cluster for the whole run; each test store gets its own schema in it (test-store.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPgCluster();
  project.provide('pgTestConnection', await cluster.createDatabase('dmp_tests'));
  return () => cluster.stop();
}
