import { useId, useRef, useState } from 'react';
import { toUiError } from '../api/errors';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';
import { FormActions } from './FormActions';

/**
 * A dialog whose action needs a written reason (bris de glace, closing a dossier…): the submit
 * button stays disabled until the reason holds more than blanks, and the reason is sent trimmed.
 */
export function ReasonDialog(props: {
  title: string;
  tone?: 'alert';
  children: React.ReactNode;
  label: string;
  maxLength: number;
  submitLabel: string;
  onSubmit(reason: string): Promise<void>;
  onClose(): void;
}): React.JSX.Element {
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
      await props.onSubmit(trimmed);
      props.onClose();
    } catch (err) {
      setError(toUiError(err).message);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={props.title}
      {...(props.tone ? { tone: props.tone } : {})}
      onClose={props.onClose}
      initialFocus={textareaRef}
    >
      <form onSubmit={(e) => void submit(e)} className="form">
        {props.children}
        <label htmlFor={`${id}-reason`}>{props.label}</label>
        <textarea
          id={`${id}-reason`}
          ref={textareaRef}
          rows={3}
          maxLength={props.maxLength}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <ErrorAlert id={`${id}-error`}>{error}</ErrorAlert>
        <FormActions onCancel={props.onClose}>
          <button type="submit" className="danger" disabled={busy || reason.trim().length === 0}>
            {props.submitLabel}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
