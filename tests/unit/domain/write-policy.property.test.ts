import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDocumentRead } from '../../../src/main/domain/access-policy';
import {
  decideBlockRecording,
  decideDossierGovernance,
  decideTreatingPhysicianDeclaration,
} from '../../../src/main/domain/governance';
import { checkSearchQuery, takeToken, type Bucket } from '../../../src/main/domain/search-policy';
import { decideDocumentChange, type DocumentChange } from '../../../src/main/domain/write-policy';
import { actorArb, documentArb, dossierArb, idPool, modeArb } from './arbitraries';
import { refIsHealthProfessional, refMayRead, type RefActor, type RefDossier } from './reference-rules';

/**
 * Issue 11's write rules, restated here as sentences turned into booleans (independent of
 * src/main/domain except the read oracle, itself independent): the implementation must agree.
 */
const runs = { numRuns: 1500 };
const structurePool = ['1440000123', '7500000456'];

const writerArb = fc
  .tuple(actorArb, fc.subarray(structurePool))
  .map(([a, structureIds]) => ({ ...a, structureIds }));
const authorshipArb = fc.record(
  {
    authorId: fc.constantFrom(...idPool),
    authorStructureId: fc.constantFrom(...structurePool),
    deleted: fc.boolean(),
  },
  { requiredKeys: ['deleted'] },
);
const changeArb = fc.constantFrom<DocumentChange>('status', 'visibility', 'replace', 'delete');

/** « Only a health professional with a CPS feeds an open DMP they are not blocked from. » */
function refMayFeed(a: RefActor, d: RefDossier): boolean {
  const blocked = d.blockedProfessionalIds.includes(a.nationalId) && d.treatingPhysicianId !== a.nationalId;
  return a.cardKind === 'cps' && refIsHealthProfessional(a) && d.status === 'active' && !blocked;
}

function refMayChange(
  a: RefActor & { structureIds: string[] },
  d: RefDossier,
  change: DocumentChange,
  doc: { authorId?: string; authorStructureId?: string; deleted: boolean },
  mode: 'normal' | 'bris_de_glace' | 'centre_15',
  mayRead: boolean,
  atPatientRequest: boolean,
  patientPresent: boolean,
): boolean {
  // « Bris de glace and Centre 15 are read-only. »
  if (mode !== 'normal') return false;
  // « Changing needs feeding rights and reading rights, on a document not deleted. »
  if (!refMayFeed(a, d) || doc.deleted || !mayRead) return false;
  // « The author, or the author's structure, changes status, replaces, deletes. »
  const author =
    doc.authorId === a.nationalId ||
    (doc.authorStructureId !== undefined && a.structureIds.includes(doc.authorStructureId));
  // « Visibility: the author, or anyone allowed at the request of the patient present. »
  return author || (change === 'visibility' && atPatientRequest && patientPresent);
}

describe('write policy — properties against an independent statement', () => {
  it('a change is allowed exactly when the restated rules allow it', () => {
    fc.assert(
      fc.property(
        writerArb,
        dossierArb,
        changeArb,
        authorshipArb,
        modeArb,
        documentArb,
        fc.boolean(),
        fc.boolean(),
        (actor, dossier, change, doc, mode, docFacts, request, present) => {
          const facts = { ...docFacts, ...(doc.authorId ? { authorId: doc.authorId } : {}) };
          const read = decideDocumentRead(actor, dossier, mode, facts);
          const decision = decideDocumentChange(actor, dossier, change, doc, {
            mode,
            read,
            atPatientRequest: request,
            patientPresent: present,
          });
          expect(decision.allowed).toBe(
            refMayChange(
              actor,
              dossier,
              change,
              doc,
              mode,
              refMayRead(actor, dossier, mode, facts),
              request,
              present,
            ),
          );
          if (!decision.allowed) expect(decision.message.length).toBeGreaterThan(10);
        },
      ),
      runs,
    );
  });

  it('nothing is ever changed in an emergency mode, whoever the actor and whatever the flags', () => {
    fc.assert(
      fc.property(
        writerArb,
        dossierArb,
        changeArb,
        authorshipArb,
        fc.constantFrom('bris_de_glace' as const, 'centre_15' as const),
        (actor, dossier, change, doc, mode) => {
          const decision = decideDocumentChange(actor, dossier, change, doc, {
            mode,
            read: { allowed: true },
            atPatientRequest: true,
            patientPresent: true,
          });
          expect(decision.allowed).toBe(false);
        },
      ),
      runs,
    );
  });
});

