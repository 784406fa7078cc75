import { useId, useState } from 'react';
import type { Beneficiary, MethodInput } from '../../../../shared/contract';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { isLikelyCardHolder, isValidMatricule, sexFromNir, type Sex } from '../../lib/nir';
import { useStore } from '../../state/store';
import { ageLabel, frenchDate, sexLabel } from '../patient/format';
import { AccessCodesButton } from './AccessCodesButton';

type Step = 'beneficiary' | 'identity' | 'consent' | 'created';
const steps: { key: Step; label: string }[] = [
  { key: 'beneficiary', label: 'Bénéficiaire' },
  { key: 'identity', label: 'Identité' },
  { key: 'consent', label: 'Consentement' },
  { key: 'created', label: 'Dossier créé' },
];

interface IdentityDraft {
  matricule: string;
  sex: Sex | null;
  birthPlaceCode: string;
  identityDocumentChecked: boolean;
}

/** Front-desk creation of a DMP, with the patient present: who, checked identity, consent, then the access codes. */
export function CreationWizard(props: { beneficiaries: Beneficiary[]; initialIndex: number | null; onCancel(): void }): React.JSX.Element {
  const id = useId();
  const [step, setStep] = useState<Step>('beneficiary');
  const [index, setIndex] = useState<number>(props.initialIndex ?? props.beneficiaries[0]?.index ?? 0);
  const [identity, setIdentity] = useState<IdentityDraft>({ matricule: '', sex: null, birthPlaceCode: '', identityDocumentChecked: false });
  const [consent, setConsent] = useState({ patientInformed: false, acceptsBrisDeGlace: true, acceptsCentre15: true });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const created = useStore((s) => s.created);
  const setCreated = useStore((s) => s.setCreated);

  const beneficiary = props.beneficiaries.find((b) => b.index === index) ?? null;
  const holder = beneficiary ? isLikelyCardHolder(beneficiary.nir, beneficiary.birthDate) : false;

  const goToIdentity = (): void => {
    if (!beneficiary) return;
    // Prefill only for the card holder: a child's INS is never the NIR printed on the parent's card.
    setIdentity((d) => ({
      ...d,
      matricule: holder ? beneficiary.nir : '',
      sex: holder ? sexFromNir(beneficiary.nir) : null,
    }));
    setStep('identity');
  };

  const matriculeValid = isValidMatricule(identity.matricule);
  const identityComplete = matriculeValid && identity.sex !== null;

  const create = async (): Promise<void> => {
    if (!identity.sex || !consent.patientInformed) return;
    setBusy(true);
    setError(null);
    const input: MethodInput<'dossier.create'> = {
      beneficiaryIndex: index,
      identity: {
        matricule: identity.matricule.toUpperCase(),
        sex: identity.sex,
        identityDocumentChecked: identity.identityDocumentChecked,
        ...(identity.birthPlaceCode.trim() ? { birthPlaceCode: identity.birthPlaceCode.trim() } : {}),
      },
      consent: {
        patientInformed: true,
        brisDeGlaceOpposition: !consent.acceptsBrisDeGlace,
        centre15Opposition: !consent.acceptsCentre15,
      },
    };
    try {
      const result = await getApi().dossier.create(input);
      setCreated({ insKey: result.dossier.insKey, accessCodes: result.accessCodes });
      setStep('created');
    } catch (err) {
      setError(toUiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  const currentStep = steps.findIndex((s) => s.key === step);

  return (
    <section className="panel panel--wide wizard" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Création du DMP</h2>
      <ol className="wizard__steps" aria-label="Étapes">
        {steps.map((s, i) => (
          <li key={s.key} aria-current={s.key === step ? 'step' : undefined} className={i < currentStep ? 'done' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>

      {step === 'beneficiary' && (
        <fieldset>
          <legend>Pour quel bénéficiaire de la carte Vitale ?</legend>
          {props.beneficiaries.map((b) => {
            const age = ageLabel(b.birthDate);
            return (
              <label key={b.index} className="inline-check">
                <input type="radio" name={`${id}-beneficiary`} checked={b.index === index} onChange={() => setIndex(b.index)} />
                {b.lastName} {b.firstName} — né(e) le {frenchDate(b.birthDate)}
                {age !== null && ` (${age})`}
              </label>
            );
          })}
          <div className="form__actions">
            <button type="button" className="secondary" onClick={props.onCancel}>
              Annuler
            </button>
            <button type="button" onClick={goToIdentity} disabled={!beneficiary}>
              Suivant
            </button>
          </div>
        </fieldset>
      )}

      {step === 'identity' && beneficiary && (
        <div className="form">
          <p>
            <strong>
              {beneficiary.lastName} {beneficiary.firstName}
            </strong>{' '}
            — né(e) le {frenchDate(beneficiary.birthDate)}
          </p>
          <p className="notice" role="note">
            Le numéro imprimé sur la carte Vitale est celui de l’assuré (ouvrant droit). L’INS d’un enfant ou d’un ayant droit
            est différent : saisissez le matricule propre au bénéficiaire{holder ? ' (prérempli ici car il s’agit de l’assuré)' : ''}.
          </p>
          <div className="form__field">
            <label htmlFor={`${id}-matricule`}>Matricule INS du bénéficiaire (15 caractères)</label>
            <input
              id={`${id}-matricule`}
              value={identity.matricule}
              maxLength={15}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setIdentity((d) => ({ ...d, matricule: e.target.value.replace(/\s+/g, '').toUpperCase() }))}
              aria-invalid={identity.matricule.length > 0 && !matriculeValid ? true : undefined}
              aria-describedby={`${id}-matricule-help`}
            />
            <span id={`${id}-matricule-help`} className={identity.matricule.length === 15 && !matriculeValid ? 'error' : 'hint'}>
              {identity.matricule.length === 15 && !matriculeValid ? 'Matricule invalide (clé de contrôle incorrecte).' : '13 chiffres et la clé.'}
            </span>
          </div>
          <fieldset>
            <legend>Sexe</legend>
            {(['F', 'M', 'U'] as const).map((s) => (
              <label key={s} className="inline-check">
                <input type="radio" name={`${id}-sex`} checked={identity.sex === s} onChange={() => setIdentity((d) => ({ ...d, sex: s }))} />
                {sexLabel[s]}
              </label>
            ))}
          </fieldset>
          <div className="form__field">
            <label htmlFor={`${id}-birthplace`}>Code INSEE du lieu de naissance (facultatif)</label>
            <input
              id={`${id}-birthplace`}
              value={identity.birthPlaceCode}
              maxLength={10}
              onChange={(e) => setIdentity((d) => ({ ...d, birthPlaceCode: e.target.value }))}
            />
          </div>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={identity.identityDocumentChecked}
              onChange={(e) => setIdentity((d) => ({ ...d, identityDocumentChecked: e.target.checked }))}
            />
            Pièce d’identité vérifiée
          </label>
          {!identity.identityDocumentChecked && (
            <p className="hint">Sans pièce d’identité vérifiée, l’INS ne pourra pas être qualifiée.</p>
          )}
          <div className="form__actions">
            <button type="button" className="secondary" onClick={() => setStep('beneficiary')}>
              Précédent
            </button>
            <button type="button" onClick={() => setStep('consent')} disabled={!identityComplete}>
              Suivant
            </button>
          </div>
        </div>
      )}

      {step === 'consent' && (
        <div className="form">
          <fieldset>
            <legend>Information et consentement du patient</legend>
            <label className="inline-check">
              <input type="checkbox" checked={consent.patientInformed} onChange={(e) => setConsent((c) => ({ ...c, patientInformed: e.target.checked }))} />
              Le patient a été informé et consent à la création de son DMP
            </label>
            <label className="inline-check">
              <input type="checkbox" checked={consent.acceptsBrisDeGlace} onChange={(e) => setConsent((c) => ({ ...c, acceptsBrisDeGlace: e.target.checked }))} />
              Accepte l’accès en bris de glace
            </label>
            {!consent.acceptsBrisDeGlace && <p className="notice">Opposition à l’accès en bris de glace : elle sera enregistrée.</p>}
            <label className="inline-check">
              <input type="checkbox" checked={consent.acceptsCentre15} onChange={(e) => setConsent((c) => ({ ...c, acceptsCentre15: e.target.checked }))} />
              Accepte l’accès par le centre 15
            </label>
            {!consent.acceptsCentre15 && <p className="notice">Opposition à l’accès par le centre 15 : elle sera enregistrée.</p>}
          </fieldset>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="form__actions">
            <button type="button" className="secondary" onClick={() => setStep('identity')}>
              Précédent
            </button>
            <button type="button" onClick={() => void create()} disabled={busy || !consent.patientInformed}>
              {busy ? 'Création…' : 'Créer le dossier'}
            </button>
          </div>
        </div>
      )}

      {step === 'created' && created && (
        <div className="form" role="status">
          <p>Le dossier a été créé. Remettez au patient ses codes d’accès à Mon espace santé.</p>
          <AccessCodesButton accessCodes={created.accessCodes} />
        </div>
      )}
    </section>
  );
}
