import { ApiError, type Beneficiary, type HostStatus, type ReferenceIdentity } from '../../shared/contract';
import { insOidForCardStatus, isTestOid } from '../../shared/identity/ins';
import type { IdentityAnswer } from '../identity/identity-reference';
import type { Handlers } from '../bridge/dispatcher';
import type { SessionService } from '../session/session-service';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import type { CardService } from '../cards/card-service';
import type { CardSimulator } from './card-simulator';
import { readersForDisplay } from '../session/reader-display';
import { patientPresence } from './patient-presence';
import { hostSettingsInEffect, type HostSettingsSource } from './host-settings';
import { saveHostSettingsAs } from './host-settings-change';
import type { HostSettingsTrail } from '../audit/security-events';
import type { Logger } from '../log/logger';

export interface HandlerDeps {
  info: {
    version: string;
    host: 'desktop' | 'web';
    simulation: boolean;
    production: boolean;
    warnings: string[];
  };
  session: SessionService;
  dmp: DmpPort;
  identities: IdentityPort;
  cards: CardService;
  simulator: CardSimulator | null;
  /**
   * Which DMP is in use now; where the host settings for the next start come from; the local audit
   * chain their changes go to (null on a shared-host workstation: no local store) and their log.
   */
  host: {
    status(): HostStatus;
    settings: HostSettingsSource;
    trail: HostSettingsTrail | null;
    log: Logger;
  };
}

