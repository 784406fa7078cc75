import { useState } from 'react';
import type {
  AccessMode,
  ClinicalEntry,
  EmergencySummary,
  NoneKnownAssertion,
} from '../../../../shared/contract';
import { DocumentViewer } from '../dossier/DocumentViewer';
import { frenchDate, frenchDateAtTime } from '../patient/format';
import { PrintHeader } from './PrintHeader';
import { ReimbursementSection } from './Reimbursements';
import { LabResultsSection } from './LabResults';
import { SourceButtons } from './SourceButton';
import { datePhrase, frenchTypography, stateText, statusText, type PhrasedSection } from './wording';

type EntrySectionKey =
  | 'allergies'
  | 'medications'
  | 'otherMedications'
  | 'problems'
  | 'immunizations'
  | 'devices'
  | 'procedures'
  | 'riskFactors'
  | 'trustedPersons'
  | 'treatingPhysicians'
  | 'contacts'
  | 'advanceDirectives';

interface SectionDef {
  key: EntrySectionKey;
  kind: PhrasedSection;
  title: string;
  testId: string;
  /** How the entry's author is introduced: a prescriber is not the same thing as a reporter. */
  authorLabel: string;
  /** Red frame, but only when the section has something to warn about. */
  tone?: 'alert';
}

const section = (
  key: EntrySectionKey,
  kind: PhrasedSection,
  title: string,
  testId: string,
  authorLabel = 'noté par',
): SectionDef => ({
  key,
  kind,
  title,
  testId,
  authorLabel,
});

const allergiesSection: SectionDef = {
  ...section('allergies', 'allergy', 'Allergies et intolérances', 'allergies', 'signalé par'),
  tone: 'alert',
};
const clinicalSections: SectionDef[] = [
  section('medications', 'medication', 'Traitements en cours', 'medications', 'prescrit par'),
  section('problems', 'problem', 'Problèmes actifs et antécédents', 'problems'),
  section('devices', 'device', 'Dispositifs implantés', 'devices'),
  section('riskFactors', 'riskFactor', 'Facteurs de risque et points de vigilance', 'risk-factors'),
  section('procedures', 'procedure', 'Actes et antécédents chirurgicaux', 'procedures'),
  section(
    'otherMedications',
    'otherMedication',
    'Autres traitements (terminés, prévus, à vérifier)',
    'other-medications',
    'prescrit par',
  ),
];
const otherSections: SectionDef[] = [
  section('immunizations', 'immunization', 'Vaccinations', 'immunizations', 'par'),
  section('trustedPersons', 'contact', 'Personne de confiance', 'trusted-persons'),
  section('treatingPhysicians', 'contact', 'Médecin traitant', 'treating-physicians'),
  section('contacts', 'contact', 'Personnes à prévenir', 'contacts'),
  section('advanceDirectives', 'advanceDirective', 'Directives anticipées', 'directives'),
];

/** Nothing recorded is not "none known": only a document's explicit statement may say the latter. */
const NOTHING_RECORDED = 'Non renseigné';

/** A document's explicit « nothing known » statements for one section of the summary. */
function noneKnownFor(summary: EmergencySummary, key: string): NoneKnownAssertion[] {
  return summary.noneKnown.filter((a) => a.section === key);
}

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
              asOf={summary.generatedAt}
              lastUpdate={summary.dossierUpdatedAt}
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
              <EntrySection
                def={allergiesSection}
                entries={summary.allergies}
                noneKnown={noneKnownFor(summary, 'allergies')}
              />
              {clinicalSections.map((def) => (
                <EntrySection
                  key={def.key}
                  def={def}
                  entries={summary[def.key]}
                  noneKnown={noneKnownFor(summary, def.key)}
                />
              ))}
              <LabResultsSection
                results={summary.labResults}
                noneKnown={noneKnownFor(summary, 'labResults')}
              />
              {otherSections.map((def) => (
                <EntrySection
                  key={def.key}
                  def={def}
                  entries={summary[def.key]}
                  noneKnown={noneKnownFor(summary, def.key)}
                />
              ))}
              <ReimbursementSection
                lines={summary.reimbursementLines}
                noneKnown={noneKnownFor(summary, 'reimbursements')}
              />
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
        Synthèse au {frenchDateAtTime(summary.generatedAt)}
        {' · '}
        {summary.dossierUpdatedAt
          ? `dernière mise à jour du dossier le ${frenchDate(localDay(summary.dossierUpdatedAt))}`
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

function EntrySection(props: {
  def: SectionDef;
  entries: ClinicalEntry[];
  noneKnown: NoneKnownAssertion[];
}): React.JSX.Element {
  const { def, entries } = props;
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
      <NoneKnown assertions={props.noneKnown} empty={entries.length === 0} />
      {entries.length > 0 && (
        <ul className="entries">
          {entries.map((entry) => (
            <EntryLine key={entry.id} def={def} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** « Aucune allergie connue » as the document says it, with its source; else, for an empty section, « Non renseigné ». */
export function NoneKnown({
  assertions,
  empty,
}: {
  assertions: NoneKnownAssertion[];
  empty: boolean;
}): React.JSX.Element | null {
  if (assertions.length === 0) return empty ? <p className="empty">{NOTHING_RECORDED}</p> : null;
  return (
    <ul className="entries entries--none-known">
      {assertions.map((a) => (
        <li key={`${a.provenance.documentId}-${a.text}`} className="entry entry--none-known">
          <span className="entry__label">{a.text}</span>
          {a.provenance.date && <span className="entry__date"> · le {frenchDate(a.provenance.date)}</span>}
          <SourceButtons label={a.text} sources={a.sources} />
        </li>
      ))}
    </ul>
  );
}

function EntryLine({ def, entry }: { def: SectionDef; entry: ClinicalEntry }): React.JSX.Element {
  const label = frenchTypography(
    entry.negated && !/^(absence|pas d)/i.test(entry.label) ? `Absence : ${entry.label}` : entry.label,
  );
  const when = datePhrase(def.kind, entry);
  const status = def.kind === 'otherMedication' ? stateText(entry.state) : statusText(def.kind, entry.status);
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
      <SourceButtons label={label} sources={entry.sources} entryLabel={entry.label} />
    </li>
  );
}
