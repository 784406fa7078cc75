import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardsCommand, EXIT_NO_SERVICE, EXIT_OK } from '../../../../src/main/cli/commands/cards';
import { createVirtualCard, loadCardProfiles } from '../../../../src/main/cards/emulator';
import type { VirtualCard } from '../../../../src/main/cards/emulator/virtual-card';
import { SimulatedTransport } from '../../../../src/main/cards/transport/simulated-transport';
import type { CardTransport } from '../../../../src/main/cards/transport/card-transport';

/** The `cards` command on the in-process simulated transport (the pcscd path is in tests/integration/cards). */

const profiles = loadCardProfiles(resolve(__dirname, '../../../../resources/cards'));
const card = (id: string): VirtualCard => {
  const profile = profiles.find((p) => p.id === id);
  if (!profile) throw new Error(`no profile ${id}`);
  return createVirtualCard(profile);
};

async function run(
  args: string[],
  setup: (t: SimulatedTransport) => void,
): Promise<{ code: number; output: string }> {
  const transport = new SimulatedTransport({ readers: ['Lecteur A', 'Lecteur B'] });
  await transport.start();
  setup(transport);
  let output = '';
  const code = await cardsCommand(args, (s) => (output += s), {
    createTransport: () => Promise.resolve(transport),
  });
  return { code, output };
}

describe('cardsCommand', () => {
  it('prints exactly the documented JSON shape for an empty reader and a Vitale', async () => {
    const { code, output } = await run(['--json'], (t) => t.insert('Lecteur B', card('vitale-adulte-seul')));
    expect(code).toBe(EXIT_OK);
    const report = JSON.parse(output) as {
      readers: { name: string; card: Record<string, unknown> | null }[];
    };
    expect(report.readers.map((r) => r.name)).toEqual(['Lecteur A', 'Lecteur B']);
    expect(report.readers[0]?.card).toBeNull();
    const vitale = report.readers[1]?.card;
    expect(vitale?.kind).toBe('vitale');
    expect(vitale?.atr).toMatch(/^3B/);
    const beneficiaries = vitale?.beneficiaries as Record<string, unknown>[];
    expect(beneficiaries.length).toBeGreaterThan(0);
    for (const b of beneficiaries) {
      expect(Object.keys(b).sort()).toEqual(['birthDate', 'firstName', 'lastName', 'nir', 'nirKeyValid']);
      expect(b.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(b.nir).toMatch(/^[0-9AB]{15}$/);
    }
  });

  it('keeps partial birth dates as 00 parts', async () => {
    const { output } = await run(['--json'], (t) => t.insert('Lecteur A', card('vitale-date-partielle')));
    const report = JSON.parse(output) as {
      readers: { card: { beneficiaries?: { birthDate: string }[] } | null }[];
    };
    const dates = report.readers[0]?.card?.beneficiaries?.map((b) => b.birthDate) ?? [];
    expect(dates.some((d) => d.includes('-00'))).toBe(true);
  });

  it('decodes a CPS without asking for the PIN and flags unknown and Vitale 1 cards', async () => {
    const { code, output } = await run(['--json'], (t) => {
      t.insert('Lecteur A', card('cps-medecin-generaliste'));
      t.insert('Lecteur B', card('vitale-1'));
    });
    expect(code).toBe(EXIT_OK);
    const report = JSON.parse(output) as {
      readers: { card: { kind: string; pin?: { triesLeft: number } } | null }[];
    };
    expect(report.readers[0]?.card?.kind).toBe('cps');
    expect(report.readers[0]?.card?.pin?.triesLeft).toBe(3);
    expect(report.readers[1]?.card?.kind).toBe('unsupported');
  });

  it('prints a French table without --json', async () => {
    const { code, output } = await run([], (t) => {
      t.insert('Lecteur A', card('cps-bloquee'));
      t.insert('Lecteur B', card('carte-inconnue'));
    });
    expect(code).toBe(EXIT_OK);
    expect(output).toContain('Lecteur « Lecteur A »');
    expect(output).toContain('CPS (carte de professionnel de santé)');
    expect(output).toContain('Code porteur : BLOQUÉ');
    expect(output).toContain('Carte inconnue');
  });

  it('exits with 2 and a French message when the service is down', async () => {
    const down: CardTransport & { isServiceAvailable(): boolean } = Object.assign(new SimulatedTransport(), {
      isServiceAvailable: () => false,
    });
    let output = '';
    const code = await cardsCommand(['--json'], (s) => (output += s), {
      createTransport: () => Promise.resolve(down),
    });
    expect(code).toBe(EXIT_NO_SERVICE);
    expect(output).toContain('pcscd');
    expect(output).not.toContain('{');
  });

  it('exits with 2 when the transport cannot even start', async () => {
    const broken = Object.assign(new SimulatedTransport(), {
      start: () => Promise.reject(new Error('addon missing')),
    });
    let output = '';
    expect(
      await cardsCommand([], (s) => (output += s), { createTransport: () => Promise.resolve(broken) }),
    ).toBe(EXIT_NO_SERVICE);
    expect(output).toContain('ne fonctionne pas');
  });
});
