import type { DossierRef, ReaderView } from '../../shared/contract';
import { formatInsKey } from '../../shared/identity/ins';
import type { DmpPort } from '../dmp/dmp-port';
import type { SessionActor, SessionService } from '../session/session-service';

/**
 * "The patient is present": their Vitale is in a reader now, the session's patient context was built
 * from it, and the identity reference gave the selected beneficiary's INS, which names this dossier.
 * Computed here from the cards and the session, never taken from the renderer.
 */
export function patientPresence(deps: { session: SessionService; readers(): ReaderView[]; dmp: DmpPort }): {
  /** The dossier of the patient present, even when this professional cannot open it (closed, CPE). */
  dossierOfPresentPatient(actor: SessionActor): Promise<DossierRef | null>;
  isPresentFor(actor: SessionActor, insKey: string): Promise<boolean>;
} {
  const presentInsKey = (): string | null => {
    const patient = deps.session.get().patient;
    const vitaleInReader = deps.readers().some((r) => r.card?.kind === 'vitale');
    if (!patient || patient.source !== 'vitale' || !vitaleInReader || !patient.identity) return null;
    return formatInsKey(patient.identity);
  };
  return {
    async dossierOfPresentPatient(actor) {
      void actor;
      const insKey = presentInsKey();
      if (!insKey) return null;
      const patient = deps.session.get().patient;
      if (patient?.dossier && patient.dossier.insKey.toUpperCase() === insKey.toUpperCase())
        return patient.dossier;
      const [found] = await deps.dmp.searchDossiers({ insKey });
      return found ?? null;
    },
    async isPresentFor(actor, insKey) {
      void actor;
      const present = presentInsKey();
      return present !== null && present.toUpperCase() === insKey.toUpperCase();
    },
  };
}
