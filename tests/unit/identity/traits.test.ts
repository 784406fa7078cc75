import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  cardDateMatches,
  isCompleteDate,
  nameTraitProblem,
} from '../../../src/shared/identity/traits';

describe('name traits', () => {
  it('accepts French names with accents, hyphens, apostrophes and spaces', () => {
    for (const name of [
      'PAT-TROIS',
      'Dominique Marie-Louise',
      'D’ARC',
      "O'NEILL",
      'Élise',
      'NGUYEN',
      'ST. JOHN',
    ]) {
      expect(nameTraitProblem(name, 'Le nom')).toBeNull();
    }
  });

  it('refuses bidirectional overrides, isolates, zero-width and control characters (finding 6)', () => {
    for (const name of [
      'PAT\u202EEMOD',
      'PAT\u2066X\u2069',
      'PA\u200BT',
      'PAT\u0000',
      'PAT\nTROIS',
      'PAT\u2028',
    ]) {
      expect(nameTraitProblem(name, 'Le nom')).toMatch(/invisibles ou de contrôle/);
    }
  });

  it('refuses digits and symbols, and empty names', () => {
    expect(nameTraitProblem('PAT3', 'Le nom')).toMatch(/chiffres/);
    expect(nameTraitProblem('  ', 'Le nom')).toMatch(/vide/);
  });

  it('never accepts a string containing a format or control character', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('\u202E', '\u202D', '\u2067', '\u200E', '\u200F', '\u061C', '\u0007', '\uFEFF'),
        fc.string(),
        (a, c, b) => {
          expect(nameTraitProblem(`A${a}${c}${b}`, 'Le nom')).not.toBeNull();
        },
      ),
    );
  });
});

describe('card dates', () => {
  it('a card date with unknown parts matches only on its known parts, never the other way round', () => {
    expect(cardDateMatches('1962-03-00', '1962-03-15')).toBe(true);
    expect(cardDateMatches('1979-00-00', '1979-03-28')).toBe(true);
    expect(cardDateMatches('1979-00-00', '1980-03-28')).toBe(false);
    expect(cardDateMatches('1979-03-28', '1979-03-00')).toBe(false);
    expect(cardDateMatches('1979-03-28', '1979-03-28')).toBe(true);
  });

  it('complete dates exist in the calendar', () => {
    expect(isCompleteDate('2024-02-29')).toBe(true);
    expect(isCompleteDate('2023-02-29')).toBe(false);
    expect(isCompleteDate('1962-03-00')).toBe(false);
  });

  it('age in whole years', () => {
    expect(ageOn('2012-04-17', '2026-12-02')).toBe(14);
    expect(ageOn('2008-12-03', '2026-12-02')).toBe(17);
    expect(ageOn('2008-12-02', '2026-12-02')).toBe(18);
  });
});
