import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { serveStore } from './store-service';
import { PrestartedStore, type StoreThread } from './store-thread';
import type { WorkerMessage } from './worker-protocol';

/**
 * The store served in this thread, behind the same messages as the store worker: `openStore`
 * cannot tell them apart, and the engine, the protocol and its structured-clone copies (the key
 * among them) stay exactly the same. For a CLI command: it has no other work for its thread while
 * the store answers, and a worker's start (a second Node environment booted, on two cores shared
 * with the command's own start-up) was the longest step of a cold one-file import
 * (docs/performance.md, CLI import, cold path). sql.js starts loading now, on `sqlWasm` when the
 * caller started compiling its WebAssembly already.
 */
export function startStoreInThisThread(sqlWasm?: Promise<WebAssembly.Module>): StoreThread {
  const { port1: client, port2: service } = new MessageChannel();
  serveStore(service, sqlWasm);
  const events = new EventEmitter();
  client.on('message', (message: WorkerMessage) => events.emit('message', message));
  // The service closes its end after `close` (or a failed open): what a worker's exit is to `openStore`.
  client.on('close', () => events.emit('exit', 0));
  const thread: StoreThread = {
    postMessage: (message) => client.postMessage(message),
    on(event: 'message' | 'error' | 'exit', listener: (...args: never[]) => void) {
      events.on(event, listener as (...args: unknown[]) => void);
      return thread;
    },
    ref() {
      client.ref();
      service.ref();
    },
    unref() {
      client.unref();
      service.unref();
    },
    terminate() {
      client.close();
      return Promise.resolve(0);
    },
  };
  return thread;
}

/** `startStoreInThisThread`, for a store opened a little later (`OpenStoreOptions.prestarted`). */
export function prestartStoreInThisThread(sqlWasm?: Promise<WebAssembly.Module>): PrestartedStore {
  return new PrestartedStore(startStoreInThisThread(sqlWasm));
}
