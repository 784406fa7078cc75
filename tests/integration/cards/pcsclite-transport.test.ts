import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectVirtualCardToVpcd, type VpcdConnection } from '../../../src/main/cards/emulator/vpcd-client';
import { CardError } from '../../../src/main/cards/errors';
import { transmitT0 } from '../../../src/main/cards/iso7816/t0';
import type { CardSession } from '../../../src/main/cards/transport/card-transport';
import { PcscliteTransport } from '../../../src/main/cards/transport/pcsclite-transport';
import { createLogger } from '../../../src/main/log/logger';
import { startPcscd, type PcscdHandle } from '../support/pcscd';
import { CPS3_ATR, TestCard, VITALE_AID, VITALE_ATR, vitaleIdentityFile } from '../support/test-cards';
import { EventRecorder, waitUntil } from '../support/wait';

/** Real pcscd + vpcd driver + the node-pcsclite addon, with small hand-written virtual cards. */

const SLOT0 = 'Virtual PCD 00 00';
const SLOT1 = 'Virtual PCD 00 01';
const PORTS = { [SLOT0]: 35963, [SLOT1]: 35964 } as const;

const selectVitale = Uint8Array.of(0x00, 0xa4, 0x04, 0x00, VITALE_AID.length, ...VITALE_AID);
const readIdentity = Uint8Array.of(0x00, 0xb0, 0x82, 0x00, 0x00);
const verify = (pin: string): Uint8Array =>
  Uint8Array.of(0x00, 0x20, 0x00, 0x01, pin.length, ...Buffer.from(pin, 'ascii'));
const swOf = (response: Uint8Array): string =>
  Buffer.from(response.subarray(-2)).toString('hex').toUpperCase();

const identity = vitaleIdentityFile([
  { lastName: 'DUPONT', firstName: 'JEAN', birth: '19700101', nir: '279035121518989' },
]);

let pcscd: PcscdHandle;
let transport: PcscliteTransport;
let recorder: EventRecorder;
const logLines: string[] = [];
const open: VpcdConnection[] = [];
const sessions: CardSession[] = [];

async function insert(reader: keyof typeof PORTS, card: TestCard): Promise<VpcdConnection> {
  const mark = recorder.mark;
  const connection = await connectVirtualCardToVpcd({ port: PORTS[reader], card });
  open.push(connection);
  await recorder.waitFor((e) => e.type === 'card-inserted' && e.reader === reader, {
    fromIndex: mark,
    what: `card in ${reader}`,
  });
  return connection;
}

async function remove(reader: keyof typeof PORTS, connection: VpcdConnection): Promise<void> {
  const mark = recorder.mark;
  await connection.close();
  await recorder.waitFor((e) => e.type === 'card-removed' && e.reader === reader, {
    fromIndex: mark,
    what: `removal from ${reader}`,
  });
}

async function connect(reader: string): Promise<CardSession> {
  const session = await transport.connect(reader);
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  pcscd = await startPcscd();
  transport = new PcscliteTransport({
    log: createLogger({ level: 'debug', sink: (line) => logLines.push(line) }),
  });
  recorder = new EventRecorder(transport);
  await transport.start();
  await waitUntil(() => transport.readers().length === 2, { timeoutMs: 5_000, what: 'both vpcd readers' });
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close('reset').catch(() => undefined)));
  const connections = open.splice(0);
  await Promise.all(connections.map((c) => c.close()));
  // Leave both slots empty for the next test.
  await waitUntil(() => transport.readers().every((r) => r.atr === null), {
    timeoutMs: 5_000,
    what: 'empty slots',
  });
});

afterAll(async () => {
  recorder?.dispose();
  await transport?.stop();
  await pcscd?.stop();
});

