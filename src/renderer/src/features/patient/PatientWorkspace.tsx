import { useEffect, useState } from 'react';
import type { DossierRef, PatientContext, Professional, SessionState } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Tabs, type TabDef } from '../../components/Tabs';
import { useStore, type WorkspaceTab } from '../../state/store';
import { AccessCodesButton } from '../creation/AccessCodesButton';
import { CreationWizard } from '../creation/CreationWizard';
import { DocumentsTab } from '../dossier/DocumentsTab';
import { EmergencyView, EmergencyViewSkeleton } from '../emergency/EmergencyView';
import { AccessHistoryTab } from '../history/AccessHistoryTab';
import { DossierManagementTab } from '../management/DossierManagementTab';
import { GovernanceDialog } from '../management/GovernanceDialog';
import { PatientSearch } from '../search/PatientSearch';
import { IdentityCandidates } from '../identity/IdentityCandidates';
import { IdentityTraits } from '../identity/IdentityTraits';
import { BeneficiaryPicker } from './BeneficiaryPicker';
import { PatientBanner, type AllergyState } from './PatientBanner';
import { displayName } from './format';
import { HostUnavailableNotice } from '../host/HostIndicator';
import { hostBlocksPatientData } from '../host/host-wording';
import { ErrorAlert } from '../../components/ErrorAlert';

const tabs: readonly TabDef<WorkspaceTab>[] = [
  { key: 'summary', label: 'Synthèse d’urgence' },
  { key: 'documents', label: 'Documents' },
  { key: 'history', label: 'Historique des accès' },
  { key: 'management', label: 'Gestion du DMP' },
];

/** The authenticated professional's patient area: find or pick the patient, then the dossier. */
export function PatientWorkspace({ session }: { session: SessionState }): React.JSX.Element {
  const patient = session.patient;
  const [error, setError] = useState<string | null>(null);

  if (!patient)
    return (
      <>
        <HostUnavailableNotice />
        <PatientSearch professional={session.professional} />
      </>
    );

  if (patient.source === 'vitale' && patient.selectedIndex === null) {
    const pick = (index: number): void => {
      setError(null);
      getApi()
        .patient.selectBeneficiary({ index })
        .catch((err: unknown) => setError(toUiError(err).message));
    };
    return <BeneficiaryPicker beneficiaries={patient.beneficiaries} onPick={pick} error={error} />;
  }

  if (!patient.dossier) return <NoDossier patient={patient} professional={session.professional} />;
  // Keyed by dossier: nothing opened for one patient (viewer, dialogs) survives a switch to another.
  const holder = session.professional?.holder;
  const printedBy = holder ? `${holder.firstName} ${holder.lastName}` : undefined;
  return (
    <DossierView
      key={patient.dossier.insKey}
      dossier={patient.dossier}
      patient={patient}
      professional={session.professional}
      printedBy={printedBy}
    />
  );
}

function DossierView(props: {
  dossier: DossierRef;
  patient: PatientContext;
  professional: Professional | null;
  printedBy: string | undefined;
}): React.JSX.Element {
  const { dossier, patient, professional } = props;
  const summary = useStore((s) => s.summary);
  const summaryError = useStore((s) => s.summaryError);
  const loading = useStore((s) => s.summaryLoading);
  const activeTab = useStore((s) => s.activeTab);
  const setActiveTab = useStore((s) => s.setActiveTab);
  const created = useStore((s) => s.created);
  // The shared host is not answering: the banner says so, and nothing of the dossier stays on screen.
  const hostBlocked = useStore((s) => hostBlocksPatientData(s.hostStatus));
  const allergies: AllergyState = summary
    ? summary.allergies.length > 0
      ? 'present'
      : summary.noneKnown.some((a) => a.section === 'allergies')
        ? 'none-known'
        : 'none'
    : summaryError
      ? 'unknown'
      : 'loading';

  return (
    <div className="workspace">
      {/* Sticky: whose dossier this is stays on screen however far the summary scrolls. */}
      <PatientBanner dossier={dossier} patient={patient} allergies={hostBlocked ? 'unknown' : allergies} />
      {!hostBlocked && created?.insKey === dossier.insKey && (
        <div className="panel panel--ok" role="status">
          <p>Dossier créé. Remettez au patient ses codes d’accès à Mon espace santé.</p>
          <AccessCodesButton accessCodes={created.accessCodes} />
        </div>
      )}
      {!hostBlocked && (
        <Tabs label="Dossier du patient" tabs={tabs} active={activeTab} onChange={setActiveTab}>
          {activeTab === 'summary' && (
            <>
              <ErrorAlert>{summaryError?.message}</ErrorAlert>
              {summary ? (
                <EmergencyView summary={summary} printedBy={props.printedBy} access={patient.access?.mode} />
              ) : loading ? (
                <EmergencyViewSkeleton />
              ) : null}
            </>
          )}
          {activeTab === 'documents' && <DocumentsTab insKey={dossier.insKey} />}
          {activeTab === 'history' && <AccessHistoryTab insKey={dossier.insKey} />}
          {activeTab === 'management' && (
            <DossierManagementTab dossier={dossier} patient={patient} professional={professional} />
          )}
        </Tabs>
      )}
    </div>
  );
}

