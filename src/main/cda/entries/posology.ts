import { attr, child, children } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import { related } from './common';
import { unitLabel } from './labels';

/**
 * Structured posology (IHE PCC / CI-SIS FR-Traitement) in French:
 * « 1 à 2 comprimé(s) 3 fois par jour pendant 2 jours, puis 2 fois par jour pendant 4 jours ; maximum 4 par jour ».
 * Progressive doses come as COMP sub-administrations, each with an SXPR_TS (IVL_TS width + PIVL_TS period).
 */
export function posologyText(act: XmlElement): string | undefined {
  const steps = related(act, 'COMP')
    .filter((c) => c.local === 'substanceAdministration')
    .map(stepText)
    .filter((s): s is Step => s !== undefined);
  const own = stepText(act);
  const parts: string[] = [];
  if (steps.length > 0) {
    let lastDose: string | undefined;
    const phrased = steps.map((step) => {
      const dose = step.dose === lastDose ? undefined : step.dose;
      lastDose = step.dose;
      return [dose, step.frequency, step.duration].filter(Boolean).join(' ');
    });
    parts.push(phrased.filter((p) => p !== '').join(', puis '));
  } else if (own) parts.push([own.dose, own.frequency].filter(Boolean).join(' '));
  const max = maxDoseText(act);
  if (max) parts.push(max);
  const text = parts.filter((p) => p !== '').join(' ; ');
  return text === '' ? undefined : text;
}

interface Step {
  dose?: string;
  frequency?: string;
  duration?: string;
}

function stepText(act: XmlElement): Step | undefined {
  const dose = doseText(child(act, 'doseQuantity'));
  let frequency: string | undefined;
  let duration: string | undefined;
  for (const et of children(act, 'effectiveTime')) {
    const parts = (attr(et, 'xsi:type') ?? '').endsWith('SXPR_TS') ? children(et, 'comp') : [et];
    for (const part of parts) {
      const type = attr(part, 'xsi:type') ?? '';
      if (type.endsWith('PIVL_TS')) frequency ??= periodText(child(part, 'period'));
      if (type.endsWith('IVL_TS') && !type.endsWith('PIVL_TS')) duration ??= widthText(child(part, 'width'));
      if (type.endsWith('EIVL_TS')) frequency ??= eventText(attr(child(part, 'event'), 'code'));
    }
  }
  if (!dose && !frequency && !duration) return undefined;
  return {
    ...(dose ? { dose } : {}),
    ...(frequency ? { frequency } : {}),
    ...(duration ? { duration } : {}),
  };
}

/** doseQuantity (PQ or IVL_PQ) as « 1 comprimé(s) » or « 1 à 2 comprimé(s) ». */
export function doseText(dose: XmlElement | undefined): string | undefined {
  if (!dose) return undefined;
  const value = attr(dose, 'value');
  if (value) return withUnit(value, attr(dose, 'unit'));
  const low = child(dose, 'low');
  const high = child(dose, 'high');
  const lv = attr(low, 'value');
  const hv = attr(high, 'value');
  if (lv && hv)
    return lv === hv
      ? withUnit(lv, attr(low, 'unit'))
      : `${number(lv)} à ${withUnit(hv, attr(high, 'unit'))}`;
  if (lv) return `au moins ${withUnit(lv, attr(low, 'unit'))}`;
  if (hv) return `jusqu’à ${withUnit(hv, attr(high, 'unit'))}`;
  return undefined;
}

function number(value: string): string {
  return value.replace('.', ',');
}

function withUnit(value: string, unit: string | undefined): string {
  const u = unitLabel(unit);
  return u ? `${number(value)} ${u}` : number(value);
}

const PER: Readonly<Record<string, string>> = {
  d: 'jour',
  j: 'jour',
  wk: 'semaine',
  mo: 'mois',
  a: 'an',
  h: 'heure',
  min: 'minute',
};
const EVERY: Readonly<Record<string, [string, string]>> = {
  d: ['jour', 'jours'],
  wk: ['semaine', 'semaines'],
  mo: ['mois', 'mois'],
  a: ['an', 'ans'],
  h: ['heure', 'heures'],
  min: ['minute', 'minutes'],
};

/** A PIVL_TS period in French: 8 h → « 3 fois par jour », 1 d → « 1 fois par jour », 2 d → « tous les 2 jours ». */
export function periodText(period: XmlElement | undefined): string | undefined {
  const value = attr(period, 'value');
  const rawUnit = attr(period, 'unit');
  if (!value || !rawUnit) return undefined;
  // « J » is not UCUM but some producers write it for days.
  const unit = rawUnit === 'J' || rawUnit === 'j' ? 'd' : rawUnit;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (unit === 'h' && Number.isInteger(24 / n) && n <= 24) return `${24 / n} fois par jour`;
  if (unit === 'min' && Number.isInteger(1440 / n)) return `toutes les ${n} minutes`;
  if (n === 1 && PER[unit]) return `1 fois par ${PER[unit]}`;
  if (n < 1 && PER[unit] && Number.isInteger(1 / n)) return `${1 / n} fois par ${PER[unit]}`;
  const names = EVERY[unit];
  if (!names) return undefined;
  const feminine = unit === 'h' || unit === 'min' || unit === 'wk';
  return `${feminine ? 'toutes les' : 'tous les'} ${number(value)} ${names[1]}`;
}

function widthText(width: XmlElement | undefined): string | undefined {
  const value = attr(width, 'value');
  const unit = attr(width, 'unit');
  if (!value || !unit) return undefined;
  const names = EVERY[unit === 'J' ? 'd' : unit];
  if (!names) return undefined;
  return `pendant ${number(value)} ${value === '1' ? names[0] : names[1]}`;
}

/** HL7 TimingEvent codes of EIVL_TS. */
const EVENTS: Readonly<Record<string, string>> = {
  AC: 'avant les repas',
  ACM: 'avant le petit-déjeuner',
  ACD: 'avant le déjeuner',
  ACV: 'avant le dîner',
  PC: 'après les repas',
  PCM: 'après le petit-déjeuner',
  PCD: 'après le déjeuner',
  PCV: 'après le dîner',
  HS: 'au coucher',
  WAKE: 'au réveil',
  C: 'pendant les repas',
  CM: 'au petit-déjeuner',
  CD: 'au déjeuner',
  CV: 'au dîner',
};

function eventText(code: string | undefined): string | undefined {
  return code ? EVENTS[code] : undefined;
}

/** maxDoseQuantity (RTO): « maximum 4 par jour ». */
function maxDoseText(act: XmlElement): string | undefined {
  const max = child(act, 'maxDoseQuantity');
  const num = child(max, 'numerator');
  const den = child(max, 'denominator');
  const value = attr(num, 'value');
  if (!value) return undefined;
  const denValue = attr(den, 'value') ?? '1';
  const denUnit = attr(den, 'unit');
  const per = denUnit ? PER[denUnit] : undefined;
  const quantity = withUnit(value, attr(num, 'unit'));
  if (!per) return `maximum ${quantity}`;
  return denValue === '1'
    ? `maximum ${quantity} par ${per}`
    : `maximum ${quantity} par ${number(denValue)} ${EVERY[denUnit ?? '']?.[1] ?? per}`;
}

/** repeatNumber: how many times the prescription can be renewed. */
export function renewalsText(act: XmlElement): string | undefined {
  const value = attr(child(act, 'repeatNumber'), 'value');
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) return undefined;
  return n === 1 ? 'renouvelable 1 fois' : `renouvelable ${n} fois`;
}
