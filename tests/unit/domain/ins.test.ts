import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beneficiaryNeedsOwnIns,
  formatInsKey,
  InsKeyError,
  insOids,
  isTestOid,
  parseInsKey,
  tryParseInsKey,
  validateIns,
} from '../../../src/main/domain/ins';
import { nirKey, nirKeyValid } from '../../../src/main/domain/nir';

/** The CI-SIS fictitious patient carried by every fixture (female, born March 1979). */
const fixtureNir = '279035121518989';
const fixtureKey = `${fixtureNir}@${insOids.test}`;

/** Independent key computation (digit by digit), so the tests do not reuse nirKey's arithmetic. */
function referenceKey(body13: string): string {
  const digits = body13.replace('2A', '19').replace('2B', '18');
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(97 - remainder).padStart(2, '0');
}

const nirBodyArb = fc
  .tuple(
    fc.constantFrom('1', '2'),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 1, max: 12 }),
    fc.constantFrom('75', '2A', '2B', '13', '99'),
    fc.integer({ min: 0, max: 999 }),
    fc.integer({ min: 1, max: 999 }),
  )
  .map(([sex, yy, mm, dept, commune, order]) =>
    `${sex}${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}${dept}${String(commune).padStart(3, '0')}${String(order).padStart(3, '0')}`,
  );

describe('NIR key (existing nir.ts)', () => {
  it('accepts the fixture NIR and rejects a wrong key', () => {
    expect(nirKeyValid(fixtureNir)).toBe(true);
    expect(nirKeyValid('279035121518988')).toBe(false);
  });

  it('agrees with an independent key computation, Corsica included', () => {
    fc.assert(
      fc.property(nirBodyArb, (body) => {
        expect(String(nirKey(body)).padStart(2, '0')).toBe(referenceKey(body));
        expect(nirKeyValid(body + referenceKey(body))).toBe(true);
      }),
    );
  });
});

describe('INS keys', () => {
  it('parses and formats <matricule>@<oid>', () => {
    expect(parseInsKey(fixtureKey)).toEqual({ matricule: fixtureNir, oid: insOids.test });
    expect(parseInsKey(`  ${fixtureNir}@${insOids.nir} `)).toEqual({ matricule: fixtureNir, oid: insOids.nir });
    const corsican = '184012A001123';
    const corsicanKey = `${corsican}${referenceKey(corsican)}`;
    expect(parseInsKey(`${corsicanKey.toLowerCase()}@${insOids.nia}`)).toEqual({ matricule: corsicanKey, oid: insOids.nia });
    expect(formatInsKey({ matricule: corsicanKey.toLowerCase(), oid: insOids.nia })).toBe(`${corsicanKey}@${insOids.nia}`);
  });

  it('round-trips any well-formed key', () => {
    fc.assert(
      fc.property(nirBodyArb, fc.constantFrom(...Object.values(insOids)), (body, oid) => {
        const key = `${body}${referenceKey(body)}@${oid}`;
        expect(formatInsKey(parseInsKey(key))).toBe(key);
      }),
    );
  });

  it('refuses malformed keys with a French message that does not echo the input', () => {
    for (const bad of ['', '@', fixtureNir, `${fixtureNir}@`, `${fixtureNir}@1.2.3`, `${fixtureNir}@${insOids.nir}@x`, `27903512151898@${insOids.nir}`, `27903512151898X@${insOids.nir}`]) {
      expect(() => parseInsKey(bad)).toThrow(InsKeyError);
      expect(tryParseInsKey(bad)).toBeUndefined();
      try {
        parseInsKey(bad);
      } catch (error) {
        expect((error as Error).message).toMatch(/^Identifiant INS invalide/);
        expect((error as Error).message).not.toContain(fixtureNir.slice(0, 13));
      }
    }
  });

  it('never throws anything but InsKeyError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        try {
          parseInsKey(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InsKeyError);
        }
      }),
    );
  });

  it('flags test and demo OIDs', () => {
    expect(isTestOid(insOids.test)).toBe(true);
    expect(isTestOid(insOids.demo)).toBe(true);
    expect(isTestOid(insOids.nir)).toBe(false);
    expect(isTestOid(insOids.nia)).toBe(false);
    expect(isTestOid('1.2.250.1.213.1.4.100')).toBe(false);
  });
});

describe('validateIns', () => {
  const ins = { matricule: fixtureNir, oid: insOids.test } as const;

  it('accepts the fixture identity with consistent traits', () => {
    expect(validateIns(ins, { sex: 'F', birthDate: '1979-03-05' })).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('refuses a wrong key', () => {
    const result = validateIns({ ...ins, matricule: '279035121518988' });
    expect(result.valid).toBe(false);
    expect(result.errors.join(' ')).toMatch(/clé/);
  });

  it('warns (without refusing) on sex, year and month inconsistencies', () => {
    const result = validateIns(ins, { sex: 'M', birthDate: '1980-04-05' });
    expect(result.valid).toBe(true);
    expect(result.warnings).toHaveLength(3);
  });

  it('does not compare what the NIR or the card leaves unknown', () => {
    expect(validateIns(ins, { sex: 'U', birthDate: '1979-00-00' }).warnings).toEqual([]);
    const unknownMonth = '2792051215189';
    const matricule = unknownMonth + referenceKey(unknownMonth);
    expect(validateIns({ ...ins, matricule }, { birthDate: '1979-07-01' })).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('reports malformed matricules and dates', () => {
    expect(validateIns({ ...ins, matricule: '12' }).valid).toBe(false);
    expect(validateIns(ins, { birthDate: '05/03/1979' }).warnings).toHaveLength(1);
  });

  it('never puts the matricule in its messages', () => {
    const result = validateIns({ ...ins, matricule: '279035121518988' }, { sex: 'M', birthDate: '1980-04-05' });
    for (const message of [...result.errors, ...result.warnings]) expect(message).not.toContain('2790351');
  });
});

describe('beneficiaryNeedsOwnIns', () => {
  it("requires an INSi lookup for a child listed on the parent's card", () => {
    expect(beneficiaryNeedsOwnIns(fixtureNir, { birthDate: '2012-06-14' })).toBe(true);
  });

  it('allows the card NIR to be the beneficiary’s when birth year and month match', () => {
    expect(beneficiaryNeedsOwnIns(fixtureNir, { birthDate: '1979-03-05' })).toBe(false);
    expect(beneficiaryNeedsOwnIns(fixtureNir, { birthDate: '1979-00-00' })).toBe(false);
  });

  it('is conservative on malformed input', () => {
    expect(beneficiaryNeedsOwnIns('garbage', { birthDate: '1979-03-05' })).toBe(true);
    expect(beneficiaryNeedsOwnIns(fixtureNir, { birthDate: '' })).toBe(true);
  });
});
