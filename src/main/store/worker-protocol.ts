import type { LogFields, LogLevel } from '../log/logger';
import type { CompactionPolicy, StoreRecovery, StoreStats } from './engine';
import type { SerializedStoreError, StoreNotice } from './errors';
import type { SnapshotReading } from './snapshot-file';
import type { MigrationScript, SqlParams, Statement } from './types';

/** What the main thread sends the worker to open the store (structured-clone safe). */
export interface WorkerOpenData {
  dir: string;
  key: Uint8Array;
  migrations: MigrationScript[];
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

export type WorkerRequest =
  | { id: number; op: 'all'; sql: string; params?: SqlParams }
  | { id: number; op: 'write'; statements: Statement[] }
  | { id: number; op: 'compact' }
  | { id: number; op: 'stats' }
  | { id: number; op: 'close' };

export type WorkerMessage =
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
