import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../src/main/cda/import';
import { sharedCorpusDir } from '../../support/shared-fixtures';

const corpus = (name: string) => parseCda(readFileSync(join(sharedCorpusDir(), name)));

describe('coded names win over narrative words (issue 10, finding 5)', () => {
  it('names a questionnaire allergy by its coded type, not by the narrative « Oui »', () => {
    const allergies = corpus('CSE-CS24_2024.01.xml').entries.filter((e) => e.kind === 'allergy');
    expect(allergies.map((a) => a.label)).toContain('allergie alimentaire');
    expect(allergies.some((a) => /^(oui|non)$/i.test(a.label))).toBe(false);
  });

  it('never labels a medication or vaccine « Oui »', () => {
    for (const name of ['CSE-CS24_2025.01.xml', 'CSE-CS8_2025.01.xml', 'CSE-CS9_2025.01.xml']) {
      const labels = corpus(name)
        .entries.filter((e) => e.kind === 'medication' || e.kind === 'immunization')
        .map((e) => e.label);
      expect(
        labels.filter((l) => /^(oui|non)$/i.test(l)),
        name,
      ).toEqual([]);
    }
  });
});

describe('French units and frequencies (issue 10, finding 3)', () => {
  it('writes UCUM units and periods in French', () => {
    const details = corpus('CSE-CS9_2025.01.xml')
      .entries.map((e) => e.detail ?? '')
      .join('\n');
    expect(details).not.toMatch(/\[IU\]|toutes les 1 J/);
    expect(details).toContain('UI/mL');
  });
});
