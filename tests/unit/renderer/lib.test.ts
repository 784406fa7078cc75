import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64ToBytes, bytesToBase64, looksLikePdf } from '../../../src/renderer/src/lib/base64';
import { safeFileName } from '../../../src/renderer/src/lib/download';
import { toInsKey } from '../../../src/renderer/src/features/search/ins-input';
import {
  ageFrom,
  ageLabel,
  frenchDate,
  frenchDateTime,
} from '../../../src/renderer/src/features/patient/format';
import { documentBadges } from '../../../src/renderer/src/features/dossier/labels';
import { documentMeta } from './support/fixtures';

describe('base64', () => {
  it('round-trips any bytes, including more than one 32 KiB chunk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        expect(Array.from(base64ToBytes(bytesToBase64(bytes)))).toEqual(Array.from(bytes));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses malformed base64 with a French message instead of returning garbage', () => {
    expect(() => base64ToBytes('%%%')).toThrow('Contenu reçu illisible (base64 invalide).');
  });

  it('recognises a PDF by its magic bytes only', () => {
    expect(looksLikePdf(new TextEncoder().encode('%PDF-1.4'))).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('%PDF'))).toBe(false);
    expect(looksLikePdf(new TextEncoder().encode('<html>'))).toBe(false);
  });
});

describe('safeFileName', () => {
  it('strips path separators and control characters, and never returns an empty name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(safeFileName('codes\u0000.pdf')).toBe('codes_.pdf');
    expect(safeFileName('   ')).toBe('document.pdf');
  });
});

describe('toInsKey', () => {
  it('completes a bare matricule, keeps a full key, ignores spaces and refuses anything else', () => {
    expect(toInsKey('2 79 03 51 215 189 89', '1.2.250.1.213.1.4.10')).toBe(
      '279035121518989@1.2.250.1.213.1.4.10',
    );
    expect(toInsKey('279035121518989@1.2.250.1.213.1.4.8', '1.2.250.1.213.1.4.10')).toBe(
      '279035121518989@1.2.250.1.213.1.4.8',
    );
    expect(toInsKey('279035121518989@1.2.3', '1.2.250.1.213.1.4.8')).toBeNull();
    expect(toInsKey('DUPONT', '1.2.250.1.213.1.4.8')).toBeNull();
  });

  it('refuses a matricule whose key is wrong, and accepts Corsica (the renderer once had its own, diverging rules)', () => {
    expect(toInsKey('279035121518988', '1.2.250.1.213.1.4.10')).toBeNull();
    expect(toInsKey('285022b11542341', '1.2.250.1.213.1.4.10')).toBe('285022B11542341@1.2.250.1.213.1.4.10');
    expect(toInsKey('479035121518989', '1.2.250.1.213.1.4.10')).toBeNull();
  });
});

describe('format', () => {
  const today = new Date(2026, 10, 23);
  it('formats dates the French way and keeps unknown parts', () => {
    expect(frenchDate('1979-03-05')).toBe('05/03/1979');
    expect(frenchDate('1979-00-00')).toBe('00/00/1979');
    expect(frenchDate(undefined)).toBe('—');
    expect(frenchDateTime('not a date')).toBe('not a date');
  });

  it('computes age in years, and in months under two', () => {
    expect(ageFrom('1979-11-24', today)).toBe(46);
    expect(ageFrom('1979-11-23', today)).toBe(47);
    expect(ageLabel('2025-09-30', today)).toBe('13 mois');
    expect(ageLabel('2026-11-24', today)).toBeNull();
  });
});

describe('documentBadges', () => {
  it('flags masked, hidden from patient / representatives, archived and obsolete', () => {
    expect(documentBadges(documentMeta())).toEqual([]);
    const all = documentBadges(
      documentMeta({
        status: 'archived',
        visibility: {
          hiddenFromPatient: true,
          maskedFromProfessionals: true,
          hiddenFromLegalRepresentatives: true,
        },
      }),
    ).map((b) => b.label);
    expect(all).toEqual([
      'Masqué aux professionnels',
      'Non visible par le patient',
      'Non visible par les représentants légaux',
      'Archivé',
    ]);
    expect(documentBadges(documentMeta({ status: 'obsolete' })).map((b) => b.label)).toEqual(['Obsolète']);
  });
});
