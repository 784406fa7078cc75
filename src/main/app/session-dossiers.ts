import type { Beneficiary, CardStatus, DossierRef } from '../../shared/contract';
import type { DmpService } from '../dmp/dmp-service';
import { normaliseName } from '../dmp/names';
import { insOidForCardStatus } from '../domain/ins';
import type { SessionActor, SessionDossiers } from '../session/session-service';

/** `1979-03-28` matches `1979-03-00` or `1979-00-00` from a card that does not know the day/month. */
function sameBirthDate(cardDate: string, dossierDate: string): boolean {
  const a = cardDate.split('-');
  const b = dossierDate.split('-');
  return a.length === 3 && b.length === 3 && a.every((part, i) => part === b[i] || /^0+$/.test(part));
}

/**
 * How the session finds and opens a dossier for a Vitale beneficiary. The card carries the
 * ouvrant-droit's NIR, so the INS is only trusted when the birth date matches too; otherwise the
 * beneficiary is looked up by name and birth date, and only a single match is accepted.
 */
export function sessionDossiers(dmp: DmpService): SessionDossiers {
  return {
    async findForBeneficiary(_actor: SessionActor, beneficiary: Beneficiary, status: CardStatus): Promise<DossierRef | null> {
      const byIns = await dmp.searchDossiers({ insKey: `${beneficiary.nir}@${insOidForCardStatus(status)}` });
      const own = byIns.find((d) => sameBirthDate(beneficiary.birthDate, d.identity.birthDate));
      if (own) return own;
      const byName = await dmp.searchDossiers({ name: beneficiary.lastName });
      const matches = byName.filter(
        (d) =>
          sameBirthDate(beneficiary.birthDate, d.identity.birthDate) &&
          normaliseName(d.identity.firstNames).split(' ').includes(normaliseName(beneficiary.firstName).split(' ')[0] ?? ''),
      );
      return matches.length === 1 ? (matches[0] ?? null) : null;
    },
    async open(actor: SessionActor, insKey: string, viaPatientCard: boolean): Promise<DossierRef> {
      // The patient handing over their card and the clinician picking them is the explicit action
      // after which the DMP records the professional's authorisation (TD0.3).
      if (viaPatientCard && actor.mode === 'normal') await dmp.authorize(actor, insKey);
      return dmp.openDossier(actor, insKey);
    },
  };
}
