import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, optional } from './context';
import { authorName, doseText, frequencyText, joinDetail, periodOf, productOf, related, routePhrase, routeText, statusOf } from './common';

/** Medication entry (substanceAdministration): product, dose, route, frequency and period. */
export function readMedication(act: XmlElement, ctx: EntryContext): ExtractedEntry {
  const product = productOf(act, ctx);
  const dose = doseText(act);
  const route = routeText(act, ctx);
  const frequency = frequencyText(act, ctx);
  const { startDate, endDate } = periodOf(act);
  // The prescriber sits on the supply (FR-Prescription) when the act itself has no author.
  const prescriber = related(act, 'REFR')
    .map((supply) => authorName(supply))
    .find((n) => n !== undefined);
  return {
    kind: 'medication',
    label: product.name ?? entryNarrative(act, ctx) ?? 'Médicament sans libellé',
    ...optional('code', codedOf(product.codeEl)),
    ...optional('detail', joinDetail([attr(act, 'moodCode') === 'INT' ? 'traitement prévu' : undefined, dose ? `dose : ${dose}` : undefined, route ? routePhrase(route) : undefined, frequency ? `fréquence : ${frequency}` : undefined])),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    ...optional('status', statusOf(act)),
    ...optional('author', authorName(act) ?? prescriber),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(act),
  };
}

