import type { ClinicalEntry, EntryState } from '../../../../shared/contract';
import { frenchDate } from '../patient/format';

/**
 * The sections of the emergency summary whose entries are phrased here — view sections, not the
 * CDA extraction's entry kinds (medications split into current and other, no reimbursements).
 */
export type PhrasedSection =
  | 'allergy'
  | 'medication'
  | 'otherMedication'
  | 'problem'
  | 'immunization'
  | 'device'
  | 'procedure'
  | 'riskFactor'
  | 'contact'
  | 'advanceDirective';

/**
 * French words written with « œ » that documents often spell « oe » (keyboards without the ligature).
 * A list, not a rule: « coexister » or « Noël » must stay as they are.
 */
const LIGATURE_WORDS = [
  'soeur',
  'coeur',
  'choeur',
  'rancoeur',
  'oeil',
  'oeillet',
  'oeuf',
  'oeuvre',
  'manoeuvre',
  'boeuf',
  'voeu',
  'noeud',
  'moeurs',
  'oedème',
  'oesophage',
  'oesophagite',
  'oestrogène',
  'foetus',
  'foetal',
  'foetale',
];
const LIGATURE_PATTERN = new RegExp(`(?<!\\p{L})(${LIGATURE_WORDS.join('|')})(s|x)?(?!\\p{L})`, 'giu');

export function frenchTypography(text: string): string {
  return text.replace(LIGATURE_PATTERN, (word: string) => word.replace(/oe/g, 'œ').replace(/O[eE]/g, 'Œ'));
}

/**
 * Clinical statuses as a clinician reads them, per section (an allergy is « active », a problem « actif »).
 * Treatments, vaccinations, contacts and directives show none: their `statusCode` is fixed to `completed`
 * by CI-SIS and says nothing about whether the patient still takes the drug.
 */
const STATUS_LABELS: Partial<Record<PhrasedSection, Readonly<Record<string, string>>>> = {
  allergy: { active: 'active', inactive: 'inactive', resolved: 'résolue', suspended: 'suspendue' },
  problem: {
    active: 'actif',
    inactive: 'inactif',
    resolved: 'résolu',
    recurrence: 'récidive',
    relapse: 'rechute',
    remission: 'en rémission',
    suspended: 'suspendu',
  },
  // No English keyword to map: only the French labels the summary gives (« Non administré »).
  immunization: {},
  device: {},
};

/** A status worth printing for this kind of entry, or null. Raw codes (`G-A397`) and other English words are never shown. */
export function statusText(kind: PhrasedSection, status: string | undefined): string | null {
  if (!status) return null;
  const labels = STATUS_LABELS[kind];
  if (!labels) return null;
  const known = labels[status.toLowerCase()];
  if (known) return known;
  // A label the document gave (« Intermittent », « Chronique »: capitalised words) is shown; a code
  // (`G-A397`) or an unmapped HL7 keyword (`completed`, `not-done`) is not.
  return /^\p{Lu}[\p{L}' ]*$/u.test(status) ? status.toLowerCase() : null;
}

const STATE_LABELS: Readonly<Record<EntryState, string>> = {
  current: 'en cours',
  ended: 'terminé',
  planned: 'prévu',
  unknown: 'à vérifier',
  'not-done': 'non administré',
};

/** Where a treatment outside « Traitements en cours » stands (derived from its dates, never from statusCode). */
export function stateText(state: EntryState | undefined): string | null {
  return state ? STATE_LABELS[state] : null;
}

/** How an entry's dates read in its section: a treatment runs « depuis le », a vaccination was given « le ». */
export function datePhrase(
  kind: PhrasedSection,
  entry: Pick<ClinicalEntry, 'startDate' | 'endDate'>,
): string | null {
  const { startDate, endDate } = entry;
  if (kind === 'contact' || kind === 'riskFactor') return null;
  if (kind === 'immunization' || kind === 'advanceDirective')
    return startDate ? `le ${frenchDate(startDate)}` : null;
  if (startDate && endDate) return `du ${frenchDate(startDate)} au ${frenchDate(endDate)}`;
  if (startDate) return `depuis le ${frenchDate(startDate)}`;
  if (endDate) return `jusqu’au ${frenchDate(endDate)}`;
  return null;
}
