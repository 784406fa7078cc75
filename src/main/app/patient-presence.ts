import type { ReaderView, VitaleCardInfo } from '../../shared/contract';
import type { SessionActor, SessionDossiers, SessionService } from '../session/session-service';
import type { DossierRef } from '../../shared/contract';

/**
 * "The patient is present": their Vitale is in a reader now, the session's patient context was built
 * from it, and the beneficiary picked designates this dossier (found the same way the session finds
 * it). Computed here from the cards, never taken from the renderer.
 */
export function patientPresence(deps: {
  session: SessionService;
  readers(): ReaderView[];
  dossiers: SessionDossiers;
}): {
  dossierOfPresentPatient(actor: SessionActor): Promise<DossierRef | null>;
  isPresentFor(actor: SessionActor, insKey: string): Promise<boolean>;
} {
  const dossierOfPresentPatient = async (actor: SessionActor): Promise<DossierRef | null> => {
    const patient = deps.session.get().patient;
    const vitale = deps.readers().find((r) => r.card?.kind === 'vitale')?.card as VitaleCardInfo | undefined;
    if (!patient || patient.source !== 'vitale' || patient.selectedIndex === null || !vitale) return null;
    const beneficiary = vitale.beneficiaries[patient.selectedIndex];
    if (!beneficiary) return null;
    if (patient.dossier) return patient.dossier;
    return deps.dossiers.findForBeneficiary(actor, beneficiary, vitale.status);
  };
  return {
    dossierOfPresentPatient,
    async isPresentFor(actor, insKey) {
      const found = await dossierOfPresentPatient(actor);
      return found !== null && found.insKey.toUpperCase() === insKey.toUpperCase();
    },
  };
}
