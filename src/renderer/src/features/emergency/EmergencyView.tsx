import { useState } from 'react';
import type { AccessMode, ClinicalEntry, EmergencySummary } from '../../../../shared/contract';
import { DocumentViewer } from '../dossier/DocumentViewer';
import { frenchDate, frenchDateAtTime } from '../patient/format';
import { PrintHeader } from './PrintHeader';
import { ReimbursementSection } from './Reimbursements';
import { SourceButton } from './SourceButton';
import { datePhrase, frenchTypography, statusText, type EntryKind } from './wording';

interface SectionDef {
  key: 'allergies' | 'medications' | 'problems' | 'immunizations' | 'contacts' | 'advanceDirectives';
  kind: EntryKind;
  title: string;
  testId: string;
  /** How the entry's author is introduced: a prescriber is not the same thing as a reporter. */
  authorLabel: string;
  /** Red frame, but only when the section has something to warn about. */
  tone?: 'alert';
}

const allergiesSection: SectionDef = {
  key: 'allergies',
  kind: 'allergy',
  title: 'Allergies et intolérances',
  testId: 'allergies',
  authorLabel: 'signalé par',
  tone: 'alert',
};
const clinicalSections: SectionDef[] = [
  {
    key: 'medications',
    kind: 'medication',
    title: 'Traitements en cours',
    testId: 'medications',
    authorLabel: 'prescrit par',
  },
  {
    key: 'problems',
    kind: 'problem',
    title: 'Problèmes actifs et antécédents',
    testId: 'problems',
    authorLabel: 'noté par',
  },
];
const otherSections: SectionDef[] = [
  {
    key: 'immunizations',
    kind: 'immunization',
    title: 'Vaccinations',
    testId: 'immunizations',
    authorLabel: 'par',
  },
  {
    key: 'contacts',
    kind: 'contact',
    title: 'Personnes à prévenir',
    testId: 'contacts',
    authorLabel: 'noté par',
  },
  {
    key: 'advanceDirectives',
    kind: 'advanceDirective',
    title: 'Directives anticipées',
    testId: 'directives',
    authorLabel: 'noté par',
  },
];

/** Nothing recorded is not "none known": only a document's explicit statement may say the latter. */
const NOTHING_RECORDED = 'Non renseigné';

/**
 * The urgent summary: life-critical facts first, every line traceable to its source document.
 * `printedBy` (the professional in session) and `access` feed the header printed on every page.
 */
export function EmergencyView(props: {
  summary: EmergencySummary;
  printedBy?: string;
  access?: AccessMode;
}): React.JSX.Element {
  const { summary } = props;
  return (
    // A layout table, only for print: Chromium repeats a real <thead> at the top of every printed page
    // (CSS `display: table-header-group` on other elements does not repeat). Shown as blocks on screen.
    <table className="print-frame" role="presentation">
      <thead className="print-only">
        <tr>
          <td>
            <PrintHeader
              dossier={summary.dossier}
              asOf={summary.asOf}
              lastUpdate={summary.lastUpdate}
              printedBy={props.printedBy}
              access={props.access}
            />
          </td>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>
            <SummaryDates summary={summary} />
            <div className="emergency" aria-labelledby="emergency-title" role="region">
              <h2 id="emergency-title" className="sr-only">
                Synthèse d’urgence
              </h2>
              <EntrySection def={allergiesSection} entries={summary.allergies} />
              {clinicalSections.map((def) => (
                <EntrySection key={def.key} def={def} entries={summary[def.key]} />
              ))}
              {otherSections.map((def) => (
                <EntrySection key={def.key} def={def} entries={summary[def.key]} />
              ))}
              <ReimbursementSection groups={summary.reimbursements} />
              <LatestDocuments summary={summary} />
            </div>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** As of when the clinician reads, how fresh the dossier is, and the print action. */
function SummaryDates({ summary }: { summary: EmergencySummary }): React.JSX.Element {
  return (
    <div className="summary-dates">
      <p data-testid="summary-dates">
        Synthèse au {frenchDateAtTime(summary.asOf)}
        {' · '}
        {summary.lastUpdate
          ? `dernière mise à jour du dossier le ${frenchDate(localDay(summary.lastUpdate))}`
          : 'aucun document consultable dans le dossier'}
      </p>
      <button type="button" className="secondary no-print" onClick={() => window.print()}>
        Imprimer la synthèse
      </button>
    </div>
  );
}

/** A deposit timestamp's day where the clinician is, as `YYYY-MM-DD`. */
function localDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

function LatestDocuments({ summary }: { summary: EmergencySummary }): React.JSX.Element {
  const [opened, setOpened] = useState<{ id: string; title: string } | null>(null);
  return (
    <section
      className="summary-section no-print"
      aria-labelledby="section-latest-docs"
      data-testid="latest-documents"
    >
      <h3 id="section-latest-docs">
        Derniers documents <span className="count">({summary.latestDocuments.length})</span>
      </h3>
      {summary.latestDocuments.length === 0 ? (
        <p className="empty">{NOTHING_RECORDED}</p>
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
          className={`summary-section summary-section--${def.testId}`}
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
  const alert = def.tone === 'alert' && entries.length > 0;
  return (
    <section
      className={`summary-section summary-section--${def.testId}${alert ? ' summary-section--alert' : ''}`}
      aria-labelledby={headingId}
      data-testid={def.testId}
    >
      <h3 id={headingId}>
        {alert && <span aria-hidden="true">⚠ </span>}
        {def.title} <span className="count">({entries.length})</span>
      </h3>
      {entries.length === 0 ? (
        <p className="empty">{NOTHING_RECORDED}</p>
      ) : (
        <ul className="entries">
          {entries.map((entry) => (
            <EntryLine key={entry.id} def={def} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

function EntryLine({ def, entry }: { def: SectionDef; entry: ClinicalEntry }): React.JSX.Element {
  const label = frenchTypography(entry.label);
  const when = datePhrase(def.kind, entry);
  const status = statusText(def.kind, entry.status);
  return (
    <li className="entry">
      <span className="entry__label">{label}</span>
      {entry.detail && <span className="entry__detail"> — {frenchTypography(entry.detail)}</span>}
      {when && <span className="entry__date"> · {when}</span>}
      {status && <span className="entry__date"> · {status}</span>}
      {entry.author && (
        <span className="entry__author">
          {' '}
          · {def.authorLabel} {entry.author}
        </span>
      )}
      <SourceButton entry={entry} label={label} />
    </li>
  );
}
