import type { DossierRef, PatientContext } from '../../../../shared/contract';
import { ageFrom, frenchDate, insStatusLabel } from './format';

const sexLabel = { M: 'Homme', F: 'Femme', U: 'Sexe indéterminé' } as const;
const modeLabel = { normal: 'Accès normal', bris_de_glace: 'Bris de glace', centre_15: 'Centre 15' } as const;

/** Whose dossier this is, and how it was opened: never in doubt. */
export function PatientBanner(props: { dossier: DossierRef; patient: PatientContext; hasAllergies: boolean }): React.JSX.Element {
  const { dossier, patient } = props;
  const id = dossier.identity;
  const age = ageFrom(id.birthDate);
  return (
    <header className="patient-banner" aria-label="Patient">
      <div className="patient-banner__name">
        <strong>{id.birthName.toUpperCase()}</strong> {id.firstNames}
        {id.usedName && id.usedName !== id.birthName && <span> (nom utilisé : {id.usedName})</span>}
      </div>
      <div className="patient-banner__facts">
        <span>Né(e) le {frenchDate(id.birthDate)}{age !== null && ` (${age} ans)`}</span>
        <span>{sexLabel[id.sex]}</span>
        <span>
          INS {dossier.ins.matricule} · {insStatusLabel[dossier.ins.status] ?? dossier.ins.status}
        </span>
        {dossier.testIdentity && <strong className="badge badge--test">Identité de test</strong>}
        {props.hasAllergies && <strong className="badge badge--allergy">Allergies connues</strong>}
        {patient.access && <span className="badge">{modeLabel[patient.access.mode]}</span>}
      </div>
    </header>
  );
}
