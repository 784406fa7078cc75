import {
  resolveWorkerEntry as resolveEntry,
  startWorker,
  workerEntryAt,
  type WorkerEntry,
} from '../concurrency/worker-entry';
import type { EngineOptions, StoreRecovery, StoreStats } from './engine';
import { deserializeError, StoreError } from './errors';
import { SerialQueue } from '../concurrency/serial-queue';
import { migrationSource } from './migration-scripts';
import type { ChainedWrite, Migration, Row, SqlParams, Statement, Store, StoreReader } from './types';
import type {
  WorkerMessage,
  WorkerMigrationsMessage,
  WorkerOpenData,
  WorkerOpenMessage,
  WorkerRequestBody,
} from './worker-protocol';
import type { PrestartedStore, StoreThread } from './store-thread';

/**
 * What the engine is opened with (`EngineOptions`: the folder, key, compaction, snapshot reading,
 * read-only inspection), the migrations as written (compiled here only when the store asks for
 * them: the schema is older than this build's), and where the engine runs.
 */
export interface OpenStoreOptions extends Omit<EngineOptions, 'migrations'> {
  migrations: Migration[];
  /** Overrides where the worker entry is found (unusual bundling). */
  workerUrl?: URL;
  /**
   * A store started earlier (`PrestartedStore`: the CLI's, served in its own thread by
   * `prestartStoreInThisThread`) to use instead of starting a worker now.
   */
  prestarted?: PrestartedStore;
}

export interface OpenedStore extends Store {
  /** Anything other than a clean open: show `notices` to the user. */
  readonly recovery: StoreRecovery;
  /** Snapshot now and start a new journal generation (also done in the background and on close). */
  compact(): Promise<void>;
  stats(): Promise<StoreStats>;
}

export type { WorkerEntry };

/** Where the store worker's entry lives: next to this source under tsx/vitest, next to the bundle otherwise. */
export function resolveWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return resolveEntry('store-worker', moduleUrl);
}

/**
 * Opens (or creates) the encrypted, journaled store. Resolves once the snapshot is loaded, the
 * journal replayed and the migrations applied; rejects with a `StoreError` (French message) when
 * the data cannot be opened as is — never with an empty database in place of existing data.
 */
export function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const { log } = options;
  const adopted = options.prestarted?.adopt();
  const worker: StoreThread =
    adopted?.worker ??
    startWorker(options.workerUrl ? workerEntryAt(options.workerUrl) : resolveWorkerEntry());
  // Compiled for SQLite only if the store asks (`migrations-wanted`): its schema is older than this build's.
  const migrations = migrationSource(options.migrations, 'sqlite');
  const openData: WorkerOpenData = {
    dir: options.dir,
    key: new Uint8Array(options.key.key),
    migrations: [...migrations.headings],
    snapshotEvery: options.snapshotEvery,
    chunkSize: options.chunkSize,
    snapshotBlockSize: options.snapshotBlockSize,
    snapshotReading: options.snapshotReading,
    readOnly: options.readOnly ?? false,
  };
  const open: WorkerOpenMessage = { kind: 'open', data: openData };
  worker.postMessage(open);
  // The worker got its own copy (structured clone): do not leave one more lying in this heap.
  openData.key.fill(0);

  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: StoreError | null = null;
  let closing: Promise<void> | null = null;

  return new Promise<OpenedStore>((resolveOpen, rejectOpen) => {
    let opened = false;
    let recovery: StoreRecovery | null = null;
    const answer = (message: WorkerMigrationsMessage): void => worker.postMessage(message);
    const failAll = (err: StoreError): void => {
      dead = err;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (!opened) rejectOpen(err);
    };

    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'migrations-wanted':
          // The SQL of the versions asked for, or why it cannot be compiled (the open then fails).
          migrations.scripts(message.versions).then(
            (scripts) => answer({ kind: 'migrations', scripts: [...scripts] }),
            (err: unknown) =>
              answer({ kind: 'migrations', error: err instanceof Error ? err.message : String(err) }),
          );
          return;
        case 'log':
          log[message.level](message.msg, message.fields);
          return;
        case 'open-failed': {
          const err = deserializeError(message.error);
          log.error('store open failed', { reason: err.reason, detail: err.detail });
          failAll(err);
          return;
        }
        case 'opened':
          opened = true;
          recovery = message.recovery;
          resolveOpen(makeStore(message.recovery));
          return;
        case 'notice':
          if (recovery) {
            recovery.notices.push(message.notice);
            if (message.notice.kind === 'previous-snapshot-used') recovery.usedPreviousSnapshot = true;
          }
          options.onNotice?.(message.notice);
          return;
        case 'reply': {
          const p = pending.get(message.id);
          if (!p) return;
          pending.delete(message.id);
          if (message.ok) p.resolve(message.value);
          else p.reject(deserializeError(message.error));
          return;
        }
      }
    });
    worker.on('error', (err) => {
      log.error('store worker crashed', { detail: err.message });
      failAll(new StoreError('WORKER_FAILED', err.message));
    });
    worker.on('exit', (code) => {
      if (pending.size > 0 || !opened || (!closing && !dead)) {
        failAll(dead ?? new StoreError('WORKER_FAILED', `worker exited with code ${code}`));
      }
    });
    // A prestarted worker that failed before it was adopted will send nothing more.
    if (adopted?.failedBefore) {
      log.error('store worker crashed', { detail: adopted.failedBefore });
      failAll(new StoreError('WORKER_FAILED', adopted.failedBefore));
    }

    const call = <T>(request: WorkerRequestBody): Promise<T> => {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ ...request, id });
      });
    };

    // Writes queue so that a transaction's reads and its write are never split by another write;
    // the data-folder lock keeps every other process out.
    const writes = new SerialQueue();
    const reader: StoreReader = {
      all: <T extends object = Row>(sql: string, params?: SqlParams) =>
        call<T[]>(params === undefined ? { op: 'all', sql } : { op: 'all', sql, params }),
    };
    const makeStore = (recovery: StoreRecovery): OpenedStore => ({
      recovery,
      dialect: 'sqlite',
      all: reader.all,
      write(statements: Statement[]): Promise<void> {
        return writes.run(() => call<void>({ op: 'write', statements }));
      },
      writeChained(write: ChainedWrite): Promise<void> {
        return writes.run(async () => {
          const chained = await write.chain(reader);
          await call<void>({ op: 'write', statements: [...write.statements, ...chained] });
        });
      },
      readSnapshot<T>(read: (tx: StoreReader) => Promise<T>): Promise<T> {
        // The worker answers in order and every write goes through `writes`: none lands between these reads.
        return writes.run(() => read(reader));
      },
      compact: () => call<void>({ op: 'compact' }),
      stats: () => call<StoreStats>({ op: 'stats' }),
      close(): Promise<void> {
        closing ??= (async () => {
          if (dead) {
            await worker.terminate();
            return;
          }
          try {
            await call<void>({ op: 'close' });
          } finally {
            dead = new StoreError('CLOSED', 'store used after close');
            await worker.terminate();
          }
        })();
        return closing;
      },
    });
  });
}
