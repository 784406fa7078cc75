/**
 * Counts what the importer should extract, computed straight from the raw XML text with regular
 * expressions (no XML parser, no code shared with src/main/cda), section by section.
 */

const T = {
  problemConcern: '1.3.6.1.4.1.19376.1.5.3.1.4.5.2',
  problem: '1.3.6.1.4.1.19376.1.5.3.1.4.5',
  allergyConcern: '1.3.6.1.4.1.19376.1.5.3.1.4.5.3',
  allergy: '1.3.6.1.4.1.19376.1.5.3.1.4.6',
  medication: '1.3.6.1.4.1.19376.1.5.3.1.4.7',
  immunization: '1.3.6.1.4.1.19376.1.5.3.1.4.12',
  advanceDirective: '1.3.6.1.4.1.19376.1.5.3.1.4.13.7',
  device: '1.2.250.1.213.1.1.3.20',
  procedure: '1.3.6.1.4.1.19376.1.5.3.1.4.19',
  socialHistory: '1.3.6.1.4.1.19376.1.5.3.1.4.13.4',
  labObservation: '1.3.6.1.4.1.19376.1.3.1.6',
};

/**
 * A procedure with a null-flavoured code, no narrative reference (`#…`) and no
 * effectiveTime names nothing and dates nothing: a placeholder, not an act.
 */
function namesNothing(entryBlock: string): boolean {
  const own = entryBlock.split(/<(?:[A-Za-z]+:)?entryRelationship\b/)[0] as string;
  return (
    /<(?:[A-Za-z]+:)?code\s+nullFlavor="[A-Z]+"\s*\/>/.test(own) &&
    !/<(?:[A-Za-z]+:)?reference\s+value="#/.test(own) &&
    !/<(?:[A-Za-z]+:)?effectiveTime\b/.test(own)
  );
}

/**
 * A « nothing known » statement, read from the entry's own top-level text: an HL7 IPS absent/unknown
 * code (no-known-…), a code whose name is « Aucun », or a product with neither code nor name.
 */
function isNoneKnown(entryBlock: string): boolean {
  if (
    /code="no-known-[a-z-]+"/.test(entryBlock) ||
    /codeSystem="2\.16\.840\.1\.113883\.5\.1150\.1"/.test(entryBlock)
  )
    return true;
  if (/<code\b[^>]*displayName="Aucun"/.test(entryBlock)) return true;
  return /<manufacturedMaterial>\s*<code nullFlavor="NA"\s*\/>\s*<name nullFlavor="NA"\s*\/>/.test(
    entryBlock,
  );
}

/** Laboratory observations (IHE PaLM template) with a value that is not null-flavoured, anywhere in the entry. */
export function labObservationCount(entryBlock: string): number {
  let n = 0;
  for (const m of entryBlock.matchAll(/<observation\b[^>]*>([\s\S]*?)<\/observation>/g)) {
    const own = (m[1] as string).split(/<entryRelationship|<referenceRange/)[0] as string;
    if (own.includes(`root="${T.labObservation}"`) && hasValue(own)) n++;
  }
  return n;
}

/** A `value` that says something: an attribute value or code, or content (originalText, low/high, text). */
function hasValue(own: string): boolean {
  const m = /<value\b([^>]*?)(\/?)>/.exec(own);
  if (!m || /nullFlavor=/.test(m[1] as string)) return false;
  if (/\s(value|code)="[^"]+"/.test(m[1] as string)) return true;
  return m[2] !== '/';
}

export type CountKey = string; // `${sectionCode}|${kind}` or `${sectionCode}|reimbursement:${kind}`

function occurrences(haystack: string, root: string): number {
  return haystack.split(`root="${root}"`).length - 1;
}

interface TopStatement {
  tag: string;
  templates: string[];
}

