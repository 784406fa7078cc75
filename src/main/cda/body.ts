import { CdaError } from './errors';
import { looksLikeCompletePdf, looksLikePdf } from './pdf';
import { codedOf } from './hl7/datatypes';
import { narrativeIdIndex, narrativeRows, narrativeToHtml } from './narrative';
import type { NarrativeRow } from './narrative';
import { extractSectionEntries } from './entries/extract';
import type { CdaBody, CdaSection, ExtractedEntry } from './types';
import { attr, child, children, findDescendants, templateIdsOf, text } from './xml/tree';
import type { XmlElement } from './xml/tree';

export interface BodyReading {
  body: CdaBody;
  entries: ExtractedEntry[];
  warnings: string[];
}

export function readBody(doc: XmlElement, reimbursementDocument: boolean): BodyReading {
  const component = child(doc, 'component');
  const structured = child(component, 'structuredBody');
  if (structured) return readStructured(structured, reimbursementDocument);
  const nonXml = child(component, 'nonXMLBody');
  if (nonXml) return { body: readNonXmlBody(nonXml), entries: [], warnings: [] };
  throw new CdaError(
    'not-cda',
    'corps du document absent.',
    'ClinicalDocument/component has neither structuredBody nor nonXMLBody',
  );
}

function readStructured(structured: XmlElement, reimbursementDocument: boolean): BodyReading {
  const sectionElements = findDescendants(structured, (e) => e.local === 'section');
  const idIndex = narrativeIdIndex(sectionElements);
  const sections: CdaSection[] = [];
  const entries: ExtractedEntry[] = [];
  const warnings: string[] = [];
  // Iterative walk: nesting is bounded by the XML depth limit, but a stack avoids recursion entirely.
  const stack: { section: XmlElement; depth: number }[] = children(structured, 'component')
    .map((c) => child(c, 'section'))
    .filter((s): s is XmlElement => s !== undefined)
    .map((section) => ({ section, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const { section, depth } = stack.pop() as { section: XmlElement; depth: number };
    const code = codedOf(child(section, 'code'));
    const title = text(child(section, 'title')) || undefined;
    const sectionEntries = children(section, 'entry');
    sections.push({
      ...(code ? { code } : {}),
      ...(title ? { title } : {}),
      templateIds: templateIdsOf(section),
      narrativeHtml: narrativeToHtml(child(section, 'text')),
      entryCount: sectionEntries.length,
      depth,
    });
    const extraction = extractSectionEntries(
      sectionEntries,
      { idIndex, rows: lazyRows(child(section, 'text')), ...(code ? { sectionCode: code.code } : {}) },
      reimbursementDocument,
    );
    entries.push(...extraction.entries);
    if (extraction.unknownTemplates.length > 0) {
      const ids = [...new Set(extraction.unknownTemplates)].join(', ');
      warnings.push(
        `Section « ${title ?? code?.code ?? 'sans titre'} » : ${extraction.unknownTemplates.length} entrée(s) non reconnue(s) (modèle ${ids}), conservée(s) sous forme narrative.`,
      );
    }
    const subsections = children(section, 'component')
      .map((c) => child(c, 'section'))
      .filter((s): s is XmlElement => s !== undefined);
    for (let i = subsections.length - 1; i >= 0; i--)
      stack.push({ section: subsections[i] as XmlElement, depth: depth + 1 });
  }
  return { body: { kind: 'structured', sections }, entries, warnings };
}

function lazyRows(textBlock: XmlElement | undefined): () => ReadonlyMap<string, NarrativeRow> {
  let rows: ReadonlyMap<string, NarrativeRow> | undefined;
  return () => (rows ??= narrativeRows(textBlock));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** nonXMLBody: the embedded file, base64-checked, and for a PDF its `%PDF-` header and `%%EOF` trailer. */
export function readNonXmlBody(nonXml: XmlElement): CdaBody {
  const textEl = child(nonXml, 'text');
  if (!textEl)
    throw new CdaError('bad-body', 'contenu du document non structuré absent.', 'nonXMLBody/text missing');
  if (child(textEl, 'reference')) {
    throw new CdaError(
      'bad-body',
      'le contenu référence un fichier externe, non pris en charge.',
      'nonXMLBody/text/reference is not supported',
    );
  }
  const mediaType = (attr(textEl, 'mediaType') ?? 'text/plain').toLowerCase();
  const representation = attr(textEl, 'representation') ?? 'TXT';
  const raw = textEl.nodes.filter((n): n is string => typeof n === 'string').join('');
  let content: Uint8Array;
  if (representation === 'B64') {
    const compact = raw.replace(/\s+/g, '');
    if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw new CdaError(
        'bad-body',
        'le contenu encodé en base64 est invalide.',
        `invalid base64 payload of ${compact.length} chars`,
      );
    }
    content = new Uint8Array(Buffer.from(compact, 'base64'));
  } else if (representation === 'TXT') {
    content = new TextEncoder().encode(raw);
  } else {
    throw new CdaError(
      'bad-body',
      `représentation « ${representation.slice(0, 10)} » non prise en charge.`,
      'unsupported nonXMLBody representation',
    );
  }
  if (mediaType === 'application/pdf' && !looksLikePdf(content)) {
    throw new CdaError(
      'bad-body',
      "le contenu annoncé comme PDF n'en est pas un.",
      'application/pdf payload without %PDF signature',
    );
  }
  if (mediaType === 'application/pdf' && !looksLikeCompletePdf(content)) {
    throw new CdaError(
      'bad-body',
      'le PDF joint est incomplet (fichier tronqué) : il ne pourrait pas être ouvert.',
      'application/pdf payload without %%EOF trailer',
    );
  }
  return { kind: 'unstructured', mediaType, content };
}
