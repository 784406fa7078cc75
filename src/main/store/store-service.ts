import type { LogFields, LogLevel, Logger } from '../log/logger';
import { preloadSql, StoreEngine } from './engine';
import { serializeError } from './errors';
import { rawStoreKey } from './key';
import type { MigrationScript, MigrationSource } from './types';
import type {
  WorkerMessage,
  WorkerMigrationsMessage,
  WorkerOpenData,
  WorkerOpenMessage,
  WorkerRequest,
} from './worker-protocol';

/** The end of a message channel the store is served on: a worker's `parentPort`, or a `MessagePort`. */
export interface StoreServicePort {
  postMessage(message: WorkerMessage): void;
  on(event: 'message', listener: (request: WorkerRequest) => void): unknown;
  once(event: 'message', listener: (message: WorkerOpenMessage | WorkerMigrationsMessage) => void): unknown;
  close(): void;
}

/**
 * Serves one store on `port` (worker-protocol.ts): loads sql.js at once, opens the store when the
 * open request arrives, then answers requests one at a time, in order, until `close`. Run in the
 * store worker (store-worker.ts), so that the main thread of the app never waits on a query, an fsync
 * or a compaction; or in the calling thread (in-thread-store.ts), for a CLI command, which has no
 * other work for that thread and should not pay for a worker's start. `sqlWasm`: sql.js's WebAssembly,
 * when the caller started compiling it already (engine.ts `preloadSql`).
 */
export function serveStore(port: StoreServicePort, sqlWasm?: Promise<WebAssembly.Module>): void {
  const post = (message: WorkerMessage): void => port.postMessage(message);

  function forwardingLogger(scope?: string): Logger {
    const send = (level: LogLevel) => (msg: string, fields?: LogFields) =>
      post({ kind: 'log', level, msg: scope ? `${scope}: ${msg}` : msg, fields });
    return {
      debug: send('debug'),
      info: send('info'),
      warn: send('warn'),
      error: send('error'),
      child: (s) => forwardingLogger(scope ? `${scope}.${s}` : s),
    };
  }

  /** The migrations' SQL comes from the opening thread, which compiles it only when asked. */
  function askedMigrations(data: WorkerOpenData): MigrationSource {
    return {
      headings: data.migrations,
      scripts: (versions) =>
        new Promise<MigrationScript[]>((resolve, reject) => {
          port.once('message', (message) => {
            if (message.kind !== 'migrations') reject(new Error(`unexpected ${message.kind} message`));
            else if ('error' in message) reject(new Error(message.error));
            else resolve(message.scripts);
          });
          post({ kind: 'migrations-wanted', versions: [...versions] });
        }),
    };
  }

  async function open(data: WorkerOpenData): Promise<void> {
    let engine: StoreEngine;
    try {
      engine = await StoreEngine.open({
        dir: data.dir,
        key: rawStoreKey(data.key),
        migrations: askedMigrations(data),
        log: forwardingLogger(),
        snapshotEvery: data.snapshotEvery,
        chunkSize: data.chunkSize,
        snapshotBlockSize: data.snapshotBlockSize,
        snapshotReading: data.snapshotReading,
        onNotice: (notice) => post({ kind: 'notice', notice }),
        readOnly: data.readOnly ?? false,
      });
    } catch (err) {
      post({ kind: 'open-failed', error: serializeError(err) });
      port.close();
      return;
    }
    data.key.fill(0);
    post({ kind: 'opened', recovery: engine.recovery });
    port.on('message', (request: WorkerRequest) => {
      handle(engine, request).then(
        (value) => {
          post({ kind: 'reply', id: request.id, ok: true, value });
          if (request.op === 'close') port.close();
        },
        (err: unknown) => post({ kind: 'reply', id: request.id, ok: false, error: serializeError(err) }),
      );
    });
  }

  // sql.js compiles while the open request is on its way: the service may have been started early,
  // before the data-folder lock was taken and the key read (store-thread.ts).
  preloadSql(sqlWasm);
  port.once('message', (message) => {
    if (message.kind === 'open') void open(message.data);
  });
}

async function handle(engine: StoreEngine, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'all':
      return engine.all(request.sql, request.params);
    case 'write':
      engine.write(request.statements);
      return null;
    case 'compact':
      await engine.compact();
      return null;
    case 'stats':
      return engine.stats();
    case 'close':
      await engine.close();
      return null;
  }
}
