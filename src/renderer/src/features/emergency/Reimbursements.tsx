import { useId, useState } from 'react';
import type { NoneKnownAssertion, ReimbursementLine } from '../../../../shared/contract';
import { frenchDate } from '../patient/format';
import { NoneKnown } from './EmergencyView';
import { SourceButtons } from './SourceButton';
import { frenchTypography } from './wording';

/** Every reimbursed care on its own line (newest first, as the summary gives them), filtered by therapeutic class. */
export function ReimbursementSection({
  lines,
  noneKnown,
}: {
  lines: ReimbursementLine[];
  noneKnown: NoneKnownAssertion[];
}): React.JSX.Element {
  const [therapeuticClass, setTherapeuticClass] = useState('');
  const filterId = useId();
  const classes = [...new Set(lines.map((l) => l.therapeuticClass))].sort((a, b) => a.localeCompare(b, 'fr'));
  const shown =
    therapeuticClass === '' ? lines : lines.filter((l) => l.therapeuticClass === therapeuticClass);
  return (
    <section
      className="summary-section summary-section--reimbursements"
      aria-labelledby="section-reimbursements"
      data-testid="reimbursements"
    >
      <div className="summary-section__head">
        <h3 id="section-reimbursements">
          Remboursements (24 derniers mois){' '}
          <span className="count">
            ({shown.length === lines.length ? lines.length : `${shown.length} sur ${lines.length}`})
          </span>
        </h3>
        {classes.length > 1 && (
          <span className="form__field form__field--inline no-print">
            <label htmlFor={filterId}>Classe thérapeutique</label>
            <select
              id={filterId}
              value={therapeuticClass}
              onChange={(e) => setTherapeuticClass(e.target.value)}
            >
              <option value="">Toutes</option>
              {classes.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </span>
        )}
      </div>
      <NoneKnown assertions={noneKnown} empty={lines.length === 0} />
      {lines.length > 0 && (
        <div className="table-scroll">
          <table className="reimbursements">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Libellé</th>
                <th scope="col">Quantité</th>
                <th scope="col">Prescripteur ou exécutant</th>
                <th scope="col">Pharmacie ou lieu</th>
                <th scope="col">Classe</th>
                <th scope="col" className="no-print">
                  Source
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((line) => {
                const label = frenchTypography(line.label);
                return (
                  <tr key={line.id}>
                    <td>{frenchDate(line.date)}</td>
                    <td>{label}</td>
                    <td>{line.quantity ?? '—'}</td>
                    <td>{line.prescriber ?? line.performer ?? '—'}</td>
                    <td>{line.pharmacy ?? '—'}</td>
                    <td>{line.therapeuticClass}</td>
                    <td className="no-print">
                      <SourceButtons label={label} sources={[line.provenance]} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
