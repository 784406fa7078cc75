import type { NarrativeCell, NarrativeRow } from '../narrative';
import type { EntryFact, ExtractedEntry, LabReading } from '../types';
import { attr, child, findDescendants, path } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { optional, originalTextOf, resolveReference } from './context';
import { anchorOf, detailOf } from './common';

/**
 * The narrative is the attested part of a CDA: what the author signed and what the clinician reads
 * when opening the document. Some documents (the official CI-SIS IPS-FR and VSM examples among them)
 * say one thing in the table row and another in the coded entry behind it: another date, another
 * posology, another status. The summary must not contradict the text: where the row says otherwise,
 * the row's own words are shown and the disagreement is written out « À vérifier ».
 */

/** Column headers of a narrative table, as rules on a row read them. */
const DATE_HEADER = /^date\b/i;
/** A planned date (« Date envisagée », « Date prévisionnelle ») is not when something happened. */
const PLANNED_DATE_HEADER = /envisag|prévision|souhait/i;
const END_HEADER = /\bfin\b/i;
const STATUS_HEADER = /^statut(?: du problème)?$/i;
const POSOLOGY_HEADER = /posologie|dose|fréquence|rythme|périodicité/i;

const FR_DATE = /\b(\d{2})\/(\d{2})\/(\d{4})\b/g;

/** The label of the fact that tells the clinician the document disagrees with itself. */
export const DISCORDANCE_LABEL = 'À vérifier';

/**
 * The row of the entry's own section that the entry points to: its `text/reference` first, then the
 * references of its own elements (product, value…), never those of related statements (a treatment's
 * reason points into another table).
 */
export function narrativeRowOf(act: XmlElement, ctx: EntryContext): NarrativeRow | undefined {
  const rows = ctx.rows?.();
  if (!rows) return undefined;
  for (const id of [anchorOf(act), ...ownReferences(act)]) {
    const row = id !== undefined ? rows.get(id) : undefined;
    if (row) return row;
  }
  return undefined;
}

function ownReferences(act: XmlElement): string[] {
  const found: string[] = [];
  const stack = [...act.children].reverse();
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (el.local === 'entryRelationship') continue;
    if (el.local === 'reference') {
      const value = attr(el, 'value');
      if (value?.startsWith('#') && value.length > 1) found.push(value.slice(1));
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i] as XmlElement);
  }
  return found;
}

function cellsUnder(row: NarrativeRow, header: RegExp): NarrativeCell[] {
  return row.cells.filter((c) => c.header !== undefined && header.test(c.header));
}

/**
 * Doses whose coded value is not the number of the narrative words they reference (eP-MED-DM: the
 * maximum dose is coded 1 tablet and points to « 2 cp »): those words, for every step of the posology.
 */
function doseWordsDisagreeing(act: XmlElement, ctx: EntryContext, row: NarrativeRow | undefined): string[] {
  const found: string[] = [];
  for (const dose of findDescendants(act, (e) => e.local === 'doseQuantity')) {
    for (const quantity of [dose, child(dose, 'low'), child(dose, 'high')]) {
      const value = attr(quantity, 'value');
      const reference = path(quantity, 'translation', 'originalText', 'reference');
      // A reference into another treatment's row is the document's slip, not this treatment's dose.
      const target = ctx.rows?.().get(attr(reference, 'value')?.slice(1) ?? '');
      if (row && target && target !== row) continue;
      const words = resolveReference(reference, ctx);
      if (value === undefined || words === undefined || numbersOf(words).size === 0) continue;
      if (!numbersOf(words).has(Number(value))) found.push(words);
    }
  }
  return [...new Set(found)];
}

/** Texts per column: the cells a spanning header covers (« Dose » over « de | 2 | à | 4 | CP ») read as one. */
function byColumn(cells: NarrativeCell[]): string[] {
  const out: { header?: string; parts: string[] }[] = [];
  for (const cell of cells) {
    const last = out[out.length - 1];
    if (last && last.header === cell.header) last.parts.push(cell.text);
    else out.push({ ...(cell.header ? { header: cell.header } : {}), parts: [cell.text] });
  }
  return out.map((c) => c.parts.filter((p) => p !== '').join(' '));
}

/** A cell that says something: not empty, not a dash. */
function said(value: string): boolean {
  return !/^[\s\-–—]*$/.test(value);
}

function frDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return d && m ? `${d}/${m}/${y}` : m ? `${m}/${y}` : (y ?? iso);
}

