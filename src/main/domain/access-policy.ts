import type { AccessMode } from '../../shared/contract/session';
import type { DocumentCategory } from './categories';
import type { DocumentKind } from './document-types';
import { canProfessionReadDocument } from './habilitations';
import { professionCodes, toHealthProfession } from './professions';

export interface Actor {
  nationalId: string;
  cardKind: 'cps' | 'cpe' | 'cpf';
  professionCode: string;
  specialtyCode?: string;
  /**
   * True when the professional works in the current session as a SAMU–Centre 15 regulating doctor. The
   * CPS carries no "regulator" specialty (regulators are emergency physicians or GPs), so the session
   * sets it from the selected practice situation: see `situationIsCentre15Regulation`.
   */
  centre15Regulation?: boolean;
}

export interface DossierFacts {
  status: 'active' | 'closed';
  treatingPhysicianId?: string;
  blockedProfessionalIds: string[];
  authorizedProfessionalIds: string[];
  brisDeGlaceOpposition: boolean;
  centre15Opposition: boolean;
  isMinorInSecretMode?: boolean;
}

export interface DocumentFacts {
  category: DocumentCategory;
  status: 'approved' | 'obsolete' | 'archived';
  visibility: {
    hiddenFromPatient: boolean;
    maskedFromProfessionals: boolean;
    hiddenFromLegalRepresentatives: boolean;
  };
  authorId?: string;
  /** Set (from `kindForTypeCode`) when the type is one the matrix singles out inside its category. */
  kind?: DocumentKind;
}

export type Decision =
  | { allowed: true }
  | { allowed: false; code: 'FORBIDDEN' | 'LOCKED' | 'NOT_FOUND'; message: string; rule: string };

export type DossierAction = 'create' | 'close' | 'reactivate' | 'printAccessCodes';

const allow: Decision = { allowed: true };

function refuse(code: 'FORBIDDEN' | 'LOCKED' | 'NOT_FOUND', rule: string, message: string): Decision {
  return { allowed: false, code, rule, message };
}

/** Stable rule ids, for logs and tests. */
export const rules = {
  cpeNoMedicalContent: 'card.cpe-no-medical-content',
  notHealthProfession: 'profession.not-health',
  cardCannotManage: 'card.cannot-manage',
  cardCannotDeposit: 'card.cannot-deposit',
  dossierClosed: 'dossier.closed',
  blockedByPatient: 'patient.blocked-professional',
  notInCareTeam: 'normal.not-in-care-team',
  bdgProfession: 'bdg.profession-not-allowed',
  bdgReasonRequired: 'bdg.reason-required',
  bdgOpposed: 'bdg.patient-opposed',
  c15NotRegulator: 'c15.not-regulator',
  c15Opposed: 'c15.patient-opposed',
  documentMasked: 'document.masked',
  habilitation: 'document.habilitation-matrix',
} as const;

/** Secretaries and other CPE holders manage dossiers but never read medical content; nor do non-health staff. */
export function canReadMedicalContent(actor: Actor): boolean {
  return actor.cardKind !== 'cpe' && toHealthProfession(actor.professionCode) !== undefined;
}

/**
 * CSP L1111-17 III opens emergency access to health professionals; we restrict it to the professions that
 * act alone in vital emergencies (doctors, midwives, nurses) and to a CPS: a student card (CPF) acts under
 * supervision. Decision recorded in docs/access-rules.md.
 */
const brisDeGlaceProfessions: readonly string[] = [
  professionCodes.medecin,
  professionCodes.sageFemme,
  professionCodes.infirmier,
  professionCodes.infirmierPsychiatrique,
];

export function professionAllowsBrisDeGlace(actor: Actor): boolean {
  const profession = toHealthProfession(actor.professionCode);
  return actor.cardKind === 'cps' && profession !== undefined && brisDeGlaceProfessions.includes(profession);
}

/** CSP L1111-17: the regulating doctor of the SAMU–Centre 15, with a CPS, working in a regulation situation. */
export function isCentre15Regulator(actor: Actor): boolean {
  return (
    actor.cardKind === 'cps' &&
    toHealthProfession(actor.professionCode) === professionCodes.medecin &&
    actor.centre15Regulation === true
  );
}

/** Practice situations of a regulation centre; the label is the only marker the CPS gives us. */
export function situationIsCentre15Regulation(situation: { label: string; sector?: string }): boolean {
  return /\b(samu|centre\s*15|crra|r[ée]gulation\s+m[ée]dicale)\b/i.test(situation.label);
}

function isTreatingPhysician(actor: Actor, dossier: DossierFacts): boolean {
  return dossier.treatingPhysicianId !== undefined && dossier.treatingPhysicianId === actor.nationalId;
}

function isBlocked(actor: Actor, dossier: DossierFacts): boolean {
  // The médecin traitant cannot be blocked by the patient (Mon espace santé rule, see docs/access-rules.md).
  return dossier.blockedProfessionalIds.includes(actor.nationalId) && !isTreatingPhysician(actor, dossier);
}

