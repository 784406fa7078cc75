import { afterEach, describe, expect, it } from 'vitest';
import type { TransportEvent } from '../../../../src/main/cards/transport/card-transport';
import {
  PcscliteTransport,
  type NativePcscBinding,
  type PcscdProbeResult,
} from '../../../../src/main/cards/transport/pcsclite-transport';

/**
 * PcscliteTransport's state machine against a scripted stand-in for the native addon: the parts the
 * real pcscd cannot be made to do on demand (a context that never lists readers, a monitor thread
 * that dies alone, a service that refuses the first contexts).
 */

type StatusCallback = (error: Error | undefined, state?: number, atr?: Buffer) => void;
const PRESENT = 0x20;
const EMPTY = 0x10;
const ATR = Buffer.from('3B751300004709EA9000', 'hex');

class FakeReader {
  emit: (event: string) => boolean = () => false;
  status: StatusCallback | null = null;
  closed = 0;
  connects: { share: number; protocol: number }[] = [];
  transmits: { data: string; receiveLength: number; protocol: number }[] = [];
  reply: (data: Buffer) => Buffer | Error | 'never' = () => Buffer.from('9000', 'hex');
  disconnects: number[] = [];
  constructor(readonly name: string) {}
  get_status(callback: StatusCallback): void {
    this.status = callback;
  }
  _connect(
    share: number,
    protocol: number,
    callback: (error: Error | null, protocol?: number) => void,
  ): void {
    this.connects.push({ share, protocol });
    setImmediate(() => callback(null, 1));
  }
  _transmit(
    data: Buffer,
    receiveLength: number,
    protocol: number,
    callback: (error: Error | null, data?: Buffer) => void,
  ): void {
    this.transmits.push({ data: data.toString('hex'), receiveLength, protocol });
    const reply = this.reply(data);
    if (reply === 'never') return;
    // Answer later for earlier APDUs: without the per-reader queue, replies would cross.
    setTimeout(
      () => (reply instanceof Error ? callback(reply) : callback(null, reply)),
      data[1] === 0x01 ? 5 : 0,
    );
  }
  _disconnect(disposition: number, callback: (error: Error | null) => void): void {
    this.disconnects.push(disposition);
    setImmediate(() => callback(null));
  }
  close(): number {
    this.closed++;
    return 0;
  }
}

class FakePcsc {
  refuse = 0;
  contexts: { list: ((error: Error | undefined, names?: Buffer) => void) | null; closed: number }[] = [];
  readers: FakeReader[] = [];

  binding(): NativePcscBinding {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    return {
      PCSCLite: class {
        private readonly record = {
          list: null as ((error: Error | undefined, names?: Buffer) => void) | null,
          closed: 0,
        };
        constructor() {
          if (fake.refuse > 0) {
            fake.refuse--;
            throw new Error('SCardEstablishContext error: Service not available.(0x8010001D)');
          }
          fake.contexts.push(this.record);
        }
        start(callback: (error: Error | undefined, names?: Buffer) => void): void {
          this.record.list = callback;
        }
        close(): number {
          this.record.closed++;
          return 0;
        }
      },
      CardReader: class extends FakeReader {
        constructor(name: string) {
          super(name);
          fake.readers.push(this);
        }
      },
    } as unknown as NativePcscBinding;
  }

  get current(): { list: ((error: Error | undefined, names?: Buffer) => void) | null; closed: number } {
    const context = this.contexts.at(-1);
    if (!context) throw new Error('no context yet');
    return context;
  }

  list(...names: string[]): void {
    this.current.list?.(undefined, Buffer.from(names.map((n) => `${n}\0`).join('') + '\0'));
  }

