import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardSubject, readCardSubject, type CardHolder } from '../../../src/main/pki';
import { Name } from '../../../src/main/pki/x509';

/** Restated here, independently of profile.ts: IDNPS is 8+11 digits (RPPS) or 0+9 digits (ADELI). */
const idnps = fc.oneof(
  fc.stringMatching(/^\d{11}$/).map((rpps) => `8${rpps}`),
  fc.stringMatching(/^\d{9}$/).map((adeli) => `0${adeli}`),
);
const nameText = fc
  .string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(..."ABCDÉÈÏÇabcdéèïç -'".split('')) })
  .filter((s) => s.trim() === s && s.trim() !== '');
const holder: fc.Arbitrary<CardHolder> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('cps' as const, 'cpf' as const),
    nationalId: idnps,
    lastName: nameText,
    firstName: nameText,
    professionCode: fc.constantFrom('10', '21', '40', '50', '60', '70', '91'),
  }),
  fc.record({
    kind: fc.constant('cpe' as const),
    nationalId: idnps,
    lastName: nameText,
    firstName: nameText,
    professionCode: fc.constantFrom('', '60'),
  }),
);

describe('card certificate subject', () => {
  it('reads back exactly the holder it was built from, through DER', () => {
    fc.assert(
      fc.property(holder, fc.stringMatching(/^\d{10}$/), (h, serial) => {
        const der = new Name(cardSubject(h, serial)).toArrayBuffer();
        expect(readCardSubject(new Name(der))).toEqual({ holder: h });
      }),
    );
  });

  it('refuses a subject without a national id or a card kind', () => {
    expect(readCardSubject(new Name('C=FR, CN=poste-a'))).toEqual({ problem: 'no card kind in subject' });
    expect(readCardSubject(new Name('C=FR, OU=CPS, SN=X, G=Y, T=10'))).toEqual({
      problem: 'national id is neither 8+RPPS nor 0+ADELI',
    });
  });
});
