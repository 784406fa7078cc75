import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Logger } from '../../log/logger';
import { silentLogger } from '../../log/logger';
import { CardError } from '../errors';
import { toHex } from '../hex';
import type {
  CardSession,
  CardTransport,
  Disposition,
  Protocol,
  ReaderStatus,
  TransportEvent,
} from './card-transport';
import { describePcscFailure, endsSession, pcscCardError, toCardError } from './pcsc-errors';
import { probePcscd, type PcscdProbeResult } from './pcscd-probe';
import { NO_CARD, trackCardState, type TrackedCard } from './card-state-tracking';

export { probePcscd, type PcscdProbeResult } from './pcscd-probe';
export { NO_CARD, trackCardState, type TrackedCard, type CardChange } from './card-state-tracking';

/**
 * CardTransport over the real pcscd, through the node-pcsclite native addon (the only module that
 * loads it). We drive the addon's native classes directly rather than its JS wrapper because the
 * wrapper connects EXCLUSIVE by default, throws on unhandled 'error' events and never says when the
 * first reader listing is complete.
 *
 * Native facts this relies on (node_modules/pcsclite/src/*.cpp):
 * - `PCSCLite` establishes a context synchronously in its constructor (throws when pcscd is absent)
 *   and its monitoring thread calls back with the reader list on every PnP change, or once with an
 *   error before stopping for good.
 * - Each `CardReader` watches its reader in its own thread and context, calls back with
 *   `(err, state, atr)`, then emits `_end` on the JS object when that thread stops. Its status
 *   callback runs while the reader's mutex is held: calling `close()` from inside it deadlocks, so
 *   native closes are always deferred.
 * - A `CardReader` holds one card handle in a context established at first connect and never
 *   renewed: after pcscd restarts, only fresh native objects work. Recovery therefore rebuilds
 *   everything (context and readers) from scratch.
 * - Nothing has a timeout. A frozen pcscd blocks the constructor (so the JS thread) forever, and a
 *   stuck reader holds connect/transmit forever: hence the socket probe before each context, the
 *   watchdog on the first reader listing, and the per-call timeouts.
 */

const SHARE_SHARED = 0x0002;
const PROTOCOL_T0 = 0x0001;
const PROTOCOL_T1 = 0x0002;
const DISPOSITION_CODE: Record<Disposition, number> = { leave: 0, reset: 1, unpower: 2 };
/** Short APDU data (256) + SW1 SW2: pcsclite needs the SW bytes counted in the receive length. */
const RECEIVE_BUFFER = 258;
const MAX_SHORT_APDU = 5 + 255 + 1;

type StatusCallback = (error: Error | undefined, state?: number, atr?: Buffer) => void;

interface NativeCardReader {
  readonly name: string;
  /** Called by the native side with `_end` when the monitoring thread stops. */
  emit: (event: string) => boolean;
  get_status(callback: StatusCallback): void;
  _connect(
    shareMode: number,
    protocol: number,
    callback: (error: Error | null, protocol?: number) => void,
  ): void;
  _transmit(
    data: Buffer,
    receiveLength: number,
    protocol: number,
    callback: (error: Error | null, data?: Buffer) => void,
  ): void;
  _disconnect(disposition: number, callback: (error: Error | null) => void): void;
  close(): number;
}

interface NativePcscContext {
  start(callback: (error: Error | undefined, readerNames?: Buffer) => void): void;
  close(): number;
}

export interface NativePcscBinding {
  PCSCLite: new () => NativePcscContext;
  CardReader: new (name: string) => NativeCardReader;
}

function loadNativeBinding(): NativePcscBinding {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('pcsclite/package.json'));
  // `bindings` finds build/Release or build/Debug (and Electron's unpacked asar) for us.
  const bindings = createRequire(`${packageDir}/index.js`)('bindings') as (options: {
    bindings: string;
    module_root: string;
  }) => unknown;
  return bindings({ bindings: 'pcsclite', module_root: packageDir }) as NativePcscBinding;
}

/** `\0`-separated, `\0\0`-terminated multi-string from SCardListReaders. */
export function parseReaderNames(raw: Buffer): string[] {
  return raw
    .toString('utf8')
    .split('\u0000')
    .filter((name) => name.length > 0);
}

