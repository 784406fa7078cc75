import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, child, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { reconcileWithNarrative } from './narrative-check';
import { entryNarrative, labelOfCoded, optional, originalTextOf } from './context';
import {
  anchorOf,
  authorName,
  detailOf,
  factsOf,
  isNegated,
  periodOf,
  productOf,
  related,
  routeText,
} from './common';

/** LOINC « Rang de la vaccination ». */
const DOSE_RANK_CODE = '30973-2';

/** Immunization entry: vaccine, date, dose rank, lot, route, site, reaction; a negated act is a vaccination not given. */
export function readImmunization(act: XmlElement, ctx: EntryContext): ExtractedEntry {
  const product = productOf(act, ctx);
  const route = routeText(act, ctx);
  const { startDate } = periodOf(act);
  const notGiven = isNegated(act);
  const rank = related(act, 'SUBJ')
    .filter((r) => attr(child(r, 'code'), 'code') === DOSE_RANK_CODE)
    .map((r) => attr(child(r, 'value'), 'value'))
    .find((v) => v !== undefined);
  const reactions = related(act, 'CAUS')
    .map((r) => labelOfCoded(child(r, 'value'), ctx) ?? entryNarrative(r, ctx))
    .filter((r): r is string => r !== undefined && r !== '');
  const site =
    codedOf(child(act, 'approachSiteCode'))?.display ?? originalTextOf(child(act, 'approachSiteCode'), ctx);
  const facts = factsOf([
    ['Rang', rank ? (rank === '1' ? '1re dose' : `${rank}e dose`) : undefined],
    ['Lot', product.lot],
    ['Voie', route ? route.replace(/^voie\s+/i, '') : undefined],
    ['Site', site],
    ['Réaction', reactions.length > 0 ? reactions.join(', ') : undefined],
  ]);
  return reconcileWithNarrative(
    {
      kind: 'immunization',
      label: product.name ?? entryNarrative(act, ctx) ?? 'Vaccin sans libellé',
      ...optional('code', codedOf(product.codeEl)),
      ...optional('facts', facts),
      ...optional('detail', detailOf(facts)),
      ...optional('startDate', startDate),
      ...(notGiven ? { status: 'Non administré', negated: true } : {}),
      ...optional('anchor', anchorOf(act)),
      ...optional('author', authorName(act)),
      ...optional('sectionCode', ctx.sectionCode),
      templateIds: templateIdsOf(act),
    },
    act,
    ctx,
  );
}
