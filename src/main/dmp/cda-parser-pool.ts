import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../shared/contract/api-error';
import { resolveWorkerEntry, startWorker, type WorkerEntry } from '../concurrency/worker-entry';
import type { Logger } from '../log/logger';
import { transferableBuffers, type CdaWorkerMessage } from './cda-parser-protocol';
import type { CdaParser, ParsedCda } from './parse-cda';

export interface CdaParserPoolOptions {
  /** Worker threads at most (started on demand, kept while the pool lives); default {@link defaultCdaParserWorkers}. */
  workers?: number;
  /** Documents waiting for a worker at most; one more is refused « serveur occupé ». Default 64. */
  maxQueued?: number;
  /** Their bytes at most (default 256 MB): a few 30 MB documents fill memory long before 64 IPS-FR do. */
  maxQueuedBytes?: number;
  /** One document's time budget in a worker (default 30 s); beyond it the worker is stopped and replaced. */
  timeoutMs?: number;
  /** Heap of one worker (old generation, default 512 MB; the 27 MB CDA of the import bench needs ~150). */
  maxHeapMb?: number;
  log: Logger;
  /** The worker's entry file (tests); default: `cda-parser-worker` beside this module or its bundle. */
  entry?: WorkerEntry;
}

/** How long a new worker may take to load the parser (a start under tsx on a loaded machine takes seconds). */
const workerStartBudgetMs = 60_000;

/** Cores minus one for the event loop, at most 4, at least 1. */
export function defaultCdaParserWorkers(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, 4));
}

export const cdaParserMessages = {
  busy: 'Serveur occupé : trop de documents sont en cours d’analyse. Réessayez dans un instant.',
  closing:
    'Le service s’arrête : le document n’a pas été analysé ni enregistré. Réessayez après son redémarrage.',
  timeout: (seconds: number) =>
    `Document CDA illisible : son analyse a dépassé le temps alloué (${seconds} s). Le document est refusé.`,
  memory: 'Document CDA illisible : son analyse demande plus de mémoire que permis. Le document est refusé.',
  crashed:
    'L’analyse du document CDA s’est interrompue (erreur interne de l’analyseur) : le document n’a pas été enregistré. Réessayez ; si l’erreur se répète, signalez-la à l’administrateur.',
  unavailable:
    'L’analyseur de documents CDA n’a pas pu démarrer : le document n’a pas été enregistré. L’incident a été journalisé.',
} as const;

interface Job {
  bytes: Uint8Array;
  size: number;
  resolve(parsed: ParsedCda): void;
  reject(err: ApiError): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Set once the pool has let go of this worker (crash, time budget, close): its later events are ignored. */
  gone: boolean;
}

/**
 * Parses CDAs in worker threads, so a 1.5 MB IPS-FR (~26 ms of CPU, far more on a loaded machine)
 * never holds the event loop every other request of the process waits on. One document per worker
 * at a time; documents wait in a bounded queue; a worker that crashes, runs out of its heap or
 * exceeds a document's time budget fails only that document (French refusal, precise log) and is
 * replaced on the next document. Idle workers do not keep the process alive.
 */
export class CdaParserPool implements CdaParser {
  private readonly size: number;
  private readonly maxQueued: number;
  private readonly maxQueuedBytes: number;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly log: Logger;
  private readonly entry: WorkerEntry;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private queuedBytes = 0;
  private nextId = 1;
  private closed = false;

  constructor(options: CdaParserPoolOptions) {
    this.size = Math.max(1, Math.floor(options.workers ?? defaultCdaParserWorkers()));
    this.maxQueued = options.maxQueued ?? 64;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 256 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxHeapMb = options.maxHeapMb ?? 512;
    this.log = options.log;
    this.entry = options.entry ?? resolveWorkerEntry('cda-parser-worker', import.meta.url);
  }

  /** Workers running (started, not yet stopped). */
  get workers(): number {
    return this.slots.length;
  }

  parse(bytes: Uint8Array): Promise<ParsedCda> {
    if (this.closed)
      return Promise.reject(new ApiError('UNAVAILABLE', cdaParserMessages.closing, 'cda parser pool closed'));
    const size = bytes.byteLength;
    // The queue is empty while a worker is free (pump drains it): only documents that wait count.
    // One document of any size may wait; the byte bound applies to what joins it.
    const full =
      this.queue.length >= this.maxQueued ||
      (this.queue.length > 0 && this.queuedBytes + size > this.maxQueuedBytes);
    if (full) {
      this.log.warn('cda parser pool full: document refused', {
        queued: this.queue.length,
        queuedBytes: this.queuedBytes,
        bytes: size,
      });
      return Promise.reject(
        new ApiError(
          'UNAVAILABLE',
          cdaParserMessages.busy,
          `cda parser pool full (${this.queue.length} waiting)`,
        ),
      );
    }
    return new Promise<ParsedCda>((resolve, reject) => {
      this.queue.push({ bytes, size, resolve, reject });
      this.queuedBytes += size;
      this.pump();
    });
  }

