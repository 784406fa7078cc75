import { codedOf } from '../hl7/datatypes';
import type { ExtractedEntry } from '../types';
import { attr, child, templateIdsOf, text } from '../xml/tree';
import type { XmlElement } from '../xml/tree';
import type { EntryContext } from './context';
import { entryNarrative, labelOfCoded, optional } from './context';
import { authorName, periodOf, related, statusOf } from './common';

/** Advance directive observation: which directive, and the patient's answer when coded as a boolean. */
export function readAdvanceDirective(obs: XmlElement, ctx: EntryContext): ExtractedEntry {
  const value = child(obs, 'value');
  const answer = attr(value, 'value');
  const attachment = attachedMediaType(obs);
  const detail =
    answer === 'true'
      ? 'oui'
      : answer === 'false'
        ? 'non'
        : attachment
          ? `document joint (${attachment})`
          : (labelOfCoded(value, ctx) ??
            (isEncapsulated(value) ? undefined : text(value) || undefined) ??
            entryNarrative(obs, ctx));
  const { startDate, endDate } = periodOf(obs);
  return {
    kind: 'advanceDirective',
    label: labelOfCoded(child(obs, 'code'), ctx) ?? entryNarrative(obs, ctx) ?? 'Directive anticipée',
    ...optional('code', codedOf(child(obs, 'code'))),
    ...optional('detail', detail),
    ...optional('startDate', startDate),
    ...optional('endDate', endDate),
    // `completed` is the statusCode the template fixes: shown, it read « Terminé » beside a directive in force.
    ...optional('status', statusOf(obs) === 'completed' ? undefined : statusOf(obs)),
    ...optional('author', authorName(obs)),
    ...optional('sectionCode', ctx.sectionCode),
    templateIds: templateIdsOf(obs),
  };
}

/** The scanned directive travels as an observationMedia (base64): name its type, never dump its content. */
function attachedMediaType(obs: XmlElement): string | undefined {
  const media = related(obs, 'COMP').find((r) => r.local === 'observationMedia');
  if (!media) return undefined;
  return attr(child(media, 'value'), 'mediaType') ?? 'fichier';
}

function isEncapsulated(value: XmlElement | undefined): boolean {
  return attr(value, 'representation') === 'B64';
}
