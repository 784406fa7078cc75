import { describe, expect, it } from 'vitest';
import { CardService } from '../../../src/main/cards/card-service';
import { createVirtualCard } from '../../../src/main/cards/emulator';
import type { VirtualCard } from '../../../src/main/cards/emulator/virtual-card';
import { CardError } from '../../../src/main/cards/errors';
import {
  SIMULATED_CPS_READER as CPS,
  SIMULATED_VITALE_READER as VITALE,
  SimulatedTransport,
} from '../../../src/main/cards/transport/simulated-transport';
import { createLogger } from '../../../src/main/log/logger';
import type { CardInfo, ReaderView } from '../../../src/shared/contract/cards';
import { readerViewSchema } from '../../../src/shared/contract/cards';
import { profile, settled, waitForReaders } from './helpers';

function setup(options: { production?: boolean } = {}) {
  const lines: string[] = [];
  const transport = new SimulatedTransport();
  const service = new CardService({
    transport,
    production: options.production ?? false,
    log: createLogger({ sink: (line) => lines.push(line), level: 'debug' }),
  });
  return { transport, service, lines };
}

const view = (readers: ReaderView[], name: string): ReaderView => {
  const found = readers.find((r) => r.name === name);
  if (!found) throw new Error(`no reader ${name}`);
  return found;
};

const pinBytes = (digits: string): Uint8Array => new TextEncoder().encode(digits);

/** Wraps a card to observe resets or to pull it out of the reader after N commands. */
function instrumented(
  card: VirtualCard,
  hooks: { onTransmit?: (count: number) => void; onReset?: () => void },
): VirtualCard {
  let count = 0;
  return {
    atr: card.atr,
    powerOn: () => card.powerOn(),
    powerOff: () => card.powerOff(),
    reset: () => {
      hooks.onReset?.();
      card.reset();
    },
    transmit: (apdu) => {
      count++;
      hooks.onTransmit?.(count);
      return card.transmit(apdu);
    },
  };
}

