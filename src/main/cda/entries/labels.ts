/**
 * Coded values a CDA carries (HL7 status codes, SNOMED 3.5 statuses, severities, UCUM units) in the
 * French a clinician reads. The document's own displayName wins when it gives one; these tables only
 * cover what a document leaves as a bare code, so no raw code reaches the screen.
 */

import type { LabFlag } from '../../../shared/catalog/summary-vocabulary';

/** HL7 ActStatus / problem status codes and the SNOMED 3.5 status codes of CI-SIS (TA_ASIP / JDV). */
const STATUS_LABELS: Readonly<Record<string, string>> = {
  active: 'Actif',
  inactive: 'Inactif',
  resolved: 'Résolu',
  remission: 'En rémission',
  recurrence: 'Récidive',
  relapse: 'Rechute',
  completed: 'Terminé',
  aborted: 'Interrompu',
  suspended: 'Suspendu',
  cancelled: 'Annulé',
  held: 'En attente',
  new: 'Nouveau',
  nullified: 'Annulé',
  normal: 'Normal',
  'not-done': 'Non administré',
  'G-A397': 'Intermittent',
  'G-A230': 'Actif',
  'G-A270': 'Chronique',
  'G-A384': 'Résolu',
  'G-A385': 'Inactif',
  'G-A386': 'Récidivant',
  'G-A231': 'Inactif',
  'G-A389': 'En rémission',
  '55561003': 'Actif',
  '73425007': 'Inactif',
  '413322009': 'Résolu',
  '255227004': 'Récurrent',
  '277022003': 'En rémission',
};

/** True for a value that is a code rather than words: « G-A397 », « 55561003 », « active », « not-done ». */
export function looksLikeCode(value: string): boolean {
  return /^(?:[A-Z]-[A-Z0-9]+|\d+|[a-z]+(?:-[a-z]+)*)$/.test(value.trim());
}

/** French label of a status: the document's displayName when it is words, else the table, else undefined. */
export function statusLabel(code: string | undefined, display?: string): string | undefined {
  if (display && display.trim() !== '' && display !== code) return capitalize(display.trim());
  if (!code) return undefined;
  return STATUS_LABELS[code] ?? STATUS_LABELS[code.toLowerCase()];
}

/**
 * statusCode of a Concern act (IHE PCC): the concern is still followed (active) or closed (completed).
 * `completed` reads « Résolu » only when an end date backs it: the DLU's « Pathologie en cours » and its
 * paracetamol allergy are `completed` with no end at all, and read « Résolu » where the text says neither.
 */
export function concernStatusLabel(code: string | undefined, ended = true): string | undefined {
  if (code === 'completed') return ended ? 'Résolu' : undefined;
  if (code === 'aborted') return 'Abandonné';
  return statusLabel(code);
}

/**
 * FR-Certitude (HL7 condition-ver-status): how sure the author is. `confirmed` needs no mention;
 * `refuted` and `entered-in-error` mean the document says the condition is not there.
 */
const CERTAINTY: Readonly<Record<string, { label: string; absent?: true }>> = {
  unconfirmed: { label: 'Non confirmé' },
  provisional: { label: 'Provisoire' },
  differential: { label: 'Diagnostic différentiel' },
  refuted: { label: 'Réfuté', absent: true },
  'entered-in-error': { label: 'Saisi par erreur', absent: true },
};

export function certaintyOf(
  code: string | undefined,
  display?: string,
): { label: string; absent: boolean } | undefined {
  const known = code ? CERTAINTY[code] : undefined;
  if (!known) return undefined;
  const label =
    display && display.trim() !== '' && display !== code ? capitalize(display.trim()) : known.label;
  return { label, absent: known.absent === true };
}

/** HL7 ObservationValue severity codes (L/M/H) and SNOMED CT severities. */
const SEVERITY_LABELS: Readonly<Record<string, string>> = {
  L: 'Légère',
  M: 'Modérée',
  H: 'Sévère',
  '255604002': 'Légère',
  '6736007': 'Modérée',
  '24484000': 'Sévère',
  '442452003': 'Mettant en jeu le pronostic vital',
  '371923003': 'Légère à modérée',
  '371924009': 'Modérée à sévère',
};

export function severityLabel(code: string | undefined, display?: string): string | undefined {
  if (code && SEVERITY_LABELS[code]) return SEVERITY_LABELS[code];
  if (display && display.trim() !== '' && display !== code) return capitalize(display.trim());
  return undefined;
}

