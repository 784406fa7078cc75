import { useState } from 'react';
import type { DocumentMeta, Visibility } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { VisibilityFields } from './VisibilityFields';

/** Changes who may see a document (TD3.3); refusals (not the author, forbidden combination) come back in French. */
export function VisibilityDialog(props: {
  insKey: string;
  meta: DocumentMeta;
  onClose(): void;
  onSaved(): void;
}): React.JSX.Element {
  const [visibility, setVisibility] = useState<Visibility>(props.meta.visibility);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unchanged = (Object.keys(visibility) as (keyof Visibility)[]).every(
    (k) => visibility[k] === props.meta.visibility[k],
  );

  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await getApi().documents.update({ insKey: props.insKey, id: props.meta.id, visibility });
      props.onSaved();
    } catch (err) {
      setError(toUiError(err).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Visibilité — ${props.meta.title}`} onClose={props.onClose}>
      <form className="form" onSubmit={(e) => void save(e)}>
        <VisibilityFields value={visibility} onChange={setVisibility} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Annuler
          </button>
          <button type="submit" disabled={busy || unchanged}>
            Enregistrer
          </button>
        </div>
      </form>
    </Dialog>
  );
}
