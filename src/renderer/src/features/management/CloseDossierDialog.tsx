import { useId, useRef, useState } from 'react';
import type { DossierRef } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';

/** Closing a DMP needs a reason (the patient's request, death…); it can be reactivated later. */
export function CloseDossierDialog(props: { dossier: DossierRef; patientLabel: string; onDone(dossier: DossierRef): void; onClose(): void }): React.JSX.Element {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) return;
    setBusy(true);
    setError(null);
    try {
      props.onDone(await getApi().dossier.close({ insKey: props.dossier.insKey, reason: trimmed }));
      props.onClose();
    } catch (err) {
      setError(toUiError(err).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="Fermer le dossier" onClose={props.onClose} initialFocus={textareaRef}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <p>Patient : {props.patientLabel}</p>
        <p className="dialog__explanation">
          Le dossier ne pourra plus être consulté ni alimenté. Il pourra être réactivé à la demande du patient.
        </p>
        <label htmlFor={`${id}-reason`}>Motif de fermeture (obligatoire)</label>
        <textarea
          id={`${id}-reason`}
          ref={textareaRef}
          rows={3}
          maxLength={500}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error && (
          <p id={`${id}-error`} className="error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Annuler
          </button>
          <button type="submit" className="danger" disabled={busy || reason.trim().length === 0}>
            Fermer le dossier
          </button>
        </div>
      </form>
    </Dialog>
  );
}
