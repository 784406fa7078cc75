import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, optional } from './context';
import { authorName, joinDetail, periodOf, productOf, routePhrase, routeText, statusOf } from './common';

/** Immunization entry: vaccine, date, lot, route; a negated act is a vaccination not given. */
export function readImmunization(act: XmlElement, ctx: EntryContext): ExtractedEntry {
  const product = productOf(act, ctx);
  const route = routeText(act, ctx);
  const { startDate } = periodOf(act);
  const notGiven = attr(act, 'negationInd') === 'true';
  return {
    kind: 'immunization',
    label: product.name ?? entryNarrative(act, ctx) ?? 'Vaccin sans libellé',
    ...optional('code', codedOf(product.codeEl)),
    ...optional('detail', joinDetail([product.lot ? `lot : ${product.lot}` : undefined, route ? routePhrase(route) : undefined, notGiven ? 'non administré' : undefined])),
    ...optional('startDate', startDate),
    ...optional('status', notGiven ? 'not-done' : statusOf(act)),
    ...optional('author', authorName(act)),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(act),
  };
}
