import type { Beneficiary } from '../../../../shared/contract';
import { ageLabel, frenchDate } from './format';
import { ErrorAlert } from '../../components/ErrorAlert';

/** A family Vitale holds several people: the clinician picks who is in front of them. */
export function BeneficiaryPicker(props: {
  beneficiaries: Beneficiary[];
  onPick(index: number): void;
  error?: string | null;
}): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby="beneficiary-picker">
      <h2 id="beneficiary-picker">Quel bénéficiaire de la carte Vitale ?</h2>
      <BeneficiaryList beneficiaries={props.beneficiaries} selectedIndex={null} onPick={props.onPick} />
      <ErrorAlert>{props.error}</ErrorAlert>
    </section>
  );
}

export function BeneficiaryList(props: {
  beneficiaries: Beneficiary[];
  selectedIndex: number | null;
  onPick(index: number): void;
}): React.JSX.Element {
  return (
    <ul className="beneficiaries">
      {props.beneficiaries.map((b) => {
        const age = ageLabel(b.birthDate);
        return (
          <li key={b.index}>
            <button
              type="button"
              className={b.index === props.selectedIndex ? 'secondary' : undefined}
              aria-current={b.index === props.selectedIndex ? 'true' : undefined}
              onClick={() => props.onPick(b.index)}
            >
              {b.lastName} {b.firstName} — né(e) le {frenchDate(b.birthDate)}
              {age !== null && ` (${age})`}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
