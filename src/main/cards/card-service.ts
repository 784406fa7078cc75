import type { CardInfo, CpxCardInfo, PinState, ReaderView } from '../../shared/contract/cards';
import type { Logger } from '../log/logger';
import {
  CPX_PIN_REFERENCE,
  readCpxSituations,
  readPinState,
  selectCpxApplication,
  verifyCpxPin,
} from './apps/cpx';
import { CardError, isCardError } from './errors';
import { readCardInfo } from './read-card';
import { traceSession } from './trace';
import type { CardSession, CardTransport, TransportEvent } from './transport/card-transport';

export interface CardServiceOptions {
  transport: CardTransport;
  /** Refuses test and demo cards (the card stays visible, flagged by its status and an error). */
  production: boolean;
  log: Logger;
}

interface ReaderState {
  name: string;
  present: boolean;
  card: CardInfo | null;
  error: string | undefined;
  busy: boolean;
  /** Bumped on every insertion/removal: a read that finishes for an older card is discarded. */
  generation: number;
}

/** Name of the line the card bar shows while the PC/SC service is unreachable. */
export const SERVICE_VIEW_NAME = 'Service des cartes (PC/SC)';

const MESSAGES = {
  removedDuringRead: 'La carte a été retirée pendant sa lecture : réinsérez-la.',
  serviceLost: 'Le service des cartes à puce (PC/SC) ne répond plus ; nouvelle tentative en cours.',
  testCardRefused: 'Carte de test ou de démonstration : refusée sur un poste en production.',
  unexpected: 'Erreur inattendue lors de la lecture de la carte.',
};

const isCpx = (card: CardInfo | null): card is CpxCardInfo =>
  card !== null && (card.kind === 'cps' || card.kind === 'cpe' || card.kind === 'cpf');

/**
 * Watches the readers, reads each inserted card once (Vitale beneficiaries, CPS public identity and
 * tries counter) and publishes `ReaderView`s. Every failure ends up as a French `error` on the view
 * and a log line, never as an exception out of an event handler.
 */
export class CardService {
  private readonly transport: CardTransport;
  private readonly production: boolean;
  private readonly log: Logger;
  private readonly states = new Map<string, ReaderState>();
  private serviceLost = false;
  private readonly changeListeners = new Set<(readers: ReaderView[]) => void>();
  private readonly removedListeners = new Set<(reader: string, previous: CardInfo | null) => void>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private unsubscribe: (() => void) | null = null;

