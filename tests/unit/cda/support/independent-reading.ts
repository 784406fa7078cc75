/**
 * A second, independent reading of a CDA's raw text for the corpus test: regular expressions only,
 * no XML parser and no code shared with src/main/cda. It finds what the summary must honour: the
 * codes the document states as absent, the implanted devices and the laboratory results.
 */
import { labObservationCount } from './independent-counts';

const LAB_OBSERVATION = '1.3.6.1.4.1.19376.1.3.1.6';
const DEVICE = '1.2.250.1.213.1.1.3.20';

/** Comments out, namespace prefixes off (« auto-présentable » documents write `<c:observation>`). */
function withoutComments(raw: string): string {
  return raw.replace(/<!--[\s\S]*?-->/g, '').replace(/<(\/?)[A-Za-z][\w.-]*:(?=[A-Za-z])/g, '<$1');
}

/** Body of each `<tag …>…</tag>` block whose opening tag matches `open` (non-nested tags only). */
function blocks(xml: string, tag: string, open: RegExp = /[^>]*/): string[] {
  const re = new RegExp(
    `<(?:[A-Za-z]+:)?${tag}\\b(${open.source})>([\\s\\S]*?)</(?:[A-Za-z]+:)?${tag}>`,
    'g',
  );
  return [...xml.matchAll(re)].map((m) => `${m[1]}>${m[2]}`);
}

/** The part of an observation before its nested relationships: its own code and value. */
function ownPart(observationBody: string): string {
  return observationBody.split(
    /<(?:[A-Za-z]+:)?entryRelationship\b|<(?:[A-Za-z]+:)?referenceRange\b/,
  )[0] as string;
}

function valueCode(part: string): string | undefined {
  return /<(?:[A-Za-z]+:)?value\b[^>]*?\scode="([^"]+)"/.exec(part)?.[1];
}

/**
 * Codes the document states as absent (observation negationInd="true"), minus any code it also
 * states as present elsewhere (a document may say « pas de X » in one section and « X » in another).
 */
export function negatedCodes(raw: string): Set<string> {
  const xml = withoutComments(raw);
  const negated = new Set<string>();
  const present = new Set<string>();
  const re =
    /<(?:[A-Za-z]+:)?observation\b([^>]*)>([\s\S]*?)(?=<(?:[A-Za-z]+:)?observation\b|<\/(?:[A-Za-z]+:)?observation>)/g;
  for (const m of xml.matchAll(re)) {
    const code = valueCode(ownPart(m[2] as string));
    if (!code) continue;
    if (/negationInd="true"/.test(m[1] as string)) negated.add(code);
    else present.add(code);
  }
  for (const c of present) negated.delete(c);
  return negated;
}

/** FR-Dispositif-medical supplies outside a reimbursement history, with their device code. */
export function deviceCodes(raw: string): string[] {
  const xml = withoutComments(raw);
  if (/<code\s+code="REMB"/.test(xml.slice(0, xml.indexOf('<component')))) return [];
  return blocks(xml, 'supply')
    .filter((b) => b.includes(`root="${DEVICE}"`))
    .map(
      (b) =>
        /<(?:[A-Za-z]+:)?playingDevice\b[\s\S]*?<(?:[A-Za-z]+:)?code\b[^>]*?\scode="([^"]+)"/.exec(b)?.[1] ??
        '',
    )
    .filter((c) => c !== '' && !c.startsWith('no-known'));
}

/** LOINC (or local) codes of the templated laboratory observations that carry a value. */
export function labCodes(raw: string): string[] {
  const xml = withoutComments(raw);
  const codes: string[] = [];
  const re = /<(?:[A-Za-z]+:)?observation\b[^>]*>([\s\S]*?)<\/(?:[A-Za-z]+:)?observation>/g;
  for (const m of xml.matchAll(re)) {
    const body = m[1] as string;
    if (labObservationCount(`<observation>${body}</observation>`) !== 1) continue;
    // The code element itself, or its first coded translation when it only has an originalText.
    const codeBlock = /<code\b[^>]*\/>|<code\b[^>]*>[\s\S]*?<\/code>/.exec(ownPart(body))?.[0] ?? '';
    const code = /\scode="([^"]+)"/.exec(codeBlock)?.[1];
    if (code && body.includes(`root="${LAB_OBSERVATION}"`)) codes.push(code);
  }
  return codes;
}