  reader(name: string): FakeReader {
    const reader = this.readers.filter((r) => r.name === name).at(-1);
    if (!reader) throw new Error(`no reader ${name}`);
    return reader;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

let transport: PcscliteTransport | null = null;
afterEach(async () => {
  await transport?.stop();
  transport = null;
});

function setup(
  options: {
    refuse?: number;
    listingTimeoutMs?: number;
    probe?: () => Promise<PcscdProbeResult>;
    operationTimeoutMs?: number;
  } = {},
): {
  fake: FakePcsc;
  events: TransportEvent[];
  transport: PcscliteTransport;
} {
  const fake = new FakePcsc();
  fake.refuse = options.refuse ?? 0;
  transport = new PcscliteTransport({
    binding: fake.binding(),
    probe: options.probe ?? (() => Promise.resolve('alive')),
    operationTimeoutMs: options.operationTimeoutMs ?? 1_000,
    initialRetryDelayMs: 1,
    maxRetryDelayMs: 4,
    listingTimeoutMs: options.listingTimeoutMs ?? 1_000,
    startupSettleMs: 50,
  });
  const events: TransportEvent[] = [];
  transport.onEvent((event) => events.push(event));
  return { fake, events, transport };
}

describe('PcscliteTransport with a scripted addon', () => {
  it('connects SHARED with T0|T1, sends with a 258-byte receive buffer and keeps APDUs in order', async () => {
    const { fake, transport } = setup();
    const started = transport.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0');
    fake.reader('R0').status?.(undefined, (1 << 16) | PRESENT, ATR);
    await started;
    const reader = fake.reader('R0');
    reader.reply = (data) => Buffer.from([data[1] ?? 0, 0x90, 0x00]);
    const session = await transport.connect('R0');
    expect(reader.connects).toEqual([{ share: 2, protocol: 3 }]);
    const replies = await Promise.all([1, 2, 3].map((ins) => session.transmit(Uint8Array.of(0, ins, 0, 0))));
    expect(replies.map((r) => r[0])).toEqual([1, 2, 3]);
    expect(reader.transmits.map((t) => t.receiveLength)).toEqual([258, 258, 258]);
    await session.close('reset');
    expect(reader.disconnects).toEqual([1]);
  });

  it('emits one insertion per real change and invalidates sessions on removal', async () => {
    const { fake, events, transport } = setup();
    const started = transport.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0');
    const reader = fake.reader('R0');
    reader.status?.(undefined, EMPTY, Buffer.alloc(0));
    await started;
    reader.status?.(undefined, (1 << 16) | PRESENT, ATR);
    reader.status?.(undefined, (1 << 16) | PRESENT | 0x100, ATR);
    const session = await transport.connect('R0');
    reader.status?.(undefined, (2 << 16) | EMPTY, Buffer.alloc(0));
    await expect(session.transmit(Uint8Array.of(0, 0xa4, 0, 0))).rejects.toMatchObject({ kind: 'removed' });
    expect(events.filter((e) => e.type.startsWith('card-')).map((e) => e.type)).toEqual([
      'card-inserted',
      'card-removed',
    ]);
  });

  it('retries while pcscd is absent at start, then reports the service restored', async () => {
    const { fake, events, transport } = setup({ refuse: 3 });
    await transport.start();
    expect(transport.isServiceAvailable()).toBe(false);
    expect(events[0]).toMatchObject({ type: 'service-lost' });
    await until(() => events.some((e) => e.type === 'service-restored'));
    fake.list('R0');
    expect(events.map((e) => e.type)).toEqual(['service-lost', 'service-restored', 'reader-added']);
    expect(transport.isServiceAvailable()).toBe(true);
  });

  it('never creates a native context while pcscd does not answer its socket (the addon would block the JS thread)', async () => {
    const answers: PcscdProbeResult[] = ['unresponsive', 'absent', 'unresponsive'];
    const { fake, events, transport } = setup({ probe: () => Promise.resolve(answers.shift() ?? 'alive') });
    await transport.start();
    expect(fake.contexts).toHaveLength(0);
    expect(transport.isServiceAvailable()).toBe(false);
    await until(() => fake.contexts.length === 1);
    expect(answers).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['service-lost', 'service-restored']);
  });

  it('rebuilds the context and readers when the monitor reports the service gone', async () => {
    const { fake, events, transport } = setup();
    const started = transport.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0');
    fake.reader('R0').status?.(undefined, (1 << 16) | PRESENT, ATR);
    await started;
    const oldReader = fake.reader('R0');
    fake.current.list?.(new Error('SCardGetStatusChange error: RPC transport error.(0x80100013)'));
    expect(events.slice(-3).map((e) => e.type)).toEqual(['card-removed', 'reader-removed', 'service-lost']);
    await settle();
    expect(oldReader.closed).toBe(1);
    expect(fake.contexts[0]?.closed).toBe(1);
    await until(() => fake.contexts.length === 2);
    fake.list('R0');
    fake.reader('R0').status?.(undefined, (1 << 16) | PRESENT, ATR);
    expect(fake.reader('R0')).not.toBe(oldReader);
    expect(events.slice(-3).map((e) => e.type)).toEqual([
      'service-restored',
      'reader-added',
      'card-inserted',
    ]);
    // Late callbacks from the dead generation are ignored.
    oldReader.status?.(undefined, (5 << 16) | EMPTY, Buffer.alloc(0));
    expect(events.at(-1)?.type).toBe('card-inserted');
  });

  it('recreates a context whose first reader listing never comes (the addon can hang)', async () => {
    const { fake, events, transport } = setup({ listingTimeoutMs: 20 });
    await transport.start();
    await until(() => fake.contexts.length >= 2);
    expect(events.some((e) => e.type === 'service-lost' && e.detail.includes('listing'))).toBe(true);
  });

  it('treats a reader whose monitor ends cleanly as unplugged, and a failed monitor as a reason to rebuild', async () => {
    const { fake, events, transport } = setup();
    const started = transport.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0', 'R1');
    fake.reader('R0').status?.(undefined, EMPTY, Buffer.alloc(0));
    fake.reader('R1').status?.(undefined, EMPTY, Buffer.alloc(0));
    await started;
    fake.reader('R0').emit('_end');
    expect(transport.readers().map((r) => r.name)).toEqual(['R1']);
    expect(events.at(-1)).toEqual({ type: 'reader-removed', reader: 'R0' });
    fake.reader('R1').status?.(new Error('SCardGetStatusChange error: Unknown error.(0x80100014)'));
    fake.reader('R1').emit('_end');
    expect(events.at(-1)?.type).toBe('service-lost');
    await until(() => fake.contexts.length === 2);
  });

  it('maps a removed card during transmit to a typed error and drops the handle', async () => {
    const { fake, transport } = setup();
    const started = transport.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0');
    fake.reader('R0').status?.(undefined, (1 << 16) | PRESENT, ATR);
    await started;
    const reader = fake.reader('R0');
    reader.reply = () => new Error('SCardTransmit error: Card was removed.(0x80100069)');
    const session = await transport.connect('R0');
    await expect(session.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({
      kind: 'removed',
    });
    await expect(session.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({
      kind: 'removed',
    });
    expect(reader.transmits).toHaveLength(1);
    reader.reply = () => Buffer.alloc(0);
    const next = await transport.connect('R0');
    expect(reader.connects).toHaveLength(2);
    await expect(next.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({ kind: 'io' });
  });

  it('fails a transmit that never returns with a typed timeout, and lets the next connect through', async () => {
    const { fake, transport } = setup({ operationTimeoutMs: 20 });
    const started = transport.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0');
    fake.reader('R0').status?.(undefined, (1 << 16) | PRESENT, ATR);
    await started;
    const reader = fake.reader('R0');
    reader.reply = () => 'never';
    const session = await transport.connect('R0');
    const failure = await session.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ kind: 'io', message: 'La carte n’a pas répondu à temps.' });
    await expect(session.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({ kind: 'io' });
    reader.reply = () => Buffer.from('9000', 'hex');
    const next = await transport.connect('R0');
    expect([...(await next.transmit(Uint8Array.of(0, 0xa4, 0, 0)))]).toEqual([0x90, 0x00]);
  });

  it('stop() closes every reader and the context', async () => {
    const { fake, transport: t } = setup();
    const started = t.start();
    await until(() => fake.contexts.length > 0);
    fake.list('R0', 'R1');
    for (const name of ['R0', 'R1']) fake.reader(name).status?.(undefined, EMPTY, Buffer.alloc(0));
    await started;
    await t.stop();
    await settle();
    expect(fake.readers.map((r) => r.closed)).toEqual([1, 1]);
    expect(fake.current.closed).toBe(1);
    expect(t.readers()).toEqual([]);
  });
});
