import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardNirCannotBeBeneficiarys,
  checkIns,
  formatInsKey,
  formatMatricule,
  InsKeyError,
  insKeyPattern,
  insOids,
  isTestOid,
  matriculeKey,
  matriculeKeyValid,
  parseInsKey,
  rnivStatus,
  sexOfMatricule,
  tryParseInsKey,
  type InsProblemCode,
} from '../../../src/shared/identity/ins';
import { insKey as insKeySchema, matriculeSchema } from '../../../src/shared/contract';

/** The CI-SIS fictitious patient carried by most fixtures (female, born March 1979). */
const fixtureNir = '279035121518989';

// ── An independent statement of the rules, written from the INSEE layout, not from the module ──

/** Key digit by digit (Horner), Corsica's 2A → 19 and 2B → 18. */
function specKey(body13: string): string {
  const digits =
    body13.slice(0, 5) +
    (body13.slice(5, 7) === '2A' ? '19' : body13.slice(5, 7) === '2B' ? '18' : body13.slice(5, 7)) +
    body13.slice(7);
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(97 - remainder).padStart(2, '0');
}

const specSex: Record<string, 'M' | 'F'> = { '1': 'M', '7': 'M', '2': 'F', '8': 'F' };
const specRegister: Record<string, 'nir' | 'nia'> = { '1': 'nir', '2': 'nir', '7': 'nia', '8': 'nia' };

/** Which problems the rules say a matricule has, for an OID and traits. */
function specProblems(
  matricule: string,
  oid: string,
  traits: { sex?: 'M' | 'F' | 'U'; birthDate?: string },
): Set<InsProblemCode> {
  const problems = new Set<InsProblemCode>();
  const known = [insOids.nir, insOids.nia, insOids.test, insOids.demo] as string[];
  if (!known.includes(oid)) problems.add('oid');
  const first = matricule[0] ?? '';
  const department = matricule.slice(5, 7);
  const layout =
    matricule.length === 15 &&
    first in specSex &&
    [...matricule.slice(1, 5), ...matricule.slice(7)].every((c) => c >= '0' && c <= '9') &&
    (/^\d\d$/.test(department) || department === '2A' || department === '2B');
  if (!layout) {
    problems.add('format');
    return problems;
  }
  if (specKey(matricule.slice(0, 13)) !== matricule.slice(13)) problems.add('key');
  if (
    (oid === insOids.nir && specRegister[first] !== 'nir') ||
    (oid === insOids.nia && specRegister[first] !== 'nia')
  )
    problems.add('kind');
  if (traits.sex === 'M' || traits.sex === 'F') {
    if (specSex[first] !== traits.sex) problems.add('sex');
  }
  if (traits.birthDate) {
    const [year = '', month = ''] = traits.birthDate.split('-');
    if (year.slice(2) !== matricule.slice(1, 3)) problems.add('birth-year');
    const nirMonth = Number(matricule.slice(3, 5));
    if (nirMonth >= 1 && nirMonth <= 12 && month !== '00' && Number(month) !== nirMonth)
      problems.add('birth-month');
  }
  return problems;
}

const bodyArb = fc
  .tuple(
    fc.constantFrom('1', '2', '7', '8'),
    fc.integer({ min: 0, max: 99 }),
    fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(20, 31, 42, 55, 99)),
    fc.constantFrom('75', '2A', '2B', '13', '99', '97'),
    fc.integer({ min: 0, max: 999 }),
    fc.integer({ min: 1, max: 999 }),
  )
  .map(
    ([sex, yy, mm, dept, commune, order]) =>
      `${sex}${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}${dept}${String(commune).padStart(3, '0')}${String(order).padStart(3, '0')}`,
  );

/** Valid matricules, and ones altered the way real data is: a wrong key, a swapped digit, a bad first digit. */
const matriculeArb = fc.oneof(
  bodyArb.map((body) => body + specKey(body)),
  fc
    .tuple(bodyArb, fc.integer({ min: 0, max: 99 }))
    .map(([body, key]) => body + String(key).padStart(2, '0')),
  fc
    .tuple(bodyArb, fc.constantFrom('0', '3', '4', '5', '9'))
    .map(([body, first]) => first + body.slice(1) + specKey(body)),
  fc.string({ maxLength: 16 }),
);

