import { describe, expect, it } from 'vitest';
import { documentCategories, regulatedCategories } from '../../../src/main/domain/categories';
import {
  canProfessionReadCategory,
  canProfessionReadDocument,
  canProfessionReadKind,
  habilitationMatrix,
  readableCategories,
} from '../../../src/main/domain/habilitations';
import { healthProfessions, isHealthProfession, professionLabel } from '../../../src/main/domain/professions';

describe('matrice d’habilitations', () => {
  it('has eleven regulated categories plus the unclassified fallback', () => {
    expect(regulatedCategories).toHaveLength(11);
    expect(documentCategories).toContain('non_classe');
    expect(regulatedCategories).toEqual(expect.arrayContaining(['remboursement', 'espace_patient']));
  });

  it('has a row for every listed health profession and nothing else', () => {
    expect(Object.keys(habilitationMatrix).sort()).toEqual(Object.keys(healthProfessions).sort());
  });

  it('lets doctors read every category; the only exclusion is the residence certificate', () => {
    for (const category of documentCategories) expect(canProfessionReadCategory('10', category)).toBe(true);
    expect(canProfessionReadKind('10', 'residence_certificate')).toBe(false);
    expect(canProfessionReadKind('10', 'delivery_report')).toBe(true);
  });

  it('keeps psychiatric summaries and telemedicine requests from dentists', () => {
    expect(canProfessionReadDocument('40', 'sante_mentale', 'psychiatric_summary')).toBe(false);
    expect(canProfessionReadDocument('40', 'telemedecine', 'telemedicine_request')).toBe(false);
    expect(canProfessionReadDocument('40', 'comptes_rendus')).toBe(true);
  });

  it('keeps delivery reports from podiatrists but not other reports', () => {
    expect(canProfessionReadDocument('80', 'comptes_rendus', 'delivery_report')).toBe(false);
    expect(canProfessionReadDocument('80', 'comptes_rendus')).toBe(true);
  });

  it('gives nothing to non-health staff and unknown codes (role matrix suspended)', () => {
    for (const code of ['', 'ASS', '99', '1', '100', 'G15_', '__proto__', 'constructor', 'toString']) {
      expect(isHealthProfession(code)).toBe(false);
      expect(readableCategories(code)).toEqual([]);
      for (const category of documentCategories)
        expect(canProfessionReadCategory(code, category)).toBe(false);
    }
  });

  it('accepts the G15_ prefix and surrounding spaces of CDA author codes', () => {
    expect(canProfessionReadCategory('G15_60', 'biologie')).toBe(true);
    expect(canProfessionReadCategory(' 60 ', 'biologie')).toBe(true);
    expect(professionLabel('G15_60')).toBe('Infirmier');
    expect(professionLabel('XYZ')).toBe('Profession non reconnue');
  });

  it('keeps the unclassified category doctor-only', () => {
    const readers = Object.keys(habilitationMatrix).filter((code) =>
      canProfessionReadCategory(code, 'non_classe'),
    );
    expect(readers).toEqual(['10']);
  });
});