describe('PcscliteTransport over pcscd + vpcd', () => {
  it('lists both vpcd slots, empty', () => {
    expect(transport.readers()).toEqual([
      { name: SLOT0, atr: null },
      { name: SLOT1, atr: null },
    ]);
    expect(transport.isServiceAvailable()).toBe(true);
  });

  it('reports insert, remove and re-insert once each, and reads the card after re-insertion', async () => {
    const start = recorder.mark;
    const first = await insert(SLOT0, new TestCard({ identity }));
    expect(transport.readers().find((r) => r.name === SLOT0)?.atr).toEqual(VITALE_ATR);
    await remove(SLOT0, first);
    await insert(SLOT0, new TestCard({ identity }));

    const cardEvents = recorder.events
      .slice(start)
      .filter((e) => e.type === 'card-inserted' || e.type === 'card-removed');
    expect(cardEvents.map((e) => e.type)).toEqual(['card-inserted', 'card-removed', 'card-inserted']);

    const session = await connect(SLOT0);
    expect(session.protocol).toBe('T0');
    expect(session.atr).toEqual(VITALE_ATR);
    expect(swOf(await session.transmit(selectVitale))).toBe('9000');
    const response = await session.transmit(readIdentity);
    expect(swOf(response)).toBe('6282');
    expect(Buffer.from(response.subarray(0, identity.length)).equals(Buffer.from(identity))).toBe(true);
  });

  it('reports a card swapped as fast as possible as removed then inserted, and refuses the old session', async () => {
    const first = await insert(SLOT0, new TestCard({ identity }));
    const old = await connect(SLOT0);
    const mark = recorder.mark;
    await first.close();
    open.push(
      await connectVirtualCardToVpcd({
        port: PORTS[SLOT0],
        card: new TestCard({ atr: CPS3_ATR, pin: '1234' }),
      }),
    );
    const inserted = await recorder.waitFor((e) => e.type === 'card-inserted' && e.reader === SLOT0, {
      fromIndex: mark,
      what: 'swapped card',
    });
    expect(
      recorder.events
        .slice(mark)
        .filter((e) => e.type.startsWith('card-'))
        .map((e) => e.type),
    ).toEqual(['card-removed', 'card-inserted']);
    expect(inserted.type === 'card-inserted' && inserted.atr).toEqual(CPS3_ATR);
    await expect(old.transmit(selectVitale)).rejects.toMatchObject({ kind: 'removed' });
    const fresh = await connect(SLOT0);
    expect(swOf(await fresh.transmit(verify('1234')))).toBe('9000');
  });

  it('serves a CPS on slot 0 and a Vitale on slot 1 at the same time', async () => {
    await insert(SLOT0, new TestCard({ atr: CPS3_ATR, pin: '1234' }));
    await insert(SLOT1, new TestCard({ identity }));
    expect(transport.readers()).toEqual([
      { name: SLOT0, atr: CPS3_ATR },
      { name: SLOT1, atr: VITALE_ATR },
    ]);
    const [cps, vitale] = await Promise.all([connect(SLOT0), connect(SLOT1)]);
    const [pinReply, selectReply] = await Promise.all([
      cps.transmit(verify('1234')),
      vitale.transmit(selectVitale),
    ]);
    expect(swOf(pinReply)).toBe('9000');
    expect(swOf(selectReply)).toBe('9000');
  });

  it('keeps queued APDUs in order on one reader', async () => {
    await insert(SLOT0, new TestCard({ identity }));
    const session = await connect(SLOT0);
    // Fired without awaiting: if the queue reordered them, READ BINARY would run before SELECT (6986).
    const replies = await Promise.all([
      session.transmit(selectVitale),
      session.transmit(readIdentity),
      session.transmit(readIdentity),
    ]);
    expect(replies.map(swOf)).toEqual(['9000', '6282', '6282']);
  });

  it('answers a wrong PIN with the tries left, then accepts the right one', async () => {
    const card = new TestCard({ atr: CPS3_ATR, pin: '1234' });
    await insert(SLOT0, card);
    const session = await connect(SLOT0);
    expect(swOf(await session.transmit(verify('0000')))).toBe('63C2');
    expect(swOf(await session.transmit(verify('1234')))).toBe('9000');
    expect(card.pinTriesLeft).toBe(3);
  });

  it('reports a blocked PIN as 6983, even for the right code', async () => {
    const card = new TestCard({ atr: CPS3_ATR, pin: '1234', pinTries: 1 });
    await insert(SLOT0, card);
    const session = await connect(SLOT0);
    expect(swOf(await session.transmit(verify('9999')))).toBe('6983');
    expect(swOf(await session.transmit(verify('1234')))).toBe('6983');
  });

  it('carries a long 61xx chain through GET RESPONSE', async () => {
    const longData = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    await insert(SLOT0, new TestCard({ longData }));
    const session = await connect(SLOT0);
    expect(swOf(await session.transmit(Uint8Array.of(0x00, 0xca, 0x01, 0x00, 0x00)))).toBe('6100');
    const response = await transmitT0(session, { cla: 0x00, ins: 0xca, p1: 0x01, p2: 0x00, le: 256 });
    expect(response.sw).toBe(0x9000);
    expect(Buffer.from(response.data).equals(Buffer.from(longData))).toBe(true);
  });

  it('fails a transmit with a typed error when the card is pulled mid-APDU, and recovers on re-insertion', async () => {
    let pull: (() => void) | null = null;
    const card = new TestCard({
      identity,
      onApdu: (apdu) => {
        // Pull the card instead of answering READ BINARY: the socket closes before any reply.
        if (apdu[1] === 0xb0) pull?.();
      },
    });
    const connection = await insert(SLOT0, card);
    pull = () => void connection.close();
    const session = await connect(SLOT0);
    expect(swOf(await session.transmit(selectVitale))).toBe('9000');
    const mark = recorder.mark;
    const failure = await session.transmit(readIdentity).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CardError);
    // vpcd makes SCardTransmit "succeed" with 0 bytes here: the transport must not pass that on.
    expect(['removed', 'io', 'reset', 'no-card']).toContain((failure as CardError).kind);
    await recorder.waitFor((e) => e.type === 'card-removed' && e.reader === SLOT0, {
      fromIndex: mark,
      what: 'removal after pull',
    });
    await expect(session.transmit(selectVitale)).rejects.toBeInstanceOf(CardError);

    await insert(SLOT0, new TestCard({ identity }));
    const again = await connect(SLOT0);
    expect(swOf(await again.transmit(selectVitale))).toBe('9000');
  });

  it('refuses malformed APDUs and unknown readers with typed errors', async () => {
    await insert(SLOT0, new TestCard({ identity }));
    const session = await connect(SLOT0);
    await expect(session.transmit(Uint8Array.of(0x00, 0xa4))).rejects.toMatchObject({ kind: 'malformed' });
    await expect(transport.connect('No Such Reader')).rejects.toMatchObject({ kind: 'no-reader' });
    await expect(transport.connect(SLOT1)).rejects.toMatchObject({ kind: 'no-card' });
  });

  it('starts without blocking while pcscd is frozen, and connects once it answers again', async () => {
    const second = new PcscliteTransport({ initialRetryDelayMs: 50, maxRetryDelayMs: 200 });
    const events = new EventRecorder(second);
    process.kill(pcscd.pid, 'SIGSTOP');
    try {
      // The addon would block the JS thread inside SCardEstablishContext here: start() must return.
      await second.start();
      expect(second.isServiceAvailable()).toBe(false);
      expect(events.events[0]).toMatchObject({ type: 'service-lost' });
    } finally {
      process.kill(pcscd.pid, 'SIGCONT');
    }
    await events.waitFor((e) => e.type === 'service-restored', { what: 'service-restored after SIGCONT' });
    await waitUntil(() => second.readers().length === 2, {
      timeoutMs: 5_000,
      what: 'readers of the second transport',
    });
    events.dispose();
    await second.stop();
  });

  it('comes back after pcscd restarts: readers reappear and the card is readable again', async () => {
    await insert(SLOT1, new TestCard({ identity }));
    const before = await connect(SLOT1);
    expect(swOf(await before.transmit(selectVitale))).toBe('9000');

    const mark = recorder.mark;
    await pcscd.stop();
    await recorder.waitFor((e) => e.type === 'service-lost', { fromIndex: mark, what: 'service-lost' });
    expect(transport.isServiceAvailable()).toBe(false);
    await expect(before.transmit(selectVitale)).rejects.toBeInstanceOf(CardError);

    pcscd = await startPcscd();
    await recorder.waitFor((e) => e.type === 'service-restored', {
      fromIndex: mark,
      what: 'service-restored',
    });
    // The vpcd client reconnects on its own, so the card shows up again without anyone re-inserting it.
    await recorder.waitFor((e) => e.type === 'card-inserted' && e.reader === SLOT1, {
      fromIndex: mark,
      what: 'card back in slot 1',
    });
    expect(transport.readers().map((r) => r.name)).toEqual([SLOT0, SLOT1]);
    const after = await connect(SLOT1);
    expect(swOf(await after.transmit(selectVitale))).toBe('9000');
  });

  it('never logs card data', () => {
    const all = logLines.join('\n');
    expect(all).not.toContain('279035121518989');
    expect(all).not.toContain('DUPONT');
    expect(all).not.toContain('1234');
  });
});
