import type { AccessMode } from '../../shared/contract/session';
import type { Actor, Decision, DossierFacts } from './access-policy';
import { toHealthProfession } from './professions';

/**
 * Closing (TD1.4) and reactivating (TD1.2) a DMP, and the patient's own choices recorded by a
 * professional (médecin traitant, block). These are the patient's decisions: the professional only
 * records them, with the patient there or on the patient's written request. docs/access-rules.md §10.
 */
export type GovernanceAction = 'close' | 'reactivate';

export interface PatientBasis {
  /** The patient's Vitale is in the session and designates this dossier. */
  patientPresent: boolean;
  /** The professional records a request the patient made (letter, message); written to the audit trail. */
  atPatientRequest: boolean;
}

export const governanceRules = {
  emergency: 'governance.emergency-mode',
  cardNotAllowed: 'governance.card-not-allowed',
  patientAbsent: 'governance.patient-absent',
  notInCareTeam: 'governance.not-in-care-team',
  reasonRequired: 'governance.reason-required',
  notDoctor: 'governance.treating-physician-not-doctor',
  treatingNotBlockable: 'governance.treating-physician-not-blockable',
} as const;

function refuse(rule: string, message: string): Decision {
  return { allowed: false, code: 'FORBIDDEN', rule, message };
}

function isHealthCps(actor: Actor): boolean {
  return actor.cardKind === 'cps' && toHealthProfession(actor.professionCode) !== undefined;
}

function inCareTeam(actor: Actor, dossier: DossierFacts): boolean {
  const blocked =
    dossier.blockedProfessionalIds.includes(actor.nationalId) &&
    dossier.treatingPhysicianId !== actor.nationalId;
  return (
    !blocked &&
    (dossier.treatingPhysicianId === actor.nationalId ||
      dossier.authorizedProfessionalIds.includes(actor.nationalId))
  );
}

/**
 * Assumption G2: a health professional's CPS or a front-desk CPE may close or reactivate, in normal
 * mode only, with the patient present; on the patient's written request without them, only a CPS
 * holder of the care team (someone the patient already trusts with the dossier). Never a student (CPF).
 */
export function decideDossierGovernance(
  actor: Actor,
  dossier: DossierFacts,
  mode: AccessMode,
  action: GovernanceAction,
  basis: PatientBasis,
  reason: string,
): Decision {
  if (mode !== 'normal') {
    return refuse(
      governanceRules.emergency,
      'Un accès en mode bris de glace ou Centre 15 ne permet ni de clôturer ni de réactiver un DMP.',
    );
  }
  if (!isHealthCps(actor) && actor.cardKind !== 'cpe') {
    return refuse(
      governanceRules.cardNotAllowed,
      'Votre carte ne permet pas de clôturer ou de réactiver un DMP.',
    );
  }
  if (!basis.patientPresent) {
    if (!basis.atPatientRequest) {
      return refuse(
        governanceRules.patientAbsent,
        action === 'close'
          ? 'Un DMP ne se clôture qu’avec le patient présent (sa carte Vitale lue) ou à sa demande écrite.'
          : 'Un DMP ne se réactive qu’avec le patient présent (sa carte Vitale lue) ou à sa demande écrite.',
      );
    }
    if (!isHealthCps(actor) || !inCareTeam(actor, dossier)) {
      return refuse(
        governanceRules.notInCareTeam,
        'Sans le patient présent, seul un professionnel de santé autorisé par le patient peut enregistrer sa demande de clôture ou de réactivation.',
      );
    }
  }
  if (reason.trim() === '') {
    return refuse(
      governanceRules.reasonRequired,
      action === 'close'
        ? 'Le motif de clôture est obligatoire.'
        : 'Le motif de réactivation est obligatoire.',
    );
  }
  return { allowed: true };
}

/**
 * Declaring the médecin traitant (TD0.3 `i_setTreatingPhysician`): the doctor themself, with a CPS, in
 * normal mode, with the patient present and consenting (assumption T1).
 */
export function decideTreatingPhysicianDeclaration(
  actor: Actor,
  mode: AccessMode,
  basis: { patientPresent: boolean; patientConsent: boolean },
): Decision {
  if (mode !== 'normal')
    return refuse(
      governanceRules.emergency,
      'Un accès en mode bris de glace ou Centre 15 ne permet pas de déclarer un médecin traitant.',
    );
  if (actor.cardKind !== 'cps' || toHealthProfession(actor.professionCode) !== '10') {
    return refuse(
      governanceRules.notDoctor,
      'Seul un médecin muni de sa carte CPS peut être déclaré médecin traitant.',
    );
  }
  if (!basis.patientPresent || !basis.patientConsent) {
    return refuse(
      governanceRules.patientAbsent,
      'La déclaration du médecin traitant se fait avec le patient présent (sa carte Vitale lue) et son accord.',
    );
  }
  return { allowed: true };
}

/**
 * Recording the patient's block (or unblock) of one professional: a professional of the care team, in
 * normal mode, with the patient present or on their written request; the médecin traitant cannot be
 * blocked (Mon espace santé rule, assumption B2).
 */
export function decideBlockRecording(
  actor: Actor,
  dossier: DossierFacts,
  mode: AccessMode,
  target: { nationalId: string; blocked: boolean },
  basis: PatientBasis,
): Decision {
  if (mode !== 'normal')
    return refuse(
      governanceRules.emergency,
      'Un accès en mode bris de glace ou Centre 15 ne permet pas de modifier les choix du patient.',
    );
  if (!isHealthCps(actor) && actor.cardKind !== 'cpe') {
    return refuse(
      governanceRules.cardNotAllowed,
      'Votre carte ne permet pas d’enregistrer les choix du patient.',
    );
  }
  if (
    !basis.patientPresent &&
    !(basis.atPatientRequest && isHealthCps(actor) && inCareTeam(actor, dossier))
  ) {
    return refuse(
      governanceRules.patientAbsent,
      'Le blocage d’un professionnel s’enregistre avec le patient présent (sa carte Vitale lue) ou à sa demande écrite.',
    );
  }
  if (target.blocked && dossier.treatingPhysicianId === target.nationalId) {
    return refuse(
      governanceRules.treatingNotBlockable,
      'Le médecin traitant ne peut pas être bloqué : le patient doit d’abord en changer.',
    );
  }
  return { allowed: true };
}
