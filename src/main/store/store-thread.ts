import type { WorkerMessage } from './worker-protocol';

/**
 * What `openStore` talks to: a store worker (`Worker`), or the store served in the calling thread
 * behind the same messages (in-thread-store.ts).
 */
export interface StoreThread {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: WorkerMessage) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * A store thread started before the store is opened: it loads sql.js (module and WebAssembly
 * compilation) while the caller is still loading its own modules, taking the data-folder lock and
 * reading the key. The CLI starts its store this way, served in its own thread
 * (`prestartStoreInThisThread`, docs/performance.md, CLI import, cold path).
 *
 * It holds no key and opens nothing until `openStore` adopts it and sends the open request. Until
 * then it does not keep the process alive (unref), and whatever happens to it is kept here for
 * `openStore` to report: an early `error` event of a worker must not be an uncaught exception.
 */
export class PrestartedStore {
  private adopted = false;
  private earlyError: Error | null = null;
  private exitCode: number | null = null;

  constructor(readonly worker: StoreThread) {
    worker.unref();
    worker.on('error', (err) => {
      this.earlyError ??= err;
    });
    worker.on('exit', (code) => {
      this.exitCode = code;
    });
  }

  /** Hands the worker to `openStore` once; what went wrong with it before then, if anything. */
  adopt(): { worker: StoreThread; failedBefore: string | null } {
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
