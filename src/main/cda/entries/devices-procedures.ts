import { readAssigned } from '../header';
import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, child, path, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { reconcileWithNarrative } from './narrative-check';
import { entryNarrative, labelOfCoded, optional, originalTextOf } from './context';
import { quantityLabel } from './labels';
import { anchorOf, authorName, detailOf, factsOf, isNegated, periodOf, related } from './common';

/** Comments (FR-Commentaire-ER) attached to an entry, as one line. */
function commentOf(act: XmlElement, ctx: EntryContext): string | undefined {
  const comments = related(act, 'SUBJ')
    .filter((r) => r.local === 'act' && attr(child(r, 'code'), 'code') === '48767-8')
    .map((r) => entryNarrative(r, ctx))
    .filter((c): c is string => c !== undefined && c !== '' && c !== '(texte libre)');
  return comments.length > 0 ? comments.join(' ; ') : undefined;
}

/** FR-Dispositif-medical (supply of a device: pacemaker, defibrillator, stent, prosthesis…) outside a reimbursement history. */
export function readDevice(supply: XmlElement, ctx: EntryContext): ExtractedEntry {
  const device = path(supply, 'participant', 'participantRole', 'playingDevice');
  const codeEl = child(device, 'code');
  const coded = codedOf(codeEl);
  const name = text(child(device, 'manufacturerModelName')) || undefined;
  const { startDate, endDate } = periodOf(supply);
  const facts = factsOf([
    ['Modèle', name],
    ['Commentaire', commentOf(supply, ctx)],
  ]);
  return {
    kind: 'device',
    label:
      coded?.display ??
      originalTextOf(codeEl, ctx) ??
      name ??
      entryNarrative(supply, ctx) ??
      'Dispositif médical',
    ...optional('code', coded),
    ...optional('facts', facts),
    ...optional('detail', detailOf(facts)),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    ...(isNegated(supply) ? { negated: true } : {}),
    ...optional('anchor', anchorOf(supply)),
    ...optional('author', authorName(supply)),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(supply),
  };
}

/**
 * A procedure that happened (moodCode EVN): surgical history, interventions. Planned procedures (INT,
 * PRP… in care plans) are intents, not history, and are left to the narrative; so is a procedure that
 * names nothing and has no date.
 */
export function readProcedure(procedure: XmlElement, ctx: EntryContext): ExtractedEntry | undefined {
  const mood = attr(procedure, 'moodCode') ?? 'EVN';
  if (mood !== 'EVN') return undefined;
  const codeEl = child(procedure, 'code');
  const { startDate, endDate } = periodOf(procedure);
  // No code, no words, no date (the DLU's placeholder beside its BMR question): nothing happened to list.
  const named = codedOf(codeEl) ?? originalTextOf(codeEl, ctx) ?? entryNarrative(procedure, ctx);
  if (named === undefined && startDate === undefined && endDate === undefined) return undefined;
  const performer = readAssigned(path(procedure, 'performer', 'assignedEntity'));
  const site = labelOfCoded(child(procedure, 'targetSiteCode'), ctx);
  const facts = factsOf([
    ['Site', site],
    ['Réalisé par', performer?.name ?? performer?.organization],
    ['Commentaire', commentOf(procedure, ctx)],
  ]);
  return reconcileWithNarrative(
    {
      kind: 'procedure',
      // The narrative names the act before a bare code does: OBP-SAP codes its appendicectomy « SURG » only.
      label:
        codedOf(codeEl)?.display ??
        originalTextOf(codeEl, ctx) ??
        entryNarrative(procedure, ctx) ??
        codedOf(codeEl)?.code ??
        'Acte',
      ...optional('code', codedOf(codeEl)),
      ...optional('facts', facts),
      ...optional('detail', detailOf(facts)),
      ...optional('startDate', startDate),
      ...optional('endDate', endDate),
      ...(isNegated(procedure) ? { negated: true } : {}),
      ...optional('anchor', anchorOf(procedure)),
      ...optional('author', authorName(procedure)),
      ...optional('sectionCode', ctx.sectionCode),
      templateIds: templateIdsOf(procedure),
    },
    procedure,
    ctx,
  );
}

/**
 * Social history observation (IHE PCC 4.13.4: tobacco, alcohol, drugs, exposures…): a risk factor.
 * A negated one is a stated absence, phrased « Absence de … ».
 */
export function readRiskFactor(obs: XmlElement, ctx: EntryContext): ExtractedEntry {
  const what = labelOfCoded(child(obs, 'code'), ctx) ?? entryNarrative(obs, ctx) ?? 'Facteur de risque';
  const value = child(obs, 'value');
  const valueText = valueTextOf(value, ctx);
  const negated = isNegated(obs);
  const { startDate, endDate } = periodOf(obs);
  const facts = factsOf([['Valeur', valueText]]);
  return {
    kind: 'riskFactor',
    label: negated ? absenceOf(valueText ?? what) : what,
    ...optional('code', codedOf(child(obs, 'code'))),
    ...optional('facts', negated ? undefined : facts),
    ...optional('detail', negated ? undefined : detailOf(facts)),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    ...(negated ? { negated: true } : {}),
    ...optional('anchor', anchorOf(obs)),
    ...optional('author', authorName(obs)),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(obs),
  };
}

/** « Absence de tabagisme », with the article elided before a vowel. */
export function absenceOf(what: string): string {
  const lower = what.charAt(0).toLowerCase() + what.slice(1);
  return /^[aeiouyéèêàâîôûh]/i.test(lower) ? `Absence d’${lower}` : `Absence de ${lower}`;
}

/** The value of an observation in words: coded label, quantity, boolean or text. */
export function valueTextOf(value: XmlElement | undefined, ctx: EntryContext): string | undefined {
  if (!value) return undefined;
  const type = attr(value, 'xsi:type') ?? '';
  if (type.endsWith('BL'))
    return attr(value, 'value') === 'true' ? 'oui' : attr(value, 'value') === 'false' ? 'non' : undefined;
  if (type.endsWith('PQ') || type.endsWith('INT') || type.endsWith('REAL')) {
    const v = attr(value, 'value');
    return v ? quantityLabel(v, attr(value, 'unit')) : undefined;
  }
  return labelOfCoded(value, ctx) ?? (text(value) || undefined);
}
