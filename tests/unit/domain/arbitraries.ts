import fc from 'fast-check';
import { documentCategories } from '../../../src/main/domain/categories';
import type { Actor, DocumentFacts, DossierFacts } from '../../../src/main/domain/access-policy';
import type { DocumentKind } from '../../../src/main/domain/document-types';

/** A small pool so that actors, authors, treating physicians and list members collide often. */
export const idPool = ['810000000001', '810000000002', '810000000003', '010000000004'];

// Weighted towards real codes so that allowed decisions are frequent enough to be meaningful.
export const professionCodeArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      '10',
      '10',
      '10',
      '21',
      '26',
      '35',
      '36',
      '39',
      '40',
      '50',
      '60',
      '69',
      '70',
      '80',
      '86',
      '91',
      '93',
      '98',
    ),
  },
  // Written forms and non-health or hostile codes.
  {
    weight: 2,
    arbitrary: fc.constantFrom('G15_10', 'G15_40', ' 60 ', '', '99', '11', 'SECRETAIRE', '10; DROP'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const cardKindArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('cps' as const) },
  { weight: 2, arbitrary: fc.constant('cpe' as const) },
  { weight: 2, arbitrary: fc.constant('cpf' as const) },
);

export const actorArb: fc.Arbitrary<Actor> = fc.record(
  {
    nationalId: fc.constantFrom(...idPool),
    cardKind: cardKindArb,
    professionCode: professionCodeArb,
    specialtyCode: fc.constantFrom('SM26', 'SM54', 'SM33', 'SM19'),
    centre15Regulation: fc.boolean(),
  },
  { requiredKeys: ['nationalId', 'cardKind', 'professionCode'] },
);

const idSubset = fc.subarray(idPool);

export const dossierArb: fc.Arbitrary<DossierFacts> = fc.record(
  {
    status: fc.oneof(
      { weight: 5, arbitrary: fc.constant('active' as const) },
      { weight: 1, arbitrary: fc.constant('closed' as const) },
    ),
    treatingPhysicianId: fc.constantFrom(...idPool),
    blockedProfessionalIds: idSubset,
    authorizedProfessionalIds: idSubset,
    brisDeGlaceOpposition: fc.boolean(),
    centre15Opposition: fc.boolean(),
    isMinorInSecretMode: fc.boolean(),
  },
  {
    requiredKeys: [
      'status',
      'blockedProfessionalIds',
      'authorizedProfessionalIds',
      'brisDeGlaceOpposition',
      'centre15Opposition',
    ],
  },
);

export const kindArb = fc.constantFrom<DocumentKind>(
  'residence_certificate',
  'delivery_report',
  'psychiatric_summary',
  'telemedicine_request',
);

export const documentArb: fc.Arbitrary<DocumentFacts> = fc.record(
  {
    category: fc.constantFrom(...documentCategories),
    status: fc.constantFrom('approved' as const, 'obsolete' as const, 'archived' as const),
    visibility: fc.record({
      hiddenFromPatient: fc.boolean(),
      maskedFromProfessionals: fc.boolean(),
      hiddenFromLegalRepresentatives: fc.boolean(),
    }),
    authorId: fc.constantFrom(...idPool),
    kind: kindArb,
  },
  { requiredKeys: ['category', 'status', 'visibility'] },
);

export const modeArb = fc.constantFrom('normal' as const, 'bris_de_glace' as const, 'centre_15' as const);

export const reasonArb = fc.option(
  fc.oneof(
    fc.constantFrom('', '   ', '\n\t', 'Patient inconscient, détresse respiratoire'),
    fc.string({ maxLength: 30 }),
  ),
  { nil: undefined },
);
