import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { useStore } from '../../state/store';
import type { SessionState } from '../../../../shared/contract';
import { PatientBanner } from './PatientBanner';
import { BeneficiaryPicker } from './BeneficiaryPicker';
import { EmergencyView } from '../emergency/EmergencyView';
import { useState } from 'react';

/** The authenticated clinician's patient area: pick the beneficiary, then the urgent summary. */
export function PatientWorkspace({ session }: { session: SessionState }): React.JSX.Element {
  const summary = useStore((s) => s.summary);
  const summaryError = useStore((s) => s.summaryError);
  const loading = useStore((s) => s.summaryLoading);
  const [error, setError] = useState<string | null>(null);
  const patient = session.patient;

  if (!patient) {
    return (
      <div className="panel">
        <h2>Aucun patient</h2>
        <p>Insérez la carte Vitale du patient.</p>
      </div>
    );
  }

  const pick = (index: number): void => {
    setError(null);
    getApi()
      .patient.selectBeneficiary({ index })
      .catch((err: unknown) => setError(toUiError(err).message));
  };

  if (patient.source === 'vitale' && patient.selectedIndex === null) {
    return <BeneficiaryPicker beneficiaries={patient.beneficiaries} onPick={pick} />;
  }

  if (!patient.dossier) {
    return (
      <div className="panel" role="status">
        <h2>Dossier non ouvert</h2>
        <p>{error ?? patient.notice ?? 'Recherche du dossier…'}</p>
      </div>
    );
  }

  return (
    <div className="workspace">
      <PatientBanner dossier={patient.dossier} patient={patient} hasAllergies={(summary?.allergies.length ?? 0) > 0} />
      {loading && <p role="status">Chargement de la synthèse…</p>}
      {summaryError && (
        <p className="error" role="alert">
          {summaryError.message}
        </p>
      )}
      {summary && <EmergencyView summary={summary} />}
    </div>
  );
}
