import { ApiError, type Beneficiary, type InsOid } from '../../shared/contract';
import type { Handlers } from '../bridge/dispatcher';
import type { SessionDossiers, SessionService } from '../session/session-service';
import type { DmpService } from '../dmp/dmp-service';
import type { CardService } from '../cards/card-service';
import type { CardSimulator } from './card-simulator';
import { insOidForCardStatus } from '../domain/ins';
import { patientPresence } from './patient-presence';

export interface HandlerDeps {
  info: { version: string; host: 'desktop' | 'web'; simulation: boolean; production: boolean; warnings: string[] };
  session: SessionService;
  dmp: DmpService;
  cards: CardService;
  simulator: CardSimulator | null;
  /** How the session finds a Vitale beneficiary's dossier: the same look-up tells whether the patient is present. */
  patientDossiers: SessionDossiers;
}

/**
 * Binds each contract method to the services. Every patient-data method goes through the session:
 * nobody authenticated → LOCKED; a dossier not opened in this session → FORBIDDEN.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { session, dmp, cards } = deps;
  const simulator = (): CardSimulator => {
    if (!deps.simulator) throw new ApiError('UNSUPPORTED', 'Le simulateur de cartes n’est pas activé sur ce poste.');
    return deps.simulator;
  };
  /** A test or demo Vitale gives test/demo INS OIDs, so test patients never get production INS. */
  const insOidForCard = (): InsOid | undefined => {
    const vitale = cards.readers().find((r) => r.card?.kind === 'vitale')?.card;
    if (!vitale || vitale.kind !== 'vitale' || vitale.status === 'production') return undefined;
    return insOidForCardStatus(vitale.status);
  };
  const presence = patientPresence({ session, readers: () => cards.readers(), dossiers: deps.patientDossiers });
  const beneficiaryFor = (index: number): Beneficiary => {
    const beneficiary = session.get().patient?.beneficiaries[index];
    if (!beneficiary) throw new ApiError('NOT_FOUND', 'Ce bénéficiaire ne figure pas sur la carte Vitale lue.');
    return beneficiary;
  };

  return {
    'app.info': async () => deps.info,
    'cards.list': async () => cards.readers(),

    'session.get': async () => session.get(),
    'session.verifyPin': async ({ reader, pin }) => session.verifyPin(reader, pin),
    'session.lock': async () => session.lock(),

    'patient.selectBeneficiary': async ({ index }) => session.selectBeneficiary(index),
    'patient.keepOpen': async ({ keep }) => session.keepOpen(keep),
    'patient.close': async () => session.closePatient(),
    'patient.search': async (query) => dmp.searchDossiersAs(session.actor('normal'), query),
    'patient.open': async ({ insKey, mode, reason }) => session.openDossier(insKey, mode, reason),

    'summary.get': async ({ insKey }) => dmp.getSummary(session.currentAccess(insKey), insKey),

    'documents.list': async ({ insKey, filter }) => dmp.listDocuments(session.currentAccess(insKey), insKey, filter ?? {}),
    'documents.get': async ({ insKey, id }) => dmp.getDocument(session.currentAccess(insKey), insKey, id),
    'documents.deposit': async (input) => dmp.depositDocument(session.currentAccess(input.insKey), input),
    'documents.update': async ({ insKey, id, status, visibility, atPatientRequest }) => {
      const actor = session.currentAccess(insKey);
      return dmp.updateDocument(
        actor,
        insKey,
        id,
        { ...(status ? { status } : {}), ...(visibility ? { visibility } : {}) },
        { atPatientRequest: atPatientRequest === true, patientPresent: await presence.isPresentFor(actor, insKey) },
      );
    },
    'documents.delete': async ({ insKey, id }) => {
      await dmp.deleteDocument(session.currentAccess(insKey), insKey, id);
      return { deleted: true as const };
    },

    'dossier.create': async ({ beneficiaryIndex, identity, consent }) => {
      const created = await dmp.createDossier(session.actor('normal'), {
        beneficiary: beneficiaryFor(beneficiaryIndex),
        identity,
        consent: { brisDeGlaceOpposition: consent.brisDeGlaceOpposition, centre15Opposition: consent.centre15Opposition },
        ...(insOidForCard() ? { oid: insOidForCard() } : {}),
      });
      return {
        dossier: created.dossier,
        accessCodes: {
          fileName: `codes-acces-${created.dossier.ins.matricule.slice(-4)}.pdf`,
          pdfBase64: Buffer.from(created.pdf).toString('base64'),
        },
      };
    },
    // Governance acts run in the session's current mode: an emergency access is refused by the domain.
    'dossier.close': async ({ insKey, reason, atPatientRequest }) => {
      const actor = session.actor();
      return dmp.closeDossier(actor, insKey, reason, { atPatientRequest, patientPresent: await presence.isPresentFor(actor, insKey) });
    },
    'dossier.reactivate': async ({ insKey, reason, atPatientRequest }) => {
      const actor = session.actor();
      return dmp.reactivateDossier(actor, insKey, reason, { atPatientRequest, patientPresent: await presence.isPresentFor(actor, insKey) });
    },
    'dossier.ofPresentPatient': async () => presence.dossierOfPresentPatient(session.actor()),
    'dossier.declareTreatingPhysician': async ({ insKey, patientConsent }) => {
      const actor = session.currentAccess(insKey);
      await dmp.declareTreatingPhysician(actor, insKey, { patientConsent, patientPresent: await presence.isPresentFor(actor, insKey) });
      return { ok: true as const };
    },
    'dossier.professionals': async ({ insKey }) => {
      session.currentAccess(insKey);
      return dmp.professionals(insKey);
    },
    'dossier.recordBlock': async ({ insKey, nationalId, blocked, atPatientRequest }) => {
      const actor = session.currentAccess(insKey);
      await dmp.recordProfessionalBlock(actor, insKey, { nationalId, blocked }, { atPatientRequest, patientPresent: await presence.isPresentFor(actor, insKey) });
      return { ok: true as const };
    },
    'dossier.accessHistory': async ({ insKey }) => dmp.accessHistory({ actor: session.currentAccess(insKey) }, insKey),

    'simulator.profiles': async () => simulator().profiles(),
    'simulator.insert': async ({ reader, profileId }) => {
      simulator().insert(reader, profileId);
      return { ok: true as const };
    },
    'simulator.remove': async ({ reader }) => {
      simulator().remove(reader);
      return { ok: true as const };
    },
  };
}
