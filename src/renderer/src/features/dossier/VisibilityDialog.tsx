import { useId, useState } from 'react';
import type { DocumentMeta, Visibility } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { VisibilityFields } from './VisibilityFields';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormActions } from '../../components/FormActions';

/**
 * Changes who may see a document (TD3.3): its author, or any professional at the request of the patient
 * present. It changes what others see, so it asks for confirmation; refusals come back in French.
 */
export function VisibilityDialog(props: {
  insKey: string;
  meta: DocumentMeta;
  onClose(): void;
  onSaved(): void;
}): React.JSX.Element {
  const id = useId();
  const [visibility, setVisibility] = useState<Visibility>(props.meta.visibility);
  const [atPatientRequest, setAtPatientRequest] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unchanged = (Object.keys(visibility) as (keyof Visibility)[]).every(
    (k) => visibility[k] === props.meta.visibility[k],
  );

  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await getApi().documents.update({
        insKey: props.insKey,
        id: props.meta.id,
        visibility,
        ...(atPatientRequest ? { atPatientRequest } : {}),
      });
      props.onSaved();
    } catch (err) {
      setError(toUiError(err).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Visibilité — ${props.meta.title}`} onClose={props.onClose}>
      <form className="form" onSubmit={(e) => void save(e)}>
        <VisibilityFields
          value={visibility}
          onChange={(v) => {
            setVisibility(v);
            setConfirming(false);
          }}
        />
        <label className="inline-check" htmlFor={`${id}-request`}>
          <input
            id={`${id}-request`}
            type="checkbox"
            checked={atPatientRequest}
            onChange={(e) => {
              setAtPatientRequest(e.target.checked);
              setConfirming(false);
            }}
          />
          Le patient, présent, demande ce changement
        </label>
        {confirming && (
          <p className="dialog__explanation" role="status">
            Ce changement modifie ce que les autres professionnels ou le patient voient de ce document.
            Confirmez pour l’enregistrer.
          </p>
        )}
        <ErrorAlert>{error}</ErrorAlert>
        <FormActions onCancel={props.onClose}>
          <button type="submit" disabled={busy || unchanged}>
            {confirming ? 'Confirmer le changement' : 'Enregistrer'}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
