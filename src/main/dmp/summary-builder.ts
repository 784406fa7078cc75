import type {
  ClinicalEntry,
  DossierRef,
  EmergencySummary,
  EntryState,
  LabResult,
  LabValue,
  NoneKnownAssertion,
  Provenance,
  ReimbursementGroup,
  ReimbursementLine,
} from '../../shared/contract';
import { typeLabel } from '../domain/document-types';
import { toClinicalEntry, type DocumentRow, type EntryRow } from './document-rows';
import { decodeEntryData, type EntryData } from './entry-data';

/** Reimbursement data covers the last 24 months, as in the Assurance Maladie's own history document. */
export const reimbursementWindowMonths = 24;
/**
 * A treatment without an end date is taken as current only while its source is recent: past this
 * age an open-ended line from an old document (a 2019 VSM) is shown apart, « à vérifier ».
 */
export const openEndedTreatmentMonths = 12;
const latestDocumentsShown = 10;

/**
 * LOINC sections whose medications were given during a stay or a procedure (« Médicaments administrés »,
 * thrombolysis): they describe what was done, not what the patient takes now.
 */
const ADMINISTERED_SECTIONS: readonly string[] = ['18610-6', '57072-1'];
/** Care plan sections: what is planned, not taken yet. */
const PLAN_SECTIONS: readonly string[] = ['18776-5', '61146-7'];

type SourcedEntry = { entry: EntryRow; doc: DocumentRow };
type Sourced = SourcedEntry & { data: EntryData; clinical: ClinicalEntry };

/** Day part of an ISO date or date-time, for ordering; missing dates sort last. */
function day(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '';
}

function newestFirst(a: ClinicalEntry, b: ClinicalEntry): number {
  const da = day(a.startDate ?? a.provenance.date);
  const db = day(b.startDate ?? b.provenance.date);
  return da === db ? 0 : da < db ? 1 : -1;
}

function monthsBefore(now: Date, months: number): string {
  const start = new Date(now.getTime());
  start.setUTCMonth(start.getUTCMonth() - months);
  return start.toISOString().slice(0, 10);
}

function frDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return d && m ? `${d}/${m}/${y}` : m ? `${m}/${y}` : (y ?? iso);
}

/**
 * Where a medication stands on `today`, from its period, never from the CDA statusCode (fixed to
 * `completed` by CI-SIS). Medications administered during a stay are history; care-plan lines are
 * planned; an open-ended line is current only while its source document is recent.
 */
export function medicationState(
  m: { startDate?: string; endDate?: string; moodCode?: string; sectionCode?: string; documentDate?: string },
  today: string,
  openEndedSince: string,
): { state: EntryState; status: string } {
  const start = day(m.startDate);
  const end = day(m.endDate);
  if (end !== '' && end < today) return { state: 'ended', status: `Terminé le ${frDate(end)}` };
  if (start !== '' && start > today) return { state: 'planned', status: `Débute le ${frDate(start)}` };
  if (m.sectionCode && ADMINISTERED_SECTIONS.includes(m.sectionCode))
    return { state: 'ended', status: 'Administré pendant la prise en charge' };
  if (m.sectionCode && PLAN_SECTIONS.includes(m.sectionCode) && end === '')
    return { state: 'planned', status: 'Prévu au plan de soins' };
  if (end !== '') return { state: 'current', status: `En cours jusqu’au ${frDate(end)}` };
  const reference = start !== '' ? start : day(m.documentDate);
  const documentDay = day(m.documentDate);
  if (documentDay !== '' && documentDay >= openEndedSince)
    return { state: 'current', status: start !== '' ? `En cours depuis le ${frDate(start)}` : 'En cours' };
  if (reference === '') return { state: 'unknown', status: 'Période non précisée : à vérifier' };
  return {
    state: 'unknown',
    status: `Sans date de fin, document du ${frDate(documentDay || reference)} : à vérifier`,
  };
}

const reimbursementKinds = new Set<ReimbursementGroup['kind']>([
  'medicine',
  'act',
  'stay',
  'device',
  'vaccine',
  'other',
]);
const KIND_LABELS: Readonly<Record<ReimbursementGroup['kind'], string>> = {
  medicine: 'Médicament',
  act: 'Acte',
  stay: 'Séjour',
  device: 'Dispositif médical',
  vaccine: 'Vaccin',
  other: 'Autre',
};

function reimbursementKindOf(row: EntryRow): ReimbursementGroup['kind'] {
  const kind = row.reimbursement_kind as ReimbursementGroup['kind'] | null;
  return kind && reimbursementKinds.has(kind) ? kind : 'other';
}

function groupKey(row: EntryRow): string {
  const identity = row.code
    ? `code:${row.code_system ?? ''}:${row.code}`
    : `label:${row.label.trim().toUpperCase()}`;
  return `${row.reimbursement_kind ?? 'other'}|${identity}`;
}