describe('CardService reading cards', () => {
  it('publishes a busy view then the decoded Vitale', async () => {
    const { transport, service } = setup();
    const seen: ReaderView[][] = [];
    service.onChange((r) => seen.push(r));
    await service.start();
    transport.insert(VITALE, createVirtualCard(profile('vitale-pat-trois')));
    const readers = await waitForReaders(service, settled(VITALE));
    const v = view(readers, VITALE);
    expect(readerViewSchema.parse(v)).toEqual(v);
    expect(v.card?.kind).toBe('vitale');
    expect(v.error).toBeUndefined();
    expect(v.card?.kind === 'vitale' && v.card.beneficiaries[0]?.nir).toBe('279035121518989');
    expect(seen.some((r) => view(r, VITALE).busy === true)).toBe(true);
    expect(view(service.readers(), CPS).card).toBeNull();
    await service.stop();
  });

  it('reads a card already in the reader at start', async () => {
    const { transport, service } = setup();
    transport.insert(CPS, createVirtualCard(profile('cps-medecin-generaliste')));
    await service.start();
    const readers = await waitForReaders(service, settled(CPS));
    expect(view(readers, CPS).card?.kind).toBe('cps');
    await service.stop();
  });

  it('in production keeps a test card visible but flags it with an error', async () => {
    const { transport, service } = setup({ production: true });
    await service.start();
    transport.insert(VITALE, createVirtualCard(profile('vitale-test')));
    const v = view(await waitForReaders(service, settled(VITALE)), VITALE);
    expect(v.card?.kind === 'vitale' && v.card.status).toBe('test');
    expect(v.error).toMatch(/refusée/);
    await service.stop();
  });

  it('outside production accepts the same test card without error', async () => {
    const { transport, service } = setup({ production: false });
    await service.start();
    transport.insert(VITALE, createVirtualCard(profile('vitale-test')));
    const v = view(await waitForReaders(service, settled(VITALE)), VITALE);
    expect(v.error).toBeUndefined();
    await service.stop();
  });

  it('shows Vitale 1 and unknown cards with their French reason', async () => {
    const { transport, service } = setup();
    await service.start();
    transport.insert(VITALE, createVirtualCard(profile('vitale-1')));
    transport.insert(CPS, createVirtualCard(profile('carte-inconnue')));
    const readers = await waitForReaders(service, (r) => settled(VITALE)(r) && settled(CPS)(r));
    expect(view(readers, VITALE).card).toMatchObject({ kind: 'unsupported' });
    expect(view(readers, CPS).card).toMatchObject({ kind: 'unknown' });
    await service.stop();
  });

  it('turns a card pulled mid-read into an error view, without throwing', async () => {
    const { transport, service, lines } = setup();
    await service.start();
    const card = instrumented(createVirtualCard(profile('vitale-famille')), {
      onTransmit: (n) => {
        if (n === 3) transport.remove(VITALE);
      },
    });
    transport.insert(VITALE, card);
    const readers = await waitForReaders(service, (r) => view(r, VITALE).error !== undefined);
    const v = view(readers, VITALE);
    expect(v.card).toBeNull();
    expect(v.busy).toBeUndefined();
    expect(v.error).toMatch(/retirée pendant sa lecture/);
    expect(lines.some((l) => l.includes('card removed'))).toBe(true);
    // Re-inserting clears the error.
    transport.insert(VITALE, createVirtualCard(profile('vitale-famille')));
    const again = view(await waitForReaders(service, (r) => view(r, VITALE).card !== null), VITALE);
    expect(again.error).toBeUndefined();
    await service.stop();
  });

  it('turns malformed card data into a French error view and a precise log line', async () => {
    const { transport, service, lines } = setup();
    await service.start();
    const p = profile('vitale-adulte-seul');
    const ef = p.fileSystem.children[0];
    if (ef?.type !== 'ef') throw new Error('layout changed');
    ef.content = { hex: '65 7F 80 06 414243' };
    delete ef.size; // no zero padding: the declared length runs past the end of the file
    transport.insert(VITALE, createVirtualCard(p));
    const v = view(await waitForReaders(service, settled(VITALE)), VITALE);
    expect(v.card).toBeNull();
    expect(v.error).toBe('Lecture de la carte impossible : la carte a renvoyé des données illisibles.');
    expect(lines.some((l) => l.includes('card read failed') && l.includes('length-out-of-bounds'))).toBe(
      true,
    );
    await service.stop();
  });

  it('tells removal listeners which card left', async () => {
    const { transport, service } = setup();
    await service.start();
    const removed: [string, CardInfo | null][] = [];
    service.onCardRemoved((reader, previous) => removed.push([reader, previous]));
    transport.insert(CPS, createVirtualCard(profile('cps-pharmacien')));
    await waitForReaders(service, settled(CPS));
    transport.remove(CPS);
    await waitForReaders(service, (r) => view(r, CPS).card === null);
    expect(removed).toHaveLength(1);
    expect(removed[0]?.[0]).toBe(CPS);
    expect(removed[0]?.[1]?.kind).toBe('cps');
    await service.stop();
  });
});

