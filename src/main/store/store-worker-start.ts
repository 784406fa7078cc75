import type { Worker } from 'node:worker_threads';
import { resolveWorkerEntry, startWorker, type WorkerEntry } from '../concurrency/worker-entry';

/**
 * A store worker started before the store is opened: it loads sql.js (module and WebAssembly
 * compilation, the larger part of a worker's start) while the caller is still loading its own
 * modules, taking the data-folder lock and reading the key. A one-shot CLI import uses it; on two
 * cores the two starts then overlap instead of following each other (docs/performance.md, CLI
 * import, cold path).
 *
 * The worker holds no key and opens nothing until `openStore` adopts it and sends the open request.
 * Until then it does not keep the process alive (unref), and whatever happens to it is kept here
 * for `openStore` to report: an early `error` event must not be an uncaught exception.
 */
export class PrestartedStoreWorker {
  private adopted = false;
  private earlyError: Error | null = null;
  private exitCode: number | null = null;

  constructor(readonly worker: Worker) {
    worker.unref();
    worker.on('error', (err) => {
      this.earlyError ??= err;
    });
    worker.on('exit', (code) => {
      this.exitCode = code;
    });
  }

  /** Hands the worker to `openStore` once; what went wrong with it before then, if anything. */
  adopt(): { worker: Worker; failedBefore: string | null } {
    if (this.adopted) throw new Error('prestarted store worker adopted twice');
    this.adopted = true;
    this.worker.ref();
    const failedBefore = this.earlyError
      ? this.earlyError.message
      : this.exitCode !== null
        ? `worker exited with code ${this.exitCode}`
        : null;
    return { worker: this.worker, failedBefore };
  }

  /** For a caller that will not open the store after all. */
  async dispose(): Promise<void> {
    if (this.adopted) return;
    this.adopted = true;
    await this.worker.terminate();
  }
}

/**
 * Where the store worker's entry lives, seen from `moduleUrl` (see `resolveWorkerEntry`); by default
 * from this module, wherever it was bundled.
 */
export function storeWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return resolveWorkerEntry('store-worker', moduleUrl);
}

/** Starts a store worker now, for a store opened a little later (`OpenStoreOptions.prestarted`). */
export function prestartStoreWorker(entry: WorkerEntry): PrestartedStoreWorker {
  return new PrestartedStoreWorker(startWorker(entry));
}
