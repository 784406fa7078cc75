import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  categoryForTypeCode,
  documentTypes,
  findDocumentType,
  kindForTypeCode,
  typeLabel,
} from '../../../src/main/domain/document-types';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';

describe('document types', () => {
  it.each([
    ['60591-5', 'syntheses'],
    ['74207-2', 'syntheses'],
    ['SYNTH', 'syntheses'],
    ['34112-3', 'comptes_rendus'],
    ['11490-0', 'comptes_rendus'],
    ['15507-7', 'comptes_rendus'],
    ['11502-2', 'biologie'],
    ['18748-4', 'imagerie'],
    ['87273-9', 'prevention'],
    ['11369-6', 'prevention'],
    ['60593-1', 'traitements_soins'],
    ['57833-6', 'traitements_soins'],
    ['REMB', 'remboursement'],
    ['68599-0', 'sante_mentale'],
    ['75496-0', 'telemedecine'],
  ])('maps %s to %s', (code, category) => {
    expect(categoryForTypeCode(code)).toBe(category);
  });

  it('has one entry per code', () => {
    const codes = documentTypes.map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('tags the types the matrix singles out', () => {
    expect(kindForTypeCode('15508-5')).toBe('delivery_report');
    expect(kindForTypeCode('68599-0')).toBe('psychiatric_summary');
    expect(kindForTypeCode('75496-0')).toBe('telemedicine_request');
    expect(kindForTypeCode('11502-2')).toBeUndefined();
  });

  it('labels types in French and normalises case and spaces', () => {
    expect(typeLabel('11369-6')).toBe('Historique des vaccinations');
    expect(typeLabel(' remb ')).toBe('Historique des remboursements');
    expect(findDocumentType('synth')?.code).toBe('SYNTH');
  });

  it('maps unknown or hostile codes to the unclassified category without throwing', () => {
    for (const code of ['', '   ', '99999-9', '<script>', '__proto__', 'constructor', 'x'.repeat(10_000)]) {
      expect(categoryForTypeCode(code)).toBe('non_classe');
      expect(typeLabel(code).length).toBeLessThan(80);
    }
    expect(typeLabel('')).toBe('Document de type non précisé');
  });
});

const fixtureDir = sharedCdaFixturesDir();

describe('CI-SIS fixtures', () => {
  it("knows every fixture's ClinicalDocument/code", () => {
    const files = readdirSync(fixtureDir).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const xml = readFileSync(join(fixtureDir, file), 'utf8');
      // The document code is the first <code> after <templateId>/<id> at the top of ClinicalDocument.
      const header = xml.slice(0, xml.search(/<(title|effectiveTime)\b/));
      const code = /<code\b[^>]*\bcode="([^"]+)"/.exec(header)?.[1];
      expect(code, file).toBeDefined();
      expect(findDocumentType(code ?? ''), `${file}: ${code}`).toBeDefined();
    }
  });
});
