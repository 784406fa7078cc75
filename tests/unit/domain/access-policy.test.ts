import { describe, expect, it } from 'vitest';
import {
  canReadMedicalContent,
  decideDeposit,
  decideDocumentRead,
  decideDossierAccess,
  decideDossierManagement,
  isCentre15Regulator,
  professionAllowsBrisDeGlace,
  rules,
  situationIsCentre15Regulation,
  type Actor,
  type Decision,
  type DocumentFacts,
  type DossierFacts,
} from '../../../src/main/domain/access-policy';

const doctor: Actor = {
  nationalId: '810000000001',
  cardKind: 'cps',
  professionCode: '10',
  specialtyCode: 'SM54',
};
const gp: Actor = {
  nationalId: '810000000009',
  cardKind: 'cps',
  professionCode: '10',
  specialtyCode: 'SM54',
};
const nurse: Actor = { nationalId: '810000000002', cardKind: 'cps', professionCode: '60' };
const dentist: Actor = { nationalId: '810000000003', cardKind: 'cps', professionCode: '40' };
const podiatrist: Actor = { nationalId: '810000000004', cardKind: 'cps', professionCode: '80' };
const physio: Actor = { nationalId: '810000000005', cardKind: 'cps', professionCode: '70' };
const secretary: Actor = { nationalId: '310000000006', cardKind: 'cpe', professionCode: '' };
const intern: Actor = { nationalId: '810000000007', cardKind: 'cpf', professionCode: '10' };
const regulator: Actor = { ...doctor, nationalId: '810000000008', centre15Regulation: true };

const dossier: DossierFacts = {
  status: 'active',
  treatingPhysicianId: gp.nationalId,
  blockedProfessionalIds: [],
  authorizedProfessionalIds: [
    doctor.nationalId,
    nurse.nationalId,
    dentist.nationalId,
    podiatrist.nationalId,
    physio.nationalId,
    intern.nationalId,
  ],
  brisDeGlaceOpposition: false,
  centre15Opposition: false,
};

const visible = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};
const report: DocumentFacts = {
  category: 'comptes_rendus',
  status: 'approved',
  visibility: visible,
  authorId: '810000000099',
};
const masked: DocumentFacts = { ...report, visibility: { ...visible, maskedFromProfessionals: true } };

function ruleOf(decision: Decision): string | undefined {
  return decision.allowed ? undefined : decision.rule;
}

describe('decideDossierAccess — normal mode', () => {
  it('allows the care team (authorised list) and the médecin traitant', () => {
    expect(decideDossierAccess(doctor, dossier, 'normal')).toEqual({ allowed: true });
    expect(decideDossierAccess(gp, dossier, 'normal')).toEqual({ allowed: true });
  });

  it('refuses a professional without recorded authorisation, in French, pointing at the consent step', () => {
    const outsider: Actor = { ...doctor, nationalId: '810000000077' };
    const decision = decideDossierAccess(outsider, dossier, 'normal');
    expect(decision).toMatchObject({ allowed: false, code: 'FORBIDDEN', rule: rules.notInCareTeam });
    expect(decision.allowed ? '' : decision.message).toMatch(/autorisation/);
  });

  it('refuses a professional the patient blocked, even if also on the authorised list', () => {
    const blocked = { ...dossier, blockedProfessionalIds: [nurse.nationalId] };
    expect(ruleOf(decideDossierAccess(nurse, blocked, 'normal'))).toBe(rules.blockedByPatient);
  });

  it('does not let the patient block the médecin traitant', () => {
    const blocked = { ...dossier, blockedProfessionalIds: [gp.nationalId] };
    expect(decideDossierAccess(gp, blocked, 'normal').allowed).toBe(true);
  });

  it('refuses reading a closed dossier with LOCKED', () => {
    expect(decideDossierAccess(gp, { ...dossier, status: 'closed' }, 'normal')).toMatchObject({
      allowed: false,
      code: 'LOCKED',
      rule: rules.dossierClosed,
    });
  });

  it('refuses CPE holders and non-health staff', () => {
    expect(
      ruleOf(
        decideDossierAccess(
          secretary,
          { ...dossier, authorizedProfessionalIds: [secretary.nationalId] },
          'normal',
        ),
      ),
    ).toBe(rules.cpeNoMedicalContent);
    const socialWorker: Actor = { nationalId: '810000000010', cardKind: 'cps', professionCode: 'ASS' };
    expect(
      ruleOf(
        decideDossierAccess(
          socialWorker,
          { ...dossier, authorizedProfessionalIds: [socialWorker.nationalId] },
          'normal',
        ),
      ),
    ).toBe(rules.notHealthProfession);
  });
});

