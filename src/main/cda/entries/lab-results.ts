import { codedOf, hl7TimeToIso, timeOf } from '../hl7/datatypes';
import type { ExtractedEntry, LabReading } from '../types';
import { attr, child, children, findDescendants, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional, originalTextOf } from './context';
import { anchorOf, authorName, detailOf, factsOf, hasTemplate } from './common';
import { interpretationOf, quantityLabel, unitLabel } from './labels';
import { TEMPLATES } from './templates';
import {
  DISCORDANCE_LABEL,
  reconcileFlag,
  reconcileLabRange,
  reconcileQualitativeResult,
} from './narrative-check';

/**
 * Every laboratory observation (IHE PaLM Laboratory Observation) an entry holds, however deeply the
 * report nests it (act → organizer → component → observation), plus the untemplated observations of a
 * lab battery organizer. Returned in document order, one entry per result.
 */
export function readLabResults(statement: XmlElement, ctx: EntryContext): ExtractedEntry[] {
  const seen = new Set<XmlElement>();
  const found: XmlElement[] = [];
  const candidates = [
    statement,
    ...findDescendants(statement, (e) => e.local === 'observation' || e.local === 'organizer'),
  ];
  for (const el of candidates) {
    if (el.local === 'observation' && hasTemplate(el, TEMPLATES.labObservation) && !seen.has(el)) {
      seen.add(el);
      found.push(el);
    }
    if (el.local === 'organizer' && templateIdsOf(el).some((t) => LAB_ORGANIZERS.includes(t))) {
      for (const obs of children(el, 'component').map((c) => child(c, 'observation'))) {
        if (obs && !seen.has(obs) && child(obs, 'value')) {
          seen.add(obs);
          found.push(obs);
        }
      }
    }
  }
  const fallbackDate = timeOf(child(statement, 'effectiveTime')).start;
  return found.flatMap((obs) => {
    const entry = readLabObservation(obs, ctx, fallbackDate);
    return entry ? [entry] : [];
  });
}

/** Battery and isolate organizers of IHE PaLM (CI-SIS FR-Resultats-examens-de-biologie-medicale…). */
const LAB_ORGANIZERS: readonly string[] = ['1.3.6.1.4.1.19376.1.3.1.4', '1.3.6.1.4.1.19376.1.3.1.5'];

export function readLabObservation(
  obs: XmlElement,
  ctx: EntryContext,
  fallbackDate?: string,
): ExtractedEntry | undefined {
  const read = readingOf(obs, ctx);
  if (!read) return undefined;
  const qualitative = reconcileQualitativeResult(read, obs, ctx);
  const ranged = reconcileLabRange(qualitative.reading, obs, ctx);
  // Once the printed range replaced the coded one, the coded range is no ground to judge the flag by.
  const flagged = ranged.discordance ? { reading: ranged.reading } : reconcileFlag(ranged.reading, obs);
  const reading = flagged.reading;
  const discordances = [qualitative.discordance, ranged.discordance, flagged.discordance].filter(
    (d) => d !== undefined,
  );
  const discordance = discordances.length > 0 ? discordances.join(' ') : undefined;
  const codeEl = child(obs, 'code');
  const analyte =
    codedOf(codeEl)?.display ??
    originalTextOf(codeEl, ctx) ??
    entryNarrative(obs, ctx) ??
    codedOf(codeEl)?.code ??
    'Analyse';
  const date = timeOf(child(obs, 'effectiveTime')).start ?? fallbackDate;
  const facts = factsOf([
    ['Résultat', reading.value],
    ['Valeurs de référence', reading.referenceRange],
    ['Interprétation', reading.flagLabel],
    [DISCORDANCE_LABEL, discordance],
  ]);
  return {
    kind: 'labResult',
    label: analyte,
    ...optional('code', codedOf(codeEl)),
    ...optional('facts', facts),
    ...optional('detail', detailOf(facts)),
    ...optional('startDate', date),
    lab: reading,
    ...optional('anchor', anchorOf(obs)),
    ...optional('author', authorName(obs)),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(obs),
  };
}

function readingOf(obs: XmlElement, ctx: EntryContext): LabReading | undefined {
  const value = child(obs, 'value');
  if (!value || attr(value, 'nullFlavor')) return undefined;
  const type = attr(value, 'xsi:type') ?? '';
  let shown: string | undefined;
  let unit: string | undefined;
  let numeric: number | undefined;
  if (type.endsWith('PQ') && !type.endsWith('IVL_PQ')) {
    const v = attr(value, 'value');
    if (!v) return undefined;
    shown = quantityLabel(v, undefined);
    unit = unitLabel(attr(value, 'unit'));
    numeric = Number(v);
  } else if (type.endsWith('INT') || type.endsWith('REAL')) {
    const v = attr(value, 'value');
    if (!v) return undefined;
    shown = quantityLabel(v, undefined);
    numeric = Number(v);
  } else if (type.endsWith('IVL_PQ')) {
    shown = rangeText(value);
  } else if (type.endsWith('RTO') || type.endsWith('RTO_PQ_PQ')) {
    const n = attr(child(value, 'numerator'), 'value');
    const d = attr(child(value, 'denominator'), 'value');
    shown = n && d ? `${n}/${d}` : undefined;
  } else if (type.endsWith('CD') || type.endsWith('CE') || type.endsWith('CV')) {
    shown = labelOfCoded(value, ctx);
  } else if (type.endsWith('BL')) {
    shown =
      attr(value, 'value') === 'true' ? 'positif' : attr(value, 'value') === 'false' ? 'négatif' : undefined;
  } else if (type.endsWith('TS')) {
    shown = hl7TimeToIso(attr(value, 'value'));
  } else {
    shown = text(value) || undefined;
  }
  if (!shown) return undefined;
  const interpretation = interpretationOf(attr(child(obs, 'interpretationCode'), 'code'));
  const range = referenceRangeOf(obs, ctx);
  return {
    value: shown,
    ...optional('unit', unit),
    ...(numeric !== undefined && Number.isFinite(numeric) ? { numeric } : {}),
    ...optional('referenceRange', range),
    ...(interpretation ? { flag: interpretation.flag, flagLabel: interpretation.label } : {}),
  };
}

function rangeText(value: XmlElement | undefined): string | undefined {
  const low = child(value, 'low');
  const high = child(value, 'high');
  const lv = attr(low, 'value');
  const hv = attr(high, 'value');
  const unit = attr(high, 'unit') ?? attr(low, 'unit');
  const u = unitLabel(unit);
  if (lv && hv) return `${quantityLabel(lv, undefined)} – ${quantityLabel(hv, undefined)}${u ? ` ${u}` : ''}`;
  if (hv) return `< ${quantityLabel(hv, unit)}`;
  if (lv) return `> ${quantityLabel(lv, unit)}`;
  return undefined;
}

function referenceRangeOf(obs: XmlElement, ctx: EntryContext): string | undefined {
  for (const rr of children(obs, 'referenceRange')) {
    const range = child(rr, 'observationRange');
    const fromValue = rangeText(child(range, 'value'));
    if (fromValue) return fromValue;
    const fromText = entryNarrative(range, ctx);
    if (fromText) return fromText;
  }
  return undefined;
}
