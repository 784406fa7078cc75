import { useId, useState } from 'react';
import type { DossierRef } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { ReasonDialog } from '../../components/ReasonDialog';

/**
 * Closing (TD1.4) or reactivating (TD1.2) a DMP is the patient's decision: with the patient present
 * (their Vitale read — the main process checks it), or on their written request, always with a reason.
 */
export function GovernanceDialog(props: {
  action: 'close' | 'reactivate';
  dossier: DossierRef;
  patientLabel: string;
  /** The patient's Vitale is in the session (as the UI knows it; the main process decides). */
  patientPresent: boolean;
  onDone(dossier: DossierRef): void;
  onClose(): void;
}): React.JSX.Element {
  const id = useId();
  const [atPatientRequest, setAtPatientRequest] = useState(false);
  const closing = props.action === 'close';
  const title = closing ? 'Clôturer le DMP' : 'Réactiver le DMP';
  return (
    <ReasonDialog
      title={title}
      tone="alert"
      label={closing ? 'Motif de clôture (obligatoire)' : 'Motif de réactivation (obligatoire)'}
      maxLength={500}
      submitLabel={title}
      onSubmit={async (reason) => {
        const input = { insKey: props.dossier.insKey, reason, atPatientRequest };
        props.onDone(await (closing ? getApi().dossier.close(input) : getApi().dossier.reactivate(input)));
      }}
      onClose={props.onClose}
    >
      <p>Patient : {props.patientLabel}</p>
      <p className="dialog__explanation">
        {closing
          ? 'Le DMP ne pourra plus être consulté ni alimenté par aucun professionnel, même en urgence, jusqu’à sa réactivation à la demande du patient.'
          : 'Le DMP pourra de nouveau être consulté et alimenté par les professionnels autorisés.'}
      </p>
      <p>
        {props.patientPresent
          ? 'Le patient est présent (carte Vitale lue).'
          : 'Le patient n’est pas présent : sa demande écrite est nécessaire.'}
      </p>
      {!props.patientPresent && (
        <label className="inline-check" htmlFor={`${id}-request`}>
          <input
            id={`${id}-request`}
            type="checkbox"
            checked={atPatientRequest}
            onChange={(e) => setAtPatientRequest(e.target.checked)}
          />
          Le patient en a fait la demande écrite
        </label>
      )}
    </ReasonDialog>
  );
}