describe('decideDossierAccess — bris de glace', () => {
  const outsider: Actor = { ...doctor, nationalId: '810000000077' };

  it('lets a doctor outside the care team in with a reason', () => {
    expect(
      decideDossierAccess(outsider, dossier, 'bris_de_glace', 'Patient inconscient aux urgences'),
    ).toEqual({ allowed: true });
  });

  it('requires a non-blank reason', () => {
    expect(ruleOf(decideDossierAccess(outsider, dossier, 'bris_de_glace'))).toBe(rules.bdgReasonRequired);
    expect(ruleOf(decideDossierAccess(outsider, dossier, 'bris_de_glace', ' \n\t '))).toBe(
      rules.bdgReasonRequired,
    );
  });

  it("honours the patient's prior opposition", () => {
    expect(
      ruleOf(
        decideDossierAccess(
          outsider,
          { ...dossier, brisDeGlaceOpposition: true },
          'bris_de_glace',
          'Urgence vitale',
        ),
      ),
    ).toBe(rules.bdgOpposed);
  });

  it('is limited to doctors, midwives and nurses holding a CPS', () => {
    expect(professionAllowsBrisDeGlace(doctor)).toBe(true);
    expect(professionAllowsBrisDeGlace({ ...nurse, professionCode: '50' })).toBe(true);
    expect(professionAllowsBrisDeGlace(nurse)).toBe(true);
    expect(professionAllowsBrisDeGlace({ ...nurse, professionCode: 'G15_69' })).toBe(true);
    expect(professionAllowsBrisDeGlace(dentist)).toBe(false);
    expect(professionAllowsBrisDeGlace(physio)).toBe(false);
    expect(professionAllowsBrisDeGlace(intern)).toBe(false);
    expect(professionAllowsBrisDeGlace(secretary)).toBe(false);
    expect(ruleOf(decideDossierAccess(dentist, dossier, 'bris_de_glace', 'Urgence'))).toBe(
      rules.bdgProfession,
    );
  });

  it('does not open a dossier to a professional the patient blocked', () => {
    const blocked = { ...dossier, blockedProfessionalIds: [outsider.nationalId] };
    expect(ruleOf(decideDossierAccess(outsider, blocked, 'bris_de_glace', 'Urgence'))).toBe(
      rules.blockedByPatient,
    );
  });
});

describe('decideDossierAccess — centre 15', () => {
  it('lets the regulating doctor in, without a reason', () => {
    expect(isCentre15Regulator(regulator)).toBe(true);
    expect(decideDossierAccess(regulator, dossier, 'centre_15')).toEqual({ allowed: true });
  });

  it('refuses a doctor not in a regulation situation, a regulating non-doctor, and a student card', () => {
    expect(ruleOf(decideDossierAccess(doctor, dossier, 'centre_15'))).toBe(rules.c15NotRegulator);
    expect(isCentre15Regulator({ ...nurse, centre15Regulation: true })).toBe(false);
    expect(isCentre15Regulator({ ...intern, centre15Regulation: true })).toBe(false);
  });

  it("honours the patient's prior opposition", () => {
    expect(
      ruleOf(decideDossierAccess(regulator, { ...dossier, centre15Opposition: true }, 'centre_15')),
    ).toBe(rules.c15Opposed);
  });

  it('recognises regulation situations from the practice-situation label', () => {
    expect(situationIsCentre15Regulation({ label: 'SAMU 75 - Centre 15' })).toBe(true);
    expect(situationIsCentre15Regulation({ label: 'CRRA du CHU de Lyon' })).toBe(true);
    expect(situationIsCentre15Regulation({ label: 'Régulation médicale SAS' })).toBe(true);
    expect(situationIsCentre15Regulation({ label: 'Cabinet du Dr Martin' })).toBe(false);
    expect(situationIsCentre15Regulation({ label: 'Résidence Samuel' })).toBe(false);
  });
});

