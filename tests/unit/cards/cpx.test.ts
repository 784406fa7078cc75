import { describe, expect, it } from 'vitest';
import {
  readCpxPublic,
  readCpxSituations,
  readPinState,
  selectCpxApplication,
  verifyCpxPin,
  CPX_PIN_REFERENCE,
} from '../../../src/main/cards/apps/cpx';
import { createVirtualCard, type CardProfile } from '../../../src/main/cards/emulator';
import type { CardSession } from '../../../src/main/cards/transport/card-transport';
import { SimulatedTransport } from '../../../src/main/cards/transport/simulated-transport';
import { cardInfoSchema } from '../../../src/shared/contract/cards';
import { profile } from './helpers';

async function sessionFor(p: CardProfile): Promise<CardSession> {
  const transport = new SimulatedTransport({ readers: ['R'] });
  transport.insert('R', createVirtualCard(p));
  return transport.connect('R');
}

const pin = (digits: string): Uint8Array => new TextEncoder().encode(digits);

describe('readCpxPublic for every CPS/CPE profile', () => {
  it.each([
    ['cps-medecin-generaliste', 'cps', '10', 'Médecin', 'SM26', 'Médecine générale', 'RPPS'],
    ['cps-medecin-urgentiste', 'cps', '10', 'Médecin', 'SM59', "Médecine d'urgence", 'RPPS'],
    ['cps-pharmacien', 'cps', '21', 'Pharmacien', undefined, undefined, 'RPPS'],
    ['cps-infirmier', 'cps', '60', 'Infirmier', undefined, undefined, 'ADELI'],
    ['cpe-secretaire-medicale', 'cpe', '', 'Secrétaire médicale', undefined, undefined, 'RPPS'],
    ['cps-bloquee', 'cps', '10', 'Médecin', 'SM26', 'Médecine générale', 'RPPS'],
  ])('%s', async (id, kind, professionCode, professionLabel, specialtyCode, specialtyLabel, idType) => {
    const info = await readCpxPublic(await sessionFor(profile(id)));
    expect(cardInfoSchema.parse(info)).toEqual(info);
    expect(info.kind).toBe(kind);
    expect(info.serial).toMatch(/^[0-9A-F]{10}$/);
    expect(info.holder.professionCode).toBe(professionCode);
    expect(info.holder.professionLabel).toBe(professionLabel);
    expect(info.holder.specialtyCode).toBe(specialtyCode);
    expect(info.holder.specialtyLabel).toBe(specialtyLabel);
    expect(info.holder.nationalIdType).toBe(idType);
    expect(info.holder.nationalId.startsWith(idType === 'RPPS' ? '8' : '0')).toBe(true);
    expect(info.holder.situations).toEqual([]); // situations need the PIN
    expect(info.pin).toEqual(
      id === 'cps-bloquee'
        ? { triesLeft: 0, triesMax: 3, blocked: true }
        : { triesLeft: 3, triesMax: 3, blocked: false },
    );
  });

  it('refuses a card whose EF.SN.ICC lacks the ANS issuer id', async () => {
    const p = profile('cps-pharmacien');
    const sn = p.fileSystem.children[0];
    if (sn?.type !== 'ef') throw new Error('layout changed');
    sn.content = { hex: '5A0A 8099000001 0000000001' };
    await expect(readCpxPublic(await sessionFor(p))).rejects.toMatchObject({ kind: 'not-cpx' });
  });
});

describe('verifyCpxPin', () => {
  it('wrong then right: 63Cx gives tries left, success restores them, situations become readable', async () => {
    const session = await sessionFor(profile('cps-medecin-urgentiste'));
    await selectCpxApplication(session);
    const before = await readPinState(session, CPX_PIN_REFERENCE);
    await expect(readCpxSituations(session)).rejects.toMatchObject({ kind: 'status' });

    const wrong = await verifyCpxPin(session, pin('0000'), before);
    expect(wrong).toEqual({ success: false, pin: { triesLeft: 2, triesMax: 3, blocked: false } });
    expect(await readPinState(session, CPX_PIN_REFERENCE)).toEqual({
      triesLeft: 2,
      triesMax: 3,
      blocked: false,
    });

    const right = await verifyCpxPin(session, pin('1234'), before);
    expect(right).toEqual({ success: true, pin: { triesLeft: 3, triesMax: 3, blocked: false } });
    const situations = await readCpxSituations(session);
    expect(situations).toEqual([
      {
        label: 'Centre hospitalier de démonstration — Urgences',
        mode: 'Salarié',
        sector: 'SA01',
        structureId: '1999700000019',
      },
      { label: 'SMUR de démonstration', mode: 'Salarié', sector: 'SA01', structureId: '1999700000027' },
    ]);
  });

  it('three wrong PINs block the card; the next attempt raises pin-blocked', async () => {
    const session = await sessionFor(profile('cps-pharmacien'));
    await selectCpxApplication(session);
    const known = await readPinState(session, CPX_PIN_REFERENCE);
    expect((await verifyCpxPin(session, pin('1111'), known)).pin.triesLeft).toBe(2);
    expect((await verifyCpxPin(session, pin('1111'), known)).pin.triesLeft).toBe(1);
    expect((await verifyCpxPin(session, pin('1111'), known)).pin).toEqual({
      triesLeft: 0,
      triesMax: 3,
      blocked: true,
    });
    await expect(verifyCpxPin(session, pin('1234'), known)).rejects.toMatchObject({ kind: 'pin-blocked' });
  });

  it('zeroes the caller PIN buffer on success, on failure and on a format error', async () => {
    const session = await sessionFor(profile('cps-medecin-generaliste'));
    await selectCpxApplication(session);
    const known = await readPinState(session, CPX_PIN_REFERENCE);
    for (const digits of ['0000', '1234']) {
      const buffer = pin(digits);
      await verifyCpxPin(session, buffer, known);
      expect(Array.from(buffer)).toEqual([0, 0, 0, 0]);
    }
    const bad = pin('12a4');
    await expect(verifyCpxPin(session, bad, known)).rejects.toMatchObject({ kind: 'pin-format' });
    expect(Array.from(bad)).toEqual([0, 0, 0, 0]);
  });

  it('never sends a PIN that is not 4 to 8 ASCII digits', async () => {
    const sent: Uint8Array[] = [];
    const session = await sessionFor(profile('cps-medecin-generaliste'));
    const spy: CardSession = {
      ...session,
      transmit: (apdu) => (sent.push(apdu.slice()), session.transmit(apdu)),
      close: session.close.bind(session),
    };
    for (const digits of ['123', '123456789', '12 4']) {
      await expect(
        verifyCpxPin(spy, pin(digits), { triesLeft: 3, triesMax: 3, blocked: false }),
      ).rejects.toMatchObject({ kind: 'pin-format' });
    }
    expect(sent).toHaveLength(0);
  });
});
