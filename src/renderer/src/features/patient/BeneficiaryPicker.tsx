import type { Beneficiary } from '../../../../shared/contract';
import { frenchDate } from './format';

/** A family Vitale holds several people: the clinician picks who is in front of them. */
export function BeneficiaryPicker(props: { beneficiaries: Beneficiary[]; onPick(index: number): void }): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby="beneficiary-picker">
      <h2 id="beneficiary-picker">Quel bénéficiaire de la carte Vitale ?</h2>
      <ul className="beneficiaries">
        {props.beneficiaries.map((b) => (
          <li key={b.index}>
            <button type="button" onClick={() => props.onPick(b.index)}>
              {b.lastName} {b.firstName} — né(e) le {frenchDate(b.birthDate)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
