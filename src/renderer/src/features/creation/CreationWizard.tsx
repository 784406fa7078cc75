import { useEffect, useId, useState } from 'react';
import type { DossierRef, MethodInput, PatientContext, ReferenceIdentity } from '../../../../shared/contract';
import { rnivStatusLabels } from '../../../../shared/identity/ins';
import { ageOfMajority, ageOn, isCompleteDate } from '../../../../shared/identity/traits';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { useStore } from '../../state/store';
import { IdentityCandidates } from '../identity/IdentityCandidates';
import { IdentityTraits } from '../identity/IdentityTraits';
import { displayName, frenchDate, sexLabel } from '../patient/format';
import { AccessCodesButton } from './AccessCodesButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormActions } from '../../components/FormActions';

type Step = 'identity' | 'representatives' | 'consent' | 'created';
type Relation = MethodInput<'dossier.create'>['legalRepresentatives'][number]['relation'];

interface Representative {
  lastName: string;
  firstNames: string;
  relation: Relation;
}

interface TraitsDraft {
  birthName: string;
  firstNames: string;
  birthDate: string;
  sex: 'M' | 'F' | 'U' | null;
  birthPlaceCode: string;
}

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Front-desk creation of a DMP for the Vitale beneficiary selected in the session, with the
 * patient (or, for a minor, their legal representative) present: the identity comes from the
 * identity reference, never typed; a dossier that exists for the person is never created twice;
 * homonyms are shown for a human check; a minor's representatives give consent in their name.
 */
