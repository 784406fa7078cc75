import { useEffect, useId, useState } from 'react';
import { hostSettingsSchema, type HostSettings } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { useStore } from '../../state/store';
import { hostModeLabel } from './host-wording';
import { ErrorAlert } from '../../components/ErrorAlert';

type Field = 'url' | 'caFile' | 'certFile' | 'keyFile' | 'pkcs11Module';
type Draft = Record<Field, string>;

const emptyDraft: Draft = { url: '', caFile: '', certFile: '', keyFile: '', pkcs11Module: '' };

const labels: Record<Field, string> = {
  url: 'Adresse du serveur DMP (https://serveur:port)',
  caFile: 'Certificat de l’autorité du déploiement (CA, fichier PEM)',
  certFile: 'Certificat du poste (fichier PEM)',
  keyFile: 'Clé privée du poste (fichier PEM)',
  pkcs11Module: 'Module PKCS#11 de la carte CPS (facultatif)',
};

function draftOf(saved: HostSettings | null): Draft {
  if (!saved) return emptyDraft;
  return { ...emptyDraft, ...saved, pkcs11Module: saved.pkcs11Module ?? '' };
}

/**
 * « Paramètres » : the shared DMP host this workstation uses, and the workstation certificate. Saved
 * in the data folder; used from the next start (switching DMP under an open session would mix two
 * DMPs' data), which the dialog says before and after saving. Anyone may read them; only an
 * authenticated professional may change them, and nobody when IT manages them: the dialog then
 * shows them read-only, says why, and offers no « Enregistrer » (the main process refuses anyway).
 */
export function HostSettingsDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const id = useId();
  const status = useStore((s) => s.hostStatus);
  const authenticated = useStore((s) => s.session?.status === 'authenticated');
  const [managed, setManaged] = useState<boolean | null>(null);
  const [mode, setMode] = useState<'embedded' | 'remote'>('embedded');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [file, setFile] = useState<string | null>(null);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getApi()
      .settings.getHost({})
      .then((answer) => {
        setFile(answer.file);
        setManaged(answer.managed);
        setMode(answer.saved ? 'remote' : 'embedded');
        setDraft(draftOf(answer.saved));
      })
      .catch((err: unknown) => setError(toUiError(err).message));
  }, []);

  // Nothing is editable until the main process said whether IT manages the settings.
  const editable = managed === false && authenticated;

  const save = (event: React.FormEvent): void => {
    event.preventDefault();
    if (!editable) return;
    setError(null);
    setSaved(false);
    let settings: HostSettings | null = null;
    if (mode === 'remote') {
      const { pkcs11Module, ...required } = draft;
      const parsed = hostSettingsSchema.safeParse({
        ...required,
        ...(pkcs11Module.trim() ? { pkcs11Module } : {}),
      });
      if (!parsed.success) {
        const found: Partial<Record<Field, string>> = {};
        for (const issue of parsed.error.issues) {
          const field = issue.path[0] as Field;
          found[field] ??=
            issue.code === 'too_small'
              ? 'à renseigner'
              : issue.code === 'custom'
                ? issue.message
                : 'chemin absolu attendu (commençant par /)';
        }
        setProblems(found);
        return;
      }
      settings = parsed.data;
    }
    setProblems({});
    setBusy(true);
    getApi()
      .settings.saveHost({ settings })
      .then((answer) => {
        setFile(answer.file);
        setDraft(draftOf(answer.saved));
        setSaved(true);
      })
      .catch((err: unknown) => setError(toUiError(err).message))
      .finally(() => setBusy(false));
  };

  const field = (key: Field): React.JSX.Element => (
    <div className="form__field" key={key}>
      <label htmlFor={`${id}-${key}`}>{labels[key]}</label>
      <input
        id={`${id}-${key}`}
        type="text"
        value={draft[key]}
        autoComplete="off"
        spellCheck={false}
        readOnly={!editable}
        aria-invalid={problems[key] ? true : undefined}
        aria-describedby={problems[key] ? `${id}-${key}-problem` : undefined}
        onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
      />
      {problems[key] && (
        <span id={`${id}-${key}-problem`} className="error">
          {problems[key]}
        </span>
      )}
    </div>
  );

  return (
    <Dialog title="Paramètres du serveur DMP" onClose={onClose}>
      <form className="form" onSubmit={save} noValidate>
        {status && <p>En service maintenant : {hostModeLabel(status)}.</p>}
        {managed === true && (
          <p className="notice" role="note" data-testid="host-settings-lock">
            Réglages gérés par votre service informatique : ils ne peuvent pas être modifiés depuis ce poste.
          </p>
        )}
        {managed === false && !authenticated && (
          <p className="notice" role="note" data-testid="host-settings-lock">
            Pour modifier ces réglages, authentifiez-vous avec votre carte professionnelle et votre code :
            chaque changement est tracé à votre nom.
          </p>
        )}
        <fieldset className="form__choice">
          <legend>Dossiers des patients</legend>
          <label className="inline-check">
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'embedded'}
              disabled={!editable}
              onChange={() => setMode('embedded')}
            />
            DMP intégré à ce poste
          </label>
          <label className="inline-check">
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'remote'}
              disabled={!editable}
              onChange={() => setMode('remote')}
            />
            Serveur DMP partagé
          </label>
        </fieldset>
        {mode === 'remote' && (
          <fieldset>
            <legend>Serveur DMP partagé et certificat du poste</legend>
            {(Object.keys(labels) as Field[]).map(field)}
          </fieldset>
        )}
        <p className="form__hint">
          Les changements s’appliquent au prochain démarrage de Poste DMP.
          {file && <> Fichier : {file}</>}
        </p>
        {saved && (
          <p role="status" className="panel--ok">
            Réglages enregistrés. Redémarrez Poste DMP pour les appliquer.
          </p>
        )}
        <ErrorAlert>{error}</ErrorAlert>
        <div className="form__actions">
          {editable && (
            <button type="submit" disabled={busy}>
              Enregistrer
            </button>
          )}
          <button type="button" className="secondary" onClick={onClose}>
            Fermer
          </button>
        </div>
      </form>
    </Dialog>
  );
}
