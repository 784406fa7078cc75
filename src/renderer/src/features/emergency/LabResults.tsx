import type { LabResult, NoneKnownAssertion } from '../../../../shared/contract';
import { frenchDate } from '../patient/format';
import { NoneKnown } from './EmergencyView';
import { SourceButtons } from './SourceButton';

/** Latest value per analyte, with unit, reference range, abnormal flag and the trend when there are several. */
export function LabResultsSection({
  results,
  noneKnown,
}: {
  results: LabResult[];
  noneKnown: NoneKnownAssertion[];
}): React.JSX.Element {
  return (
    <section
      className="summary-section summary-section--lab-results"
      aria-labelledby="section-lab-results"
      data-testid="lab-results"
    >
      <h3 id="section-lab-results">
        Résultats de biologie <span className="count">({results.length})</span>
      </h3>
      <NoneKnown assertions={noneKnown} empty={results.length === 0} />
      {results.length > 0 && (
        <div className="table-scroll">
          <table className="lab-results">
            <thead>
              <tr>
                <th scope="col">Analyse</th>
                <th scope="col">Dernier résultat</th>
                <th scope="col">Valeurs de référence</th>
                <th scope="col">Date</th>
                <th scope="col">Évolution</th>
                <th scope="col" className="no-print">
                  Source
                </th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => {
                const abnormal = r.latest.flag !== undefined && r.latest.flag !== 'normal';
                return (
                  <tr key={r.id} className={abnormal ? 'lab-results__row--abnormal' : undefined}>
                    <td>{r.analyte}</td>
                    <td>
                      <strong>
                        {r.latest.value}
                        {r.latest.unit && ` ${r.latest.unit}`}
                      </strong>
                      {r.latest.flagLabel && (
                        <span className={abnormal ? 'badge badge--alert' : 'badge'}>
                          {r.latest.flagLabel}
                        </span>
                      )}
                    </td>
                    <td>{r.latest.referenceRange ?? '—'}</td>
                    <td>{frenchDate(r.latest.date)}</td>
                    <td>
                      {r.trendLabel ??
                        (r.previous.length > 0 ? `${r.previous.length} résultat(s) antérieur(s)` : '—')}
                    </td>
                    <td className="no-print">
                      <SourceButtons label={r.analyte} sources={r.sources} />
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