function topStatement(entryBlock: string): TopStatement {
  const m = /^<entry\b[^>]*>\s*<([A-Za-z]+)\b[^>]*>((?:\s*<templateId\b[^>]*\/>)*)/.exec(entryBlock);
  const tag = m?.[1] ?? '';
  const templates = [...(m?.[2] ?? '').matchAll(/root="([^"]+)"/g)].map((x) => x[1] as string);
  return { tag, templates };
}

function add(map: Map<CountKey, number>, key: CountKey, n: number): void {
  if (n > 0) map.set(key, (map.get(key) ?? 0) + n);
}

export function independentCounts(rawXml: string): Map<CountKey, number> {
  const xml = rawXml.replace(/<!--[\s\S]*?-->/g, '');
  const reimbursementDoc = /<code\s+code="REMB"/.test(xml.slice(0, xml.indexOf('<component')));
  const counts = new Map<CountKey, number>();

  // Header contacts: everything before the body.
  const bodyStart = xml.search(/<(structuredBody|nonXMLBody)\b/);
  const header = xml.slice(0, bodyStart);
  const headerContacts =
    (header.match(/<guardian>/g) ?? []).length +
    (header.match(/<informant>/g) ?? []).length +
    (header.match(/<participant\b[\s\S]*?<\/participant>/g) ?? []).filter((p) =>
      p.includes('<associatedEntity'),
    ).length;
  add(counts, '|contact', headerContacts);

  // Walk sections with a stack of section codes; entries are never nested in other entries.
  const tokens = /<section\b[^>]*>|<\/section>|<entry\b[^>]*>[\s\S]*?<\/entry>/g;
  const stack: string[] = [];
  for (const match of xml.slice(bodyStart).matchAll(tokens)) {
    const token = match[0];
    if (token.startsWith('</section')) {
      stack.pop();
      continue;
    }
    if (token.startsWith('<section')) {
      const after = xml.slice(bodyStart + (match.index ?? 0));
      const code = /<code\s[^>]*?code="([^"]+)"/.exec(after)?.[1] ?? '';
      stack.push(code);
      continue;
    }
    const section = stack[stack.length - 1] ?? '';
    const top = topStatement(token);
    const has = (id: string): boolean => top.templates.includes(id);
    const none = isNoneKnown(token);
    if (reimbursementDoc) {
      const kind = has(T.immunization)
        ? 'vaccine'
        : has(T.medication)
          ? 'medicine'
          : has(T.device)
            ? 'device'
            : top.tag === 'encounter'
              ? 'stay'
              : top.tag === 'procedure'
                ? 'act'
                : 'other';
      add(counts, none ? `${section}|noneKnown` : `${section}|reimbursement:${kind}`, 1);
      continue;
    }
    if (has(T.problemConcern)) add(counts, `${section}|problem`, occurrences(token, T.problem));
    else if (has(T.allergyConcern)) add(counts, `${section}|allergy`, occurrences(token, T.allergy));
    else if (has(T.allergy)) add(counts, `${section}|${none ? 'noneKnown' : 'allergy'}`, 1);
    else if (has(T.immunization)) add(counts, `${section}|${none ? 'noneKnown' : 'immunization'}`, 1);
    else if (has(T.medication)) add(counts, `${section}|${none ? 'noneKnown' : 'medication'}`, 1);
    else if (has(T.advanceDirective)) add(counts, `${section}|advanceDirective`, 1);
    else if (has(T.device) && top.tag === 'supply')
      add(counts, `${section}|${none ? 'noneKnown' : 'device'}`, 1);
    else if (has(T.procedure)) {
      const mood = /^<entry\b[^>]*>\s*<procedure\b[^>]*moodCode="([A-Z]+)"/.exec(token)?.[1] ?? 'EVN';
      if (none) add(counts, `${section}|noneKnown`, 1);
      else if (mood === 'EVN' && !namesNothing(token)) add(counts, `${section}|procedure`, 1);
    } else if (has(T.socialHistory)) add(counts, `${section}|riskFactor`, 1);
    add(counts, `${section}|labResult`, labObservationCount(token));
  }
  return counts;
}