/** Dates the row's date columns give (« 11/02/2022 au 11/03/2022 », « Date de fin »), in ISO. */
export function narrativePeriod(
  row: NarrativeRow,
): { start?: string; end?: string; words: string } | undefined {
  let start: string | undefined;
  let end: string | undefined;
  const words: string[] = [];
  for (const cell of cellsUnder(row, DATE_HEADER)) {
    if (PLANNED_DATE_HEADER.test(cell.header ?? '')) continue;
    const dates = [...cell.text.matchAll(FR_DATE)].map((m) => `${m[3]}-${m[2]}-${m[1]}`);
    if (dates.length === 0) continue;
    words.push(cell.text);
    if (END_HEADER.test(cell.header ?? '')) end ??= dates[0];
    else {
      start ??= dates[0];
      if (dates.length > 1) end ??= dates[1];
    }
  }
  if (start === undefined && end === undefined) return undefined;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}), words: words.join(', ') };
}

/** Same day, or one is the other at a coarser precision (« 1975 » and « 1975-06-01 »). */
function sameDate(a: string, b: string): boolean {
  const x = a.slice(0, 10);
  const y = b.slice(0, 10);
  return x.startsWith(y) || y.startsWith(x);
}

function numbersOf(value: string): Set<number> {
  return new Set([...value.matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => Number(m[0].replace(',', '.'))));
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function normalised(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
}

/**
 * The entry as the narrative row tells it: dates, status (problems, allergies) and posology
 * (treatments) the row contradicts are replaced by the row's words, each disagreement named in an
 * « À vérifier » fact with what the coded entry said. An entry without a row is left as it is.
 */
export function reconcileWithNarrative(
  entry: ExtractedEntry,
  act: XmlElement,
  ctx: EntryContext,
): ExtractedEntry {
  const row = narrativeRowOf(act, ctx);
  let result: ExtractedEntry = entry;
  let facts: EntryFact[] = [...(entry.facts ?? [])];
  const discordances: string[] = [];

  const period = row ? narrativePeriod(row) : undefined;
  const start = entry.startDate;
  if (period?.start !== undefined && start !== undefined && !sameDate(period.start, start)) {
    const coded = entry.endDate ? `${frDate(start)} au ${frDate(entry.endDate)}` : frDate(start);
    const end =
      period.end ??
      (entry.endDate !== undefined && entry.endDate >= period.start ? entry.endDate : undefined);
    result = { ...result, startDate: period.start };
    if (end === undefined) delete result.endDate;
    else result.endDate = end;
    discordances.push(`le texte du document date ceci du ${period.words}, ses données codées du ${coded}`);
  }

  if (row && (entry.kind === 'problem' || entry.kind === 'allergy')) {
    const status = cellsUnder(row, STATUS_HEADER)
      .map((c) => c.text)
      .find(said);
    if (
      status !== undefined &&
      entry.status !== undefined &&
      normalised(status) !== normalised(entry.status)
    ) {
      result = { ...result, status: capitalize(status) };
      discordances.push(
        `statut « ${capitalize(status)} » dans le texte du document, « ${entry.status} » dans ses données codées`,
      );
    }
  }

  if (entry.kind === 'medication') {
    const written = row ? byColumn(cellsUnder(row, POSOLOGY_HEADER)).filter(said) : [];
    const coded = facts.find((f) => f.label === 'Posologie')?.value;
    if (coded !== undefined) {
      const words = written.length > 0 ? [...new Set(written)].join(' ; ') : undefined;
      const shown = words !== undefined ? numbersOf(words) : undefined;
      const rowDisagrees = shown !== undefined && [...numbersOf(coded)].some((n) => !shown.has(n));
      const doses = doseWordsDisagreeing(act, ctx, row);
      if (rowDisagrees || doses.length > 0) {
        const value = words ?? doses.join(', ');
        facts = facts.map((f) => (f.label === 'Posologie' ? { label: 'Posologie', value } : f));
        discordances.push(
          `posologie « ${value} » dans le texte du document, « ${coded} » dans ses données codées`,
        );
      }
    }
  }

  if (discordances.length === 0) return result;
  facts.push({ label: DISCORDANCE_LABEL, value: `${capitalize(discordances.join(' ; '))}.` });
  return { ...result, facts, ...optional('detail', detailOf(facts)) };
}

/** A reference range as CI-SIS lab reports print it beside the result: « (3.89 - 6.00) », « (< 5.0) ». */
const PRINTED_RANGE = /\(\s*((?:[<>≤≥]\s*)?\d+(?:[.,]\d+)?(?:\s*[-–à]\s*\d+(?:[.,]\d+)?)?)\s*\)/g;

/**
 * A lab result's reference range as its row prints it, when the coded range says otherwise
 * (BIO-CR-BIO « Glycémie deux unités »: coded 3.89–3.89 mmol/L, printed « (3.89 - 6.00) »): the
 * printed words, and the disagreement to write out. A row that does not print this result's value, or
 * prints no range or several, is left alone.
 */
export function reconcileLabRange(
  reading: LabReading,
  obs: XmlElement,
  ctx: EntryContext,
): { reading: LabReading; discordance?: string } {
  const row = narrativeRowOf(obs, ctx);
  if (!row || reading.referenceRange === undefined) return { reading };
  const rowText = row.cells.map((c) => c.text).join(' | ');
  // The row must print this result: a reference into the next line (the other unit's) is no evidence.
  if (reading.numeric === undefined || !numbersOf(rowText).has(reading.numeric)) return { reading };
  const printed = [...rowText.matchAll(PRINTED_RANGE)].map((m) => m[1] as string);
  if (printed.length !== 1) return { reading };
  const words = printed[0] as string;
  const coded = reading.referenceRange;
  const same = (a: Set<number>, b: Set<number>): boolean =>
    a.size === b.size && [...a].every((n) => b.has(n));
  if (same(numbersOf(words), numbersOf(coded))) return { reading };
  return {
    reading: { ...reading, referenceRange: words },
    discordance: `Valeurs de référence « ${words} » dans le texte du document, « ${coded} » dans ses données codées.`,
  };
}

/** Which way a qualitative result reads: negative words first (« non détecté » contains « détecté »). */
function polarity(value: string | undefined): 'negative' | 'positive' | undefined {
  if (value === undefined) return undefined;
  const v = normalised(value);
  if (/\b(negati|non detecte|absence|absent)/.test(v)) return 'negative';
  if (/\b(positi|detecte|presence|present)/.test(v)) return 'positive';
  return undefined;
}

/**
 * A qualitative result whose code says the opposite of the words it references (BIO-TROD COVID-19 /
 * Grippe A / Grippe B: « positif » coded where the report prints « négatif », and the other way
 * round): the printed words are the result, the coded one is quoted « À vérifier ».
 */
export function reconcileQualitativeResult(
  reading: LabReading,
  obs: XmlElement,
  ctx: EntryContext,
): { reading: LabReading; discordance?: string } {
  const value = child(obs, 'value');
  const written = originalTextOf(value, ctx);
  const coded = reading.value;
  const w = polarity(written);
  const c = polarity(coded);
  if (written === undefined || w === undefined || c === undefined || w === c) return { reading };
  return {
    reading: { ...reading, value: written },
    discordance: `Résultat « ${written} » dans le texte du document, « ${coded} » dans ses données codées.`,
  };
}

/**
 * An interpretation the result's own numbers contradict (BIO-CR-BIO Auto-Présentable: ASAT 45 UI/L,
 * reference 10 – 50, coded « H »; the report prints no flag): the flag is not shown, the coded one is
 * quoted « À vérifier ». Only a coded low–high range is used, never a guess at one.
 */
export function reconcileFlag(
  reading: LabReading,
  obs: XmlElement,
): { reading: LabReading; discordance?: string } {
  if (reading.flag === undefined || reading.numeric === undefined) return { reading };
  const range = findDescendants(obs, (e) => e.local === 'observationRange')[0];
  const low = Number(attr(path(range, 'value', 'low'), 'value') ?? Number.NaN);
  const high = Number(attr(path(range, 'value', 'high'), 'value') ?? Number.NaN);
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) return { reading };
  const value = reading.numeric;
  const within = value >= low && value <= high;
  const contradicted =
    (within && reading.flag !== 'normal' && reading.flag !== 'abnormal') ||
    (!within && reading.flag === 'normal') ||
    (value < low && (reading.flag === 'high' || reading.flag === 'critical-high')) ||
    (value > high && (reading.flag === 'low' || reading.flag === 'critical-low'));
  if (!contradicted) return { reading };
  const { flag: _flag, flagLabel, ...rest } = reading;
  return {
    reading: rest,
    discordance: `Interprétation « ${flagLabel ?? reading.flag} » dans les données codées du document, que sa valeur ${reading.value} et ses valeurs de référence (${reading.referenceRange ?? `${low} – ${high}`}) contredisent.`,
  };
}