/**
 * Binds each contract method to the services. Every patient-data method goes through the session:
 * nobody authenticated → LOCKED; a dossier not opened in this session → FORBIDDEN.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { session, dmp, cards, identities } = deps;
  const simulator = (): CardSimulator => {
    if (!deps.simulator)
      throw new ApiError('UNSUPPORTED', 'Le simulateur de cartes n’est pas activé sur ce poste.');
    return deps.simulator;
  };
  /**
   * The identity as the reference knows it: the traits are never taken from the renderer. A test or
   * demo Vitale only ever goes with test or demo identities, and a production card never with them.
   */
  const referenceIdentity = async (ins: { matricule: string; oid: string }): Promise<ReferenceIdentity> => {
    const identity = await identities.byIns(ins);
    if (!identity)
      throw new ApiError(
        'NOT_FOUND',
        'Cette identité est inconnue du référentiel d’identités : recherchez-la à nouveau.',
      );
    const vitale = cards.readers().find((r) => r.card?.kind === 'vitale')?.card;
    const status = vitale?.kind === 'vitale' ? vitale.status : 'production';
    const consistent =
      status === 'production' ? !isTestOid(identity.oid) : identity.oid === insOidForCardStatus(status);
    if (!consistent)
      throw new ApiError(
        'FORBIDDEN',
        'Une carte Vitale de test ne peut servir qu’à une identité de test, et une carte réelle qu’à une identité réelle.',
      );
    return identity;
  };
  const presence = patientPresence({ session, readers: () => cards.readers(), dmp });
  const identitiesOf = (answer: IdentityAnswer): ReferenceIdentity[] =>
    answer.kind === 'none' ? [] : answer.kind === 'one' ? [answer.identity] : answer.candidates;
  const beneficiaryFor = (index: number): Beneficiary => {
    const beneficiary = session.get().patient?.beneficiaries[index];
    if (!beneficiary)
      throw new ApiError('NOT_FOUND', 'Ce bénéficiaire ne figure pas sur la carte Vitale lue.');
    return beneficiary;
  };

  return {
    'app.info': async () => deps.info,
    'cards.list': async () => readersForDisplay(cards.readers(), session.get()),

    'host.status': async () => deps.host.status(),
    // Readable without a session: the screen explains the state (managed, who may change it) to anyone.
    'settings.getHost': async () => hostSettingsInEffect(deps.host.settings),
    // Professional in session, not managed by IT, logged and audited; applied at the next start.
    'settings.saveHost': async ({ settings }) =>
      saveHostSettingsAs(
        { source: deps.host.settings, session, trail: deps.host.trail, log: deps.host.log },
        settings,
      ),

    'session.get': async () => session.get(),
    'session.verifyPin': async ({ reader, pin }) => session.verifyPin(reader, pin),
    'session.lock': async () => session.lock(),
    'session.selectSituation': async ({ index }) => session.selectSituation(index),

    'patient.selectBeneficiary': async ({ index }) => session.selectBeneficiary(index),
    'patient.chooseIdentity': async ({ index }) => session.chooseIdentity(index),
    'patient.authorizeAccess': async () => session.authorizeAccess(),
    'identity.searchByTraits': async (traits) => {
      const actor = session.actor('normal');
      const found = identitiesOf(await identities.lookupByTraits(traits));
      await dmp.traceIdentityLookup(actor, 'traits', found.length);
      return found;
    },
    'dossier.checkCreation': async ({ beneficiaryIndex, identity }) => {
      session.actor('normal');
      return dmp.creationCheck(beneficiaryFor(beneficiaryIndex), await referenceIdentity(identity));
    },
    'patient.keepOpen': async ({ keep }) => session.keepOpen(keep),
    'patient.close': async () => session.closePatient(),
    'patient.search': async (query) => dmp.searchDossiersAs(session.actor('normal'), query),
    'patient.open': async ({ insKey, mode, reason }) => session.openDossier(insKey, mode, reason),

    'summary.get': async ({ insKey }) => dmp.getSummary(session.currentAccess(insKey), insKey),

    'documents.list': async ({ insKey, filter }) =>
      dmp.listDocuments(session.currentAccess(insKey), insKey, filter ?? {}),
    'documents.get': async ({ insKey, id }) => dmp.getDocument(session.currentAccess(insKey), insKey, id),
    'documents.deposit': async (input) => dmp.depositDocument(session.currentAccess(input.insKey), input),
    'documents.update': async ({ insKey, id, status, visibility, atPatientRequest }) => {
      const actor = session.currentAccess(insKey);
      return dmp.updateDocument(
        actor,
        insKey,
        id,
        { ...(status ? { status } : {}), ...(visibility ? { visibility } : {}) },
        {
          atPatientRequest: atPatientRequest === true,
          patientPresent: await presence.isPresentFor(actor, insKey),
        },
      );
    },
    'documents.delete': async ({ insKey, id }) => {
      await dmp.deleteDocument(session.currentAccess(insKey), insKey, id);
      return { deleted: true as const };
    },

    'dossier.create': async (input) => {
      const actor = session.actor('normal');
      const created = await dmp.createDossier(actor, {
        beneficiary: beneficiaryFor(input.beneficiaryIndex),
        identity: await referenceIdentity(input.identity),
        identityDocumentChecked: input.identityDocumentChecked,
        legalRepresentatives: input.legalRepresentatives,
        consent: {
          givenBy: input.consent.givenBy,
          brisDeGlaceOpposition: input.consent.brisDeGlaceOpposition,
          centre15Opposition: input.consent.centre15Opposition,
        },
        ...(input.homonymsConfirmed ? { homonymsConfirmed: true } : {}),
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
      return dmp.closeDossier(actor, insKey, reason, {
        atPatientRequest,
        patientPresent: await presence.isPresentFor(actor, insKey),
      });
    },
    'dossier.reactivate': async ({ insKey, reason, atPatientRequest }) => {
      const actor = session.actor();
      return dmp.reactivateDossier(actor, insKey, reason, {
        atPatientRequest,
        patientPresent: await presence.isPresentFor(actor, insKey),
      });
    },
    'dossier.ofPresentPatient': async () => presence.dossierOfPresentPatient(session.actor()),
    'dossier.declareTreatingPhysician': async ({ insKey, patientConsent }) => {
      const actor = session.currentAccess(insKey);
      await dmp.declareTreatingPhysician(actor, insKey, {
        patientConsent,
        patientPresent: await presence.isPresentFor(actor, insKey),
      });
      return { ok: true as const };
    },
    'dossier.professionals': async ({ insKey }) => {
      session.currentAccess(insKey);
      return dmp.professionals(insKey);
    },
    'dossier.recordBlock': async ({ insKey, nationalId, blocked, atPatientRequest }) => {
      const actor = session.currentAccess(insKey);
      await dmp.recordProfessionalBlock(
        actor,
        insKey,
        { nationalId, blocked },
        { atPatientRequest, patientPresent: await presence.isPresentFor(actor, insKey) },
      );
      return { ok: true as const };
    },
    'dossier.accessHistory': async ({ insKey }) =>
      dmp.accessHistory({ actor: session.currentAccess(insKey) }, insKey),

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
