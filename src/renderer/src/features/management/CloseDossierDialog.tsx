import type { DossierRef } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { ReasonDialog } from '../../components/ReasonDialog';

/** Closing a DMP needs a reason (the patient's request, death…); it can be reactivated later. */
export function CloseDossierDialog(props: {
  dossier: DossierRef;
  patientLabel: string;
  onDone(dossier: DossierRef): void;
  onClose(): void;
}): React.JSX.Element {
  return (
    <ReasonDialog
      title="Fermer le dossier"
      label="Motif de fermeture (obligatoire)"
      maxLength={500}
      submitLabel="Fermer le dossier"
      onSubmit={async (reason) =>
        props.onDone(await getApi().dossier.close({ insKey: props.dossier.insKey, reason }))
      }
      onClose={props.onClose}
    >
      <p>Patient : {props.patientLabel}</p>
      <p className="dialog__explanation">
        Le dossier ne pourra plus être consulté ni alimenté. Il pourra être réactivé à la demande du patient.
      </p>
    </ReasonDialog>
  );
}
