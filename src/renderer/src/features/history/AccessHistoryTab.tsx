import { useEffect } from 'react';
import { getApi } from '../../api/client';
import { loadHistory } from '../../state/dossier-loaders';
import { useStore } from '../../state/store';
import { accessModeLabel, frenchDateTime } from '../patient/format';
import { ErrorAlert } from '../../components/ErrorAlert';

/** The dossier's access log as the patient sees it; exceptional accesses stand out. */
export function AccessHistoryTab({ insKey }: { insKey: string }): React.JSX.Element {
  const history = useStore((s) => s.history);

  useEffect(() => {
    void loadHistory(getApi(), insKey);
  }, [insKey]);

  const rows = history.insKey === insKey ? history.data : null;

  return (
    <div className="history">
      <div className="documents__toolbar">
        <p className="muted">Tel que le patient le voit dans Mon espace santé.</p>
        <button
          type="button"
          className="secondary"
          onClick={() => void loadHistory(getApi(), insKey)}
          disabled={history.loading}
        >
          Actualiser
        </button>
      </div>
      <ErrorAlert>{history.error?.message}</ErrorAlert>
      <table className="doc-table" aria-busy={history.loading} aria-label="Historique des accès">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Professionnel</th>
            <th scope="col">Profession</th>
            <th scope="col">Action</th>
            <th scope="col">Mode</th>
            <th scope="col">Motif</th>
          </tr>
        </thead>
        <tbody>
          {rows === null && history.loading && (
            <tr aria-hidden="true" className="skeleton-row">
              <td colSpan={6}>
                <span className="skeleton" />
              </td>
            </tr>
          )}
          {rows?.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                Aucune donnée
              </td>
            </tr>
          )}
          {rows?.map((entry, index) => {
            const exceptional = entry.mode === 'bris_de_glace' || entry.mode === 'centre_15';
            return (
              <tr
                key={`${entry.at}-${index}`}
                className={exceptional ? 'history__row--exceptional' : undefined}
              >
                <td>{frenchDateTime(entry.at)}</td>
                <td>{entry.actor}</td>
                <td>{entry.profession}</td>
                <td>{entry.description}</td>
                <td>
                  {entry.mode ? (
                    exceptional ? (
                      <strong className="badge badge--alert">{accessModeLabel[entry.mode]}</strong>
                    ) : (
                      accessModeLabel[entry.mode]
                    )
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {entry.reason ??
                    (entry.reasonWithheld ? (
                      <span className="muted">Motif réservé au patient et à son médecin traitant</span>
                    ) : (
                      '—'
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
