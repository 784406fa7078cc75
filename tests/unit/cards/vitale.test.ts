import { describe, expect, it } from 'vitest';
import { decodeBeneficiaries, readVitale } from '../../../src/main/cards/apps/vitale';
import { createVirtualCard, parseCardProfile, type CardProfile } from '../../../src/main/cards/emulator';
import { CardError } from '../../../src/main/cards/errors';
import { parseTlv } from '../../../src/main/cards/iso7816/tlv';
import { readCardInfo } from '../../../src/main/cards/read-card';
import { SimulatedTransport } from '../../../src/main/cards/transport/simulated-transport';
import type { VitaleCardInfo } from '../../../src/shared/contract/cards';
import { cardInfoSchema } from '../../../src/shared/contract/cards';
import { hex, profile } from './helpers';

async function read(p: CardProfile): Promise<VitaleCardInfo> {
  const transport = new SimulatedTransport({ readers: ['R'] });
  transport.insert('R', createVirtualCard(p));
  const session = await transport.connect('R');
  return readVitale(session);
}

describe('readVitale through the simulated transport', () => {
  it('reads the demo patient PAT-TROIS with a valid NIR, on a card marked as a test card', async () => {
    const info = await read(profile('vitale-pat-trois'));
    expect(cardInfoSchema.parse(info)).toEqual(info);
    // A simulator card is never a production card: its people belong to the test INS register.
    expect(info.status).toBe('test');
    expect(info.beneficiaries).toEqual([
      {
        index: 0,
        lastName: 'PAT-TROIS',
        firstName: 'DOMINIQUE',
        birthDate: '1979-03-28',
        nir: '279035121518989',
        nirKeyValid: true,
        birthRank: 1,
      },
    ]);
  });

  it('reads every beneficiary of the family card, twins included, each with the ouvrant-droit NIR', async () => {
    const info = await read(profile('vitale-famille'));
    expect(info.beneficiaries.map((b) => `${b.firstName} ${b.birthDate}`)).toEqual([
      'PAUL 1978-06-14',
      'JULIA 1980-09-02',
      'LEA 2012-04-17',
      'NOE 2012-04-17',
      'ENZO 2016-11-30',
    ]);
    expect(info.beneficiaries.map((b) => b.index)).toEqual([0, 1, 2, 3, 4]);
    // The twins LEA and NOE share a birth date; their rank (project-defined tag 83) tells them apart.
    expect(info.beneficiaries.map((b) => b.birthRank)).toEqual([1, 1, 1, 2, 1]);
    const nirs = new Set(info.beneficiaries.map((b) => b.nir));
    expect(nirs.size).toBe(1);
    expect([...nirs][0]).toMatch(/^178062A/);
    expect(info.beneficiaries.every((b) => b.nirKeyValid)).toBe(true);
  });

  it('keeps a partial birth date with day 00 as written', async () => {
    const info = await read(profile('vitale-date-partielle'));
    expect(info.beneficiaries[0]?.birthDate).toBe('1962-03-00');
  });

  it('checks the key of Corsican NIRs (2A and 2B)', async () => {
    const single = await read(profile('vitale-adulte-seul'));
    expect(single.beneficiaries[0]?.nir).toContain('2B');
    expect(single.beneficiaries[0]?.nirKeyValid).toBe(true);
  });

  it('flags a wrong NIR key instead of refusing the card', async () => {
    const p = profile('vitale-adulte-seul');
    const json = JSON.stringify(p).replaceAll('285022B11542341', '285022B11542342');
    const info = await read(parseCardProfile(JSON.parse(json), 'altered'));
    expect(info.beneficiaries[0]?.nirKeyValid).toBe(false);
  });

  it('reports the project test marker as status "test"', async () => {
    expect((await read(profile('vitale-test'))).status).toBe('test');
  });

  it('refuses a corrupt identity file with a typed malformed error', async () => {
    const p = profile('vitale-adulte-seul');
    const fs = p.fileSystem;
    const ef = fs.children[0];
    if (ef?.type !== 'ef') throw new Error('layout changed');
    ef.content = { hex: '65 20 80 06 414243' };
    await expect(read(p)).rejects.toMatchObject({ kind: 'malformed' });
  });
});

describe('decodeBeneficiaries', () => {
  const nodes = (text: string) => {
    const parsed = parseTlv(hex(text));
    if (!parsed.ok) throw new Error('bad fixture');
    return parsed.nodes;
  };

  it('decodes the cards.md example and matches NIRs from the NIR file by order', () => {
    const identity = nodes('65 18 80 06 44 55 50 4F 4E 54 81 04 4A 45 41 4E 82 08 31 39 37 30 30 31 30 31');
    const nirFile = nodes(`93 0F ${Buffer.from('279035121518989').toString('hex')}`);
    expect(decodeBeneficiaries(identity, nirFile)).toEqual([
      {
        index: 0,
        lastName: 'DUPONT',
        firstName: 'JEAN',
        birthDate: '1970-01-01',
        nir: '279035121518989',
        nirKeyValid: true,
      },
    ]);
  });

  it.each([
    ['no beneficiary', '80 01 41'],
    ['a missing first name', '65 0F 80 01 41 82 08 3139373030313031 9000'],
    ['a birth date that is not YYYYMMDD', '65 0C 80 01 41 81 01 42 82 04 31393730'],
    ['a month 13', '65 10 80 01 41 81 01 42 82 08 3139373031333031'],
  ])('refuses %s', (_name, text) => {
    expect(() => decodeBeneficiaries(nodes(text), [])).toThrow(CardError);
  });
});

describe('readCardInfo dispatch by ATR', () => {
  it('reports a Vitale 1 as unsupported with a French reason, without sending an APDU', async () => {
    const transport = new SimulatedTransport({ readers: ['R'] });
    transport.insert('R', createVirtualCard(profile('vitale-1')));
    const info = await readCardInfo(await transport.connect('R'));
    expect(info).toMatchObject({ kind: 'unsupported', atr: '3F 65 25 00 2C 09 6A 90 00' });
    expect(info.kind === 'unsupported' && info.reason).toMatch(/^Carte Vitale 1 : /);
  });

  it('reports an unknown card', async () => {
    const transport = new SimulatedTransport({ readers: ['R'] });
    transport.insert('R', createVirtualCard(profile('carte-inconnue')));
    const info = await readCardInfo(await transport.connect('R'));
    expect(info.kind).toBe('unknown');
  });
});
