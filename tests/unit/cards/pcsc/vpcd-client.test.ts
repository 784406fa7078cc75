import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  VpcdFrameDecoder,
  answerVpcdMessage,
  connectVirtualCardToVpcd,
  encodeVpcdFrame,
  type VpcdConnection,
} from '../../../../src/main/cards/emulator/vpcd-client';
import type { VirtualCard } from '../../../../src/main/cards/emulator/virtual-card';

const ATR = Uint8Array.of(0x3b, 0x75, 0x13, 0x00, 0x00, 0x47, 0x09, 0xea, 0x90, 0x00);

class RecordingCard implements VirtualCard {
  readonly atr = ATR;
  calls: string[] = [];
  throwOnTransmit = false;
  powerOn(): void {
    this.calls.push('on');
  }
  powerOff(): void {
    this.calls.push('off');
  }
  reset(): void {
    this.calls.push('reset');
  }
  transmit(apdu: Uint8Array): Uint8Array {
    this.calls.push(`apdu:${Buffer.from(apdu).toString('hex')}`);
    if (this.throwOnTransmit) throw new Error('boom');
    return Uint8Array.of(apdu[1] ?? 0, 0x90, 0x00);
  }
}

describe('vpcd framing', () => {
  it('encodes a 2-byte big-endian length before the payload', () => {
    expect([...encodeVpcdFrame(Uint8Array.of(0x04))]).toEqual([0x00, 0x01, 0x04]);
    expect([...encodeVpcdFrame(ATR)]).toEqual([0x00, 0x0a, ...ATR]);
    expect(() => encodeVpcdFrame(new Uint8Array(0x10000))).toThrow(RangeError);
  });

  it('reassembles frames however TCP splits or merges them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => encodeVpcdFrame(p)));
          const decoder = new VpcdFrameDecoder();
          const out: Uint8Array[] = [];
          let offset = 0;
          let i = 0;
          while (offset < stream.length) {
            const size = cuts[i++ % cuts.length] ?? 1;
            out.push(...decoder.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          expect(out.map((f) => Buffer.from(f).toString('hex'))).toEqual(
            payloads.map((p) => Buffer.from(p).toString('hex')),
          );
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('keeps an incomplete frame until the rest arrives', () => {
    const decoder = new VpcdFrameDecoder();
    expect(decoder.push(Uint8Array.of(0x00))).toEqual([]);
    expect(decoder.push(Uint8Array.of(0x02, 0xaa))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(3);
    expect(decoder.push(Uint8Array.of(0xbb)).map((f) => [...f])).toEqual([[0xaa, 0xbb]]);
  });
});

describe('answerVpcdMessage', () => {
  it('maps control bytes to power events and the ATR request', () => {
    const card = new RecordingCard();
    expect(answerVpcdMessage(card, Uint8Array.of(0x01))).toBeNull();
    expect(answerVpcdMessage(card, Uint8Array.of(0x02))).toBeNull();
    expect(answerVpcdMessage(card, Uint8Array.of(0x00))).toBeNull();
    expect(answerVpcdMessage(card, Uint8Array.of(0x04))).toEqual(ATR);
    expect(answerVpcdMessage(card, Uint8Array.of(0x09))).toBeNull();
    expect(answerVpcdMessage(card, new Uint8Array(0))).toBeNull();
    expect(card.calls).toEqual(['on', 'reset', 'off']);
  });

  it('forwards APDUs and turns a throwing card into 6F00', () => {
    const card = new RecordingCard();
    expect([...(answerVpcdMessage(card, Uint8Array.of(0x00, 0xb0, 0x82, 0x00, 0x00)) ?? [])]).toEqual([
      0xb0, 0x90, 0x00,
    ]);
    card.throwOnTransmit = true;
    expect([...(answerVpcdMessage(card, Uint8Array.of(0x00, 0xa4, 0x00, 0x00)) ?? [])]).toEqual([0x6f, 0x00]);
  });
});

/** A stand-in for pcscd's vpcd driver: accepts clients and lets the test talk frames to them. */
class FakeVpcd {
  private server: Server = createServer((socket) => this.onClient(socket));
  clients: Socket[] = [];
  private inbox: Uint8Array[] = [];
  private waiters: (() => void)[] = [];
  private clientWaiters: (() => void)[] = [];

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  private onClient(socket: Socket): void {
    this.clients.push(socket);
    const decoder = new VpcdFrameDecoder();
    socket.on('data', (chunk) => {
      this.inbox.push(...decoder.push(chunk));
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
    for (const wake of this.clientWaiters.splice(0)) wake();
  }

  async nextClient(count: number): Promise<Socket> {
    while (this.clients.length < count)
      await new Promise<void>((resolve) => this.clientWaiters.push(resolve));
    const client = this.clients[count - 1];
    if (!client) throw new Error('no client');
    return client;
  }

  async request(socket: Socket, payload: Uint8Array): Promise<Uint8Array> {
    socket.write(encodeVpcdFrame(payload));
    while (this.inbox.length === 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const reply = this.inbox.shift();
    if (!reply) throw new Error('no reply');
    return reply;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('connectVirtualCardToVpcd', () => {
  let vpcd: FakeVpcd | null = null;
  let connection: VpcdConnection | null = null;

  afterEach(async () => {
    await connection?.close();
    await vpcd?.close();
    connection = null;
    vpcd = null;
  });

  it('answers ATR requests and APDUs over the socket', async () => {
    vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const card = new RecordingCard();
    connection = await connectVirtualCardToVpcd({ port, card });
    expect(connection.connected).toBe(true);
    const client = await vpcd.nextClient(1);
    expect([...(await vpcd.request(client, Uint8Array.of(0x04)))]).toEqual([...ATR]);
    expect([...(await vpcd.request(client, Uint8Array.of(0x00, 0xca, 0x01, 0x00, 0x00)))]).toEqual([
      0xca, 0x90, 0x00,
    ]);
  });

  it('waits for vpcd to appear, then reconnects after the peer drops it (card seen powered off)', async () => {
    // Reserve a port, free it, and only start listening after the client began dialling.
    const probe = new FakeVpcd();
    const port = await probe.listen();
    await probe.close();
    const card = new RecordingCard();
    const pending = connectVirtualCardToVpcd({ port, card, initialDelayMs: 10, maxDelayMs: 40 });
    vpcd = new FakeVpcd();
    await vpcd.listen(port);
    connection = await pending;
    const first = await vpcd.nextClient(1);
    await vpcd.request(first, Uint8Array.of(0x04));
    const again = connection.nextConnection();
    first.destroy();
    await again;
    expect(connection.connectCount).toBe(2);
    expect(card.calls).toContain('off');
    const second = await vpcd.nextClient(2);
    expect([...(await vpcd.request(second, Uint8Array.of(0x04)))]).toEqual([...ATR]);
  });

  it('stops for good on close(): the server sees the card leave and no new connection', async () => {
    vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    connection = await connectVirtualCardToVpcd({ port, card: new RecordingCard(), initialDelayMs: 5 });
    const client = await vpcd.nextClient(1);
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await connection.close();
    await ended;
    expect(connection.connected).toBe(false);
    // Give a (buggy) reconnect loop several backoff periods to show up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(vpcd.clients).toHaveLength(1);
  });

  it('answers 6F00 instead of crashing when a card reply cannot be framed', async () => {
    vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const card = new RecordingCard();
    card.transmit = () => new Uint8Array(0x10000 + 2);
    connection = await connectVirtualCardToVpcd({ port, card });
    const client = await vpcd.nextClient(1);
    expect([...(await vpcd.request(client, Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00)))]).toEqual([
      0x6f, 0x00,
    ]);
    expect(connection.connected).toBe(true);
  });

  it('rejects when no vpcd answers before the deadline', async () => {
    const probe = new FakeVpcd();
    const port = await probe.listen();
    await probe.close();
    await expect(
      connectVirtualCardToVpcd({ port, card: new RecordingCard(), initialDelayMs: 5, connectTimeoutMs: 100 }),
    ).rejects.toThrow(/no connection/);
  });
});
