import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createVirtualCard, loadCardProfiles } from '../../../src/main/cards/emulator';
import { readCardInfo } from '../../../src/main/cards/read-card';
import { SimulatedTransport } from '../../../src/main/cards/transport/simulated-transport';
import { resourcesDir } from '../../../src/main/app/paths';

/**
 * The simulator's cards must never pass for real ones: every profile that reads as a card is marked
 * test or demo (tag DF01), so a production workstation refuses it (docs/cards.md §Statut).
 */
describe('simulator card profiles', () => {
  const profiles = loadCardProfiles(join(resourcesDir(), 'cards'));

  it.each(profiles.map((p) => [p.id, p] as const))(
    '%s reads as a test or demo card, or not at all',
    async (_id, p) => {
      const transport = new SimulatedTransport({ readers: ['R'] });
      transport.insert('R', createVirtualCard(p));
      const session = await transport.connect('R');
      const info = await readCardInfo(session).catch(() => null);
      if (info && 'status' in info) expect(info.status).not.toBe('production');
    },
  );

  it('covers CPS, CPE and Vitale profiles', () => {
    expect(new Set(profiles.map((p) => p.kind))).toEqual(new Set(['vitale', 'cps', 'cpe', 'other']));
  });
});
