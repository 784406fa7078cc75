import { useId, useState } from 'react';
import type { AccessMode, DossierRef, InsOid, Professional } from '../../../../shared/contract';
import { formatMatricule, rnivStatusLabels } from '../../../../shared/identity/ins';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { AccessReasonDialog } from '../access/AccessReasonDialog';
import { displayName, frenchDate, identityKind, sexLabel } from '../patient/format';
import { oidChoices, toInsKey } from './ins-input';
import { ErrorAlert } from '../../components/ErrorAlert';

type SearchBy = 'ins' | 'identity';
type Exceptional = Exclude<AccessMode, 'normal'>;

const DOCTOR = '10';

/** No patient in context: find a dossier by INS or by name and birth date, then open it in the right mode. */
export function PatientSearch({ professional }: { professional: Professional | null }): React.JSX.Element {
  const id = useId();
  const [by, setBy] = useState<SearchBy>('ins');
  const [insText, setInsText] = useState('');
  const [oid, setOid] = useState<InsOid>('1.2.250.1.213.1.4.8');
  const [name, setName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [results, setResults] = useState<DossierRef[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ mode: Exceptional; dossier: DossierRef } | null>(null);

  const isCps = professional?.cardKind === 'cps';
  const isDoctor = isCps && professional?.holder.professionCode === DOCTOR;

  const search = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    let input: { insKey: string } | { name: string; birthDate: string };
    if (by === 'ins') {
      const key = toInsKey(insText, oid);
      if (!key) {
        setError(
          'INS invalide : 15 caractères (13 chiffres et la clé), éventuellement suivis de @ et de l’OID.',
        );
        return;
      }
      input = { insKey: key };
    } else {
      if (name.replace(/[^\p{L}]/gu, '').length < 3 || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
        setError(
          'Indiquez au moins les 3 premières lettres du nom de naissance et la date de naissance complète.',
        );
        return;
      }
      input = { name: name.trim(), birthDate };
    }
    setBusy(true);
    try {
      setResults(await getApi().patient.search(input));
    } catch (err) {
      setResults(null);
      setError(toUiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  const openNormal = (dossier: DossierRef): void => {
    setError(null);
    getApi()
      .patient.open({ insKey: dossier.insKey, mode: 'normal' })
      .catch((err: unknown) => setError(toUiError(err).message));
  };

  return (
    <section className="panel panel--wide" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Rechercher un dossier</h2>
      <p>Insérez la carte Vitale du patient, ou recherchez son dossier.</p>
      <form className="form" onSubmit={(e) => void search(e)} aria-label="Recherche de dossier">
        <fieldset className="form__choice">
          <legend>Rechercher par</legend>
          <label className="inline-check">
            <input type="radio" name={`${id}-by`} checked={by === 'ins'} onChange={() => setBy('ins')} />
            INS
          </label>
          <label className="inline-check">
            <input
              type="radio"
              name={`${id}-by`}
              checked={by === 'identity'}
              onChange={() => setBy('identity')}
            />
            Nom et date de naissance
          </label>
        </fieldset>
        {by === 'ins' ? (
          <div className="form__row">
            <div className="form__field">
              <label htmlFor={`${id}-ins`}>INS (matricule ou matricule@OID)</label>
              <input
                id={`${id}-ins`}
                value={insText}
                onChange={(e) => setInsText(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                size={40}
              />
            </div>
            <div className="form__field">
              <label htmlFor={`${id}-oid`}>Type d’identifiant</label>
              <select id={`${id}-oid`} value={oid} onChange={(e) => setOid(e.target.value as InsOid)}>
                {oidChoices.map((c) => (
                  <option key={c.oid} value={c.oid}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : (
          <div className="form__row">
            <div className="form__field">
              <label htmlFor={`${id}-name`}>Nom de naissance</label>
              <input
                id={`${id}-name`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
              />
            </div>
            <div className="form__field">
              <label htmlFor={`${id}-birth`}>Date de naissance</label>
              <input
                id={`${id}-birth`}
                type="date"
                value={birthDate}
                onChange={(e) => setBirthDate(e.target.value)}
              />
            </div>
          </div>
        )}
        <div className="form__actions">
          <button type="submit" disabled={busy}>
            Rechercher
          </button>
        </div>
      </form>
      <ErrorAlert>{error}</ErrorAlert>
      <div aria-live="polite" className="search-results">
        {results?.length === 0 && <p className="empty">Aucun dossier trouvé.</p>}
        {results && results.length > 0 && (
          <ul className="results" aria-label="Dossiers trouvés">
            {results.map((dossier) => (
              <SearchResult
                key={dossier.insKey}
                dossier={dossier}
                canBreakGlass={isCps}
                canCentre15={isDoctor && professional?.centre15Regulation === true}
                onOpen={() => openNormal(dossier)}
                onExceptional={(mode) => setDialog({ mode, dossier })}
              />
            ))}
          </ul>
        )}
      </div>
      {dialog && (
        <AccessReasonDialog
          mode={dialog.mode}
          insKey={dialog.dossier.insKey}
          patientLabel={displayName(dialog.dossier)}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}

function SearchResult(props: {
  dossier: DossierRef;
  canBreakGlass: boolean;
  canCentre15: boolean;
  onOpen(): void;
  onExceptional(mode: Exceptional): void;
}): React.JSX.Element {
  const { dossier } = props;
  const kind = identityKind(dossier);
  const label = displayName(dossier);
  return (
    <li className="result">
      <div>
        <strong>{label}</strong> · né(e) le {frenchDate(dossier.identity.birthDate)} ·{' '}
        {sexLabel[dossier.identity.sex]}
        <br />
        INS {formatMatricule(dossier.ins.matricule)} · {rnivStatusLabels[dossier.ins.status]}
        {dossier.status === 'closed' && <strong className="badge badge--alert"> DMP clôturé</strong>}
        {kind && (
          <strong className="badge badge--test">
            {' '}
            {kind === 'demo' ? 'Identité de démonstration' : 'Identité de test'}
          </strong>
        )}
      </div>
      <div className="result__actions">
        <button type="button" onClick={props.onOpen} aria-label={`Ouvrir le dossier de ${label}`}>
          Ouvrir
        </button>
        {props.canBreakGlass && (
          <button type="button" className="danger" onClick={() => props.onExceptional('bris_de_glace')}>
            Bris de glace…
          </button>
        )}
        {props.canCentre15 && (
          <button type="button" className="secondary" onClick={() => props.onExceptional('centre_15')}>
            Centre 15…
          </button>
        )}
      </div>
    </li>
  );
}
