import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardProfileError, loadCardProfiles, parseCardProfile } from '../../../src/main/cards/emulator';
import { emulatedCardIdentity } from '../../../src/main/cards/pkcs11/softhsm';
import { allProfiles, profile, profilesDir } from './helpers';

const required = [
  'cps-medecin-generaliste',
  'cps-medecin-urgentiste',
  'cps-medecin-regulateur',
  'cps-pharmacien',
  'cps-infirmier',
  'cpe-secretaire-medicale',
  'cps-bloquee',
  'vitale-adulte-seul',
  'vitale-famille',
  'vitale-date-partielle',
  'vitale-test',
  'vitale-1',
  'carte-inconnue',
  'vitale-pat-trois',
];

describe('shipped card profiles', () => {
  it('include every profile the simulator needs, each with a French label and a kind', () => {
    const ids = loadCardProfiles(profilesDir).map((p) => p.id);
    for (const id of required) expect(ids).toContain(id);
    for (const p of allProfiles()) {
      expect(p.label.length).toBeGreaterThan(5);
      expect(['vitale', 'cps', 'cpe', 'cpf', 'other']).toContain(p.kind);
    }
  });

  it('give every CPS/CPE the demo PIN 1234 and the blocked card zero tries', () => {
    for (const p of allProfiles().filter((x) => x.kind === 'cps' || x.kind === 'cpe'))
      expect(p.pin?.value).toBe('1234');
    expect(profile('cps-bloquee').pin?.triesLeft).toBe(0);
  });

  it('give every CPS/CPE its own serial: it names the card (and its PKCS#11 token) in a deployment', async () => {
    const serials = new Map<string, string>();
    for (const p of allProfiles().filter((x) => x.kind === 'cps' || x.kind === 'cpe' || x.kind === 'cpf')) {
      const { serial } = await emulatedCardIdentity(p);
      expect(serials.get(serial), `${p.id} reuses the serial ${serial}`).toBeUndefined();
      serials.set(serial, p.id);
    }
    expect(serials.size).toBeGreaterThanOrEqual(6);
  });
});

describe('profile validation', () => {
  const base = profile('vitale-1');

  it.each([
    ['a bad ATR', { ...base, atr: 'XYZ' }, /atr/],
    [
      'a root other than the MF',
      { ...base, fileSystem: { type: 'df', fid: '1000', children: [] } },
      /MF 3F00/,
    ],
    ['an unknown field', { ...base, extra: 1 }, /racine|extra/],
    [
      'tries above the maximum',
      { ...base, pin: { reference: '01', value: '1234', triesMax: 3, triesLeft: 4 } },
      /pin/,
    ],
    [
      'a non-digit PIN',
      { ...base, pin: { reference: '01', value: '12a4', triesMax: 3, triesLeft: 3 } },
      /pin\.value/,
    ],
    [
      'an EF with both content and records',
      {
        ...base,
        fileSystem: {
          type: 'df',
          fid: '3F00',
          children: [{ type: 'ef', fid: '0001', content: { hex: '00' }, records: [] }],
        },
      },
      /fileSystem/,
    ],
  ])('refuses %s with a French message naming the field', (_name, json, where) => {
    expect(() => parseCardProfile(json, 'x.json')).toThrow(CardProfileError);
    expect(() => parseCardProfile(json, 'x.json')).toThrow(where);
    expect(() => parseCardProfile(json, 'x.json')).toThrow(/Profil de carte invalide \(x\.json\)/);
  });

  it('refuses unreadable JSON and duplicate ids when loading a folder', () => {
    const broken = mkdtempSync(join(tmpdir(), 'profiles-'));
    writeFileSync(join(broken, 'a.json'), '{ not json');
    expect(() => loadCardProfiles(broken)).toThrow(/illisible \(a\.json\)/);

    const duplicated = mkdtempSync(join(tmpdir(), 'profiles-'));
    writeFileSync(join(duplicated, 'a.json'), JSON.stringify(base));
    writeFileSync(join(duplicated, 'b.json'), JSON.stringify(base));
    expect(() => loadCardProfiles(duplicated)).toThrow(/double/);
  });
});