export function CreationWizard(props: { patient: PatientContext; onCancel(): void }): React.JSX.Element {
  const id = useId();
  const { patient } = props;
  const beneficiary = patient.beneficiaries.find((b) => b.index === patient.selectedIndex) ?? null;
  const [identity, setIdentity] = useState<ReferenceIdentity | null>(patient.identity ?? null);
  const [found, setFound] = useState<ReferenceIdentity[] | null>(null);
  const [traits, setTraits] = useState<TraitsDraft>({
    birthName: beneficiary?.lastName ?? '',
    firstNames: beneficiary?.firstName ?? '',
    birthDate: beneficiary && isCompleteDate(beneficiary.birthDate) ? beneficiary.birthDate : '',
    sex: null,
    birthPlaceCode: '',
  });
  const [check, setCheck] = useState<{ existing: DossierRef | null; homonyms: DossierRef[] } | null>(null);
  const [homonymsConfirmed, setHomonymsConfirmed] = useState(false);
  const [documentChecked, setDocumentChecked] = useState(false);
  const [step, setStep] = useState<Step>('identity');
  const [representatives, setRepresentatives] = useState<Representative[]>([
    { lastName: '', firstNames: '', relation: 'mère' },
  ]);
  const [consent, setConsent] = useState({
    informed: false,
    acceptsBrisDeGlace: true,
    acceptsCentre15: true,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const created = useStore((s) => s.created);
  const setCreated = useStore((s) => s.setCreated);

  // The identity the session already found is checked at once: an existing dossier or a homonym shows before anything is typed.
  const initial = patient.identity;
  const initialIndex = patient.selectedIndex;
  useEffect(() => {
    if (!initial || initialIndex === null) return;
    let live = true;
    getApi()
      .dossier.checkCreation({
        beneficiaryIndex: initialIndex,
        identity: { matricule: initial.matricule, oid: initial.oid },
      })
      .then((result) => {
        if (live) setCheck(result);
      })
      .catch((err: unknown) => {
        if (live) setError(toUiError(err).message);
      });
    return () => {
      live = false;
    };
  }, [initial, initialIndex]);

  if (!beneficiary || patient.selectedIndex === null) {
    return (
      <section className="panel" aria-label="Création du DMP">
        <p>Sélectionnez d’abord le bénéficiaire de la carte Vitale.</p>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Retour
        </button>
      </section>
    );
  }
  const beneficiaryIndex = patient.selectedIndex;
  const minor = identity !== null && (ageOn(identity.birthDate, today()) ?? ageOfMajority) < ageOfMajority;
  const steps: { key: Step; label: string }[] = [
    { key: 'identity', label: 'Identité' },
    ...(minor ? [{ key: 'representatives' as const, label: 'Représentants légaux' }] : []),
    { key: 'consent', label: 'Consentement' },
    { key: 'created', label: 'Dossier créé' },
  ];
  const currentStep = steps.findIndex((s) => s.key === step);

  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(toUiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  /** Checked at once, at the identity step: a wrong identity (the parent's NIR…) or an existing dossier stops here. */
  const choose = (chosen: ReferenceIdentity): Promise<void> =>
    run(async () => {
      setIdentity(chosen);
      setCheck(null);
      setHomonymsConfirmed(false);
      setCheck(
        await getApi().dossier.checkCreation({
          beneficiaryIndex,
          identity: { matricule: chosen.matricule, oid: chosen.oid },
        }),
      );
    });

  const searchTraits = (): Promise<void> =>
    run(async () => {
      if (!traits.sex) return;
      const result = await getApi().identity.searchByTraits({
        birthName: traits.birthName,
        firstNames: traits.firstNames,
        birthDate: traits.birthDate,
        sex: traits.sex,
        ...(traits.birthPlaceCode.trim() ? { birthPlaceCode: traits.birthPlaceCode.trim() } : {}),
      });
      setFound(result);
      setIdentity(null);
      setCheck(null);
    });

  const identityReady =
    identity !== null &&
    check !== null &&
    check.existing === null &&
    (check.homonyms.length === 0 || homonymsConfirmed);
  const representativesReady = representatives.some(
    (r) => r.lastName.trim() !== '' && r.firstNames.trim() !== '',
  );

  const create = (): Promise<void> =>
    run(async () => {
      if (!identity) return;
      const input: MethodInput<'dossier.create'> = {
        beneficiaryIndex,
        identity: { matricule: identity.matricule, oid: identity.oid },
        identityDocumentChecked: documentChecked,
        legalRepresentatives: minor
          ? representatives.filter((r) => r.lastName.trim() !== '' && r.firstNames.trim() !== '')
          : [],
        consent: {
          givenBy: minor ? 'legal-representative' : 'patient',
          informed: true,
          brisDeGlaceOpposition: !consent.acceptsBrisDeGlace,
          centre15Opposition: !consent.acceptsCentre15,
        },
        ...(homonymsConfirmed ? { homonymsConfirmed: true } : {}),
      };
      const result = await getApi().dossier.create(input);
      setCreated({ insKey: result.dossier.insKey, accessCodes: result.accessCodes });
      setStep('created');
      // The session looks the beneficiary up again: the new dossier is now found, never offered for creation again.
      await getApi().patient.selectBeneficiary({ index: beneficiaryIndex });
    });

  return (
    <section className="panel panel--wide wizard" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Création du DMP</h2>
      <ol className="wizard__steps" aria-label="Étapes">
        {steps.map((s, i) => (
          <li
            key={s.key}
            aria-current={s.key === step ? 'step' : undefined}
            className={i < currentStep ? 'done' : undefined}
          >
            {s.label}
          </li>
        ))}
      </ol>

      {step === 'identity' && (
        <div className="form">
          <p>
            Carte Vitale : <strong>{beneficiary.lastName}</strong> {beneficiary.firstName} — date de naissance{' '}
            {frenchDate(beneficiary.birthDate)}
          </p>
          {identity && (
            <>
              <h3>Identité au référentiel INS</h3>
              <IdentityTraits identity={identity} />
              <p className="hint">
                {documentChecked ? rnivStatusLabels.qualified : rnivStatusLabels.fetched} : l’INS est
                qualifiée lorsqu’une pièce d’identité à haut niveau de confiance a été vérifiée.
              </p>
              <label className="inline-check">
                <input
                  type="checkbox"
                  checked={documentChecked}
                  onChange={(e) => setDocumentChecked(e.target.checked)}
                />
                Pièce d’identité à haut niveau de confiance vérifiée (carte d’identité, passeport, titre de
                séjour)
              </label>
            </>
          )}
          {!identity && found === null && (
            <>
              <p className="notice" role="note">
                {patient.notice ?? 'L’identité de ce bénéficiaire n’a pas été trouvée au référentiel.'}{' '}
                Recherchez-la par ses cinq traits d’identité.
              </p>
              <TraitsForm id={id} traits={traits} onChange={setTraits} />
              <div className="form__actions">
                <button
                  type="button"
                  onClick={() => void searchTraits()}
                  disabled={busy || !traits.sex || !isCompleteDate(traits.birthDate)}
                >
                  Rechercher l’identité
                </button>
              </div>
            </>
          )}
          {!identity && found !== null && found.length === 0 && (
            <p className="notice" role="status">
              Aucune identité ne correspond à ces traits au référentiel : le DMP ne peut pas être créé sans
              INS.
            </p>
          )}
          {!identity && found !== null && found.length > 0 && (
            <IdentityCandidates
              candidates={found}
              busy={busy}
              onChoose={(index) => void (found[index] && choose(found[index]))}
            />
          )}
          {check?.existing && (
            <ErrorAlert>
              Ce patient a déjà un DMP ({displayName(check.existing)}) : il ne peut pas en avoir un second.
              Ouvrez le dossier existant.
            </ErrorAlert>
          )}
          {check && !check.existing && check.homonyms.length > 0 && (
            <div className="notice" role="alert">
              <p>
                Un DMP existe pour une personne aux cinq mêmes traits d’identité. Vérifiez qu’il s’agit bien
                d’une autre personne :
              </p>
              <ul>
                {check.homonyms.map((h) => (
                  <li key={h.insKey}>
                    {displayName(h)} — {frenchDate(h.identity.birthDate)} — {sexLabel[h.identity.sex]} — lieu{' '}
                    {h.identity.birthPlaceCode ?? 'inconnu'}
                  </li>
                ))}
              </ul>
              <label className="inline-check">
                <input
                  type="checkbox"
                  checked={homonymsConfirmed}
                  onChange={(e) => setHomonymsConfirmed(e.target.checked)}
                />
                J’ai vérifié : il s’agit d’une autre personne (homonyme)
              </label>
            </div>
          )}
          <ErrorAlert>{error}</ErrorAlert>
          <FormActions onCancel={props.onCancel}>
            {identity && check === null && (
              <button type="button" onClick={() => void choose(identity)} disabled={busy}>
                Vérifier l’identité
              </button>
            )}
            <button
              type="button"
              onClick={() => setStep(minor ? 'representatives' : 'consent')}
              disabled={busy || !identityReady}
            >
              Suivant
            </button>
          </FormActions>
        </div>
      )}

      {step === 'representatives' && (
        <div className="form">
          <p className="notice" role="note">
            Ce patient est mineur : le consentement à la création de son DMP est donné par son ou ses
            représentants légaux, présents.
          </p>
          {representatives.map((r, i) => (
            <fieldset key={i}>
              <legend>Représentant légal {i + 1}</legend>
              <div className="form__field">
                <label htmlFor={`${id}-rep-${i}-name`}>Nom</label>
                <input
                  id={`${id}-rep-${i}-name`}
                  value={r.lastName}
                  onChange={(e) =>
                    setRepresentatives((all) =>
                      all.map((x, j) => (j === i ? { ...x, lastName: e.target.value } : x)),
                    )
                  }
                />
              </div>
              <div className="form__field">
                <label htmlFor={`${id}-rep-${i}-first`}>Prénoms</label>
                <input
                  id={`${id}-rep-${i}-first`}
                  value={r.firstNames}
                  onChange={(e) =>
                    setRepresentatives((all) =>
                      all.map((x, j) => (j === i ? { ...x, firstNames: e.target.value } : x)),
                    )
                  }
                />
              </div>
              <div className="form__field">
                <label htmlFor={`${id}-rep-${i}-relation`}>Lien</label>
                <select
                  id={`${id}-rep-${i}-relation`}
                  value={r.relation}
                  onChange={(e) =>
                    setRepresentatives((all) =>
                      all.map((x, j) => (j === i ? { ...x, relation: e.target.value as Relation } : x)),
                    )
                  }
                >
                  <option value="mère">Mère</option>
                  <option value="père">Père</option>
                  <option value="tuteur">Tuteur</option>
                  <option value="autre">Autre représentant légal</option>
                </select>
              </div>
            </fieldset>
          ))}
          {representatives.length < 2 && (
            <button
              type="button"
              className="link"
              onClick={() =>
                setRepresentatives((all) => [...all, { lastName: '', firstNames: '', relation: 'père' }])
              }
            >
              Ajouter un second représentant légal
            </button>
          )}
          <div className="form__actions">
            <button type="button" className="secondary" onClick={() => setStep('identity')}>
              Précédent
            </button>
            <button type="button" onClick={() => setStep('consent')} disabled={!representativesReady}>
              Suivant
            </button>
          </div>
        </div>
      )}

      {step === 'consent' && (
        <div className="form">
          <fieldset>
            <legend>
              {minor
                ? 'Information et consentement du représentant légal'
                : 'Information et consentement du patient'}
            </legend>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={consent.informed}
                onChange={(e) => setConsent((c) => ({ ...c, informed: e.target.checked }))}
              />
              {minor
                ? 'Le représentant légal a été informé et consent à la création du DMP de l’enfant'
                : 'Le patient a été informé et consent à la création de son DMP'}
            </label>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={consent.acceptsBrisDeGlace}
                onChange={(e) => setConsent((c) => ({ ...c, acceptsBrisDeGlace: e.target.checked }))}
              />
              Accepte l’accès en bris de glace
            </label>
            {!consent.acceptsBrisDeGlace && (
              <p className="notice">Opposition à l’accès en bris de glace : elle sera enregistrée.</p>
            )}
            <label className="inline-check">
              <input
                type="checkbox"
                checked={consent.acceptsCentre15}
                onChange={(e) => setConsent((c) => ({ ...c, acceptsCentre15: e.target.checked }))}
              />
              Accepte l’accès par le centre 15
            </label>
            {!consent.acceptsCentre15 && (
              <p className="notice">Opposition à l’accès par le centre 15 : elle sera enregistrée.</p>
            )}
          </fieldset>
          <ErrorAlert>{error}</ErrorAlert>
          <div className="form__actions">
            <button
              type="button"
              className="secondary"
              onClick={() => setStep(minor ? 'representatives' : 'identity')}
            >
              Précédent
            </button>
            <button type="button" onClick={() => void create()} disabled={busy || !consent.informed}>
              {busy ? 'Création…' : 'Créer le dossier'}
            </button>
          </div>
        </div>
      )}

      {step === 'created' && created && (
        <div className="form" role="status">
          <p>Le dossier a été créé. Remettez au patient ses codes d’accès à Mon espace santé.</p>
          <AccessCodesButton accessCodes={created.accessCodes} />
          <div className="form__actions">
            <button type="button" className="secondary" onClick={props.onCancel}>
              Terminer
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function TraitsForm(props: {
  id: string;
  traits: TraitsDraft;
  onChange(update: (t: TraitsDraft) => TraitsDraft): void;
}): React.JSX.Element {
  const { id, traits, onChange } = props;
  const field = (
    key: 'birthName' | 'firstNames' | 'birthDate' | 'birthPlaceCode',
    label: string,
    type = 'text',
  ): React.JSX.Element => (
    <div className="form__field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type={type}
        value={traits[key]}
        autoComplete="off"
        onChange={(e) => onChange((t) => ({ ...t, [key]: e.target.value }))}
      />
    </div>
  );
  return (
    <fieldset>
      <legend>Traits d’identité</legend>
      {field('birthName', 'Nom de naissance')}
      {field('firstNames', 'Prénoms (dans l’ordre de l’état civil)')}
      {field('birthDate', 'Date de naissance', 'date')}
      <fieldset>
        <legend>Sexe</legend>
        {(['F', 'M'] as const).map((s) => (
          <label key={s} className="inline-check">
            <input
              type="radio"
              name={`${id}-sex`}
              checked={traits.sex === s}
              onChange={() => onChange((t) => ({ ...t, sex: s }))}
            />
            {sexLabel[s]}
          </label>
        ))}
      </fieldset>
      {field('birthPlaceCode', 'Code INSEE du lieu de naissance (facultatif)')}
    </fieldset>
  );
}
