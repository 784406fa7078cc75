import { Socket } from 'node:net';
import type { Logger } from '../../log/logger';
import { silentLogger } from '../../log/logger';
import type { VirtualCard } from './virtual-card';

/**
 * Plugs a VirtualCard into pcscd's vpcd driver over TCP. Framing (both directions): 2-byte
 * big-endian length then payload. A 1-byte payload from vpcd is a control message; anything else
 * is a C-APDU answered with the R-APDU. Connecting is inserting the card, closing is removing it.
 */

export const VPCD_CONTROL = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, getAtr: 0x04 } as const;
export const VPCD_DEFAULT_PORT = 35963;
const MAX_FRAME = 0xffff;

export function encodeVpcdFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_FRAME) throw new RangeError(`vpcd frame too long: ${payload.length} bytes`);
  const frame = Buffer.alloc(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  return frame;
}

/** Reassembles frames from TCP chunks, which may split or merge them arbitrarily. */
export class VpcdFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Uint8Array[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const frames: Uint8Array[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      frames.push(new Uint8Array(this.pending.subarray(2, 2 + length)));
      this.pending = this.pending.subarray(2 + length);
    }
    return frames;
  }

  get bufferedBytes(): number {
    return this.pending.length;
  }
}

const SW_NO_PRECISE_DIAGNOSIS = Uint8Array.of(0x6f, 0x00);

/** What the card says to one vpcd message; null when vpcd expects no reply. */
export function answerVpcdMessage(
  card: VirtualCard,
  message: Uint8Array,
  log: Logger = silentLogger,
): Uint8Array | null {
  if (message.length === 0) {
    log.warn('vpcd sent an empty frame; ignored');
    return null;
  }
  if (message.length === 1) {
    switch (message[0]) {
      case VPCD_CONTROL.powerOff:
        card.powerOff();
        return null;
      case VPCD_CONTROL.powerOn:
        card.powerOn();
        return null;
      case VPCD_CONTROL.reset:
        card.reset();
        return null;
      case VPCD_CONTROL.getAtr:
        return card.atr;
      default:
        log.warn('vpcd sent an unknown control byte; ignored', { control: message[0] });
        return null;
    }
  }
  try {
    return card.transmit(message);
  } catch (error) {
    // VirtualCard promises never to throw; if one does, answer like a confused card rather than hang pcscd.
    log.error('virtual card threw while answering an APDU', {
      error: error instanceof Error ? error.message : String(error),
    });
    return SW_NO_PRECISE_DIAGNOSIS;
  }
}

export interface VpcdClientOptions {
  host?: string;
  port?: number;
  card: VirtualCard;
  log?: Logger;
  /** Reconnection delays: doubles from `initialDelayMs` up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The returned promise rejects if no connection succeeds within this time. */
  connectTimeoutMs?: number;
}

export interface VpcdConnection {
  /** True while the TCP connection to vpcd is up (the card is "in the reader"). */
  readonly connected: boolean;
  /** How many times the connection was (re-)established. */
  readonly connectCount: number;
  /** Resolves at the next successful (re-)connection. */
  nextConnection(): Promise<void>;
  /** Pulls the card out: closes the socket and stops reconnecting. */
  close(): Promise<void>;
}

export function connectVirtualCardToVpcd(options: VpcdClientOptions): Promise<VpcdConnection> {
  const client = new VpcdClient(options);
  return client.start().then(() => client);
}

class VpcdClient implements VpcdConnection {
  private socket: Socket | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private waiters: (() => void)[] = [];
  connected = false;
  connectCount = 0;
  private readonly host: string;
  private readonly port: number;
  private readonly log: Logger;

  constructor(private readonly options: VpcdClientOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? VPCD_DEFAULT_PORT;
    this.log = (options.log ?? silentLogger).child('vpcd');
    this.delayMs = options.initialDelayMs ?? 50;
  }

  start(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.close();
        reject(new Error(`vpcd: no connection to ${this.host}:${this.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.dial();
    });
  }

  nextConnection(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private dial(): void {
    if (this.closed) return;
    const socket = new Socket();
    this.socket = socket;
    const decoder = new VpcdFrameDecoder();
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.connectCount += 1;
      this.delayMs = this.options.initialDelayMs ?? 50;
      this.log.debug('connected to vpcd', { port: this.port });
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const message of decoder.push(chunk)) {
        const reply = answerVpcdMessage(this.options.card, message, this.log);
        if (reply === null || socket.destroyed) continue;
        if (reply.length > MAX_FRAME) {
          // Cannot be framed: answer like a confused card instead of throwing out of a socket handler.
          this.log.error('virtual card reply too long for vpcd framing', { bytes: reply.length });
          socket.write(encodeVpcdFrame(SW_NO_PRECISE_DIAGNOSIS));
        } else {
          socket.write(encodeVpcdFrame(reply));
        }
      }
    });
    // 'close' always follows 'error'; the error itself only tells us pcscd is not listening yet.
    socket.on('error', (error) => this.log.debug('vpcd socket error', { error: error.message }));
    socket.on('close', () => {
      const wasConnected = this.connected;
      this.connected = false;
      if (this.socket === socket) this.socket = null;
      // Losing the reader means losing power, whatever pcscd managed to tell us.
      if (wasConnected) this.options.card.powerOff();
      if (this.closed) return;
      if (wasConnected) this.log.info('vpcd connection lost; reconnecting', { port: this.port });
      this.scheduleRedial();
    });
    socket.connect(this.port, this.host);
  }

  private scheduleRedial(): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.options.maxDelayMs ?? 1_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dial();
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
}