describe('CardService.verifyPin', () => {
  async function withCps(id: string, hooks: { onReset?: () => void } = {}) {
    const context = setup();
    await context.service.start();
    context.transport.insert(CPS, instrumented(createVirtualCard(profile(id)), hooks));
    await waitForReaders(context.service, settled(CPS));
    return context;
  }

  it('wrong then right: tries counter published, situations read after success, session reset', async () => {
    let resets = 0;
    const { service } = await withCps('cps-medecin-generaliste', { onReset: () => resets++ });
    const wrong = pinBytes('9999');
    expect(await service.verifyPin(CPS, wrong)).toEqual({
      success: false,
      pin: { triesLeft: 2, triesMax: 3, blocked: false },
    });
    expect(Array.from(wrong)).toEqual([0, 0, 0, 0]);
    const afterWrong = view(service.readers(), CPS).card;
    expect(afterWrong?.kind === 'cps' && afterWrong.pin.triesLeft).toBe(2);

    const right = pinBytes('1234');
    expect(await service.verifyPin(CPS, right)).toEqual({
      success: true,
      pin: { triesLeft: 3, triesMax: 3, blocked: false },
    });
    expect(Array.from(right)).toEqual([0, 0, 0, 0]);
    const card = view(service.readers(), CPS).card;
    expect(card?.kind === 'cps' && card.holder.situations).toEqual([
      { label: 'Cabinet médical du Parc', mode: 'Libéral', sector: 'SA07', structureId: '499700100017001' },
    ]);
    expect(resets).toBe(2); // each PIN session ends with a reset
    await service.stop();
  });

  it('throws pin-blocked (French) for a blocked card and still zeroes the PIN', async () => {
    const { service } = await withCps('cps-bloquee');
    const buffer = pinBytes('1234');
    const error = await service.verifyPin(CPS, buffer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardError);
    expect((error as CardError).kind).toBe('pin-blocked');
    expect((error as CardError).message).toMatch(/Carte bloquée/);
    expect(Array.from(buffer)).toEqual([0, 0, 0, 0]);
    await service.stop();
  });

  it('blocks after three wrong PINs and refuses the fourth attempt', async () => {
    const { service } = await withCps('cps-infirmier');
    for (const left of [2, 1, 0])
      expect((await service.verifyPin(CPS, pinBytes('0000'))).pin.triesLeft).toBe(left);
    const card = view(service.readers(), CPS).card;
    expect(card?.kind === 'cps' && card.pin.blocked).toBe(true);
    await expect(service.verifyPin(CPS, pinBytes('1234'))).rejects.toMatchObject({ kind: 'pin-blocked' });
    await service.stop();
  });

  it('refuses a PIN for an empty reader or a Vitale, zeroing the buffer', async () => {
    const { service, transport } = setup();
    await service.start();
    const empty = pinBytes('1234');
    await expect(service.verifyPin(CPS, empty)).rejects.toMatchObject({ kind: 'no-card' });
    expect(Array.from(empty)).toEqual([0, 0, 0, 0]);
    transport.insert(VITALE, createVirtualCard(profile('vitale-adulte-seul')));
    await waitForReaders(service, settled(VITALE));
    const onVitale = pinBytes('1234');
    await expect(service.verifyPin(VITALE, onVitale)).rejects.toMatchObject({ kind: 'not-cpx' });
    expect(Array.from(onVitale)).toEqual([0, 0, 0, 0]);
    await service.stop();
  });

  it('reports a card removed during VERIFY as a typed "removed" error', async () => {
    const context = setup();
    await context.service.start();
    let armed = false;
    const card = instrumented(createVirtualCard(profile('cps-pharmacien')), {
      onTransmit: () => {
        if (armed) context.transport.remove(CPS);
      },
    });
    context.transport.insert(CPS, card);
    await waitForReaders(context.service, settled(CPS));
    armed = true;
    await expect(context.service.verifyPin(CPS, pinBytes('1234'))).rejects.toMatchObject({ kind: 'removed' });
    await context.service.stop();
  });

  it('never logs the PIN, a NIR or a name, even at debug level', async () => {
    const { service, transport, lines } = await withCps('cps-medecin-generaliste');
    await service.verifyPin(CPS, pinBytes('1234'));
    transport.insert(VITALE, createVirtualCard(profile('vitale-pat-trois')));
    await waitForReaders(service, settled(VITALE));
    const log = lines.join('\n');
    expect(log).toContain('apdu command');
    expect(log).toContain('00 20 00 01 [5 bytes redacted]');
    for (const secret of [
      '31 32 33 34',
      '31323334',
      '279035121518989',
      'PAT-TROIS',
      'DOMINIQUE',
      'BONNEFOY',
      'Claire',
    ]) {
      expect(log).not.toContain(secret);
    }
    await service.stop();
  });
});

describe('CardService when the PC/SC service goes away', () => {
  it('shows a French line while pcscd is unreachable and removes it once the service is back', async () => {
    const { SERVICE_VIEW_NAME } = await import('../../../src/main/cards/card-service');
    let emit: (
      event: import('../../../src/main/cards/transport/card-transport').TransportEvent,
    ) => void = () => undefined;
    const transport: import('../../../src/main/cards/transport/card-transport').CardTransport = {
      start: async () => undefined,
      stop: async () => undefined,
      readers: () => [],
      onEvent: (listener) => {
        emit = listener;
        return () => undefined;
      },
      connect: async () => {
        throw new CardError('no-service');
      },
    };
    const service = new CardService({
      transport,
      production: false,
      log: createLogger({ sink: () => undefined }),
    });
    await service.start();
    expect(service.readers()).toEqual([]);
    emit({ type: 'service-lost', detail: 'pcscd unreachable at start' });
    const lost = service.readers();
    expect(lost).toEqual([{ name: SERVICE_VIEW_NAME, card: null, error: expect.stringMatching(/PC\/SC/) }]);
    expect(readerViewSchema.array().safeParse(lost).success).toBe(true);
    emit({ type: 'service-restored' });
    expect(service.readers()).toEqual([]);
  });
});
