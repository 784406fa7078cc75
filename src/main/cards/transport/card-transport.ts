/**
 * The only view of PC/SC the rest of the app has. Adapters: pcsclite (real pcscd), simulated
 * (in-process virtual cards) and test fakes. Nothing outside an adapter imports a native addon.
 */
export type Protocol = 'T0' | 'T1';
export type Disposition = 'leave' | 'reset' | 'unpower';

export interface CardSession {
  readonly reader: string;
  readonly protocol: Protocol;
  readonly atr: Uint8Array;
  /** Sends one APDU, returns the raw response including SW1 SW2. Calls are queued per reader. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  close(disposition: Disposition): Promise<void>;
}

export type TransportEvent =
  | { type: 'reader-added'; reader: string }
  | { type: 'reader-removed'; reader: string }
  | { type: 'card-inserted'; reader: string; atr: Uint8Array }
  | { type: 'card-removed'; reader: string }
  | { type: 'service-lost'; detail: string }
  | { type: 'service-restored' };

export interface ReaderStatus {
  name: string;
  atr: Uint8Array | null;
}

export interface CardTransport {
  start(): Promise<void>;
  stop(): Promise<void>;
  readers(): ReaderStatus[];
  onEvent(listener: (event: TransportEvent) => void): () => void;
  connect(reader: string): Promise<CardSession>;
}
