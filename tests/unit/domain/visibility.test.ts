import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  badges,
  decodeVisibility,
  displayWarnings,
  encodeVisibility,
  isValidVisibilityMask,
  validateVisibilityAtDeposit,
} from '../../../src/main/domain/visibility';

const visibilityArb = fc.record({
  hiddenFromPatient: fc.boolean(),
  maskedFromProfessionals: fc.boolean(),
  hiddenFromLegalRepresentatives: fc.boolean(),
});
const normal = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};

describe('visibility bitmask', () => {
  it('encodes the DMP values', () => {
    expect(encodeVisibility(normal)).toBe(1);
    expect(encodeVisibility({ ...normal, hiddenFromPatient: true })).toBe(2);
    expect(encodeVisibility({ ...normal, maskedFromProfessionals: true })).toBe(4);
    expect(encodeVisibility({ ...normal, hiddenFromLegalRepresentatives: true })).toBe(8);
    expect(
      encodeVisibility({
        hiddenFromPatient: true,
        maskedFromProfessionals: true,
        hiddenFromLegalRepresentatives: true,
      }),
    ).toBe(14);
  });

  it('round-trips every visibility', () => {
    fc.assert(
      fc.property(visibilityArb, (v) => {
        expect(decodeVisibility(encodeVisibility(v))).toEqual(v);
      }),
    );
  });

  it('rejects contradictory, out-of-range and non-integer masks', () => {
    for (const bad of [0, 3, 5, 15, 16, -2, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isValidVisibilityMask(bad)).toBe(false);
      expect(() => decodeVisibility(bad)).toThrow(RangeError);
    }
  });

  it('decodes exactly the valid masks and throws on every other number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -20, max: 40 }), fc.double()), (mask) => {
        if (isValidVisibilityMask(mask)) expect(encodeVisibility(decodeVisibility(mask))).toBe(mask);
        else expect(() => decodeVisibility(mask)).toThrow(RangeError);
      }),
    );
  });

  it('accepts exactly 1 and the even masks 2..14', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), (mask) => {
        expect(isValidVisibilityMask(mask)).toBe(mask === 1 || (mask >= 2 && mask <= 14 && mask % 2 === 0));
      }),
    );
  });
});

describe('validateVisibilityAtDeposit', () => {
  const invisibleAndMasked = { ...normal, hiddenFromPatient: true, maskedFromProfessionals: true };

  it('refuses invisible-to-patient and masked together unless the DMP parameter allows it', () => {
    const refused = validateVisibilityAtDeposit(invisibleAndMasked, {
      allowInvisibleAndMasked: false,
      secretMinor: false,
    });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.message).toMatch(/à la fois/);
    expect(
      validateVisibilityAtDeposit(invisibleAndMasked, { allowInvisibleAndMasked: true, secretMinor: false }),
    ).toEqual({ ok: true });
  });

  it("requires a secret minor's documents to be hidden from the legal representatives", () => {
    expect(
      validateVisibilityAtDeposit(normal, { allowInvisibleAndMasked: false, secretMinor: true }).ok,
    ).toBe(false);
    expect(
      validateVisibilityAtDeposit(
        { ...normal, hiddenFromLegalRepresentatives: true },
        { allowInvisibleAndMasked: false, secretMinor: true },
      ),
    ).toEqual({ ok: true });
  });

  it('matches the two upload rules for every combination', () => {
    fc.assert(
      fc.property(visibilityArb, fc.boolean(), fc.boolean(), (v, allowInvisibleAndMasked, secretMinor) => {
        const breaksPair = v.hiddenFromPatient && v.maskedFromProfessionals && !allowInvisibleAndMasked;
        const breaksSecret = secretMinor && !v.hiddenFromLegalRepresentatives;
        expect(validateVisibilityAtDeposit(v, { allowInvisibleAndMasked, secretMinor }).ok).toBe(
          !breaksPair && !breaksSecret,
        );
      }),
    );
  });
});

describe('display warnings and badges', () => {
  it('warns when the patient or the representatives cannot see a document', () => {
    expect(displayWarnings(normal)).toEqual([]);
    expect(displayWarnings({ ...normal, hiddenFromPatient: true })).toEqual([
      "Ce document n'est pas visible par le patient.",
    ]);
    expect(displayWarnings({ ...normal, hiddenFromLegalRepresentatives: true })[0]).toMatch(
      /représentants légaux/,
    );
  });

  it('flags each restriction and status once, in a stable order', () => {
    expect(badges({ visibility: normal, status: 'approved' })).toEqual([]);
    expect(
      badges({
        visibility: {
          hiddenFromPatient: true,
          maskedFromProfessionals: true,
          hiddenFromLegalRepresentatives: true,
        },
        status: 'archived',
      }),
    ).toEqual(['masqué', 'non visible patient', 'non visible représentants', 'archivé']);
    expect(badges({ visibility: normal, status: 'obsolete' })).toEqual(['obsolète']);
  });

  it('gives one warning per hidden audience and one badge per flag', () => {
    fc.assert(
      fc.property(
        visibilityArb,
        fc.constantFrom('approved' as const, 'obsolete' as const, 'archived' as const),
        (v, status) => {
          const flags = [
            v.hiddenFromPatient,
            v.maskedFromProfessionals,
            v.hiddenFromLegalRepresentatives,
          ].filter(Boolean).length;
          expect(displayWarnings(v)).toHaveLength(flags);
          expect(badges({ visibility: v, status })).toHaveLength(flags + (status === 'approved' ? 0 : 1));
        },
      ),
    );
  });
});
