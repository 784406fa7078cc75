import type { LogFields, LogLevel } from '../log/logger';
import type { CompactionPolicy, StoreRecovery, StoreStats } from './engine';
import type { SerializedStoreError, StoreNotice } from './errors';
import type { SnapshotReading } from './snapshot-file';
import type { MigrationHeading, MigrationScript, SqlParams, Statement } from './types';

/** What the main thread sends the worker to open the store (structured-clone safe). */
export interface WorkerOpenData {
  dir: string;
  key: Uint8Array;
  /** Every migration the build knows; their SQL is asked for (`migrations-wanted`) only when due. */
  migrations: MigrationHeading[];
  snapshotEvery?: Partial<CompactionPolicy>;
  chunkSize?: number;
  snapshotBlockSize?: number;
  snapshotReading?: SnapshotReading;
  readOnly?: boolean;
}

/**
 * The first message a store worker receives: it loads sql.js as soon as it starts, then waits for
 * this (a worker may be started before the key is known: store-thread.ts).
 */
export interface WorkerOpenMessage {
  kind: 'open';
  data: WorkerOpenData;
}

/**
 * The answer to `migrations-wanted`, the one message the worker may need while it opens: the SQL
 * of the versions asked for, or why it could not be compiled.
 */
export type WorkerMigrationsMessage =
  { kind: 'migrations'; scripts: MigrationScript[] } | { kind: 'migrations'; error: string };

export type WorkerRequest =
  | { id: number; op: 'all'; sql: string; params?: SqlParams }
  | { id: number; op: 'write'; statements: Statement[] }
  | { id: number; op: 'compact' }
  | { id: number; op: 'stats' }
  | { id: number; op: 'close' };

export type WorkerMessage =
  | { kind: 'migrations-wanted'; versions: number[] }
  | { kind: 'opened'; recovery: StoreRecovery }
  | { kind: 'notice'; notice: StoreNotice }
  | { kind: 'open-failed'; error: SerializedStoreError }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: SerializedStoreError }
  | { kind: 'log'; level: LogLevel; msg: string; fields?: LogFields };

export type { StoreStats };

/** A request before the client numbers it (`Omit` distributed over the union). */
export type WorkerRequestBody = WorkerRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;
