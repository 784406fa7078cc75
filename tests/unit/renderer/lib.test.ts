import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64ToBytes, bytesToBase64, looksLikePdf } from '../../../src/renderer/src/lib/base64';
import { safeFileName } from '../../../src/renderer/src/lib/download';
import { isLikelyCardHolder, isValidMatricule, sexFromNir } from '../../../src/renderer/src/lib/nir';
import { toInsKey } from '../../../src/renderer/src/features/search/ins-input';
import { ageFrom, ageLabel, frenchDate, frenchDateTime } from '../../../src/renderer/src/features/patient/format';
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

describe('NIR helpers', () => {
  it('checks the control key (97 − n mod 97)', () => {
    expect(isValidMatricule('279035121518989')).toBe(true);
    expect(isValidMatricule('279035121518988')).toBe(false);
    expect(isValidMatricule('27903512151898')).toBe(false);
    // Haute-Corse: 2B counts as 18 in the key computation.
    expect(isValidMatricule('285022B11542341')).toBe(true);
    expect(isValidMatricule('28502B211542341')).toBe(false);
  });

  it('accepts exactly the matricules whose key matches, for any 13-digit body', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1_000_000_000_000n, max: 2_999_999_999_999n }), fc.integer({ min: 1, max: 97 }), (body, key) => {
        const expected = 97n - (body % 97n);
        const matricule = `${body}${String(key).padStart(2, '0')}`;
        expect(isValidMatricule(matricule)).toBe(BigInt(key) === expected);
      }),
    );
  });

  it('reads the sex digit', () => {
    expect(sexFromNir('279035121518989')).toBe('F');
    expect(sexFromNir('179035121518989')).toBe('M');
    expect(sexFromNir('979035121518989')).toBeNull();
  });

  it('takes as card holder only the beneficiary born in the NIR’s year and month', () => {
    expect(isLikelyCardHolder('279035121518989', '1979-03-05')).toBe(true);
    expect(isLikelyCardHolder('279035121518989', '1979-00-00')).toBe(true);
    expect(isLikelyCardHolder('279035121518989', '2015-06-12')).toBe(false);
    expect(isLikelyCardHolder('279035121518989', '1979-04-05')).toBe(false);
  });
});

describe('toInsKey', () => {
  it('completes a bare matricule, keeps a full key, ignores spaces and refuses anything else', () => {
    expect(toInsKey('2 79 03 51 215 189 89', '1.2.250.1.213.1.4.10')).toBe('279035121518989@1.2.250.1.213.1.4.10');
    expect(toInsKey('279035121518989@1.2.250.1.213.1.4.8', '1.2.250.1.213.1.4.10')).toBe('279035121518989@1.2.250.1.213.1.4.8');
    expect(toInsKey('279035121518989@1.2.3', '1.2.250.1.213.1.4.8')).toBeNull();
    expect(toInsKey('DUPONT', '1.2.250.1.213.1.4.8')).toBeNull();
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
        visibility: { hiddenFromPatient: true, maskedFromProfessionals: true, hiddenFromLegalRepresentatives: true },
      }),
    ).map((b) => b.label);
    expect(all).toEqual(['Masqué aux professionnels', 'Non visible par le patient', 'Non visible par les représentants légaux', 'Archivé']);
    expect(documentBadges(documentMeta({ status: 'obsolete' })).map((b) => b.label)).toEqual(['Obsolète']);
  });
});
