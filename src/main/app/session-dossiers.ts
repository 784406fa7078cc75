import type { Beneficiary, CardStatus, ReferenceIdentity } from '../../shared/contract';
import { formatInsKey } from '../../shared/identity/ins';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import { rules } from '../domain/access-policy';
import { IdentityQueryError } from '../identity/identity-reference';
import type {
  DossierOutcome,
  IdentityOutcome,
  SessionActor,
  SessionDossiers,
} from '../session/session-service';

/**
 * How the session goes from a Vitale beneficiary to a dossier (docs/identity.md): the identity
 * reference answers the beneficiary's INS (one, none or several identities), then the dossier of
 * exactly that INS is looked up. No name search ever opens or authorises a dossier. The
 * professional is authorised only by the explicit « Le patient présent autorise l'accès » action.
 */
export function sessionDossiers(dmp: DmpPort, identities: IdentityPort): SessionDossiers {
  return {
    async identifyBeneficiary(beneficiary: Beneficiary, status: CardStatus): Promise<IdentityOutcome> {
      let answer;
      try {
        answer = await identities.lookupByCard({
          cardNir: beneficiary.nir,
          firstName: beneficiary.firstName,
          birthDate: beneficiary.birthDate,
          birthRank: beneficiary.birthRank,
          cardStatus: status,
        });
      } catch (err) {
        if (err instanceof IdentityQueryError) return { kind: 'unknown', notice: err.message };
        throw err;
      }
      switch (answer.kind) {
        case 'none':
          return {
            kind: 'unknown',
            notice:
              'Identité introuvable au référentiel INS pour ce bénéficiaire : vérifiez la carte, ou recherchez l’identité par ses traits (création du DMP).',
          };
        case 'several':
          return { kind: 'several', candidates: answer.candidates };
        case 'one':
          return { kind: 'identity', identity: answer.identity };
      }
    },

    async openForIdentity(actor: SessionActor, identity: ReferenceIdentity): Promise<DossierOutcome> {
      const insKey = formatInsKey(identity);
      const [dossier] = await dmp.searchDossiers({ insKey });
      if (!dossier) return { kind: 'none' };
      const decision = await dmp.accessDecision(actor, insKey);
      if (decision.allowed) return { kind: 'open', dossier: await dmp.openDossier(actor, insKey) };
      if (decision.rule === rules.notInCareTeam) return { kind: 'authorization-required', dossier };
      if (decision.rule === rules.cpeNoMedicalContent) {
        return {
          kind: 'refused',
          dossier,
          notice:
            'Ce patient a déjà un DMP. Votre carte (CPE) ne permet pas d’en consulter le contenu médical.',
        };
      }
      return { kind: 'refused', dossier, notice: decision.message };
    },

    async authorizeAndOpen(actor: SessionActor, identity: ReferenceIdentity): Promise<DossierOutcome> {
      const insKey = formatInsKey(identity);
      await dmp.authorize(actor, insKey);
      return { kind: 'open', dossier: await dmp.openDossier(actor, insKey) };
    },

    open(actor: SessionActor, insKey: string) {
      return dmp.openDossier(actor, insKey);
    },
  };
}
