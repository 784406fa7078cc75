import { describe, expect, it } from 'vitest';
import { createVirtualCard } from '../../../src/main/cards/emulator';
import type { VirtualCard } from '../../../src/main/cards/emulator/virtual-card';
import { CardError } from '../../../src/main/cards/errors';
import type { TransportEvent } from '../../../src/main/cards/transport/card-transport';
import {
  SIMULATED_CPS_READER,
  SIMULATED_VITALE_READER,
  SimulatedTransport,
} from '../../../src/main/cards/transport/simulated-transport';
import { hex, profile, toHexString } from './helpers';

function collect(transport: SimulatedTransport): TransportEvent[] {
  const events: TransportEvent[] = [];
  transport.onEvent((e) => events.push(e));
  return events;
}

const nextEvent = (transport: SimulatedTransport): Promise<TransportEvent> =>
  new Promise((resolve) => {
    const off = transport.onEvent((e) => {
      off();
      resolve(e);
    });
  });

describe('SimulatedTransport', () => {
  it('has two readers by default and announces them on start', async () => {
    const transport = new SimulatedTransport();
    const events = collect(transport);
    expect(transport.readers().map((r) => r.name)).toEqual([SIMULATED_CPS_READER, SIMULATED_VITALE_READER]);
    await transport.start();
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([
      { type: 'reader-added', reader: SIMULATED_CPS_READER },
      { type: 'reader-added', reader: SIMULATED_VITALE_READER },
    ]);
  });

  it('emits insertion and removal asynchronously, not inside insert()', async () => {
    const transport = new SimulatedTransport({ readers: ['R1'] });
    await transport.start();
    const events = collect(transport);
    await new Promise((r) => setImmediate(r));
    events.length = 0;
    transport.insert('R1', createVirtualCard(profile('vitale-pat-trois')));
    expect(events).toHaveLength(0);
    expect(transport.readers()[0]?.atr).not.toBeNull();
    await new Promise((r) => setImmediate(r));
    expect(events[0]).toMatchObject({ type: 'card-inserted', reader: 'R1' });
    transport.remove('R1');
    await new Promise((r) => setImmediate(r));
    expect(events[1]).toEqual({ type: 'card-removed', reader: 'R1' });
    expect(transport.readers()[0]?.atr).toBeNull();
  });

  it('transmits to the card with the protocol from its ATR', async () => {
    const transport = new SimulatedTransport();
    transport.insert(SIMULATED_CPS_READER, createVirtualCard(profile('cps-infirmier')));
    transport.insert(SIMULATED_VITALE_READER, createVirtualCard(profile('vitale-adulte-seul')));
    const cps = await transport.connect(SIMULATED_CPS_READER);
    expect(cps.protocol).toBe('T0');
    const vitale = await transport.connect(SIMULATED_VITALE_READER);
    expect(vitale.protocol).toBe('T0');
    expect(toHexString(await vitale.transmit(hex('00A4000C02 3F00')))).toBe('9000');
  });

  it('rejects connect on an empty or unknown reader with typed errors', async () => {
    const transport = new SimulatedTransport();
    await expect(transport.connect(SIMULATED_CPS_READER)).rejects.toMatchObject({ kind: 'no-card' });
    await expect(transport.connect('nope')).rejects.toMatchObject({ kind: 'no-reader' });
    expect(() => transport.insert('nope', createVirtualCard(profile('vitale-1')))).toThrow(CardError);
  });

  it('fails queued and later transmits with "removed" once the card is pulled', async () => {
    const transport = new SimulatedTransport();
    transport.insert(SIMULATED_VITALE_READER, createVirtualCard(profile('vitale-adulte-seul')));
    const session = await transport.connect(SIMULATED_VITALE_READER);
    const pending = [session.transmit(hex('00A4000C02 3F00')), session.transmit(hex('00B0820000'))];
    transport.remove(SIMULATED_VITALE_READER);
    for (const p of pending) await expect(p).rejects.toMatchObject({ kind: 'removed' });
    await expect(session.transmit(hex('00A4000C02 3F00'))).rejects.toMatchObject({ kind: 'removed' });
    // A new card in the same reader does not revive the old session.
    transport.insert(SIMULATED_VITALE_READER, createVirtualCard(profile('vitale-adulte-seul')));
    await expect(session.transmit(hex('00A4000C02 3F00'))).rejects.toMatchObject({ kind: 'removed' });
  });

  it('keeps transmits in order per reader', async () => {
    const transport = new SimulatedTransport();
    transport.insert(SIMULATED_VITALE_READER, createVirtualCard(profile('vitale-adulte-seul')));
    const session = await transport.connect(SIMULATED_VITALE_READER);
    const [select, read] = await Promise.all([
      session.transmit(hex('00A4000C02 3F00')),
      session.transmit(hex('00B0820004')),
    ]);
    expect(toHexString(select)).toBe('9000');
    expect(toHexString(read).slice(-4)).toBe('9000');
  });

  it('resets the card on close(reset) and invalidates other open sessions', async () => {
    const calls: string[] = [];
    const inner = createVirtualCard(profile('vitale-adulte-seul'));
    const spy: VirtualCard = {
      atr: inner.atr,
      powerOn: () => calls.push('on'),
      powerOff: () => calls.push('off'),
      reset: () => calls.push('reset'),
      transmit: (apdu) => inner.transmit(apdu),
    };
    const transport = new SimulatedTransport();
    transport.insert(SIMULATED_VITALE_READER, spy);
    const a = await transport.connect(SIMULATED_VITALE_READER);
    const b = await transport.connect(SIMULATED_VITALE_READER);
    await a.close('reset');
    expect(calls).toEqual(['on', 'reset']);
    await expect(b.transmit(hex('00A4000C02 3F00'))).rejects.toMatchObject({ kind: 'reset' });
    await expect(a.transmit(hex('00A4000C02 3F00'))).rejects.toMatchObject({ kind: 'closed' });
    const c = await transport.connect(SIMULATED_VITALE_READER);
    expect(toHexString(await c.transmit(hex('00A4000C02 3F00')))).toBe('9000');
  });

  it('announces reader removal and addition', async () => {
    const transport = new SimulatedTransport();
    await transport.start();
    await new Promise((r) => setImmediate(r));
    const event = nextEvent(transport);
    transport.removeReader(SIMULATED_CPS_READER);
    expect(await event).toEqual({ type: 'reader-removed', reader: SIMULATED_CPS_READER });
    expect(transport.readers().map((r) => r.name)).toEqual([SIMULATED_VITALE_READER]);
  });
});
