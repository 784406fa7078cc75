import { describe, expect, it } from 'vitest';
import { CdaError } from '../../../src/main/cda/errors';
import { parseCda } from '../../../src/main/cda/import';
import { defaultXmlLimits } from '../../../src/main/cda/xml/limits';
import { createLogger } from '../../../src/main/log/logger';
import { minimalCda, readLocal, readShared, structuredBody, TEST_INS } from './support/fixtures';

/** Runs the parser and returns the CdaError it must throw (fails the test on success or on any other error). */
function cdaErrorOf(input: Uint8Array | string, limits = defaultXmlLimits): CdaError {
  try {
    parseCda(input, { limits });
  } catch (err) {
    expect(err).toBeInstanceOf(CdaError);
    return err as CdaError;
  }
  throw new Error('expected parseCda to throw');
}

function expectSafeError(err: CdaError): void {
  expect(err.userMessage).toMatch(/^Document CDA illisible : /);
  // Neither the message shown nor the log detail may carry patient data.
  for (const leak of [TEST_INS, 'PAT-TROIS', 'DOMINIQUE', 'TESTNOM', 'NESSI']) {
    expect(err.userMessage).not.toContain(leak);
    expect(err.detail).not.toContain(leak);
  }
}

describe('hostile and malformed inputs', () => {
  it('refuses a DOCTYPE with an external entity (XXE) before reading anything', () => {
    const err = cdaErrorOf(readLocal('doctype-xxe.xml'));
    expect(err.code).toBe('doctype');
    expect(err.userMessage).toContain('DOCTYPE');
    expect(err.detail).toMatch(/line \d+, column \d+/);
    expectSafeError(err);
  });

  it('refuses the billion laughs entity bomb', () => {
    const err = cdaErrorOf(readLocal('billion-laughs.xml'));
    expect(err.code).toBe('doctype');
  });

  it('refuses an undeclared entity reference instead of leaving it as text', () => {
    const err = cdaErrorOf(readLocal('undeclared-entity.xml'));
    expect(err.code).toBe('malformed');
    expect(err.detail).not.toContain('xxe');
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    const depth = 50_000;
    const err = cdaErrorOf(
      `<ClinicalDocument xmlns="urn:hl7-org:v3">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</ClinicalDocument>`,
    );
    expect(err.code).toBe('limit');
    expect(err.userMessage).toContain('profondeur');
    expect(err.detail).toContain(`depth above ${defaultXmlLimits.maxDepth}`);
  });

  it('refuses a huge attribute value and too many attributes', () => {
    const huge = cdaErrorOf(
      `<ClinicalDocument xmlns="urn:hl7-org:v3"><title x="${'A'.repeat(defaultXmlLimits.maxAttributeLength + 1)}"/></ClinicalDocument>`,
    );
    expect(huge.code).toBe('limit');
    expect(huge.detail).toContain('attribute value');
    const attrs = Array.from({ length: defaultXmlLimits.maxAttributes + 1 }, (_, i) => `a${i}="1"`).join(' ');
    const many = cdaErrorOf(`<ClinicalDocument xmlns="urn:hl7-org:v3"><title ${attrs}/></ClinicalDocument>`);
    expect(many.code).toBe('limit');
  });

  it('refuses a flood of elements beyond the element limit', () => {
    const limits = { ...defaultXmlLimits, maxElements: 1000 };
    const err = cdaErrorOf(
      `<ClinicalDocument xmlns="urn:hl7-org:v3">${'<a/>'.repeat(1001)}</ClinicalDocument>`,
      limits,
    );
    expect(err.code).toBe('limit');
    expect(err.detail).toContain('more than 1000 elements');
  });

  it('refuses input above the size limit before parsing', () => {
    const limits = { ...defaultXmlLimits, maxBytes: 1000 };
    const err = cdaErrorOf(readShared('VSM_1.4_2022.01.xml'), limits);
    expect(err.code).toBe('too-large');
  });

  it('refuses a text node above the text limit', () => {
    const limits = { ...defaultXmlLimits, maxTextLength: 100 };
    const err = cdaErrorOf(
      `<ClinicalDocument xmlns="urn:hl7-org:v3"><title>${'x'.repeat(101)}</title></ClinicalDocument>`,
      limits,
    );
    expect(err.code).toBe('limit');
  });

  it('reports a truncated real document as malformed, with a position and without patient data', () => {
    const full = readShared('VSM_1.4_2022.01.xml');
    const err = cdaErrorOf(full.subarray(0, Math.floor(full.length / 2)));
    expect(err.code).toBe('malformed');
    expectSafeError(err);
  });

  it('refuses binary garbage and plain text', () => {
    expect(cdaErrorOf(readLocal('not-xml.bin')).code).toMatch(/malformed|encoding/);
    expect(cdaErrorOf('bonjour, ceci est du texte').code).toBe('malformed');
    expect(cdaErrorOf(new Uint8Array([0xc3, 0x28, 0x3c])).code).toBe('encoding');
    expect(cdaErrorOf('').code).toBe('malformed');
  });

  it('refuses well-formed XML that is not a CDA', () => {
    const err = cdaErrorOf('<html><body>hello</body></html>');
    expect(err.code).toBe('not-cda');
  });

  it('refuses a CDA without a patient INS, with a clear message', () => {
    const xml = minimalCda({
      patientIds: '<id root="1.2.3.4.567.8.9.10" extension="1234567890121"/>',
      body: structuredBody('<section><title>t</title></section>'),
    });
    const err = cdaErrorOf(xml);
    expect(err.code).toBe('missing-ins');
    expect(err.userMessage).toContain('INS du patient absent');
    expectSafeError(err);
  });

  it('refuses an unstructured CDA whose base64 is invalid', () => {
    const err = cdaErrorOf(
      minimalCda({
        body: '<nonXMLBody><text mediaType="application/pdf" representation="B64">JVBERi0x!!notbase64</text></nonXMLBody>',
      }),
    );
    expect(err.code).toBe('bad-body');
    expect(err.userMessage).toContain('base64');
  });

  it('refuses a payload announced as PDF that is not one', () => {
    const notPdf = Buffer.from('<html>not a pdf</html>').toString('base64');
    const err = cdaErrorOf(
      minimalCda({
        body: `<nonXMLBody><text mediaType="application/pdf" representation="B64">${notPdf}</text></nonXMLBody>`,
      }),
    );
    expect(err.code).toBe('bad-body');
    expect(err.userMessage).toContain('PDF');
  });

  it('refuses a nonXMLBody that points to an external file', () => {
    const err = cdaErrorOf(
      minimalCda({
        body: '<nonXMLBody><text mediaType="application/pdf"><reference value="http://example.org/x.pdf"/></text></nonXMLBody>',
      }),
    );
    expect(err.code).toBe('bad-body');
  });

  it('accepts a valid base64 PDF split over lines', () => {
    const b64 = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
    const doc = parseCda(
      minimalCda({
        body: `<nonXMLBody><text mediaType="application/pdf" representation="B64">\n${b64.slice(0, 8)}\n${b64.slice(8)}\n</text></nonXMLBody>`,
      }),
    );
    expect(doc.body.kind).toBe('unstructured');
    if (doc.body.kind === 'unstructured')
      expect(Buffer.from(doc.body.content).toString('latin1')).toBe('%PDF-1.4\n%%EOF\n');
  });
});