/** Runs tasks one after another; a failed task does not block the next. */
class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface OpenHandle {
  protocol: Protocol;
  sessions: Set<PcscliteSession>;
  /** The strongest disposition any session asked for; applied when the last one closes. */
  disposition: Disposition;
}

interface ReaderEntry {
  name: string;
  native: NativeCardReader;
  card: TrackedCard;
  /** One queue per reader: the libuv pool would otherwise run transmits in any order. */
  queue: TaskQueue;
  handle: OpenHandle | null;
  statusSeen: boolean;
}

export interface PcscliteTransportOptions {
  log?: Logger;
  /** Replaces the native addon (tests). */
  binding?: NativePcscBinding;
  /** Reconnection backoff after pcscd disappears. */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Recreate the context if its first reader listing does not arrive in time (the addon can hang). */
  listingTimeoutMs?: number;
  /** How long `start()` waits for the readers' first statuses so `readers()` is meaningful. */
  startupSettleMs?: number;
  /** Checked before every context creation; defaults to `probePcscd` on Linux (tests replace it). */
  probe?: () => Promise<PcscdProbeResult>;
  /**
   * The addon has no per-call timeout: a stuck pcscd or reader would hold the caller forever. After
   * this delay the call fails and the handle is dropped (the native call may still finish, ignored).
   */
  operationTimeoutMs?: number;
}

export class PcscliteTransport implements CardTransport {
  private readonly log: Logger;
  private binding: NativePcscBinding | null;
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private readonly readerEntries = new Map<string, ReaderEntry>();
  private context: NativePcscContext | null = null;
  /** Bumped whenever the context is torn down: callbacks from older generations are ignored. */
  private generation = 0;
  private started = false;
  private stopping = false;
  private serviceUp = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private listingTimer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;
  private settleWaiters: (() => void)[] = [];
  private listingSeen = false;

  constructor(private readonly options: PcscliteTransportOptions = {}) {
    this.log = options.log ?? silentLogger;
    this.binding = options.binding ?? null;
    this.retryDelayMs = options.initialRetryDelayMs ?? 100;
  }

