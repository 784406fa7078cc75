import { useId, useState } from 'react';
import type { ClinicalEntry, ReimbursementGroup } from '../../../../shared/contract';
import { frenchDate } from '../patient/format';
import { SourceButton } from './SourceButton';
import { frenchTypography } from './wording';

const reimbursementKind: Record<ReimbursementGroup['kind'], string> = {
  medicine: 'Médicament',
  act: 'Acte',
  stay: 'Séjour',
  device: 'Dispositif',
  vaccine: 'Vaccin',
  other: 'Autre',
};

type Kind = ReimbursementGroup['kind'];
interface Line {
  kind: Kind;
  entry: ClinicalEntry;
}

/** Every reimbursed item on its own line, newest first: what was dispensed, when, by whom, where. */
export function reimbursementLines(groups: readonly ReimbursementGroup[]): Line[] {
  return groups
    .flatMap((g) => g.entries.map((entry) => ({ kind: g.kind, entry })))
    .sort((a, b) =>
      (b.entry.startDate ?? '').slice(0, 10).localeCompare((a.entry.startDate ?? '').slice(0, 10)),
    );
}

export function ReimbursementSection({ groups }: { groups: ReimbursementGroup[] }): React.JSX.Element {
  const lines = reimbursementLines(groups);
  const [kind, setKind] = useState<Kind | ''>('');
  const filterId = useId();
  const kinds = [...new Set(lines.map((l) => l.kind))];
  const shown = kind === '' ? lines : lines.filter((l) => l.kind === kind);
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
        {kinds.length > 1 && (
          <span className="form__field form__field--inline no-print">
            <label htmlFor={filterId}>Type</label>
            <select id={filterId} value={kind} onChange={(e) => setKind(e.target.value as Kind | '')}>
              <option value="">Tous</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {reimbursementKind[k]}
                </option>
              ))}
            </select>
          </span>
        )}
      </div>
      {lines.length === 0 ? (
        <p className="empty">Non renseigné</p>
      ) : (
        <div className="table-scroll">
          <table className="reimbursements">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Libellé</th>
                <th scope="col">Type</th>
                <th scope="col">Quantité, lieu</th>
                <th scope="col">Prescripteur ou exécutant</th>
                <th scope="col" className="no-print">
                  Source
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ kind: k, entry }) => {
                const label = frenchTypography(entry.label);
                return (
                  <tr key={entry.id}>
                    <td>{frenchDate(entry.startDate)}</td>
                    <td>{label}</td>
                    <td>{reimbursementKind[k]}</td>
                    <td>{entry.detail ?? '—'}</td>
                    <td>{entry.author ?? '—'}</td>
                    <td className="no-print">
                      <SourceButton entry={entry} label={label} />
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