const traitsArb = fc.record(
  {
    sex: fc.constantFrom('M', 'F', 'U') as fc.Arbitrary<'M' | 'F' | 'U'>,
    birthDate: fc
      .tuple(
        fc.integer({ min: 1900, max: 2026 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 28 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  },
  { requiredKeys: [] },
);

describe('INS rules against their independent statement', () => {
  it('checkIns reports exactly the problems the rules name', () => {
    fc.assert(
      fc.property(
        matriculeArb,
        fc.constantFrom(insOids.nir, insOids.nia, insOids.test, insOids.demo, '1.2.3'),
        traitsArb,
        (matricule, oid, traits) => {
          const found = new Set(checkIns({ matricule, oid }, traits).map((p) => p.code));
          // Spaces and case are normalised before checking, as typed input is.
          expect(found).toEqual(specProblems(matricule.replace(/\s+/g, '').toUpperCase(), oid, traits));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the key agrees with the digit-by-digit computation, Corsica included', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        expect(String(matriculeKey(body)).padStart(2, '0')).toBe(specKey(body));
        expect(matriculeKeyValid(body + specKey(body))).toBe(true);
      }),
    );
  });

  it('the contract accepts an INS key exactly when its layout is right', () => {
    fc.assert(
      fc.property(matriculeArb, fc.constantFrom(...Object.values(insOids)), (matricule, oid) => {
        const layoutOk = !specProblems(matricule, oid, {}).has('format');
        expect(insKeyPattern.test(`${matricule}@${oid}`)).toBe(layoutOk);
        expect(insKeySchema.safeParse(`${matricule}@${oid}`).success).toBe(layoutOk);
        expect(matriculeSchema.safeParse(matricule).success).toBe(layoutOk);
      }),
    );
  });
});

describe('known answers', () => {
  it('the CI-SIS fixture patient is a valid, consistent test INS', () => {
    expect(
      checkIns({ matricule: fixtureNir, oid: insOids.test }, { sex: 'F', birthDate: '1979-03-28' }),
    ).toEqual([]);
    expect(sexOfMatricule(fixtureNir)).toBe('F');
    expect(formatMatricule(fixtureNir)).toBe('2 79 03 51 215 189 89');
  });

  it('the corpus INS whose key is wrong are refused for their key', () => {
    for (const wrong of ['223042545611404', '221042545611404', '222127505611201', '224027511583555']) {
      expect(checkIns({ matricule: wrong, oid: insOids.nir }).map((p) => p.code)).toEqual(['key']);
    }
    expect(checkIns({ matricule: '277076322082910', oid: insOids.nir })).toEqual([]);
  });

  it('Corsica: 2A and 2B matricules with their keys are valid (finding: the old pattern refused them)', () => {
    expect(matriculeKeyValid('285022B11542341')).toBe(true);
    expect(matriculeKeyValid('178062A00412327')).toBe(true);
    expect(
      checkIns({ matricule: '178062A00412327', oid: insOids.nir }, { sex: 'M', birthDate: '1978-06-14' }),
    ).toEqual([]);
    expect(matriculeKeyValid('178062B00412327')).toBe(false);
  });

  it('first digits 3, 4, 5, 9 are not matricules; 7 and 8 are NIA, refused under the NIR OID', () => {
    for (const first of ['3', '4', '5', '9']) {
      const body = `${first}790351215189`;
      expect(checkIns({ matricule: body + specKey(body), oid: insOids.test }).map((p) => p.code)).toEqual([
        'format',
      ]);
    }
    const nia = `8790351215189`;
    expect(checkIns({ matricule: nia + specKey(nia), oid: insOids.nia })).toEqual([]);
    expect(checkIns({ matricule: nia + specKey(nia), oid: insOids.nir }).map((p) => p.code)).toEqual([
      'kind',
    ]);
  });

  it('sex, year and month inconsistencies are refusals, and messages never contain the matricule', () => {
    const problems = checkIns(
      { matricule: fixtureNir, oid: insOids.test },
      { sex: 'M', birthDate: '1980-04-05' },
    );
    expect(problems.map((p) => p.code)).toEqual(['sex', 'birth-year', 'birth-month']);
    for (const p of problems) expect(p.message).not.toContain('2790351');
  });

  it('does not compare what the matricule or the card leaves unknown', () => {
    expect(
      checkIns({ matricule: fixtureNir, oid: insOids.test }, { sex: 'U', birthDate: '1979-00-00' }),
    ).toEqual([]);
    const unknownMonth = '2792051215189';
    expect(
      checkIns(
        { matricule: unknownMonth + specKey(unknownMonth), oid: insOids.test },
        { birthDate: '1979-07-01' },
      ),
    ).toEqual([]);
  });

  it('a card NIR cannot be a child’s own INS', () => {
    expect(cardNirCannotBeBeneficiarys(fixtureNir, { birthDate: '2012-06-14' })).toBe(true);
    expect(cardNirCannotBeBeneficiarys(fixtureNir, { birthDate: '1979-03-05' })).toBe(false);
    expect(cardNirCannotBeBeneficiarys('garbage', { birthDate: '1979-03-05' })).toBe(true);
  });

  it('RNIV statuses: qualified needs both the reference and a checked identity document', () => {
    expect(rnivStatus({ retrieved: false, documentChecked: false })).toBe('provisional');
    expect(rnivStatus({ retrieved: true, documentChecked: false })).toBe('fetched');
    expect(rnivStatus({ retrieved: false, documentChecked: true })).toBe('validated');
    expect(rnivStatus({ retrieved: true, documentChecked: true })).toBe('qualified');
  });
});

describe('INS keys', () => {
  it('parses and formats <matricule>@<oid>, lower-case Corsica too', () => {
    expect(parseInsKey(`  ${fixtureNir}@${insOids.nir} `)).toEqual({
      matricule: fixtureNir,
      oid: insOids.nir,
    });
    const corsican = `184012A001123`;
    const key = `${corsican}${specKey(corsican)}`;
    expect(formatInsKey(parseInsKey(`${key.toLowerCase()}@${insOids.nia}`))).toBe(`${key}@${insOids.nia}`);
  });

  it('refuses malformed keys with a French message that does not echo the input', () => {
    for (const bad of [
      '',
      '@',
      fixtureNir,
      `${fixtureNir}@`,
      `${fixtureNir}@1.2.3`,
      `${fixtureNir}@${insOids.nir}@x`,
      `27903512151898@${insOids.nir}`,
    ]) {
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
  });
});
