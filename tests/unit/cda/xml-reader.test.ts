import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdaError } from '../../../src/main/cda/errors';
import { decodeXmlBytes } from '../../../src/main/cda/xml/decode';
import { defaultXmlLimits } from '../../../src/main/cda/xml/limits';
import { readXmlTree } from '../../../src/main/cda/xml/reader';
import type { XmlElement } from '../../../src/main/cda/xml/tree';
import { sharedCdaFixturesDir, sharedCorpusDir } from '../../support/shared-fixtures';
import { saxesTree } from './support/saxes-reference';

interface PlainElement {
  name: string;
  local: string;
  ns: string;
  attrs: Record<string, string>;
  line: number;
  nodes: (PlainElement | string)[];
}

const plain = (el: XmlElement): PlainElement => ({
  name: el.name,
  local: el.local,
  ns: el.ns,
  attrs: { ...el.attrs },
  line: el.line,
  nodes: el.nodes.map((n) => (typeof n === 'string' ? n : plain(n))),
});

type Outcome = { tree: PlainElement } | { refused: true };

function readerOutcome(source: string): Outcome {
  try {
    return { tree: plain(readXmlTree(source, defaultXmlLimits)) };
  } catch (err) {
    if (!(err instanceof CdaError)) throw err;
    return { refused: true };
  }
}

function saxesOutcome(source: string): Outcome {
  try {
    return { tree: plain(saxesTree(source)) };
  } catch {
    return { refused: true };
  }
}

const corpusDirs = [sharedCdaFixturesDir(), sharedCorpusDir()];
const documents = corpusDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => ({ name: f, path: join(dir, f) })),
);

describe('the XML reader reads every corpus document as saxes does', () => {
  it('has the 93 documents to compare', () => {
    expect(documents.length).toBe(93);
  });

  it.each(documents)('$name', ({ path }) => {
    const text = decodeXmlBytes(readFileSync(path)).text;
    const expected = saxesOutcome(text);
    expect('tree' in expected).toBe(true);
    expect(readerOutcome(text)).toEqual(expected);
  });
});

/** A small document with every construct the reader handles, to mutate. */
const seed = `<?xml version="1.0" encoding="UTF-8"?>
<!-- émis par un logiciel -->
<?xml-stylesheet type="text/xsl" href="cda.xsl"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">
  <templateId root="1.2.250.1.213.1.1.1.1" extension='a&amp;b'/>
  <title>Compte rendu &lt;urgent&gt; &#233;t&#xE9;</title>
  <sdtc:raceCode code="x" xml:lang="fr"/>
  <value xsi:type="PQ" value="1.5" unit="mg/dL"/>
  <text ID="t1">un\r\ndeux\t<content styleCode="Bold">trois</content><br/><![CDATA[a < b && c]]>fin<!-- note --><?pi data?></text>
  <x:ext xmlns:x="urn:other" x:attr="v" plain="p
 suite"><inner xmlns="">sans espace</inner></x:ext>
</ClinicalDocument>
`;

const fragments = [
  '<',
  '>',
  '/',
  '&',
  ';',
  '"',
  "'",
  '=',
  '!',
  '?',
  '-',
  ':',
  '[',
  ']',
  ' ',
  '\n',
  '\r',
  '\t',
  'a',
  'é',
  '&amp;',
  '&lt;',
  '&#13;',
  '&#0;',
  '&#x10FFFF;',
  '&#xD800;',
  '&nbsp;',
  '&#;',
  ']]>',
  '<![CDATA[x]]>',
  '<!--',
  '-->',
  '<!-- - -->',
  '<?pi?>',
  '<?xml x?>',
  '<a>',
  '</a>',
  '<a/>',
  '<p:a/>',
  'xmlns:p="urn:p"',
  'xmlns=""',
  'xmlns:p=""',
  'xmlns:xml="urn:x"',
  ' b="1"',
  ' b=1',
  ' xsi:type="CD"',
  '<!DOCTYPE x>',
  '\u0001',
  '\uFFFE',
  '\uD83D\uDE00',
];

const mutation = fc.oneof(
  fc.record({ at: fc.nat(), insert: fc.constantFrom(...fragments) }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 12 }) }),
);

function mutate(
  source: string,
  edits: readonly ({ at: number; insert: string } | { at: number; remove: number })[],
): string {
  let s = source;
  for (const edit of edits) {
    const at = edit.at % (s.length + 1);
    s =
      'insert' in edit
        ? s.slice(0, at) + edit.insert + s.slice(at)
        : s.slice(0, at) + s.slice(at + edit.remove);
  }
  return s;
}

/** What saxes accepts but a DOCTYPE-free importer must refuse: the reader refuses every DOCTYPE. */
const hasDoctype = (s: string): boolean => s.includes('<!DOCTYPE');

