import { useState } from 'react';
import type { ClinicalEntry, EmergencySummary, ReimbursementGroup } from '../../../../shared/contract';
import { DocumentViewer } from '../dossier/DocumentViewer';
import { frenchDate } from '../patient/format';

interface SectionDef {
  key: 'allergies' | 'medications' | 'problems' | 'immunizations' | 'contacts' | 'advanceDirectives';
  title: string;
  testId: string;
  /** How the entry's author is introduced: a prescriber is not the same thing as a reporter. */
  authorLabel: string;
  tone?: 'alert';
}

const allergiesSection: SectionDef = {
  key: 'allergies',
  title: 'Allergies et intolérances',
  testId: 'allergies',
  authorLabel: 'signalé par',
  tone: 'alert',
};
const clinicalSections: SectionDef[] = [
  { key: 'medications', title: 'Traitements en cours', testId: 'medications', authorLabel: 'prescrit par' },
  { key: 'problems', title: 'Problèmes actifs et antécédents', testId: 'problems', authorLabel: 'noté par' },
];
const otherSections: SectionDef[] = [
  { key: 'immunizations', title: 'Vaccinations', testId: 'immunizations', authorLabel: 'par' },
  { key: 'contacts', title: 'Personnes à prévenir', testId: 'contacts', authorLabel: 'noté par' },
  { key: 'advanceDirectives', title: 'Directives anticipées', testId: 'directives', authorLabel: 'noté par' },
];

/** The urgent summary: life-critical facts first, every line traceable to its source document. */
export function EmergencyView({ summary }: { summary: EmergencySummary }): React.JSX.Element {
  return (
    <div className="emergency" aria-labelledby="emergency-title" role="region">
      <h2 id="emergency-title" className="sr-only">
        Synthèse d’urgence
      </h2>
      <EntrySection def={allergiesSection} entries={summary.allergies} />
      {clinicalSections.map((def) => (
        <EntrySection key={def.key} def={def} entries={summary[def.key]} />
      ))}
      <ReimbursementSection groups={summary.reimbursements} />
      {otherSections.map((def) => (
        <EntrySection key={def.key} def={def} entries={summary[def.key]} />
      ))}
      <LatestDocuments summary={summary} />
    </div>
  );
}

function LatestDocuments({ summary }: { summary: EmergencySummary }): React.JSX.Element {
  const [opened, setOpened] = useState<{ id: string; title: string } | null>(null);
  return (
    <section className="summary-section" aria-labelledby="section-latest-docs" data-testid="latest-documents">
      <h3 id="section-latest-docs">
        Derniers documents <span className="count">({summary.latestDocuments.length})</span>
      </h3>
      {summary.latestDocuments.length === 0 ? (
        <p className="empty">Aucune donnée</p>
      ) : (
        <ul className="entries">
          {summary.latestDocuments.map((d) => (
            <li key={d.id} className="entry">
              <button
                type="button"
                className="link entry__open"
                onClick={() => setOpened({ id: d.id, title: d.title })}
              >
                {d.title}
              </button>
              <span className="entry__detail">
                {' '}
                · {d.typeLabel} · {frenchDate(d.date)}
                {d.author && ` · ${d.author}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {opened && (
        <DocumentViewer
          insKey={summary.dossier.insKey}
          id={opened.id}
          title={opened.title}
          onClose={() => setOpened(null)}
        />
      )}
    </section>
  );
}

/** Same grid and headings as the loaded view, so nothing jumps when the data arrives. */
export function EmergencyViewSkeleton(): React.JSX.Element {
  const all = [allergiesSection, ...clinicalSections, ...otherSections];
  return (
    <div className="emergency" aria-busy="true" aria-label="Synthèse d’urgence (chargement)" role="region">
      <p className="sr-only" role="status">
        Chargement de la synthèse…
      </p>
      {all.map((def) => (
        <section
          key={def.key}
          className={`summary-section${def.tone ? ` summary-section--${def.tone}` : ''}`}
          aria-hidden="true"
        >
          <h3>{def.title}</h3>
          <span className="skeleton" />
          <span className="skeleton skeleton--short" />
        </section>
      ))}
    </div>
  );
}

function EntrySection({ def, entries }: { def: SectionDef; entries: ClinicalEntry[] }): React.JSX.Element {
  const headingId = `section-${def.testId}`;
  return (
    <section
      className={`summary-section${def.tone ? ` summary-section--${def.tone}` : ''}`}
      aria-labelledby={headingId}
      data-testid={def.testId}
    >
      <h3 id={headingId}>
        {def.tone === 'alert' && entries.length > 0 && <span aria-hidden="true">⚠ </span>}
        {def.title} <span className="count">({entries.length})</span>
      </h3>
      {entries.length === 0 ? (
        <p className="empty">Aucune donnée</p>
      ) : (
        <ul className="entries">
          {entries.map((entry) => (
            <li key={entry.id} className="entry">
              <span className="entry__label">{entry.label}</span>
              {entry.detail && <span className="entry__detail"> — {entry.detail}</span>}
              {entry.startDate && (
                <span className="entry__date"> · depuis le {frenchDate(entry.startDate)}</span>
              )}
              {entry.endDate && <span className="entry__date"> · jusqu’au {frenchDate(entry.endDate)}</span>}
              {entry.status && <span className="entry__date"> · {statusLabel(entry.status)}</span>}
              {entry.author && (
                <span className="entry__author">
                  {' '}
                  · {def.authorLabel} {entry.author}
                </span>
              )}
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
      <summary>
        Source<span className="sr-only"> de « {entry.label} »</span>
      </summary>
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
  // Medicines first, then the most recently dispensed: what the patient is probably still taking.
  const sorted = [...groups].sort(
    (a, b) =>
      Number(b.kind === 'medicine') - Number(a.kind === 'medicine') ||
      (b.lastDate ?? '').localeCompare(a.lastDate ?? ''),
  );
  return (
    <section
      className="summary-section"
      aria-labelledby="section-reimbursements"
      data-testid="reimbursements"
    >
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
              <th scope="col">Dernière délivrance</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((g, i) => {
              const source = g.entries[0]?.provenance;
              return (
                <tr key={`${g.kind}-${g.code?.code ?? g.label}-${i}`}>
                  <td>{g.label}</td>
                  <td>{reimbursementKind[g.kind]}</td>
                  <td>{g.count}</td>
                  <td>{frenchDate(g.lastDate)}</td>
                  <td>
                    {source ? (
                      <details className="provenance">
                        <summary>
                          Source<span className="sr-only"> de « {g.label} »</span>
                        </summary>
                        <p>
                          {source.documentTitle}
                          {source.author && ` · ${source.author}`}
                          {source.date && ` · ${frenchDate(source.date)}`}
                        </p>
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** HL7 act status codes as a clinician reads them; anything else is shown as written. */
const statusLabels: Record<string, string> = {
  active: 'actif',
  completed: 'terminé',
  inactive: 'inactif',
  aborted: 'interrompu',
  suspended: 'suspendu',
  cancelled: 'annulé',
  held: 'en attente',
  new: 'nouveau',
  resolved: 'résolu',
};

export function statusLabel(status: string): string {
  return statusLabels[status.toLowerCase()] ?? status;
}
