import type { ClinicalEntry, DossierRef, EmergencySummary, ReimbursementGroup } from '../../shared/contract';
import { typeLabel } from '../domain/document-types';
import { toClinicalEntry, type DocumentRow, type EntryRow } from './document-rows';

/** Reimbursement data covers the last 24 months, as in the Assurance Maladie's own history document. */
export const reimbursementWindowMonths = 24;
const latestDocumentsShown = 10;

type SourcedEntry = { entry: EntryRow; doc: DocumentRow };

/** Day part of an ISO date or date-time, for ordering; missing dates sort last. */
function day(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '';
}

function newestFirst(a: ClinicalEntry, b: ClinicalEntry): number {
  const da = day(a.startDate ?? a.provenance.date);
  const db = day(b.startDate ?? b.provenance.date);
  return da === db ? 0 : da < db ? 1 : -1;
}

function windowStart(now: Date): string {
  const start = new Date(now.getTime());
  start.setUTCMonth(start.getUTCMonth() - reimbursementWindowMonths);
  return start.toISOString().slice(0, 10);
}

const reimbursementKinds = new Set<ReimbursementGroup['kind']>(['medicine', 'act', 'stay', 'device', 'vaccine', 'other']);

function groupKey(row: EntryRow): string {
  const identity = row.code ? `code:${row.code_system ?? ''}:${row.code}` : `label:${row.label.trim().toUpperCase()}`;
  return `${row.reimbursement_kind ?? 'other'}|${identity}`;
}

/** One line per medicine or act: how many times it was reimbursed, and when last. */
export function groupReimbursements(items: readonly SourcedEntry[], now: Date): ReimbursementGroup[] {
  const since = windowStart(now);
  const groups = new Map<string, { kind: ReimbursementGroup['kind']; rows: SourcedEntry[] }>();
  for (const item of items) {
    const when = day(item.entry.start_date ?? item.doc.document_date);
    if (when !== '' && when < since) continue;
    const key = groupKey(item.entry);
    const kind = item.entry.reimbursement_kind as ReimbursementGroup['kind'] | null;
    const group = groups.get(key) ?? { kind: kind && reimbursementKinds.has(kind) ? kind : 'other', rows: [] };
    group.rows.push(item);
    groups.set(key, group);
  }
  const result: ReimbursementGroup[] = [];
  for (const { kind, rows } of groups.values()) {
    const entries = rows.map(({ entry, doc }) => toClinicalEntry(entry, doc)).sort(newestFirst);
    const newest = entries[0] as ClinicalEntry;
    const lastDate = entries.map((e) => e.startDate).find((d) => d !== undefined);
    result.push({
      label: newest.label,
      kind,
      ...(newest.code ? { code: newest.code } : {}),
      count: entries.length,
      ...(lastDate ? { lastDate } : {}),
      entries,
    });
  }
  return result.sort((a, b) => (day(a.lastDate) === day(b.lastDate) ? a.label.localeCompare(b.label, 'fr') : day(a.lastDate) < day(b.lastDate) ? 1 : -1));
}

/**
 * The emergency view, from entries of documents the caller has already been allowed to read.
 * Every line keeps its provenance; nothing is merged across documents, so the clinician sees which
 * source says what.
 */
export function buildSummary(dossier: DossierRef, items: readonly SourcedEntry[], readableDocs: readonly DocumentRow[], now: Date): EmergencySummary {
  const of = (kind: string): ClinicalEntry[] =>
    items
      .filter((i) => i.entry.kind === kind)
      .map(({ entry, doc }) => toClinicalEntry(entry, doc))
      .sort(newestFirst);
  const latestDocuments = [...readableDocs]
    .sort((a, b) => (day(a.document_date ?? a.deposited_at) < day(b.document_date ?? b.deposited_at) ? 1 : -1))
    .slice(0, latestDocumentsShown)
    .map((d) => ({
      id: d.id,
      title: d.title,
      typeCode: d.type_code,
      typeLabel: typeLabel(d.type_code),
      ...(d.author_name ? { author: d.author_name } : {}),
      ...(d.document_date ? { date: d.document_date } : {}),
    }));
  const lastUpdate = readableDocs.map((d) => d.deposited_at).reduce<string | undefined>((max, d) => (max === undefined || d > max ? d : max), undefined);
  return {
    dossier,
    asOf: now.toISOString(),
    ...(lastUpdate ? { lastUpdate } : {}),
    allergies: of('allergy'),
    // "Current" treatments: a medication whose end date has passed is history, not something to act on.
    medications: of('medication').filter((m) => !m.endDate || day(m.endDate) >= now.toISOString().slice(0, 10)),
    problems: of('problem'),
    immunizations: of('immunization'),
    reimbursements: groupReimbursements(
      items.filter((i) => i.entry.kind === 'reimbursement'),
      now,
    ),
    contacts: of('contact'),
    advanceDirectives: of('advanceDirective'),
    latestDocuments,
  };
}