describe('decideDocumentRead', () => {
  it('hides masked documents (NOT_FOUND) from the care team, even in bris de glace', () => {
    expect(decideDocumentRead(doctor, dossier, 'normal', masked)).toMatchObject({
      allowed: false,
      code: 'NOT_FOUND',
      rule: rules.documentMasked,
    });
    expect(
      ruleOf(decideDocumentRead({ ...doctor, nationalId: '810000000077' }, dossier, 'bris_de_glace', masked)),
    ).toBe(rules.documentMasked);
    expect(ruleOf(decideDocumentRead(regulator, dossier, 'centre_15', masked))).toBe(rules.documentMasked);
  });

  it('shows masked documents to the médecin traitant and to their author', () => {
    expect(decideDocumentRead(gp, dossier, 'normal', masked).allowed).toBe(true);
    expect(
      decideDocumentRead(nurse, dossier, 'normal', { ...masked, authorId: nurse.nationalId }).allowed,
    ).toBe(true);
  });

  it('applies the habilitation matrix by category and by document kind', () => {
    expect(
      decideDocumentRead(doctor, dossier, 'normal', { ...report, category: 'sante_mentale' }).allowed,
    ).toBe(true);
    expect(
      ruleOf(
        decideDocumentRead(dentist, dossier, 'normal', {
          ...report,
          category: 'sante_mentale',
          kind: 'psychiatric_summary',
        }),
      ),
    ).toBe(rules.habilitation);
    expect(
      ruleOf(
        decideDocumentRead(dentist, dossier, 'normal', {
          ...report,
          category: 'telemedecine',
          kind: 'telemedicine_request',
        }),
      ),
    ).toBe(rules.habilitation);
    expect(
      decideDocumentRead(dentist, dossier, 'normal', { ...report, category: 'telemedecine' }).allowed,
    ).toBe(true);
    expect(
      ruleOf(decideDocumentRead(podiatrist, dossier, 'normal', { ...report, kind: 'delivery_report' })),
    ).toBe(rules.habilitation);
    expect(decideDocumentRead(podiatrist, dossier, 'normal', report).allowed).toBe(true);
    expect(
      ruleOf(
        decideDocumentRead(doctor, dossier, 'normal', {
          ...report,
          category: 'certificats',
          kind: 'residence_certificate',
        }),
      ),
    ).toBe(rules.habilitation);
    expect(
      decideDocumentRead(doctor, dossier, 'normal', { ...report, category: 'certificats' }).allowed,
    ).toBe(true);
  });

  it("lets an author read their own document even outside their profession's row", () => {
    const own = { ...report, category: 'sante_mentale' as const, authorId: physio.nationalId };
    expect(decideDocumentRead(physio, dossier, 'normal', own).allowed).toBe(true);
    expect(decideDocumentRead(physio, dossier, 'normal', { ...own, authorId: '810000000099' }).allowed).toBe(
      false,
    );
  });

  it('returns archived and obsolete documents (the caller flags them)', () => {
    expect(decideDocumentRead(doctor, dossier, 'normal', { ...report, status: 'archived' }).allowed).toBe(
      true,
    );
    expect(decideDocumentRead(doctor, dossier, 'normal', { ...report, status: 'obsolete' }).allowed).toBe(
      true,
    );
  });

  it('never lets a CPE holder read, whatever the document', () => {
    expect(canReadMedicalContent(secretary)).toBe(false);
    expect(canReadMedicalContent(doctor)).toBe(true);
    const authorised = {
      ...dossier,
      treatingPhysicianId: secretary.nationalId,
      authorizedProfessionalIds: [secretary.nationalId],
    };
    expect(
      ruleOf(
        decideDocumentRead(secretary, authorised, 'normal', { ...report, authorId: secretary.nationalId }),
      ),
    ).toBe(rules.cpeNoMedicalContent);
  });

  it('treats an unclassified document as doctor-only', () => {
    expect(decideDocumentRead(doctor, dossier, 'normal', { ...report, category: 'non_classe' }).allowed).toBe(
      true,
    );
    expect(decideDocumentRead(nurse, dossier, 'normal', { ...report, category: 'non_classe' }).allowed).toBe(
      false,
    );
  });
});

describe('decideDossierManagement and decideDeposit', () => {
  it('lets CPS and CPE holders manage dossiers but not students', () => {
    for (const action of ['create', 'close', 'reactivate', 'printAccessCodes'] as const) {
      expect(decideDossierManagement(secretary, action).allowed).toBe(true);
      expect(decideDossierManagement(doctor, action).allowed).toBe(true);
      expect(ruleOf(decideDossierManagement(intern, action))).toBe(rules.cardCannotManage);
    }
  });

  it('lets a health professional with a CPS deposit without prior authorisation', () => {
    const outsider: Actor = { ...nurse, nationalId: '810000000077' };
    expect(decideDeposit(outsider, dossier).allowed).toBe(true);
  });

  it('refuses deposits from CPE/CPF cards, on closed dossiers and from blocked professionals', () => {
    expect(ruleOf(decideDeposit(secretary, dossier))).toBe(rules.cardCannotDeposit);
    expect(ruleOf(decideDeposit(intern, dossier))).toBe(rules.cardCannotDeposit);
    expect(decideDeposit(doctor, { ...dossier, status: 'closed' })).toMatchObject({
      allowed: false,
      code: 'LOCKED',
    });
    expect(ruleOf(decideDeposit(doctor, { ...dossier, blockedProfessionalIds: [doctor.nationalId] }))).toBe(
      rules.blockedByPatient,
    );
  });
});
