import { describe, expect, it } from 'vitest';
import { routePhrase } from '../../../src/main/cda/entries/common';
import { parseCda } from '../../../src/main/cda/import';
import { readShared } from './support/fixtures';

const entries = (name: string) => parseCda(readShared(name)).entries;

describe('extracted wording (issue 10, finding 10)', () => {
  it('phrases the route once: « voie orale », not « voie : Voie orale »', () => {
    const plavix = entries('VSM_1.4_2022.01.xml').find(
      (e) => e.kind === 'medication' && e.label.startsWith('PLAVIX'),
    );
    expect(plavix?.detail).toContain('voie orale');
    expect(plavix?.detail).not.toMatch(/voie : /i);
    const bcg = entries('VAC_2023.01.xml').find(
      (e) => e.kind === 'immunization' && e.code?.code === '61077869',
    );
    expect(bcg?.detail).toContain('voie intramusculaire');
    expect(bcg?.detail).not.toMatch(/voie : /i);
  });

  it('routePhrase: a route label with or without the word « voie »', () => {
    expect(routePhrase('Voie orale')).toBe('voie orale');
    expect(routePhrase('voie intramusculaire')).toBe('voie intramusculaire');
    expect(routePhrase('Orale')).toBe('voie orale');
    expect(routePhrase('IV')).toBe('voie IV');
  });

  it('does not repeat the kind of statement (« interprétation diagnostique ») as the detail of every problem', () => {
    const problems = entries('IPS-FR_2024.01.xml').filter((e) => e.kind === 'problem');
    expect(problems.length).toBeGreaterThan(3);
    for (const p of problems) expect(p.detail ?? '').not.toMatch(/interprétation diagnostique/i);
  });
});
