import { useId, useState } from 'react';
import type { Visibility } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { fileToBase64 } from '../../lib/base64';
import { depositTypeChoices, needsTypeCode } from './document-type-choices';
import { VisibilityFields } from './VisibilityFields';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormActions } from '../../components/FormActions';

/** The contract's limit on contentBase64 (28 000 000 characters) is about 21 MB of raw bytes. */
export const MAX_DEPOSIT_BYTES = 20 * 1024 * 1024;

/** Deposit a file (CDA, PDF or text) with its three visibility choices; the main process validates the content. */
export function DepositDialog(props: {
  insKey: string;
  onClose(): void;
  onDeposited(): void;
}): React.JSX.Element {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [typeCode, setTypeCode] = useState('');
  const [visibility, setVisibility] = useState<Visibility>({
    hiddenFromPatient: false,
    maskedFromProfessionals: false,
    hiddenFromLegalRepresentatives: false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const tooBig = file !== null && file.size > MAX_DEPOSIT_BYTES;
  const empty = file !== null && file.size === 0;
  const typeRequired = file !== null && needsTypeCode(file.name);
  const missingType = typeRequired && typeCode === '';

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file || tooBig || empty || missingType) return;
    setBusy(true);
    setError(null);
    try {
      const contentBase64 = await fileToBase64(file);
      await getApi().documents.deposit({
        insKey: props.insKey,
        fileName: file.name.slice(0, 255) || 'document',
        contentBase64,
        ...(title.trim() ? { title: title.trim().slice(0, 300) } : {}),
        ...(typeRequired ? { typeCode } : {}),
        visibility,
      });
      props.onDeposited();
    } catch (err) {
      setError(toUiError(err).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="Déposer un document" onClose={props.onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="form__field">
          <label htmlFor={`${id}-file`}>Fichier (CDA, PDF ou texte)</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".xml,.pdf,.txt,application/pdf,text/xml,application/xml,text/plain"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        {tooBig && <ErrorAlert>Fichier trop volumineux (20 Mo au plus).</ErrorAlert>}
        {empty && <ErrorAlert>Le fichier est vide.</ErrorAlert>}
        <div className="form__field">
          <label htmlFor={`${id}-type`}>
            Type de document{typeRequired ? ' (obligatoire pour un PDF ou un texte)' : ''}
          </label>
          <select
            id={`${id}-type`}
            value={typeCode}
            onChange={(e) => setTypeCode(e.target.value)}
            disabled={!typeRequired}
          >
            <option value="">{typeRequired ? '— choisir —' : 'Indiqué par le document CDA'}</option>
            {depositTypeChoices.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <div className="form__field">
          <label htmlFor={`${id}-title`}>Titre (facultatif)</label>
          <input
            id={`${id}-title`}
            value={title}
            maxLength={300}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <VisibilityFields value={visibility} onChange={setVisibility} />
        <ErrorAlert>{error}</ErrorAlert>
        <FormActions onCancel={props.onClose}>
          <button type="submit" disabled={busy || !file || tooBig || empty || missingType}>
            {busy ? 'Envoi…' : 'Déposer'}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