function inWindow(items: readonly SourcedEntry[], now: Date): SourcedEntry[] {
  const since = monthsBefore(now, reimbursementWindowMonths);
  return items.filter((item) => {
    const when = day(item.entry.start_date ?? item.doc.document_date);
    return when === '' || when >= since;
  });
}

/** One line per medicine or act: how many times it was reimbursed, and when last. */
export function groupReimbursements(items: readonly SourcedEntry[], now: Date): ReimbursementGroup[] {
  const groups = new Map<string, { kind: ReimbursementGroup['kind']; rows: SourcedEntry[] }>();
  for (const item of inWindow(items, now)) {
    const key = groupKey(item.entry);
    const group = groups.get(key) ?? { kind: reimbursementKindOf(item.entry), rows: [] };
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
  return result.sort((a, b) =>
    day(a.lastDate) === day(b.lastDate)
      ? a.label.localeCompare(b.label, 'fr')
      : day(a.lastDate) < day(b.lastDate)
        ? 1
        : -1,
  );
}

/** Reimbursements line by line, newest first, within the 24-month window. */
export function reimbursementLines(items: readonly SourcedEntry[], now: Date): ReimbursementLine[] {
  return inWindow(items, now)
    .map(({ entry, doc }) => {
      const data = decodeEntryData(entry.data);
      const kind = reimbursementKindOf(entry);
      const r = data.reimbursement ?? {};
      const clinical = toClinicalEntry(entry, doc);
      return {
        id: entry.id,
        ...(entry.start_date ? { date: entry.start_date } : {}),
        label: entry.label,
        kind,
        kindLabel: KIND_LABELS[kind],
        ...(clinical.code ? { code: clinical.code } : {}),
        ...(r.quantity ? { quantity: r.quantity } : {}),
        ...(r.prescriber ? { prescriber: r.prescriber } : {}),
        ...(r.pharmacy ? { pharmacy: r.pharmacy } : {}),
        ...(r.performer ? { performer: r.performer } : {}),
        therapeuticClass: r.therapeuticClass ?? KIND_LABELS[kind],
        provenance: clinical.provenance,
      } satisfies ReimbursementLine;
    })
    .sort((a, b) =>
      day(a.date) === day(b.date) ? a.label.localeCompare(b.label, 'fr') : day(a.date) < day(b.date) ? 1 : -1,
    );
}

function normalise(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toUpperCase();
}

/** The same fact across documents: same code (or same words when uncoded), same date where dates matter. */
function factKey(e: ClinicalEntry, withDate: boolean): string {
  const what = e.code ? `${e.code.system ?? ''}:${e.code.code}` : normalise(e.label);
  return withDate ? `${what}|${day(e.startDate)}` : what;
}

/**
 * One line per fact: entries stating the same thing are merged into the newest one, which keeps its
 * own details and lists every source; details only an older source gives are added, never lost.
 */
export function mergeFacts(
  entries: readonly ClinicalEntry[],
  key: (e: ClinicalEntry) => string,
  distinguishing: readonly string[] = [],
): ClinicalEntry[] {
  const groups = new Map<string, ClinicalEntry[][]>();
  for (const e of [...entries].sort(newestFirst)) {
    const k = key(e);
    const sameKey = groups.get(k) ?? [];
    // Two lines that give different values for a distinguishing fact (a vaccine's lot or rank) are two
    // facts: merged, they showed one vaccination with « Rang : 2e dose … Rang : 1re dose ».
    const group = sameKey.find((g) => !g.some((other) => disagree(other, e, distinguishing)));
    if (group) group.push(e);
    else sameKey.push([e]);
    groups.set(k, sameKey);
  }
  return [...groups.values()].flat().map((group) => {
    const [first, ...rest] = group as [ClinicalEntry, ...ClinicalEntry[]];
    if (rest.length === 0) return first;
    const facts = [...(first.facts ?? [])];
    for (const other of rest)
      for (const f of other.facts ?? [])
        if (!facts.some((x) => x.label === f.label && x.value === f.value)) facts.push(f);
    const sources = uniqueSources(group.flatMap((e) => e.sources));
    return { ...first, ...(facts.length > 0 ? { facts } : {}), sources };
  });
}

function disagree(a: ClinicalEntry, b: ClinicalEntry, labels: readonly string[]): boolean {
  return labels.some((label) => {
    const x = a.facts?.find((f) => f.label === label)?.value;
    const y = b.facts?.find((f) => f.label === label)?.value;
    return x !== undefined && y !== undefined && x !== y;
  });
}

function uniqueSources(sources: readonly Provenance[]): Provenance[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const k = `${s.documentId}|${s.entryId ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const TREND_TOLERANCE = 0.05;

/** Latest value per analyte (code, else name), earlier ones kept, trend from the two latest numeric values. */
export function labResults(items: readonly Sourced[]): LabResult[] {
  const groups = new Map<string, Sourced[]>();
  for (const item of items) {
    const key = item.entry.code
      ? `${item.entry.code_system ?? ''}:${item.entry.code}`
      : normalise(item.entry.label);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const results: LabResult[] = [];
  for (const group of groups.values()) {
    const values = group
      .filter((g) => g.data.lab !== undefined)
      .map((g) => ({ g, value: labValue(g) }))
      .sort((a, b) =>
        day(a.value.date) === day(b.value.date) ? 0 : day(a.value.date) < day(b.value.date) ? 1 : -1,
      );
    const latest = values[0];
    if (!latest) continue;
    const numeric = values.filter(
      (v) => v.g.data.lab?.numeric !== undefined && v.g.data.lab.unit === latest.g.data.lab?.unit,
    );
    let trend: LabResult['trend'];
    let trendLabel: string | undefined;
    const [a, b] = numeric;
    if (
      a &&
      b &&
      a.g.data.lab?.numeric !== undefined &&
      b.g.data.lab?.numeric !== undefined &&
      day(a.value.date) !== day(b.value.date)
    ) {
      const now = a.g.data.lab.numeric;
      const before = b.g.data.lab.numeric;
      const delta = before === 0 ? now - before : (now - before) / Math.abs(before);
      trend = Math.abs(delta) <= TREND_TOLERANCE ? 'stable' : delta > 0 ? 'up' : 'down';
      const since = b.value.date ? ` depuis le ${frDate(b.value.date)}` : '';
      trendLabel = `${trend === 'stable' ? 'Stable' : trend === 'up' ? 'En hausse' : 'En baisse'}${since} (${b.value.value}${b.value.unit ? ` ${b.value.unit}` : ''})`;
    }
    results.push({
      id: latest.g.entry.id,
      analyte: latest.g.clinical.label,
      ...(latest.g.clinical.code ? { code: latest.g.clinical.code } : {}),
      latest: latest.value,
      previous: values.slice(1).map((v) => v.value),
      ...(trend ? { trend } : {}),
      ...(trendLabel ? { trendLabel } : {}),
      sources: uniqueSources(values.map((v) => v.value.provenance)),
    });
  }
  return results.sort((x, y) => x.analyte.localeCompare(y.analyte, 'fr'));
}

function labValue(item: Sourced): LabValue {
  const lab = item.data.lab as NonNullable<EntryData['lab']>;
  const date = item.entry.start_date ?? item.doc.document_date ?? undefined;
  return {
    value: lab.value,
    ...(lab.unit ? { unit: lab.unit } : {}),
    ...(date ? { date } : {}),
    ...(lab.flag ? { flag: lab.flag } : {}),
    ...(lab.flagLabel ? { flagLabel: lab.flagLabel } : {}),
    ...(lab.referenceRange ? { referenceRange: lab.referenceRange } : {}),
    provenance: item.clinical.provenance,
  };
}

/** Explicit « nothing known » statements, one per section and wording, with every source. */
function noneKnown(items: readonly Sourced[]): NoneKnownAssertion[] {
  const groups = new Map<string, NoneKnownAssertion>();
  for (const item of items) {
    const section = item.data.noneKnownSection;
    if (!section) continue;
    const key = `${section}|${normalise(item.entry.label)}`;
    const existing = groups.get(key);
    const source = item.clinical.provenance;
    if (existing) existing.sources.push(source);
    else groups.set(key, { section, text: item.entry.label, provenance: source, sources: [source] });
  }
  return [...groups.values()];
}

/**
 * The emergency view, from entries of documents the caller has already been allowed to read. Each
 * line is one fact, merged across documents with every source kept, so the clinician can check it.
 */
export function buildSummary(
  dossier: DossierRef,
  items: readonly SourcedEntry[],
  readableDocs: readonly DocumentRow[],
  now: Date,
): EmergencySummary {
  const today = now.toISOString().slice(0, 10);
  const sourced: Sourced[] = items.map((i) => ({
    ...i,
    data: decodeEntryData(i.entry.data),
    clinical: toClinicalEntry(i.entry, i.doc),
  }));
  const ofKind = (kind: string): Sourced[] => sourced.filter((s) => s.entry.kind === kind);
  const present = (kind: string): ClinicalEntry[] =>
    ofKind(kind)
      .filter((s) => !s.data.negated)
      .map((s) => s.clinical)
      .sort(newestFirst);

  const openEndedSince = monthsBefore(now, openEndedTreatmentMonths);
  const medications = ofKind('medication').map((s) => {
    const { state, status } = medicationState(
      {
        ...(s.entry.start_date ? { startDate: s.entry.start_date } : {}),
        ...(s.entry.end_date ? { endDate: s.entry.end_date } : {}),
        ...(s.data.moodCode ? { moodCode: s.data.moodCode } : {}),
        ...(s.data.sectionCode ? { sectionCode: s.data.sectionCode } : {}),
        ...(s.doc.document_date ? { documentDate: s.doc.document_date } : {}),
      },
      today,
      openEndedSince,
    );
    return { ...s.clinical, state, status };
  });
  const mergedMedications = mergeFacts(medications, (e) => `${factKey(e, false)}|${e.state ?? ''}`).sort(
    newestFirst,
  );

  // Header participants of one document (correspondants, préleveurs…) are not people to notify: only
  // the roles below reach the summary; rows from before migration 5 (no role) stay with the contacts.
  const byRole = (roles: EntryData['contactRole'][]): ClinicalEntry[] =>
    mergeFacts(
      ofKind('contact')
        .filter((s) => roles.includes(s.data.contactRole))
        .map((s) => ({ ...s.clinical, role: roleLabel(s.data.contactRole) })),
      (e) => normalise(e.label),
    );

  const newestDeposit = readableDocs
    .map((d) => d.deposited_at)
    .sort()
    .at(-1);
  const latestDocuments = [...readableDocs]
    .sort((a, b) =>
      day(a.document_date ?? a.deposited_at) < day(b.document_date ?? b.deposited_at) ? 1 : -1,
    )
    .slice(0, latestDocumentsShown)
    .map((d) => ({
      id: d.id,
      title: d.title,
      typeCode: d.type_code,
      typeLabel: typeLabel(d.type_code),
      ...(d.author_name ? { author: d.author_name } : {}),
      ...(d.document_date ? { date: d.document_date } : {}),
    }));
  const reimbursementItems = items.filter((i) => i.entry.kind === 'reimbursement');
  return {
    dossier,
    generatedAt: now.toISOString(),
    ...(newestDeposit ? { dossierUpdatedAt: newestDeposit } : {}),
    allergies: mergeFacts(present('allergy'), (e) => factKey(e, false)),
    medications: mergedMedications.filter((m) => m.state === 'current'),
    otherMedications: mergedMedications.filter((m) => m.state !== 'current'),
    // A negated problem (« pas d'embolie pulmonaire ») is not a problem: it is left out.
    problems: mergeFacts(present('problem'), (e) => factKey(e, false)),
    immunizations: mergeFacts(
      ofKind('immunization').map((s) => ({
        ...s.clinical,
        ...(s.data.negated ? { state: 'not-done' as const } : {}),
      })),
      (e) => `${factKey(e, true)}|${e.state ?? ''}`,
      ['Lot', 'Rang'],
    ).sort(newestFirst),
    devices: mergeFacts(present('device'), (e) => factKey(e, true)),
    // A procedure of a care plan is planned, not history, whatever its moodCode says (IPS-FR's « Autre acte »).
    procedures: mergeFacts(
      ofKind('procedure')
        .filter((s) => !s.data.negated && !PLAN_SECTIONS.includes(s.data.sectionCode ?? ''))
        .map((s) => s.clinical)
        .sort(newestFirst),
      (e) => factKey(e, true),
    ),
    // Risk factors keep stated absences (« Absence de tabagisme »): in a risk section, absence is information.
    riskFactors: mergeFacts(
      ofKind('riskFactor').map((s) => s.clinical),
      (e) => `${factKey(e, false)}|${e.negated ? 'neg' : ''}`,
    ),
    labResults: labResults(ofKind('labResult')),
    noneKnown: noneKnown(ofKind('noneKnown')),
    reimbursements: groupReimbursements(reimbursementItems, now),
    reimbursementLines: reimbursementLines(reimbursementItems, now),
    contacts: byRole(['notify', 'legal', undefined]),
    trustedPersons: byRole(['trusted']),
    treatingPhysicians: byRole(['treating']),
    advanceDirectives: mergeFacts(
      // Rows stored before the summary-truth audit carry the template's fixed `completed`, read « Terminé ».
      present('advanceDirective').map(({ status, ...e }) =>
        status === undefined || status === 'Terminé' ? e : { ...e, status },
      ),
      (e) => `${factKey(e, false)}|${e.detail ?? ''}`,
    ),
    latestDocuments,
  };
}

function roleLabel(role: EntryData['contactRole']): string {
  switch (role) {
    case 'trusted':
      return 'Personne de confiance';
    case 'treating':
      return 'Médecin traitant';
    case 'legal':
      return 'Représentant légal';
    case 'notify':
      return 'Personne à prévenir';
    default:
      return 'Contact';
  }
}