  constructor(options: CardServiceOptions) {
    this.transport = options.transport;
    this.production = options.production;
    this.log = options.log;
  }

  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = this.transport.onEvent((event) => this.onEvent(event));
    await this.transport.start();
    for (const reader of this.transport.readers()) {
      const state = this.ensureState(reader.name);
      // The transport may already have announced this card through an event during start().
      if (reader.atr && !state.present) this.cardInserted(reader.name);
    }
    this.publish();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.transport.stop();
    await Promise.allSettled([...this.queues.values()]);
  }

  readers(): ReaderView[] {
    const views = [...this.states.values()].map((state) => {
      const view: ReaderView = { name: state.name, card: state.card ? structuredClone(state.card) : null };
      if (state.error !== undefined) view.error = state.error;
      if (state.busy) view.busy = true;
      return view;
    });
    // With pcscd gone the transport has no readers left to carry the message: show it on its own line.
    if (this.serviceLost) views.push({ name: SERVICE_VIEW_NAME, card: null, error: MESSAGES.serviceLost });
    return views;
  }

  onChange(listener: (readers: ReaderView[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onCardRemoved(listener: (reader: string, previous: CardInfo | null) => void): () => void {
    this.removedListeners.add(listener);
    return () => this.removedListeners.delete(listener);
  }

  /**
   * Presents the PIN to the CPS/CPE in `reader` once (no automatic retry). On success reads the
   * PIN-protected practice situations into the reader's view. The session is closed with a reset so
   * the verified state never outlives this call. `pin` (ASCII digits) is zeroed before returning.
   */
  async verifyPin(reader: string, pin: Uint8Array): Promise<{ success: boolean; pin: PinState }> {
    try {
      const state = this.states.get(reader);
      if (!state || !state.present)
        throw new CardError('no-card', { detail: 'verifyPin: no card in reader' });
      if (!isCpx(state.card)) throw new CardError('not-cpx', { detail: 'verifyPin: card is not a CPx' });
      if (state.card.pin.blocked)
        throw new CardError('pin-blocked', { detail: 'verifyPin: counter already at 0' });
      return await this.enqueue(reader, () => this.verifyOnCard(state, pin));
    } finally {
      pin.fill(0);
    }
  }

  private async verifyOnCard(
    state: ReaderState,
    pin: Uint8Array,
  ): Promise<{ success: boolean; pin: PinState }> {
    const generation = state.generation;
    if (!state.present) throw new CardError('removed', { detail: 'verifyPin: card removed while queued' });
    const session = traceSession(await this.transport.connect(state.name), this.log);
    try {
      await selectCpxApplication(session);
      const current = await readPinState(session, CPX_PIN_REFERENCE);
      if (current.blocked) {
        this.updateCpx(state, generation, (card) => (card.pin = current));
        throw new CardError('pin-blocked', { detail: 'verifyPin: tries counter at 0' });
      }
      const result = await verifyCpxPin(session, pin, current);
      const situations = result.success ? await readCpxSituations(session) : null;
      this.updateCpx(state, generation, (card) => {
        card.pin = result.pin;
        if (situations) card.holder.situations = situations;
      });
      this.log.info('PIN verification', {
        reader: state.name,
        success: result.success,
        triesLeft: result.pin.triesLeft,
      });
      return result;
    } catch (error) {
      if (isCardError(error, 'pin-blocked')) {
        this.updateCpx(
          state,
          generation,
          (card) => (card.pin = { ...card.pin, triesLeft: 0, blocked: true }),
        );
      }
      this.log.warn('PIN verification failed', { reader: state.name, ...errorFields(error) });
      throw error;
    } finally {
      await this.closeQuietly(session, 'reset');
    }
  }

  private updateCpx(state: ReaderState, generation: number, change: (card: CpxCardInfo) => void): void {
    if (state.generation !== generation || !isCpx(state.card)) return;
    change(state.card);
    this.publish();
  }

  // Transport events ---------------------------------------------------------------------------

  private onEvent(event: TransportEvent): void {
    switch (event.type) {
      case 'reader-added':
        this.ensureState(event.reader);
        this.publish();
        return;
      case 'reader-removed': {
        const state = this.states.get(event.reader);
        if (!state) return;
        if (state.present) this.cardRemoved(event.reader);
        this.states.delete(event.reader);
        this.publish();
        return;
      }
      case 'card-inserted': {
        const state = this.ensureState(event.reader);
        // Some transports announce cards already seen through readers() at start.
        if (state.present) return;
        this.cardInserted(event.reader);
        this.publish();
        return;
      }
      case 'card-removed':
        this.cardRemoved(event.reader);
        this.publish();
        return;
      case 'service-lost':
        this.serviceLost = true;
        this.log.error('smart-card service lost', { detail: event.detail });
        for (const state of this.states.values()) {
          if (state.present) this.cardRemoved(state.name);
          state.error = MESSAGES.serviceLost;
        }
        this.publish();
        return;
      case 'service-restored':
        this.serviceLost = false;
        this.log.info('smart-card service restored');
        for (const state of this.states.values()) state.error = undefined;
        for (const reader of this.transport.readers()) {
          const state = this.ensureState(reader.name);
          if (reader.atr && !state.present) this.cardInserted(reader.name);
        }
        this.publish();
        return;
    }
  }

  private ensureState(name: string): ReaderState {
    let state = this.states.get(name);
    if (!state) {
      state = { name, present: false, card: null, error: undefined, busy: false, generation: 0 };
      this.states.set(name, state);
    }
    return state;
  }

  private cardInserted(reader: string): void {
    const state = this.ensureState(reader);
    state.generation++;
    state.present = true;
    state.card = null;
    state.error = undefined;
    state.busy = true;
    const generation = state.generation;
    void this.enqueue(reader, () => this.readCard(state, generation)).catch((error: unknown) => {
      this.log.error('card read task failed', { reader, ...errorFields(error) });
    });
  }

  private cardRemoved(reader: string): void {
    const state = this.states.get(reader);
    if (!state) return;
    const previous = state.card;
    const wasReading = state.busy;
    state.generation++;
    state.present = false;
    state.card = null;
    state.busy = false;
    state.error = wasReading ? MESSAGES.removedDuringRead : undefined;
    this.log.info('card removed', { reader, kind: previous?.kind ?? 'none', duringRead: wasReading });
    for (const listener of [...this.removedListeners]) {
      try {
        listener(reader, previous);
      } catch (error) {
        this.log.error('card-removed listener failed', { reader, ...errorFields(error) });
      }
    }
  }

  private async readCard(state: ReaderState, generation: number): Promise<void> {
    if (state.generation !== generation) return;
    let session: CardSession | null = null;
    try {
      session = traceSession(await this.transport.connect(state.name), this.log);
      const info = await readCardInfo(session);
      if (state.generation !== generation) return;
      state.card = info;
      state.busy = false;
      state.error =
        this.production && 'status' in info && info.status !== 'production'
          ? MESSAGES.testCardRefused
          : undefined;
      this.log.info('card read', { reader: state.name, ...describeCard(info) });
    } catch (error) {
      if (state.generation !== generation) return;
      state.card = null;
      state.busy = false;
      state.error = isCardError(error) ? readErrorMessage(error) : MESSAGES.unexpected;
      this.log.warn('card read failed', { reader: state.name, ...errorFields(error) });
    } finally {
      if (session) await this.closeQuietly(session, 'leave');
      if (state.generation === generation) this.publish();
    }
  }

  private async closeQuietly(session: CardSession, disposition: 'leave' | 'reset'): Promise<void> {
    try {
      await session.close(disposition);
    } catch (error) {
      this.log.debug('session close failed', { reader: session.reader, ...errorFields(error) });
    }
  }

  /** One card operation at a time per reader: reads and PIN checks never interleave their APDUs. */
  private enqueue<T>(reader: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(reader) ?? Promise.resolve();
    const run = previous.then(task, task);
    this.queues.set(
      reader,
      run.catch(() => undefined),
    );
    return run;
  }

  private publish(): void {
    const views = this.readers();
    for (const listener of [...this.changeListeners]) {
      try {
        listener(views);
      } catch (error) {
        this.log.error('cards change listener failed', errorFields(error));
      }
    }
  }
}

function readErrorMessage(error: CardError): string {
  switch (error.kind) {
    case 'removed':
      return MESSAGES.removedDuringRead;
    case 'malformed':
    case 'status':
    case 'protocol':
      return `Lecture de la carte impossible : ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`;
    default:
      return error.message;
  }
}

function errorFields(error: unknown): Record<string, string> {
  if (isCardError(error)) return { kind: error.kind, detail: error.detail ?? error.message };
  if (error instanceof Error) return { kind: 'unexpected', detail: `${error.name}: ${error.message}` };
  return { kind: 'unexpected', detail: String(error) };
}

function describeCard(info: CardInfo): Record<string, string | number> {
  switch (info.kind) {
    case 'vitale':
      return { kind: info.kind, status: info.status, beneficiaries: info.beneficiaries.length };
    case 'cps':
    case 'cpe':
    case 'cpf':
      return {
        kind: info.kind,
        status: info.status,
        idType: info.holder.nationalIdType,
        triesLeft: info.pin.triesLeft,
      };
    default:
      return { kind: info.kind, atr: info.atr };
  }
}
