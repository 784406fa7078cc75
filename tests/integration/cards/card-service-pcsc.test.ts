import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderView } from '../../../src/shared/contract/cards';
import { CardService } from '../../../src/main/cards/card-service';
import { createVirtualCard, loadCardProfiles, type CardProfile } from '../../../src/main/cards/emulator';
import { connectVirtualCardToVpcd, type VpcdConnection } from '../../../src/main/cards/emulator/vpcd-client';
import { isCardError } from '../../../src/main/cards/errors';
import { PcscliteTransport } from '../../../src/main/cards/transport/pcsclite-transport';
import { createLogger } from '../../../src/main/log/logger';
import { startPcscd, type PcscdHandle } from '../support/pcscd';
import { waitUntil } from '../support/wait';

/** CardService on the real pcscd through PcscliteTransport, with the emulator's card profiles on vpcd. */

const SLOT0 = 'Virtual PCD 00 00';
const SLOT1 = 'Virtual PCD 00 01';
const profiles = loadCardProfiles(resolve(__dirname, '../../../resources/cards'));
const profile = (id: string): CardProfile => {
  const found = profiles.find((p) => p.id === id);
  if (!found) throw new Error(`no card profile ${id}`);
  return found;
};

let pcscd: PcscdHandle;
let cards: CardService;
const logLines: string[] = [];
const open: VpcdConnection[] = [];

const view = (reader: string): ReaderView | undefined => cards.readers().find((r) => r.name === reader);
const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'ascii'));

async function insert(port: number, id: string): Promise<void> {
  open.push(await connectVirtualCardToVpcd({ port, card: createVirtualCard(profile(id)) }));
}

async function readCard(reader: string): Promise<ReaderView> {
  await waitUntil(() => Boolean(view(reader)?.card) || Boolean(view(reader)?.error), {
    timeoutMs: 10_000,
    what: `card read in ${reader}`,
  });
  const current = view(reader);
  if (!current) throw new Error(`no reader ${reader}`);
  return current;
}

beforeAll(async () => {
  pcscd = await startPcscd();
  const log = createLogger({ level: 'debug', sink: (line) => logLines.push(line) });
  cards = new CardService({
    transport: new PcscliteTransport({ log: log.child('pcsc') }),
    production: false,
    log: log.child('cards'),
  });
  await cards.start();
  await waitUntil(() => cards.readers().length === 2, {
    timeoutMs: 5_000,
    what: 'both readers in CardService',
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await waitUntil(() => cards.readers().every((r) => r.card === null && !r.busy), {
    timeoutMs: 5_000,
    what: 'empty readers',
  });
});

afterAll(async () => {
  await cards?.stop();
  await pcscd?.stop();
});

describe('CardService over pcscd + vpcd', () => {
  it('reads a CPS on slot 0 and a Vitale on slot 1 inserted together', async () => {
    await Promise.all([insert(35963, 'cps-medecin-generaliste'), insert(35964, 'vitale-famille')]);
    const [cps, vitale] = await Promise.all([readCard(SLOT0), readCard(SLOT1)]);
    expect(cps.error).toBeUndefined();
    expect(cps.card?.kind).toBe('cps');
    expect(vitale.error).toBeUndefined();
    expect(vitale.card?.kind).toBe('vitale');
    if (vitale.card?.kind === 'vitale') expect(vitale.card.beneficiaries.length).toBeGreaterThan(1);
  });

  it('counts a wrong PIN, then accepts the right one', async () => {
    await insert(35963, 'cps-medecin-generaliste');
    const before = await readCard(SLOT0);
    expect(before.card?.kind).toBe('cps');
    const wrong = await cards.verifyPin(SLOT0, ascii('0000'));
    expect(wrong.success).toBe(false);
    expect(wrong.pin.triesLeft).toBe(2);
    const right = await cards.verifyPin(SLOT0, ascii('1234'));
    expect(right.success).toBe(true);
    expect(right.pin.blocked).toBe(false);
  });

  it('shows a blocked CPS as blocked and refuses to present a PIN to it', async () => {
    await insert(35963, 'cps-bloquee');
    const blocked = await readCard(SLOT0);
    expect(blocked.card?.kind).toBe('cps');
    if (blocked.card?.kind === 'cps') expect(blocked.card.pin.blocked).toBe(true);
    const failure = await cards.verifyPin(SLOT0, ascii('1234')).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isCardError(failure, 'pin-blocked')).toBe(true);
  });

  it('clears the reader view when the card is pulled, and reads it again when re-inserted', async () => {
    await insert(35964, 'vitale-adulte-seul');
    expect((await readCard(SLOT1)).card?.kind).toBe('vitale');
    await open.pop()?.close();
    await waitUntil(() => view(SLOT1)?.card === null, { timeoutMs: 5_000, what: 'Vitale view cleared' });
    await insert(35964, 'vitale-adulte-seul');
    expect((await readCard(SLOT1)).card?.kind).toBe('vitale');
  });

  it('reads the card again by itself after pcscd restarts', async () => {
    await insert(35964, 'vitale-adulte-seul');
    expect((await readCard(SLOT1)).card?.kind).toBe('vitale');
    await pcscd.stop();
    await waitUntil(() => view(SLOT1)?.card == null, {
      timeoutMs: 5_000,
      what: 'view cleared while pcscd is down',
    });
    pcscd = await startPcscd();
    // The vpcd client re-inserts the card on its own once the new pcscd listens.
    await waitUntil(() => view(SLOT1)?.card?.kind === 'vitale', {
      timeoutMs: 10_000,
      what: 'Vitale read again after restart',
    });
    expect(cards.readers().map((r) => r.name)).toEqual([SLOT0, SLOT1]);
  });

  it('keeps PINs, NIRs and names out of the logs', () => {
    const all = logLines.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toMatch(/"1234"|"0000"/);
    // Nor as the hex of a VERIFY APDU.
    expect(all).not.toMatch(/31\s?32\s?33\s?34|30\s?30\s?30\s?30/i);
    for (const p of profiles) {
      const text = JSON.stringify(p);
      for (const nir of text.match(/\b[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}\b/g) ?? [])
        expect(all).not.toContain(nir);
    }
    expect(all).not.toContain('MARCHETTI');
  });
});
