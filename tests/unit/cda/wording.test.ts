import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../src/main/cda/import';
import { readShared } from './support/fixtures';

const entries = (name: string) => parseCda(readShared(name)).entries;

describe('extracted wording (issue 10, finding 10)', () => {
  it('names the route once (« Voie : orale »), never « voie : Voie orale »', () => {
    const plavix = entries('VSM_1.4_2022.01.xml').find(
      (e) => e.kind === 'medication' && e.label.startsWith('PLAVIX'),
    );
    expect(plavix?.detail).toContain('Voie : orale');
    expect(plavix?.detail).not.toMatch(/voie : voie/i);
    const bcg = entries('VAC_2023.01.xml').find(
      (e) => e.kind === 'immunization' && e.code?.code === '61077869',
    );
    expect(bcg?.detail).toMatch(/Voie : intramusculaire/i);
    expect(bcg?.detail).not.toMatch(/voie : voie/i);
  });

  it('does not repeat the kind of statement (« interprétation diagnostique ») as the detail of every problem', () => {
    const problems = entries('IPS-FR_2024.01.xml').filter((e) => e.kind === 'problem');
    expect(problems.length).toBeGreaterThan(3);
    for (const p of problems) expect(p.detail ?? '').not.toMatch(/interprétation diagnostique/i);
  });
});
