import type { ClinicalEntry, EmergencySummary, ReimbursementGroup } from '../../../../shared/contract';
import { frenchDate } from '../patient/format';

/** The urgent summary: life-critical facts first, every line traceable to its source document. */
export function EmergencyView({ summary }: { summary: EmergencySummary }): React.JSX.Element {
  return (
    <div className="emergency" aria-label="Synthèse d’urgence">
      <EntrySection title="Allergies et intolérances" entries={summary.allergies} tone="alert" testId="allergies" />
      <EntrySection title="Traitements en cours" entries={summary.medications} testId="medications" />
      <EntrySection title="Problèmes actifs et antécédents" entries={summary.problems} testId="problems" />
      <ReimbursementSection groups={summary.reimbursements} />
      <EntrySection title="Vaccinations" entries={summary.immunizations} testId="immunizations" />
      <EntrySection title="Personnes à prévenir" entries={summary.contacts} testId="contacts" />
      <EntrySection title="Directives anticipées" entries={summary.advanceDirectives} testId="directives" />
      <section className="summary-section" aria-labelledby="latest-docs">
        <h3 id="latest-docs">Derniers documents</h3>
        {summary.latestDocuments.length === 0 ? (
          <p className="empty">Aucune donnée</p>
        ) : (
          <ul>
            {summary.latestDocuments.map((d) => (
              <li key={d.id}>
                {d.title} · {d.typeLabel} · {frenchDate(d.date)}
                {d.author && ` · ${d.author}`}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function EntrySection(props: { title: string; entries: ClinicalEntry[]; tone?: 'alert'; testId: string }): React.JSX.Element {
  const headingId = `section-${props.testId}`;
  return (
    <section className={`summary-section${props.tone ? ` summary-section--${props.tone}` : ''}`} aria-labelledby={headingId} data-testid={props.testId}>
      <h3 id={headingId}>
        {props.title} <span className="count">({props.entries.length})</span>
      </h3>
      {props.entries.length === 0 ? (
        <p className="empty">Aucune donnée</p>
      ) : (
        <ul className="entries">
          {props.entries.map((entry) => (
            <li key={entry.id} className="entry">
              <span className="entry__label">{entry.label}</span>
              {entry.detail && <span className="entry__detail"> — {entry.detail}</span>}
              {entry.startDate && <span className="entry__date"> · depuis le {frenchDate(entry.startDate)}</span>}
              {entry.author && <span className="entry__author"> · {entry.author}</span>}
              <Provenance entry={entry} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Provenance({ entry }: { entry: ClinicalEntry }): React.JSX.Element {
  const p = entry.provenance;
  return (
    <details className="provenance">
      <summary>Source</summary>
      <p>
        {p.documentTitle}
        {p.author && ` · ${p.author}`}
        {p.date && ` · ${frenchDate(p.date)}`}
      </p>
    </details>
  );
}

const reimbursementKind: Record<ReimbursementGroup['kind'], string> = {
  medicine: 'Médicament',
  act: 'Acte',
  stay: 'Séjour',
  device: 'Dispositif',
  vaccine: 'Vaccin',
  other: 'Autre',
};

function ReimbursementSection({ groups }: { groups: ReimbursementGroup[] }): React.JSX.Element {
  return (
    <section className="summary-section" aria-labelledby="section-reimbursements" data-testid="reimbursements">
      <h3 id="section-reimbursements">
        Remboursements (24 derniers mois) <span className="count">({groups.length})</span>
      </h3>
      {groups.length === 0 ? (
        <p className="empty">Aucune donnée</p>
      ) : (
        <table className="reimbursements">
          <thead>
            <tr>
              <th scope="col">Libellé</th>
              <th scope="col">Type</th>
              <th scope="col">Délivrances</th>
              <th scope="col">Dernière</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={`${g.kind}-${g.code?.code ?? g.label}`}>
                <td>{g.label}</td>
                <td>{reimbursementKind[g.kind]}</td>
                <td>{g.count}</td>
                <td>{frenchDate(g.lastDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