describe('minimal document header', () => {
  it('reads ids, version, dates and the INS', () => {
    const doc = parseCda(
      minimalCda({
        body: structuredBody('<section><code code="x"/><title>t</title><text>ok</text></section>'),
      }),
    );
    expect(doc.header).toMatchObject({
      documentId: '1.2.3.4.5^DOC-1',
      setId: '1.2.3.4.5^SET-1',
      versionNumber: 2,
      title: 'Note de test',
      effectiveTime: '2024-01-15T10:30:00+01:00',
      confidentiality: 'N',
      patient: { birthName: 'TESTNOM', firstNames: 'PRENOM', sex: 'M', birthDate: '1980-01-01' },
      author: { name: 'Jean AUTEUR', nationalId: '810000000001', time: '2024-01-15' },
    });
    expect(doc.header.patient.usedName).toBeUndefined();
  });

  it('decodes an ISO-8859-1 document as declared', () => {
    const xml = minimalCda({ body: structuredBody('<section><title>Fièvre</title></section>') }).replace(
      'encoding="UTF-8"',
      'encoding="ISO-8859-1"',
    );
    const doc = parseCda(new Uint8Array(Buffer.from(xml, 'latin1')));
    expect(doc.body.kind === 'structured' && doc.body.sections[0]?.title).toBe('Fièvre');
  });
});

describe('logging', () => {
  it('logs the refusal code and position, never the patient identity', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
    const full = readShared('VSM_1.4_2022.01.xml');
    expect(() => parseCda(full.subarray(0, 20_000), { logger })).toThrow(CdaError);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ lvl: 'warn', msg: 'cda refused', code: 'malformed' });
    expect(String(line['detail'])).toMatch(/line \d+, column \d+/);
    for (const leak of [TEST_INS, 'PAT-TROIS', 'DOMINIQUE']) expect(lines[0]).not.toContain(leak);
  });

  it('logs counts on success, without names or ids', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
    parseCda(readShared('VSM_1.4_2022.01.xml'), { logger });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      msg: 'cda imported',
      type: 'SYNTH',
      body: 'structured',
    });
    for (const leak of [TEST_INS, 'PAT-TROIS', 'MEDIONI']) expect(lines[0]).not.toContain(leak);
  });
});