describe('the XML reader decides as saxes does on damaged documents', () => {
  it('reads the seed as saxes does', () => {
    expect(readerOutcome(seed)).toEqual(saxesOutcome(seed));
    expect('tree' in readerOutcome(seed)).toBe(true);
  });

  it('accepts and refuses the same mutations of the seed, with the same tree when accepted', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => {
        const source = mutate(seed, edits);
        fc.pre(!hasDoctype(source));
        expect(readerOutcome(source)).toEqual(saxesOutcome(source));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts and refuses the same mutations of a real document, with the same tree when accepted', () => {
    const real = decodeXmlBytes(readFileSync(join(sharedCorpusDir(), 'CARD-F-PRC-PSC_2022.01.xml'))).text;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
        const source = mutate(real, edits);
        fc.pre(!hasDoctype(source));
        expect(readerOutcome(source)).toEqual(saxesOutcome(source));
      }),
      { numRuns: Number(process.env.READER_RUNS ?? 150) },
    );
  }, 120_000);
});

describe('what the XML reader refuses and keeps', () => {
  const wrap = (inner: string): string => `<r xmlns="urn:hl7-org:v3">${inner}</r>`;
  const refusalOf = (source: string): CdaError => {
    try {
      readXmlTree(source, defaultXmlLimits);
    } catch (err) {
      expect(err).toBeInstanceOf(CdaError);
      return err as CdaError;
    }
    throw new Error('expected the reader to refuse');
  };

  it.each([
    ['an end tag that does not match', wrap('<a></b>')],
    ['an element left open', '<r><a></r>'],
    ['two root elements', '<r/><r/>'],
    ['text after the root element', '<r/>texte'],
    ["']]>' in text", wrap('a ]]> b')],
    ["'--' in a comment", wrap('<!-- a -- b -->')],
    ['an entity no DTD declares', wrap('&eacute;')],
    ['a reference without its semicolon', wrap('&amp')],
    ['a reference to NUL', wrap('&#0;')],
    ['a reference to a lone surrogate', wrap('&#xD800;')],
    ['a reference beyond Unicode', wrap('&#x110000;')],
    ['a control character', wrap('a\u0001b')],
    ['U+FFFE', wrap('a\uFFFEb')],
    ['an unbound element prefix', wrap('<p:a/>')],
    ['an unbound attribute prefix', wrap('<a p:b="1"/>')],
    ['the same attribute twice', wrap('<a b="1" b="2"/>')],
    ['the same expanded attribute twice', wrap('<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>')],
    ["'<' in an attribute value", wrap('<a b="x<y"/>')],
    ['an unquoted attribute value', wrap('<a b=1/>')],
    ['attributes without a space between them', wrap('<a b="1"c="2"/>')],
    ['a prefix undeclared', wrap('<a xmlns:p=""/>')],
    ['the xml prefix rebound', wrap('<a xmlns:xml="urn:x"/>')],
    ['the xmlns prefix declared', wrap('<a xmlns:xmlns="urn:x"/>')],
    ["a processing instruction named 'xml' after the start", ' <?xml version="1.0"?><r/>'],
    ['CDATA outside the root element', '<![CDATA[x]]><r/>'],
    ['a name that is not a namespace QName', wrap('<a:b:c xmlns:a="urn:a"/>')],
    ['a declaration with an unknown version syntax', '<?xml version="2"?><r/>'],
  ])('refuses %s, as saxes does', (_what, source) => {
    const err = refusalOf(source);
    expect(err.code).toBe('malformed');
    expect(err.detail).toMatch(/^reader error at line \d+, column \d+: /);
    expect(saxesOutcome(source)).toEqual({ refused: true });
  });

  it('places an attribute error on the line of that attribute', () => {
    const err = refusalOf('<r>\n<a b="1"\n   b="2"/></r>');
    expect(err.detail).toMatch(/^reader error at line 3, column 4: duplicate attribute$/);
  });

  it('refuses a DOCTYPE, which saxes would read', () => {
    const source = '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>';
    expect(refusalOf(source).code).toBe('doctype');
  });

  it('reads what XML defines: line ends, attribute spaces, references, CDATA, comments, namespaces', () => {
    const source =
      '<?xml version="1.0"?>\r\n<r xmlns="urn:hl7-org:v3" xmlns:x="urn:x">a\r\nb&#13;<![CDATA[<c>]]><!-- n -->d<?pi?>' +
      '<e v="1\t2\n3&#10;4" xml:lang="fr" x:k="&lt;"/><f xmlns=""/></r>';
    const root = readXmlTree(source, defaultXmlLimits);
    expect(root.nodes[0]).toBe('a\nb\r<c>d');
    const [e, f] = root.children;
    expect(e?.attrs).toEqual({
      v: '1 2 3\n4',
      '{http://www.w3.org/XML/1998/namespace}lang': 'fr',
      '{urn:x}k': '<',
    });
    expect(e?.ns).toBe('urn:hl7-org:v3');
    expect(f?.ns).toBe('');
    // The line where the start tag ends, as saxes counted it.
    expect(e?.line).toBe(4);
    expect(readerOutcome(source)).toEqual(saxesOutcome(source));
  });
});