describe('dossier governance — properties against an independent statement', () => {
  const basisArb = fc.record({ patientPresent: fc.boolean(), atPatientRequest: fc.boolean() });
  const reasonArb = fc.constantFrom('', '   ', 'Demande du patient', 'Décès');

  it('closing or reactivating is allowed exactly when the restated rules allow it', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        fc.constantFrom('close' as const, 'reactivate' as const),
        basisArb,
        reasonArb,
        (actor, dossier, mode, action, basis, reason) => {
          const healthCps = actor.cardKind === 'cps' && refIsHealthProfessional(actor);
          const blocked =
            dossier.blockedProfessionalIds.includes(actor.nationalId) &&
            dossier.treatingPhysicianId !== actor.nationalId;
          const trusted =
            !blocked &&
            (dossier.treatingPhysicianId === actor.nationalId ||
              dossier.authorizedProfessionalIds.includes(actor.nationalId));
          // « Normal mode; a CPS health professional or a CPE; the patient present, or their written request
          //   recorded by a CPS health professional they trust; a reason. »
          const expected =
            mode === 'normal' &&
            (healthCps || actor.cardKind === 'cpe') &&
            (basis.patientPresent || (basis.atPatientRequest && healthCps && trusted)) &&
            reason.trim() !== '';
          expect(decideDossierGovernance(actor, dossier, mode, action, basis, reason).allowed).toBe(expected);
        },
      ),
      runs,
    );
  });

  it('only a doctor with a CPS, the patient present and consenting, becomes médecin traitant', () => {
    fc.assert(
      fc.property(
        actorArb,
        modeArb,
        fc.boolean(),
        fc.boolean(),
        (actor, mode, patientPresent, patientConsent) => {
          const code = actor.professionCode.trim().replace(/^G15_/i, '');
          const expected =
            mode === 'normal' &&
            actor.cardKind === 'cps' &&
            code === '10' &&
            patientPresent &&
            patientConsent;
          expect(
            decideTreatingPhysicianDeclaration(actor, mode, { patientPresent, patientConsent }).allowed,
          ).toBe(expected);
        },
      ),
      runs,
    );
  });

  it('the médecin traitant is never blocked, and nothing is recorded in an emergency mode or without the patient', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        fc.constantFrom(...idPool),
        fc.boolean(),
        basisArb,
        (actor, dossier, mode, target, blocked, basis) => {
          const decision = decideBlockRecording(actor, dossier, mode, { nationalId: target, blocked }, basis);
          if (mode !== 'normal') expect(decision.allowed).toBe(false);
          if (blocked && dossier.treatingPhysicianId === target) expect(decision.allowed).toBe(false);
          if (!basis.patientPresent && !basis.atPatientRequest) expect(decision.allowed).toBe(false);
        },
      ),
      runs,
    );
  });
});

describe('search limits — properties', () => {
  const dateArb = fc
    .tuple(
      fc.integer({ min: 1900, max: 2030 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  const nameArb = fc.oneof(
    fc.constantFrom('', 'A', 'AB', 'ab-', 'Lé', 'LÉV', 'd’Ar', 'MARTIN', '  x y z '),
    fc.string({ maxLength: 8 }),
  );

  it('an identity search needs three letters or more and a real, complete date', () => {
    fc.assert(
      fc.property(nameArb, dateArb, (name, birthDate) => {
        const letters = name.normalize('NFD').replace(/[^A-Za-z]/g, '').length;
        const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
        // Day 0 of the next month is the last day of this one.
        const realDate = m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
        expect(checkSearchQuery({ name, birthDate }).ok).toBe(letters >= 3 && realDate);
      }),
      runs,
    );
  });

  it('the token bucket never lets more than capacity + elapsed/refill searches through', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let bucket: Bucket | undefined;
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          const taken = takeToken(bucket, now, { capacity: 10, refillMs: 6_000 });
          bucket = taken.bucket;
          if (taken.allowed) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(10 + Math.floor(now / 6_000));
      }),
      runs,
    );
  });
});
