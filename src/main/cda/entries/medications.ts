import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, child, templateIdsOf } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { reconcileWithNarrative } from './narrative-check';
import { entryNarrative, labelOfCoded, optional } from './context';
import { anchorOf, authorName, detailOf, factsOf, periodOf, productOf, related, routeText } from './common';
import { posologyText, renewalsText } from './posology';

/**
 * Medication entry (substanceAdministration): product, posology, route, reason and period. The
 * statusCode is not read: CI-SIS fixes it to `completed` whatever the treatment's state, which the
 * summary derives from the period instead.
 */
export function readMedication(act: XmlElement, ctx: EntryContext): ExtractedEntry {
  const product = productOf(act, ctx);
  const route = routeText(act, ctx);
  const { startDate, endDate } = periodOf(act);
  // The prescriber sits on the supply (FR-Prescription) when the act itself has no author.
  const prescriber = related(act, 'REFR')
    .map((supply) => authorName(supply))
    .find((n) => n !== undefined);
  const mood = attr(act, 'moodCode');
  const facts = factsOf([
    ['Posologie', posologyText(act)],
    ['Voie', route ? route.replace(/^voie\s+/i, '') : undefined],
    ['Motif', reasonOf(act, ctx)],
    ['Renouvellement', renewalsText(act)],
    ['Statut', mood === 'INT' ? 'Traitement prévu' : undefined],
  ]);
  return reconcileWithNarrative(
    {
      kind: 'medication',
      label: product.name ?? entryNarrative(act, ctx) ?? 'Médicament sans libellé',
      ...optional('code', codedOf(product.codeEl)),
      ...optional('facts', facts),
      ...optional('detail', detailOf(facts)),
      ...optional('startDate', startDate),
      ...optional('endDate', endDate),
      ...optional('moodCode', mood),
      ...optional('anchor', anchorOf(act)),
      ...optional('author', authorName(act) ?? prescriber),
      ...optional('sectionCode', ctx.sectionCode),
      templateIds: templateIdsOf(act),
    },
    act,
    ctx,
  );
}

/** RSON: the problem the treatment is for (an observation's value, or the act's narrative). */
export function reasonOf(act: XmlElement, ctx: EntryContext): string | undefined {
  const reasons = related(act, 'RSON')
    .map(
      (r) =>
        labelOfCoded(child(r, 'value'), ctx) ?? labelOfCoded(child(r, 'code'), ctx) ?? entryNarrative(r, ctx),
    )
    .filter((r): r is string => r !== undefined && r !== '');
  return reasons.length > 0 ? [...new Set(reasons)].join(', ') : undefined;
}