  /** False while pcscd is unreachable (the transport keeps retrying in the background). */
  isServiceAvailable(): boolean {
    return this.serviceUp;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    if (!this.binding) {
      try {
        this.binding = loadNativeBinding();
      } catch (error) {
        this.started = false;
        throw new CardError('no-service', {
          message: 'Le module d’accès aux lecteurs de cartes (pcsclite) est introuvable ou incompatible.',
          detail: `pcsclite addon failed to load: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
      }
    }
    if (!(await this.establish())) {
      this.emit({ type: 'service-lost', detail: 'pcscd unreachable at start' });
      this.scheduleRetry();
      return;
    }
    await this.waitForSettle(this.options.startupSettleMs ?? 2_000);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.started = false;
    this.clearTimers();
    const entries = [...this.readerEntries.values()];
    // Leave the card as is: the next user of the reader decides what to do with it.
    await Promise.all(entries.map((entry) => this.releaseHandle(entry, 'leave', 1_000)));
    this.teardown();
    this.serviceUp = false;
    this.wakeSettleWaiters();
  }

  readers(): ReaderStatus[] {
    return [...this.readerEntries.values()].map((entry) => ({
      name: entry.name,
      atr: entry.card.present ? (entry.card.atr ?? new Uint8Array(0)) : null,
    }));
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async connect(reader: string): Promise<CardSession> {
    const entry = this.readerEntries.get(reader);
    if (!entry) {
      throw this.serviceUp
        ? pcscCardError('reader-unavailable', `unknown reader "${reader}"`)
        : pcscCardError('service-unavailable', 'pcscd is not reachable');
    }
    return entry.queue.run(async () => {
      if (this.readerEntries.get(reader) !== entry)
        throw pcscCardError('reader-unavailable', `reader "${reader}" went away`);
      if (!entry.card.present) throw pcscCardError('no-card', `no card in "${reader}"`);
      if (!entry.handle) {
        const code = await this.withTimeout(
          'SCardConnect',
          new Promise<number>((resolve, reject) => {
            // SHARED, never the addon's EXCLUSIVE default: CryptoLib and other apps must keep access.
            entry.native._connect(SHARE_SHARED, PROTOCOL_T0 | PROTOCOL_T1, (error, protocol) => {
              if (error) reject(toCardError(error));
              else resolve(protocol ?? PROTOCOL_T0);
            });
          }),
        ).catch((error: unknown) => this.onOperationFailure(toCardError(error)));
        entry.handle = {
          protocol: code === PROTOCOL_T1 ? 'T1' : 'T0',
          sessions: new Set(),
          disposition: 'leave',
        };
        this.log.debug('card connected', { reader, protocol: entry.handle.protocol });
      }
      const session = new PcscliteSession(
        this,
        entry,
        entry.handle.protocol,
        entry.card.atr ?? new Uint8Array(0),
      );
      entry.handle.sessions.add(session);
      return session;
    });
  }

  /** @internal Called by sessions. */
  transmitOn(entry: ReaderEntry, session: PcscliteSession, apdu: Uint8Array): Promise<Uint8Array> {
    return entry.queue.run(async () => {
      session.assertUsable();
      const handle = entry.handle;
      if (!handle) throw pcscCardError('invalid-handle', 'no open card handle');
      const protocol = handle.protocol === 'T1' ? PROTOCOL_T1 : PROTOCOL_T0;
      let response: Uint8Array;
      try {
        response = await this.withTimeout(
          'SCardTransmit',
          new Promise<Uint8Array>((resolve, reject) => {
            entry.native._transmit(Buffer.from(apdu), RECEIVE_BUFFER, protocol, (error, data) => {
              if (error) reject(error);
              else resolve(new Uint8Array(data ?? []));
            });
          }),
        );
      } catch (raw) {
        const error = toCardError(raw);
        const timedOut = describePcscFailure(raw).kind === 'timeout';
        // After a timeout the card's state is unknown (half-run command): only a new handle is safe.
        if (endsSession(error) || timedOut) this.invalidateHandle(entry, error);
        return this.onOperationFailure(error);
      }
      // Seen with vpcd when the card is pulled mid-command: "success" with no bytes at all.
      if (response.length < 2)
        throw pcscCardError('transmission-failed', `R-APDU of ${response.length} bytes (no status word)`);
      return response;
    });
  }

  /** @internal Called by sessions. */
  async closeSession(entry: ReaderEntry, session: PcscliteSession, disposition: Disposition): Promise<void> {
    const handle = entry.handle;
    if (!handle || !handle.sessions.has(session)) return;
    handle.sessions.delete(session);
    if (DISPOSITION_CODE[disposition] > DISPOSITION_CODE[handle.disposition])
      handle.disposition = disposition;
    if (handle.sessions.size > 0) return;
    await this.releaseHandle(entry, handle.disposition, 5_000);
  }

  private withTimeout<T>(operation: string, work: Promise<T>): Promise<T> {
    const timeoutMs = this.options.operationTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.log.warn('PC/SC call timed out', { operation, timeoutMs });
        // Same shape as a real SCARD_E_TIMEOUT so the mapping and the logs stay uniform.
        reject(new Error(`${operation} error: no answer within ${timeoutMs} ms.(0x8010000A)`));
      }, timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private onOperationFailure(error: CardError): never {
    if (error.kind === 'no-service') this.loseService(error.detail ?? error.message);
    throw error;
  }

  private async releaseHandle(
    entry: ReaderEntry,
    disposition: Disposition,
    timeoutMs: number,
  ): Promise<void> {
    const handle = entry.handle;
    if (!handle) return;
    entry.handle = null;
    for (const session of handle.sessions)
      session.invalidate(pcscCardError('invalid-handle', 'session closed'));
    const disconnect = entry.queue.run(
      () =>
        new Promise<void>((resolve) => {
          entry.native._disconnect(DISPOSITION_CODE[disposition], (error) => {
            // A card already gone or a dead service leaves nothing to release: not worth failing over.
            if (error)
              this.log.debug('SCardDisconnect failed', {
                reader: entry.name,
                error: describePcscFailure(error).message,
              });
            resolve();
          });
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.warn('SCardDisconnect did not return in time', { reader: entry.name, timeoutMs });
        resolve();
      }, timeoutMs);
    });
    await Promise.race([disconnect, timeout]);
    clearTimeout(timer);
  }

  private invalidateHandle(entry: ReaderEntry, reason: CardError): void {
    const handle = entry.handle;
    if (!handle) return;
    for (const session of handle.sessions) session.invalidate(reason);
    handle.sessions.clear();
    // Drop the native handle so the next connect opens a fresh one; errors here are expected.
    entry.handle = null;
    const native = entry.native;
    void entry.queue.run(() =>
      this.withTimeout(
        'SCardDisconnect',
        new Promise<void>((resolve) => native._disconnect(DISPOSITION_CODE.leave, () => resolve())),
      ).catch(() => undefined),
    );
  }

  /** Creates the context and starts monitoring; false when pcscd cannot be reached. */
  private async establish(): Promise<boolean> {
    const binding = this.binding;
    if (!binding) return false;
    const probe = this.options.probe ?? (process.platform === 'linux' ? probePcscd : null);
    if (probe) {
      const result = await probe();
      if (result !== 'alive') {
        this.log.debug('pcscd probe failed', { result });
        return false;
      }
      if (this.stopping || !this.started) return false;
    }
    let context: NativePcscContext;
    try {
      context = new binding.PCSCLite();
    } catch (error) {
      const failure = describePcscFailure(error);
      this.log.debug('SCardEstablishContext failed', { kind: failure.kind, error: failure.message });
      return false;
    }
    const generation = ++this.generation;
    this.context = context;
    this.serviceUp = true;
    this.listingSeen = false;
    this.retryDelayMs = this.options.initialRetryDelayMs ?? 100;
    this.listingTimer = setTimeout(() => {
      this.listingTimer = null;
      if (generation === this.generation && !this.listingSeen)
        this.loseService('no reader listing from pcscd in time');
    }, this.options.listingTimeoutMs ?? 5_000);
    context.start((error, raw) => {
      if (generation !== this.generation || this.stopping) return;
      if (error) {
        // The monitoring thread stops after any error: only a new context brings events back.
        this.loseService(describePcscFailure(error).message);
        return;
      }
      this.onReaderList(generation, raw ? parseReaderNames(raw) : []);
    });
    this.log.info('PC/SC context established');
    return true;
  }

  private onReaderList(generation: number, names: string[]): void {
    this.listingSeen = true;
    if (this.listingTimer) clearTimeout(this.listingTimer);
    this.listingTimer = null;
    const known = new Set(this.readerEntries.keys());
    for (const name of names) if (!known.has(name)) this.addReader(generation, name);
    for (const name of known) if (!names.includes(name)) this.removeReader(name, 'unplugged');
    this.checkSettled();
  }

  private addReader(generation: number, name: string): void {
    const binding = this.binding;
    if (!binding) return;
    const native = new binding.CardReader(name);
    const entry: ReaderEntry = {
      name,
      native,
      card: NO_CARD,
      queue: new TaskQueue(),
      handle: null,
      statusSeen: false,
    };
    let monitorFailed = false;
    native.emit = (event: string) => {
      if (event !== '_end' || generation !== this.generation || this.stopping) return true;
      // `_end` after a failure: the monitor is dead but the reader may still be there, so rebuild.
      if (monitorFailed) this.loseService(`status monitoring of "${name}" stopped`);
      else if (this.readerEntries.get(name) === entry) this.removeReader(name, 'monitor ended');
      return true;
    };
    this.readerEntries.set(name, entry);
    this.log.info('reader added', { reader: name });
    this.emit({ type: 'reader-added', reader: name });
    native.get_status((error, state, atr) => {
      if (generation !== this.generation || this.stopping || this.readerEntries.get(name) !== entry) return;
      if (error) {
        monitorFailed = true;
        this.log.warn('reader status error', { reader: name, error: describePcscFailure(error).message });
        return;
      }
      this.onStatus(entry, state ?? 0, atr ? new Uint8Array(atr) : null);
    });
  }

  private onStatus(entry: ReaderEntry, state: number, atr: Uint8Array | null): void {
    const { next, changes } = trackCardState(entry.card, state, atr);
    entry.card = next;
    entry.statusSeen = true;
    for (const change of changes) {
      if (change === 'removed') {
        this.invalidateHandle(entry, pcscCardError('card-removed', `card removed from "${entry.name}"`));
        this.log.info('card removed', { reader: entry.name });
        this.emit({ type: 'card-removed', reader: entry.name });
      } else {
        const cardAtr = next.atr ?? new Uint8Array(0);
        this.log.info('card inserted', { reader: entry.name, atr: toHex(cardAtr) });
        this.emit({ type: 'card-inserted', reader: entry.name, atr: cardAtr });
      }
    }
    this.checkSettled();
  }

  private removeReader(name: string, why: string): void {
    const entry = this.readerEntries.get(name);
    if (!entry) return;
    this.readerEntries.delete(name);
    this.invalidateHandle(entry, pcscCardError('reader-unavailable', `reader "${name}" ${why}`));
    if (entry.card.present) this.emit({ type: 'card-removed', reader: name });
    deferNativeClose(() => entry.native.close(), this.log);
    this.log.info('reader removed', { reader: name, why });
    this.emit({ type: 'reader-removed', reader: name });
  }

  /** pcscd went away (or monitoring broke): drop everything and rebuild with backoff. */
  private loseService(detail: string): void {
    if (!this.serviceUp || this.stopping) return;
    this.log.warn('PC/SC service lost', { detail });
    const readers = [...this.readerEntries.values()].map((entry) => ({
      name: entry.name,
      hadCard: entry.card.present,
    }));
    this.teardown();
    this.serviceUp = false;
    for (const { name, hadCard } of readers) {
      if (hadCard) this.emit({ type: 'card-removed', reader: name });
      this.emit({ type: 'reader-removed', reader: name });
    }
    this.emit({ type: 'service-lost', detail });
    this.wakeSettleWaiters();
    this.scheduleRetry();
  }

  private teardown(): void {
    this.generation++;
    if (this.listingTimer) clearTimeout(this.listingTimer);
    this.listingTimer = null;
    for (const entry of this.readerEntries.values()) {
      this.invalidateHandle(entry, pcscCardError('service-unavailable', 'PC/SC context torn down'));
      const native = entry.native;
      deferNativeClose(() => native.close(), this.log);
    }
    this.readerEntries.clear();
    const context = this.context;
    this.context = null;
    if (context) deferNativeClose(() => context.close(), this.log);
  }

  private scheduleRetry(): void {
    if (this.stopping || !this.started || this.retryTimer) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxRetryDelayMs ?? 2_000);
    this.retryTimer = setTimeout(() => {
      void this.establish().then((up) => {
        this.retryTimer = null;
        if (this.stopping || !this.started) return;
        if (up) {
          this.log.info('PC/SC service restored');
          this.emit({ type: 'service-restored' });
        } else {
          this.scheduleRetry();
        }
      });
    }, delay);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.listingTimer) clearTimeout(this.listingTimer);
    this.retryTimer = null;
    this.listingTimer = null;
  }

  private waitForSettle(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn('readers did not report their status in time', { timeoutMs });
        finish();
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.settleWaiters.push(finish);
      this.checkSettled();
    });
  }

  private checkSettled(): void {
    if (!this.listingSeen) return;
    for (const entry of this.readerEntries.values()) if (!entry.statusSeen) return;
    this.wakeSettleWaiters();
  }

  private wakeSettleWaiters(): void {
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const wake of waiters) wake();
  }

  private emit(event: TransportEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error('transport event listener threw', {
          event: event.type,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}

/** Native close() joins a thread and must not run inside that thread's own callback (see header). */
function deferNativeClose(close: () => number, log: Logger): void {
  setImmediate(() => {
    try {
      close();
    } catch (error) {
      log.debug('native close failed', { error: error instanceof Error ? error.message : String(error) });
    }
  });
}

class PcscliteSession implements CardSession {
  private invalidReason: CardError | null = null;

  constructor(
    private readonly transport: PcscliteTransport,
    private readonly entry: ReaderEntry,
    readonly protocol: Protocol,
    readonly atr: Uint8Array,
  ) {}

  get reader(): string {
    return this.entry.name;
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (!(apdu instanceof Uint8Array) || apdu.length < 4 || apdu.length > MAX_SHORT_APDU) {
      return Promise.reject(
        new CardError('malformed', {
          message: 'Commande carte invalide.',
          detail: `APDU of ${apdu?.length ?? 'no'} bytes refused`,
        }),
      );
    }
    if (this.invalidReason) return Promise.reject(this.invalidReason);
    return this.transport.transmitOn(this.entry, this, apdu);
  }

  close(disposition: Disposition): Promise<void> {
    if (this.invalidReason) return Promise.resolve();
    return this.transport.closeSession(this.entry, this, disposition);
  }

  /** @internal */
  assertUsable(): void {
    if (this.invalidReason) throw this.invalidReason;
  }

  /** @internal */
  invalidate(reason: CardError): void {
    this.invalidReason ??= reason;
  }
}