/** Everything a dossier read checks except the bris-de-glace reason, which belongs to the opening only. */
function dossierGate(actor: Actor, dossier: DossierFacts, mode: AccessMode): Decision {
  if (actor.cardKind === 'cpe') {
    return refuse(
      'FORBIDDEN',
      rules.cpeNoMedicalContent,
      'Une carte CPE (personnel non soignant) ne permet pas de consulter le contenu médical du DMP.',
    );
  }
  if (!canReadMedicalContent(actor)) {
    return refuse(
      'FORBIDDEN',
      rules.notHealthProfession,
      'Votre profession ne permet pas de consulter le contenu médical du DMP.',
    );
  }
  if (dossier.status === 'closed') {
    return refuse(
      'LOCKED',
      rules.dossierClosed,
      'Ce DMP est fermé : il ne peut plus être consulté. Il peut être réactivé à la demande du patient.',
    );
  }
  if (isBlocked(actor, dossier)) {
    return refuse(
      'FORBIDDEN',
      rules.blockedByPatient,
      "Le patient a bloqué votre accès à son DMP. Vous ne pouvez pas le consulter, quel que soit le mode d'accès.",
    );
  }
  switch (mode) {
    case 'normal':
      if (isTreatingPhysician(actor, dossier) || dossier.authorizedProfessionalIds.includes(actor.nationalId))
        return allow;
      return refuse(
        'FORBIDDEN',
        rules.notInCareTeam,
        "Vous n'êtes pas autorisé à consulter ce DMP. Informez le patient et enregistrez son autorisation avant d'ouvrir son dossier.",
      );
    case 'bris_de_glace':
      if (!professionAllowsBrisDeGlace(actor)) {
        return refuse(
          'FORBIDDEN',
          rules.bdgProfession,
          "Le mode bris de glace est réservé aux médecins, sages-femmes et infirmiers munis d'une carte CPS.",
        );
      }
      if (dossier.brisDeGlaceOpposition) {
        return refuse(
          'FORBIDDEN',
          rules.bdgOpposed,
          "Le patient s'est opposé à l'accès en mode bris de glace à son DMP.",
        );
      }
      return allow;
    case 'centre_15':
      if (!isCentre15Regulator(actor)) {
        return refuse(
          'FORBIDDEN',
          rules.c15NotRegulator,
          'Le mode Centre 15 est réservé au médecin régulateur du SAMU, en situation de régulation.',
        );
      }
      if (dossier.centre15Opposition) {
        return refuse(
          'FORBIDDEN',
          rules.c15Opposed,
          "Le patient s'est opposé à l'accès à son DMP par le médecin régulateur du Centre 15.",
        );
      }
      return allow;
  }
}

export function decideDossierAccess(
  actor: Actor,
  dossier: DossierFacts,
  mode: 'normal' | 'bris_de_glace' | 'centre_15',
  reason?: string,
): Decision {
  const gate = dossierGate(actor, dossier, mode);
  if (!gate.allowed) return gate;
  if (mode === 'bris_de_glace' && (reason ?? '').trim() === '') {
    return refuse(
      'FORBIDDEN',
      rules.bdgReasonRequired,
      "Le motif de l'accès en mode bris de glace est obligatoire.",
    );
  }
  return allow;
}

/**
 * Archived and obsolete documents are readable: the caller flags or filters them. Masked documents stay
 * hidden in every mode, bris de glace included (CNIL finding on early pilots), except to the médecin traitant
 * and to their author; NOT_FOUND so that their existence is not revealed.
 */
export function decideDocumentRead(
  actor: Actor,
  dossier: DossierFacts,
  mode: AccessMode,
  doc: DocumentFacts,
): Decision {
  const gate = dossierGate(actor, dossier, mode);
  if (!gate.allowed) return gate;
  const isAuthor = doc.authorId !== undefined && doc.authorId === actor.nationalId;
  if (doc.visibility.maskedFromProfessionals && !isAuthor && !isTreatingPhysician(actor, dossier)) {
    return refuse(
      'NOT_FOUND',
      rules.documentMasked,
      "Ce document n'est pas disponible : il a été masqué aux professionnels de santé.",
    );
  }
  // An author keeps access to what they wrote even if their profession's row does not cover its category.
  if (!isAuthor && !canProfessionReadDocument(actor.professionCode, doc.category, doc.kind)) {
    return refuse(
      'FORBIDDEN',
      rules.habilitation,
      "Votre profession n'est pas habilitée à consulter ce type de document (matrice d'habilitations).",
    );
  }
  return allow;
}

/** CPS and CPE holders create, close and reactivate dossiers and print access codes; students (CPF) do not. */
export function decideDossierManagement(actor: Actor, _action: DossierAction): Decision {
  if (actor.cardKind === 'cpf') {
    return refuse(
      'FORBIDDEN',
      rules.cardCannotManage,
      'Une carte CPF (étudiant) ne permet pas de gérer un DMP.',
    );
  }
  return allow;
}

/**
 * Feeding the DMP needs no prior authorisation (CSP L1111-15), but it needs a health professional's CPS:
 * a CPE is not a signature and a CPF acts under supervision.
 */
export function decideDeposit(actor: Actor, dossier: DossierFacts): Decision {
  if (actor.cardKind !== 'cps' || toHealthProfession(actor.professionCode) === undefined) {
    return refuse(
      'FORBIDDEN',
      rules.cardCannotDeposit,
      "Seul un professionnel de santé muni d'une carte CPS peut alimenter le DMP.",
    );
  }
  if (dossier.status === 'closed') {
    return refuse('LOCKED', rules.dossierClosed, 'Ce DMP est fermé : aucun document ne peut y être ajouté.');
  }
  if (isBlocked(actor, dossier)) {
    return refuse(
      'FORBIDDEN',
      rules.blockedByPatient,
      'Le patient a bloqué votre accès à son DMP : vous ne pouvez pas y ajouter de document.',
    );
  }
  return allow;
}
