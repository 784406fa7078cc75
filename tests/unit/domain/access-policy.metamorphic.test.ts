import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDocumentRead, decideDossierAccess } from '../../../src/main/domain/access-policy';
import { actorArb, documentArb, dossierArb, modeArb, reasonArb } from './arbitraries';

const runs = { numRuns: 1000 };

/** Relations between two calls on related inputs: restricting the facts never widens access, and vice versa. */
describe('access policy — metamorphic properties', () => {
  it('recording an authorisation never removes access', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        documentArb,
        reasonArb,
        (actor, dossier, mode, doc, reason) => {
          const granted = {
            ...dossier,
            authorizedProfessionalIds: [...dossier.authorizedProfessionalIds, actor.nationalId],
          };
          if (decideDossierAccess(actor, dossier, mode, reason).allowed)
            expect(decideDossierAccess(actor, granted, mode, reason).allowed).toBe(true);
          if (decideDocumentRead(actor, dossier, mode, doc).allowed)
            expect(decideDocumentRead(actor, granted, mode, doc).allowed).toBe(true);
        },
      ),
      runs,
    );
  });

  it('an opposition, a block or a closure never grants access', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        documentArb,
        reasonArb,
        (actor, dossier, mode, doc, reason) => {
          const restricted = [
            { ...dossier, brisDeGlaceOpposition: true },
            { ...dossier, centre15Opposition: true },
            { ...dossier, blockedProfessionalIds: [...dossier.blockedProfessionalIds, actor.nationalId] },
            { ...dossier, status: 'closed' as const },
          ];
          for (const facts of restricted) {
            if (!decideDossierAccess(actor, dossier, mode, reason).allowed)
              expect(decideDossierAccess(actor, facts, mode, reason).allowed).toBe(false);
            if (!decideDocumentRead(actor, dossier, mode, doc).allowed)
              expect(decideDocumentRead(actor, facts, mode, doc).allowed).toBe(false);
          }
        },
      ),
      runs,
    );
  });

  it('masking a document never makes it readable', () => {
    fc.assert(
      fc.property(actorArb, dossierArb, modeArb, documentArb, (actor, dossier, mode, doc) => {
        const maskedDoc = { ...doc, visibility: { ...doc.visibility, maskedFromProfessionals: true } };
        if (!decideDocumentRead(actor, dossier, mode, doc).allowed)
          expect(decideDocumentRead(actor, dossier, mode, maskedDoc).allowed).toBe(false);
      }),
      runs,
    );
  });

  it("a document's status and its patient/representative visibility do not change what a professional may read", () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        modeArb,
        documentArb,
        fc.constantFrom('approved' as const, 'obsolete' as const, 'archived' as const),
        fc.boolean(),
        fc.boolean(),
        (actor, dossier, mode, doc, status, hiddenFromPatient, hiddenFromLegalRepresentatives) => {
          const variant = {
            ...doc,
            status,
            visibility: { ...doc.visibility, hiddenFromPatient, hiddenFromLegalRepresentatives },
          };
          expect(decideDocumentRead(actor, dossier, mode, variant).allowed).toBe(
            decideDocumentRead(actor, dossier, mode, doc).allowed,
          );
        },
      ),
      runs,
    );
  });

  it('a bris-de-glace reason only matters for its presence, not its content', () => {
    fc.assert(
      fc.property(
        actorArb,
        dossierArb,
        fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
        (actor, dossier, reason) => {
          expect(decideDossierAccess(actor, dossier, 'bris_de_glace', reason).allowed).toBe(
            decideDossierAccess(actor, dossier, 'bris_de_glace', 'Patient inconscient').allowed,
          );
        },
      ),
      runs,
    );
  });
});
