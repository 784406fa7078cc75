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
};

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
      add(counts, `${section}|reimbursement:${kind}`, 1);
    } else if (has(T.problemConcern)) add(counts, `${section}|problem`, occurrences(token, T.problem));
    else if (has(T.allergyConcern)) add(counts, `${section}|allergy`, occurrences(token, T.allergy));
    else if (has(T.allergy)) add(counts, `${section}|allergy`, 1);
    else if (has(T.immunization)) add(counts, `${section}|immunization`, 1);
    else if (has(T.medication)) add(counts, `${section}|medication`, 1);
    else if (has(T.advanceDirective)) add(counts, `${section}|advanceDirective`, 1);
  }
  return counts;
}
