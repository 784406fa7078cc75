import type { Beneficiary, CardStatus, DossierRef } from '../../shared/contract';
import type { DmpService } from '../dmp/dmp-service';
import type { SessionActor, SessionDossiers } from '../session/session-service';

const oidFor: Record<CardStatus, string> = {
  production: '1.2.250.1.213.1.4.8',
  test: '1.2.250.1.213.1.4.10',
  demo: '1.2.250.1.213.1.4.11',
};

/** `1979-03-28` matches `1979-03-00` or `1979-00-00` from a card that does not know the day/month. */
function sameBirthDate(cardDate: string, dossierDate: string): boolean {
  const a = cardDate.split('-');
  const b = dossierDate.split('-');
  return a.length === 3 && b.length === 3 && a.every((part, i) => part === b[i] || /^0+$/.test(part));
}

function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toUpperCase().trim();
}

/**
 * How the session finds and opens a dossier for a Vitale beneficiary. The card carries the
 * ouvrant-droit's NIR, so the INS is only trusted when the birth date matches too; otherwise the
 * beneficiary is looked up by name and birth date, and only a single match is accepted.
 */
export function sessionDossiers(dmp: DmpService): SessionDossiers {
  return {
    async findForBeneficiary(_actor: SessionActor, beneficiary: Beneficiary, status: CardStatus): Promise<DossierRef | null> {
      const byIns = await dmp.searchDossiers({ insKey: `${beneficiary.nir}@${oidFor[status]}` });
      const own = byIns.find((d) => sameBirthDate(beneficiary.birthDate, d.identity.birthDate));
      if (own) return own;
      const byName = await dmp.searchDossiers({ name: beneficiary.lastName });
      const matches = byName.filter(
        (d) =>
          sameBirthDate(beneficiary.birthDate, d.identity.birthDate) &&
          normalise(d.identity.firstNames).split(/\s+/).includes(normalise(beneficiary.firstName).split(/\s+/)[0] ?? ''),
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