/** UCUM annotations and units as written in French prescriptions and lab reports. */
const UNIT_LABELS: Readonly<Record<string, string>> = {
  '{tablet}': 'comprimé(s)',
  '{tbl}': 'comprimé(s)',
  '{capsule}': 'gélule(s)',
  '{puff}': 'bouffée(s)',
  '{drop}': 'goutte(s)',
  '{sachet}': 'sachet(s)',
  '{dose}': 'dose(s)',
  '{application}': 'application(s)',
  '{count}': 'unité(s)',
  '{score}': '',
  '{ratio}': '',
  '{pack}/a': 'paquets-années',
  '{drink}/d': 'verre(s) par jour',
  '[diop]': 'dioptrie(s)',
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  deg: '°',
  d: 'jour(s)',
  wk: 'semaine(s)',
  mo: 'mois',
  a: 'an(s)',
  h: 'heure(s)',
  min: 'minute(s)',
  '10*9/L': 'G/L',
  '10*12/L': 'T/L',
  ug: 'µg',
  uL: 'µL',
};

/** A UCUM unit in French: « [IU]/mL » → « UI/mL », « {tbl} » → « comprimé(s) », « ug/mL » → « µg/mL ». */
export function unitLabel(unit: string | undefined): string | undefined {
  if (!unit || unit === '1') return undefined;
  const known = UNIT_LABELS[unit];
  if (known !== undefined) return known === '' ? undefined : known;
  const french = unit
    .replace(/\[IU\]/g, 'UI')
    .replace(/\[iU\]/g, 'UI')
    .replace(/\bu(g|L|mol)\b/g, 'µ$1')
    .replace(/\{([^}]*)\}/g, '$1')
    .replace(/\[([^\]]*)\]/g, '$1');
  return french === '' ? undefined : french;
}

/** A PQ as displayed: « 1,95 mUI/L ». Decimal point kept as written when the value is not a plain number. */
export function quantityLabel(value: string, unit: string | undefined): string {
  const number = /^-?\d+(\.\d+)?$/.test(value) ? value.replace('.', ',') : value;
  const u = unitLabel(unit);
  return u ? `${number} ${u}` : number;
}

/** HL7 ObservationInterpretation → flag and French label. */
const INTERPRETATIONS: Readonly<Record<string, { flag: LabFlag; label: string }>> = {
  N: { flag: 'normal', label: 'Normal' },
  L: { flag: 'low', label: 'Bas' },
  H: { flag: 'high', label: 'Élevé' },
  LL: { flag: 'critical-low', label: 'Très bas' },
  HH: { flag: 'critical-high', label: 'Très élevé' },
  LU: { flag: 'critical-low', label: 'Très bas' },
  HU: { flag: 'critical-high', label: 'Très élevé' },
  '<': { flag: 'low', label: 'Inférieur au seuil' },
  '>': { flag: 'high', label: 'Supérieur au seuil' },
  A: { flag: 'abnormal', label: 'Anormal' },
  AA: { flag: 'abnormal', label: 'Très anormal' },
  POS: { flag: 'abnormal', label: 'Positif' },
  NEG: { flag: 'normal', label: 'Négatif' },
  IND: { flag: 'abnormal', label: 'Indéterminé' },
  DET: { flag: 'abnormal', label: 'Détecté' },
  ND: { flag: 'normal', label: 'Non détecté' },
};

export function interpretationOf(code: string | undefined): { flag: LabFlag; label: string } | undefined {
  return code ? INTERPRETATIONS[code] : undefined;
}

/** ATC first level (anatomical main group), for the reimbursement filter. */
const ATC_GROUPS: Readonly<Record<string, string>> = {
  A: 'Voies digestives et métabolisme',
  B: 'Sang et organes hématopoïétiques',
  C: 'Système cardiovasculaire',
  D: 'Dermatologie',
  G: 'Système génito-urinaire et hormones sexuelles',
  H: 'Hormones systémiques',
  J: 'Anti-infectieux généraux',
  L: 'Antinéoplasiques et immunomodulateurs',
  M: 'Muscle et squelette',
  N: 'Système nerveux',
  P: 'Antiparasitaires',
  R: 'Système respiratoire',
  S: 'Organes sensoriels',
  V: 'Divers',
};

export function atcGroupLabel(atc: string | undefined): string | undefined {
  return atc ? ATC_GROUPS[atc.charAt(0).toUpperCase()] : undefined;
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
