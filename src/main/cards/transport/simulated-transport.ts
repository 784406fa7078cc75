import { atrProtocols } from '../atr';
import type { VirtualCard } from '../emulator/virtual-card';
import { CardError } from '../errors';
import type {
  CardSession,
  CardTransport,
  Disposition,
  Protocol,
  ReaderStatus,
  TransportEvent,
} from './card-transport';

export const SIMULATED_CPS_READER = 'Lecteur simulé CPS';
export const SIMULATED_VITALE_READER = 'Lecteur simulé Vitale';

interface Slot {
  name: string;
  card: VirtualCard | null;
  /** Bumped on every insertion and removal: sessions opened on an older card are dead. */
  insertion: number;
  /** Bumped when a session closes with reset/unpower: other open sessions see "reset" (PC/SC rule). */
  resets: number;
  queue: Promise<unknown>;
}

/**
 * In-process readers holding virtual cards, for the simulator panel and tests. Mirrors PC/SC
 * semantics the app relies on: events arrive asynchronously, transmits are queued per reader, a
 * removed card makes pending and later transmits fail with `removed`, a reset by another handle
 * makes them fail with `reset`.
 */
export class SimulatedTransport implements CardTransport {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private started = false;

  constructor(options: { readers?: string[] } = {}) {
    for (const name of options.readers ?? [SIMULATED_CPS_READER, SIMULATED_VITALE_READER]) this.addSlot(name);
  }

  async start(): Promise<void> {
    this.started = true;
    for (const slot of this.slots.values()) {
      this.emit({ type: 'reader-added', reader: slot.name });
      if (slot.card) this.emit({ type: 'card-inserted', reader: slot.name, atr: slot.card.atr.slice() });
    }
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  readers(): ReaderStatus[] {
    return [...this.slots.values()].map((slot) => ({
      name: slot.name,
      atr: slot.card ? slot.card.atr.slice() : null,
    }));
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async connect(reader: string): Promise<CardSession> {
    const slot = this.slot(reader);
    const card = slot.card;
    if (!card) throw new CardError('no-card', { detail: `connect: no card in ${reader}` });
    const protocol = atrProtocols(card.atr)[0] ?? 'T0';
    return new SimulatedSession(slot, card, protocol);
  }

  /** Puts a card in a reader (replacing any card already there) and powers it on. */
  insert(reader: string, card: VirtualCard): void {
    const slot = this.slot(reader);
    if (slot.card) this.remove(reader);
    card.powerOn();
    slot.card = card;
    slot.insertion++;
    this.emit({ type: 'card-inserted', reader, atr: card.atr.slice() });
  }

  remove(reader: string): void {
    const slot = this.slot(reader);
    if (!slot.card) return;
    slot.card.powerOff();
    slot.card = null;
    slot.insertion++;
    this.emit({ type: 'card-removed', reader });
  }

  addReader(name: string): void {
    if (this.slots.has(name)) return;
    this.addSlot(name);
    this.emit({ type: 'reader-added', reader: name });
  }

  removeReader(name: string): void {
    if (!this.slots.has(name)) return;
    this.remove(name);
    this.slots.delete(name);
    this.emit({ type: 'reader-removed', reader: name });
  }

  private addSlot(name: string): void {
    this.slots.set(name, { name, card: null, insertion: 0, resets: 0, queue: Promise.resolve() });
  }

  private slot(reader: string): Slot {
    const slot = this.slots.get(reader);
    if (!slot) throw new CardError('no-reader', { detail: `unknown simulated reader` });
    return slot;
  }

  private emit(event: TransportEvent): void {
    if (!this.started) return;
    setImmediate(() => {
      if (!this.started) return;
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch {
          // A failing listener must not stop the others from hearing about the card.
        }
      }
    });
  }
}

class SimulatedSession implements CardSession {
  readonly reader: string;
  readonly atr: Uint8Array;
  private readonly insertion: number;
  private readonly resets: number;
  private closed = false;

  constructor(
    private readonly slot: Slot,
    private readonly card: VirtualCard,
    readonly protocol: Protocol,
  ) {
    this.reader = slot.name;
    this.atr = card.atr.slice();
    this.insertion = slot.insertion;
    this.resets = slot.resets;
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const command = apdu.slice();
    const run = async (): Promise<Uint8Array> => {
      // Yield to the event loop like a real reader round trip, so a removal can happen in between.
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        this.checkAlive();
        return this.card.transmit(command).slice();
      } finally {
        command.fill(0);
      }
    };
    const result = this.slot.queue.then(run, run);
    this.slot.queue = result.catch(() => undefined);
    return result;
  }

  async close(disposition: Disposition): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.slot.card !== this.card || this.slot.insertion !== this.insertion) return;
    if (disposition === 'reset') {
      this.card.reset();
      this.slot.resets++;
    } else if (disposition === 'unpower') {
      this.card.powerOff();
      this.card.powerOn();
      this.slot.resets++;
    }
  }

  private checkAlive(): void {
    if (this.closed) throw new CardError('closed', { detail: 'transmit on a closed session' });
    if (this.slot.card !== this.card || this.slot.insertion !== this.insertion) {
      throw new CardError('removed', { detail: 'card removed during the session' });
    }
    if (this.slot.resets !== this.resets)
      throw new CardError('reset', { detail: 'card reset by another session' });
  }
}