  /** Stops every worker; documents waiting or in progress are refused (« le service s’arrête »). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const refusal = (): ApiError =>
      new ApiError('UNAVAILABLE', cdaParserMessages.closing, 'cda parser pool closed');
    for (const job of this.queue.splice(0)) job.reject(refusal());
    this.queuedBytes = 0;
    const stopping = this.slots.splice(0).map((slot) => {
      slot.gone = true;
      if (slot.timer) clearTimeout(slot.timer);
      slot.job?.reject(refusal());
      return slot.worker.terminate();
    });
    await Promise.all(stopping);
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const idle = this.slots.find((s) => s.ready && !s.job && !s.gone);
      if (!idle) {
        const starting = this.slots.filter((s) => !s.ready).length;
        // One starting worker per waiting document at most, up to the pool's size.
        if (this.slots.length < this.size && starting < this.queue.length) {
          this.spawn();
          continue;
        }
        return;
      }
      const job = this.queue.shift() as Job;
      this.queuedBytes -= job.size;
      this.dispatch(idle, job);
    }
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => this.overBudget(slot), this.timeoutMs);
    const id = this.nextId++;
    // Moved to the worker, not copied, when the array owns its whole buffer (see parse's contract).
    slot.worker.postMessage({ id, bytes: job.bytes }, transferableBuffers(job.bytes));
  }

  private spawn(): void {
    const worker = startWorker(this.entry, {
      name: 'cda-parser',
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    const slot: Slot = { worker, ready: false, job: null, timer: null, gone: false };
    this.slots.push(slot);
    // A worker that has not loaded the parser in this time will not: its documents must not wait forever.
    slot.timer = setTimeout(() => {
      if (slot.ready || slot.gone) return;
      void worker.terminate();
      this.lost(slot, new Error(`not ready after ${workerStartBudgetMs} ms`));
    }, workerStartBudgetMs);
    worker.on('message', (message: CdaWorkerMessage) => {
      if (slot.gone) return;
      if (message.kind === 'ready') {
        slot.ready = true;
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
        worker.unref();
        this.log.info('cda parser worker started', { threadId: worker.threadId, workers: this.slots.length });
        this.pump();
        return;
      }
      const job = this.finish(slot);
      if (!job) return;
      worker.unref();
      if (message.kind === 'parsed') job.resolve({ document: message.document, bytes: message.bytes });
      else job.reject(new ApiError(message.error.code, message.error.message, message.error.logDetail));
      this.pump();
    });
    worker.on('error', (err: Error & { code?: string }) => this.lost(slot, err));
    worker.on('exit', (code) => this.lost(slot, null, code));
  }

  /** The slot's document, its timer cleared: it is answered by the caller. */
  private finish(slot: Slot): Job | null {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  }

  private remove(slot: Slot): void {
    slot.gone = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private overBudget(slot: Slot): void {
    if (slot.gone) return;
    const job = this.finish(slot);
    this.remove(slot);
    void slot.worker.terminate();
    const seconds = Math.round(this.timeoutMs / 1000);
    this.log.error('cda parse over its time budget: worker stopped, document refused', {
      budgetMs: this.timeoutMs,
      bytes: job?.size ?? 0,
      threadId: slot.worker.threadId,
    });
    job?.reject(
      new ApiError(
        'INVALID_INPUT',
        cdaParserMessages.timeout(seconds),
        `cda timeout: parse still running after ${this.timeoutMs} ms (${job.size} bytes), worker terminated`,
      ),
    );
    this.pump();
  }

  /** A worker crashed or exited on its own: only its document fails; the next document starts a new one. */
  private lost(slot: Slot, err: (Error & { code?: string }) | null, exitCode?: number): void {
    if (slot.gone) return;
    const job = this.finish(slot);
    this.remove(slot);
    const outOfMemory = err?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const fields = {
      error: err ? `${err.name}: ${err.message}` : `exited with code ${exitCode ?? 'unknown'}`,
      ...(err?.code ? { code: err.code } : {}),
      started: slot.ready,
      bytes: job?.size ?? 0,
      threadId: slot.worker.threadId,
    };
    if (!slot.ready) {
      // It never loaded the parser (missing entry file, broken bundle): another start would fail
      // alike, so the documents waiting are refused now instead of starting workers in a loop.
      this.log.error('cda parser worker failed to start', fields);
      for (const waiting of this.queue.splice(0))
        waiting.reject(
          new ApiError('INTERNAL', cdaParserMessages.unavailable, 'cda parser worker failed to start'),
        );
      this.queuedBytes = 0;
      return;
    }
    this.log.error(
      outOfMemory ? 'cda parser worker out of memory: document refused' : 'cda parser worker crashed',
      fields,
    );
    if (job) {
      job.reject(
        outOfMemory
          ? new ApiError(
              'INVALID_INPUT',
              cdaParserMessages.memory,
              `cda memory: worker heap limit ${this.maxHeapMb} MB exceeded (${job.size} bytes)`,
            )
          : new ApiError('INTERNAL', cdaParserMessages.crashed, `cda parser worker crashed: ${fields.error}`),
      );
    }
    this.pump();
  }
}
