import { useState } from 'react';
import type { DossierRef, PatientContext } from '../../../../shared/contract';
import { formatMatricule, rnivStatusLabels } from '../../../../shared/identity/ins';
import { getApi } from '../../api/client';
import { toUiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { BeneficiaryList } from './BeneficiaryPicker';
import { HostUnavailableNotice } from '../host/HostIndicator';
import { accessModeLabel, ageLabel, bornLabel, frenchDate, identityKind, sexLabel } from './format';
import { ErrorAlert } from '../../components/ErrorAlert';

/** Whose dossier this is, and how it was opened: never in doubt. */
export function PatientBanner(props: {
  dossier: DossierRef;
  patient: PatientContext;
  allergies: AllergyState;
}): React.JSX.Element {
  const { dossier, patient } = props;
  const id = dossier.identity;
  const age = ageLabel(id.birthDate);
  const kind = identityKind(dossier);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);

  const run = (call: Promise<unknown>): void => {
    setError(null);
    call.catch((err: unknown) => setError(toUiError(err).message));
  };

  return (
    <section className={`patient-banner${kind ? ' patient-banner--test' : ''}`} aria-label="Patient">
      <div className="patient-banner__row">
        <div className="patient-banner__name">
          <strong>{id.birthName.toUpperCase()}</strong> {id.firstNames}
          {id.usedName && id.usedName !== id.birthName && <span> (nom utilisé : {id.usedName})</span>}
        </div>
        <div className="patient-banner__actions">
          {patient.source === 'vitale' && patient.beneficiaries.length > 1 && (
            <button type="button" className="link" onClick={() => setPicking(true)}>
              Changer de bénéficiaire
            </button>
          )}
          {patient.source === 'vitale' && (
            <label className="inline-check">
              <input
                type="checkbox"
                checked={patient.keepOpen}
                onChange={(e) => run(getApi().patient.keepOpen({ keep: e.target.checked }))}
              />
              Garder ouvert après retrait de la Vitale
            </label>
          )}
          {/* Leaves this view only; closing the DMP itself is on the « Gestion du DMP » tab. */}
          <button type="button" className="link" onClick={() => run(getApi().patient.close({}))}>
            Quitter le dossier
          </button>
        </div>
      </div>
      <div className="patient-banner__facts">
        <span>
          {bornLabel(id.sex)} le {frenchDate(id.birthDate)}
          {age !== null && ` (${age})`}
        </span>
        <span>{sexLabel[id.sex]}</span>
        <span>
          INS {formatMatricule(dossier.ins.matricule)}{' '}
          <strong
            className={`badge ${dossier.ins.status === 'qualified' ? 'badge--ins-qualified' : 'badge--ins-other'}`}
            data-testid="ins-status"
          >
            {rnivStatusLabels[dossier.ins.status]}
          </strong>
        </span>
        {dossier.status === 'closed' && <strong className="badge badge--alert">DMP clôturé</strong>}
        {kind && (
          <strong className="badge badge--test">
            {kind === 'demo' ? 'Identité de démonstration' : 'Identité de test'}
          </strong>
        )}
        <AllergyFlag state={props.allergies} />
        {patient.access && (
          <span className={patient.access.mode === 'normal' ? 'badge' : 'badge badge--alert'}>
            {accessModeLabel[patient.access.mode]}
          </span>
        )}
      </div>
      <HostUnavailableNotice />
      <ErrorAlert>{error}</ErrorAlert>
      {picking && (
        <Dialog title="Quel bénéficiaire de la carte Vitale ?" onClose={() => setPicking(false)}>
          <BeneficiaryList
            beneficiaries={patient.beneficiaries}
            selectedIndex={patient.selectedIndex}
            onPick={(index) => {
              setPicking(false);
              run(getApi().patient.selectBeneficiary({ index }));
            }}
          />
          <button type="button" className="secondary" onClick={() => setPicking(false)}>
            Annuler
          </button>
        </Dialog>
      )}
    </section>
  );
}

/** `none-known`: a document states « aucune allergie connue »; `none`: nothing is recorded either way. */
export type AllergyState = 'loading' | 'unknown' | 'none' | 'none-known' | 'present';

/** Reserved slot: the flag appears once the summary says so, without moving the rest of the banner. */
function AllergyFlag({ state }: { state: AllergyState }): React.JSX.Element {
  switch (state) {
    case 'present':
      return <strong className="badge badge--allergy">Allergies connues</strong>;
    case 'none-known':
      return <span className="badge">Aucune allergie connue</span>;
    case 'none':
      // Nothing recorded is not "no known allergy": only a document's explicit statement may say that.
      return <span className="badge">Allergies : non renseignées</span>;
    case 'unknown':
      return <span className="badge">Allergies : non disponibles</span>;
    case 'loading':
      return <span className="badge badge--placeholder">Allergies : …</span>;
  }
}
