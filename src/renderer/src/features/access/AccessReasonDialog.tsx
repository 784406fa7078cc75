import { useId, useRef, useState } from 'react';
import type { AccessMode } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';

type ExceptionalMode = Exclude<AccessMode, 'normal'>;

const copy: Record<ExceptionalMode, { title: string; explanation: string; submit: string }> = {
  bris_de_glace: {
    title: 'Accès en bris de glace',
    explanation:
      'À n’utiliser que si le patient ne peut pas exprimer sa volonté et que son état présente un risque immédiat. ' +
      'L’accès est tracé, motif compris, et le patient en sera informé. Il est refusé si le patient s’y est opposé.',
    submit: 'Ouvrir en bris de glace',
  },
  centre_15: {
    title: 'Accès Centre 15 (régulation)',
    explanation:
      'Réservé au médecin régulateur du SAMU pour la personne concernée par l’appel. L’accès est tracé, motif compris, ' +
      'et refusé si le patient s’y est opposé.',
    submit: 'Ouvrir en mode Centre 15',
  },
};

/** The reason is mandatory: the submit button stays disabled until it holds more than blanks. */
export function AccessReasonDialog(props: { mode: ExceptionalMode; insKey: string; patientLabel: string; onClose(): void }): React.JSX.Element {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const text = copy[props.mode];

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) return;
    setBusy(true);
    setError(null);
    try {
      await getApi().patient.open({ insKey: props.insKey, mode: props.mode, reason: trimmed });
      props.onClose();
    } catch (err) {
      setError(toUiError(err).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title={text.title} tone="alert" onClose={props.onClose} initialFocus={textareaRef}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <p>Patient : {props.patientLabel}</p>
        <p className="dialog__explanation">{text.explanation}</p>
        <label htmlFor={`${id}-reason`}>Motif (obligatoire)</label>
        <textarea
          id={`${id}-reason`}
          ref={textareaRef}
          rows={3}
          maxLength={1000}
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
            {text.submit}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
