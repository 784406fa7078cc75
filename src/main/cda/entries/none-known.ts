import { codedOf } from '../hl7/datatypes';
import type { SummarySectionKey } from '../../../shared/catalog/summary-vocabulary';
import type { ExtractedEntry, ReimbursementKind } from '../types';
import { attr, child, path, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, optional } from './context';
import { anchorOf } from './common';

/** HL7 IPS « absent or unknown » code system (no-known-allergies, no-known-medications…). */
const ABSENT_OR_UNKNOWN = '2.16.840.1.113883.5.1150.1';
/** SNOMED CT: no known allergy, no known drug allergy, no current medication, no implant… */
const NONE_KNOWN_SNOMED: readonly string[] = [
  '716186003',
  '409137002',
  '428197003',
  '716220001',
  '787481004',
  '182849000',
  '160245001',
];

const DEFAULT_TEXT: Readonly<Record<SummarySectionKey, string>> = {
  allergies: 'Aucune allergie connue',
  medications: 'Aucun traitement connu',
  problems: 'Aucun problème connu',
  immunizations: 'Aucune vaccination connue',
  devices: 'Aucun dispositif médical connu',
  procedures: 'Aucun acte connu',
  riskFactors: 'Aucun facteur de risque connu',
  labResults: 'Aucun résultat connu',
  reimbursements: 'Aucun remboursement connu',
};

/** Words that state an absence when they are the whole name: « Aucun », « Néant », « Pas d'allergie connue ». */
export function isNoneWord(value: string | undefined): boolean {
  if (!value) return false;
  return (
    /^\s*(aucun(e|s)?|n[ée]ant|rien|none|pas d[e’']|absence d[e’'])\b/i.test(value) &&
    value.trim().length < 80
  );
}

/**
 * The codes an entry names itself with (its own code, its value, its product, its allergen): a « nothing
 * known » statement puts its « no-known-… » or « Aucun » code in one of them.
 */
function namingCodes(act: XmlElement): (XmlElement | undefined)[] {
  return [
    child(act, 'code'),
    child(act, 'value'),
    path(act, 'consumable', 'manufacturedProduct', 'manufacturedMaterial', 'code'),
    path(act, 'participant', 'participantRole', 'playingEntity', 'code'),
    path(act, 'participant', 'participantRole', 'playingDevice', 'code'),
  ];
}

/** Does this statement say « nothing known » rather than name a thing? */
export function noneKnownStatement(act: XmlElement): string | undefined {
  for (const el of namingCodes(act)) {
    const coded = codedOf(el);
    if (!coded) continue;
    if (
      coded.system === ABSENT_OR_UNKNOWN ||
      coded.code.startsWith('no-known') ||
      coded.code.startsWith('no-')
    )
      return coded.display ?? '';
    if (NONE_KNOWN_SNOMED.includes(coded.code)) return coded.display ?? '';
    if (isNoneWord(coded.display)) return coded.display ?? '';
  }
  return undefined;
}

/**
 * A product or agent with no name and no code at all (nullFlavor NA): CNAM-HR and some producers write
 * such an entry under a section whose narrative says « Aucune donnée »; it is a statement, not an item.
 */
export function isNamelessPlaceholder(act: XmlElement, ctx: EntryContext): boolean {
  const material = path(act, 'consumable', 'manufacturedProduct', 'manufacturedMaterial');
  if (!material) return false;
  const code = child(material, 'code');
  const name = child(material, 'name');
  const nameless =
    (!code || attr(code, 'nullFlavor') !== undefined) && (!name || attr(name, 'nullFlavor') !== undefined);
  if (!nameless || child(code, 'originalText') || child(code, 'translation')) return false;
  const narrative = entryNarrative(act, ctx);
  return narrative === undefined || isNoneWord(narrative);
}

export function sectionOfKind(
  kind: ExtractedEntry['kind'],
  reimbursementKind?: ReimbursementKind,
): SummarySectionKey {
  if (reimbursementKind !== undefined) return 'reimbursements';
  switch (kind) {
    case 'allergy':
      return 'allergies';
    case 'medication':
      return 'medications';
    case 'immunization':
      return 'immunizations';
    case 'device':
      return 'devices';
    case 'procedure':
      return 'procedures';
    case 'riskFactor':
      return 'riskFactors';
    case 'labResult':
      return 'labResults';
    default:
      return 'problems';
  }
}

/** The « nothing known » entry that replaces an item, with the document's own words when they are a sentence. */
export function noneKnownEntry(
  act: XmlElement,
  ctx: EntryContext,
  section: SummarySectionKey,
  words: string | undefined,
): ExtractedEntry {
  const narrative = entryNarrative(act, ctx);
  const sentence = [words, narrative].find(
    (w) => w !== undefined && w.trim().length > 8 && !/^aucun(e)?$/i.test(w.trim()),
  );
  return {
    kind: 'noneKnown',
    label: sentence ?? DEFAULT_TEXT[section],
    noneKnownSection: section,
    ...optional('anchor', anchorOf(act)),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(act),
  };
}
