import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canReadMedicalContent,
  decideDeposit,
  decideDocumentRead,
  decideDossierAccess,
  decideDossierManagement,
  rules,
  type Decision,
} from '../../../src/main/domain/access-policy';
import { actorArb, documentArb, dossierArb, modeArb, reasonArb } from './arbitraries';
import { refIsTreating, refMatrixAllows, refMayOpenWithReason, refMayRead } from './reference-rules';

const runs = { numRuns: 1500 };
const knownRules = new Set<string>(Object.values(rules));

function wellFormedRefusal(decision: Decision): boolean {
  if (decision.allowed) return true;
  return (
    decision.message.trim().length > 10 &&
    knownRules.has(decision.rule) &&
    ['FORBIDDEN', 'LOCKED', 'NOT_FOUND'].includes(decision.code)
  );
}

describe('access policy — properties against an independent formulation', () => {
  it('opening a dossier is allowed exactly when the reference rules allow it', () => {
    fc.assert(
      fc.property(actorArb, dossierArb, modeArb, reasonArb, (actor, dossier, mode, reason) => {
        const decision = decideDossierAccess(actor, dossier, mode, reason);
        expect(decision.allowed).toBe(refMayOpenWithReason(actor, dossier, mode, reason));
        expect(wellFormedRefusal(decision)).toBe(true);
      }),
      runs,
    );
  });

  it('reading a document is allowed exactly when the reference rules allow it', () => {
    fc.assert(
      fc.property(actorArb, dossierArb, modeArb, documentArb, (actor, dossier, mode, doc) => {
        const decision = decideDocumentRead(actor, dossier, mode, doc);
        expect(decision.allowed).toBe(refMayRead(actor, dossier, mode, doc));
        expect(wellFormedRefusal(decision)).toBe(true);
      }),
      runs,
    );
  });

  it('a CPE holder never opens a dossier nor reads a document, in any mode', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        reasonArb,
        documentArb,
        (actor, dossier, mode, reason, doc) => {
          const secretary = { ...actor, cardKind: 'cpe' as const };
          expect(canReadMedicalContent(secretary)).toBe(false);
          expect(decideDossierAccess(secretary, dossier, mode, reason).allowed).toBe(false);
          expect(decideDocumentRead(secretary, dossier, mode, doc).allowed).toBe(false);
          expect(decideDeposit(secretary, dossier).allowed).toBe(false);
        },
      ),
      runs,
    );
  });

  it('a professional blocked by the patient never reads in normal mode unless they are the médecin traitant', () => {
    fc.assert(
      fc.property(actorArb, dossierArb, documentArb, (actor, dossier, doc) => {
        const blocked = {
          ...dossier,
          blockedProfessionalIds: [...dossier.blockedProfessionalIds, actor.nationalId],
        };
        fc.pre(!refIsTreating(actor, blocked));
        expect(decideDossierAccess(actor, blocked, 'normal').allowed).toBe(false);
        expect(decideDocumentRead(actor, blocked, 'normal', doc).allowed).toBe(false);
      }),
      runs,
    );
  });

  it('a masked document is never readable by a professional who is neither its author nor the médecin traitant', () => {
    fc.assert(
      fc.property(actorArb, dossierArb, modeArb, documentArb, (actor, dossier, mode, doc) => {
        fc.pre(doc.authorId !== actor.nationalId && dossier.treatingPhysicianId !== actor.nationalId);
        const masked = { ...doc, visibility: { ...doc.visibility, maskedFromProfessionals: true } };
        expect(decideDocumentRead(actor, dossier, mode, masked).allowed).toBe(false);
      }),
      runs,
    );
  });

  it("bris de glace is never allowed without a non-blank reason or against the patient's opposition", () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        fc.constantFrom(undefined, '', ' ', '\t\n'),
        fc.string(),
        (actor, dossier, blank, anyReason) => {
          expect(decideDossierAccess(actor, dossier, 'bris_de_glace', blank).allowed).toBe(false);
          const opposed = { ...dossier, brisDeGlaceOpposition: true };
          expect(decideDossierAccess(actor, opposed, 'bris_de_glace', anyReason).allowed).toBe(false);
        },
      ),
      runs,
    );
  });

  it("centre 15 access is never allowed against the patient's opposition nor to a non-regulator", () => {
    fc.assert(
      fc.property(actorArb, dossierArb, (actor, dossier) => {
        expect(
          decideDossierAccess(actor, { ...dossier, centre15Opposition: true }, 'centre_15').allowed,
        ).toBe(false);
        expect(
          decideDossierAccess({ ...actor, centre15Regulation: false }, dossier, 'centre_15').allowed,
        ).toBe(false);
      }),
      runs,
    );
  });

  it("the habilitation matrix is always respected except for a document's own author", () => {
    fc.assert(
      fc.property(actorArb, dossierArb, modeArb, documentArb, (actor, dossier, mode, doc) => {
        const decision = decideDocumentRead(actor, dossier, mode, doc);
        if (decision.allowed && doc.authorId !== actor.nationalId)
          expect(refMatrixAllows(actor, doc)).toBe(true);
      }),
      runs,
    );
  });

  it('a closed dossier is never readable, but stays manageable by CPS and CPE holders', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        reasonArb,
        documentArb,
        (actor, dossier, mode, reason, doc) => {
          const closed = { ...dossier, status: 'closed' as const };
          expect(decideDossierAccess(actor, closed, mode, reason).allowed).toBe(false);
          expect(decideDocumentRead(actor, closed, mode, doc).allowed).toBe(false);
          expect(decideDeposit(actor, closed).allowed).toBe(false);
          expect(decideDossierManagement(actor, 'reactivate').allowed).toBe(actor.cardKind !== 'cpf');
        },
      ),
      runs,
    );
  });

  it('refusal messages never echo the professional identifier', () => {
    fc.assert(
      fc.property(actorArb, dossierArb, modeArb, documentArb, (actor, dossier, mode, doc) => {
        const decision = decideDocumentRead(actor, dossier, mode, doc);
        if (!decision.allowed) expect(decision.message).not.toContain(actor.nationalId);
      }),
      runs,
    );
  });
});
