import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdaError } from '../../../src/main/cda/errors';
import { parseCda } from '../../../src/main/cda/import';
import { readShared } from './support/fixtures';

/** parseCda must either succeed or throw a CdaError: never a TypeError, RangeError or an unhandled crash. */
function parsesOrRefusesCleanly(input: Uint8Array | string): boolean {
  try {
    parseCda(input);
    return true;
  } catch (err) {
    if (err instanceof CdaError) return true;
    throw err;
  }
}

const seed = readShared('VAC-NOTE_2023.01.xml');

describe('robustness on corrupted input', () => {
  it('survives random byte flips, truncations and insertions of a real document', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat({ max: seed.length }),
        (flips, cut) => {
          const bytes = new Uint8Array(seed);
          for (const [at, value] of flips) bytes[at] = value;
          return parsesOrRefusesCleanly(bytes.subarray(0, Math.max(cut, 1)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('survives arbitrary strings and byte arrays', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => parsesOrRefusesCleanly(s)),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => parsesOrRefusesCleanly(b)),
      { numRuns: 200 },
    );
  });

  it('survives removing any element of a real document', () => {
    const xml = seed.toString('utf8');
    const closings = [...xml.matchAll(/<\/[A-Za-z:]+>/g)].map((m) => m.index ?? 0);
    fc.assert(
      fc.property(fc.constantFrom(...closings), (at) => {
        const tagEnd = xml.indexOf('>', at) + 1;
        return parsesOrRefusesCleanly(xml.slice(0, at) + xml.slice(tagEnd));
      }),
      { numRuns: 100 },
    );
  });

  it('a well-formed but gutted CDA still yields a CdaError, not a crash', () => {
    for (const body of [
      '',
      '<component/>',
      '<component><structuredBody/></component>',
      '<component><nonXMLBody/></component>',
    ]) {
      const xml = `<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"/><code code="x"/><recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="1"/></patientRole></recordTarget>${body}</ClinicalDocument>`;
      expect(parsesOrRefusesCleanly(xml)).toBe(true);
    }
  });
});