/**
 * The selected beneficiary's dossier is not open: say why. Several identities → a side-by-side
 * choice; a dossier the professional is not yet authorised on → the patient's explicit
 * authorisation; no dossier for a known identity (or no identity at all) → the creation. A dossier
 * that exists is never offered for creation.
 */
function NoDossier({
  patient,
  professional,
}: {
  patient: PatientContext;
  professional: Professional | null;
}): React.JSX.Element {
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [present, setPresent] = useState<DossierRef | null>(null);
  const [governing, setGoverning] = useState<'close' | 'reactivate' | null>(null);
  const selected = patient.selectedIndex;
  // The dossier of the patient present, even when it cannot be opened here (closed, or a CPE at the desk).
  useEffect(() => {
    if (patient.source !== 'vitale' || selected === null || professional?.cardKind === 'cpf') return;
    getApi()
      .dossier.ofPresentPatient({})
      .then(setPresent)
      .catch(() => setPresent(null));
  }, [patient.source, selected, professional?.cardKind]);
  const beneficiary = patient.beneficiaries.find((b) => b.index === patient.selectedIndex) ?? null;
  const lookedUp =
    patient.notice !== undefined || patient.identity !== undefined || patient.candidates !== undefined;
  const canCreate =
    patient.source === 'vitale' &&
    patient.dossierExists !== true &&
    (patient.candidates?.length ?? 0) === 0 &&
    (patient.dossierExists === false || (patient.identity === undefined && lookedUp));

  if (creating && patient.source === 'vitale') {
    return <CreationWizard patient={patient} onCancel={() => setCreating(false)} />;
  }

  const run = (call: () => Promise<unknown>): void => {
    setError(null);
    setBusy(true);
    call()
      .catch((err: unknown) => setError(toUiError(err).message))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel panel--wide" aria-labelledby="no-dossier-title">
      <h2 id="no-dossier-title">Dossier non ouvert</h2>
      <HostUnavailableNotice />
      {beneficiary && (
        <p>
          Carte Vitale : {beneficiary.lastName} {beneficiary.firstName}
        </p>
      )}
      <p role="status">{patient.notice ?? 'Recherche de l’identité et du dossier…'}</p>
      {patient.identity && (
        <>
          <h3>Identité au référentiel INS</h3>
          <IdentityTraits identity={patient.identity} />
        </>
      )}
      {patient.candidates && patient.candidates.length > 0 && (
        <IdentityCandidates
          candidates={patient.candidates}
          busy={busy}
          onChoose={(index) => run(() => getApi().patient.chooseIdentity({ index }))}
        />
      )}
      <ErrorAlert>{error}</ErrorAlert>
      <div className="form__actions">
        {patient.authorizationRequired && (
          <button
            type="button"
            disabled={busy}
            onClick={() => run(() => getApi().patient.authorizeAccess({}))}
          >
            Le patient présent autorise l’accès
          </button>
        )}
        {canCreate && !present && (
          <button type="button" onClick={() => setCreating(true)}>
            Créer le DMP
          </button>
        )}
        {patient.source === 'vitale' && patient.beneficiaries.length > 1 && (
          <ChangeBeneficiary
            patient={patient}
            onPick={(index) => run(() => getApi().patient.selectBeneficiary({ index }))}
          />
        )}
        <button type="button" className="secondary" onClick={() => run(() => getApi().patient.close({}))}>
          Quitter
        </button>
      </div>
      {present && (
        <div className="management__danger">
          <p>
            DMP de {displayName(present)} : {present.status === 'closed' ? 'clôturé' : 'actif'}.
          </p>
          <button
            type="button"
            className="danger"
            onClick={() => setGoverning(present.status === 'closed' ? 'reactivate' : 'close')}
          >
            {present.status === 'closed' ? 'Réactiver le DMP…' : 'Clôturer le DMP…'}
          </button>
        </div>
      )}
      {present && governing && (
        <GovernanceDialog
          action={governing}
          dossier={present}
          patientLabel={displayName(present)}
          patientPresent
          onDone={(updated) => {
            setPresent(updated);
            if (updated.status === 'active')
              run(() => getApi().patient.selectBeneficiary({ index: selected ?? 0 }));
          }}
          onClose={() => setGoverning(null)}
        />
      )}
    </section>
  );
}

function ChangeBeneficiary({
  patient,
  onPick,
}: {
  patient: PatientContext;
  onPick(index: number): void;
}): React.JSX.Element {
  const others = patient.beneficiaries.filter((b) => b.index !== patient.selectedIndex);
  return (
    <>
      {others.map((b) => (
        <button key={b.index} type="button" className="secondary" onClick={() => onPick(b.index)}>
          Choisir {b.firstName} {b.lastName}
        </button>
      ))}
    </>
  );
}
