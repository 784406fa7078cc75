import type { Logger } from '../log/logger';
import { readBody } from './body';
import { CdaError } from './errors';
import { readHeaderContacts } from './entries/contacts';
import { REIMBURSEMENT_DOCUMENT_CODE, REIMBURSEMENT_DOCUMENT_TEMPLATE } from './entries/templates';
import { readHeader } from './header';
import type { CdaDocument } from './types';
import { parseXml } from './xml/parse';
import type { XmlLimits } from './xml/limits';
import { findDescendants, HL7_NS } from './xml/tree';
import type { XmlElement } from './xml/tree';

export interface ParseCdaOptions {
  limits?: XmlLimits;
  /** Structured entries kept per document (default {@link maxEntriesPerDocument}); the rest stays in the narrative. */
  maxEntries?: number;
  /** Receives one line per import: counts on success, error code and position on refusal. Never patient data. */
  logger?: Logger;
}

/**
 * Reads a CDA R2 document (bytes or text) into header, body and structured entries.
 * Throws `CdaError` (French `userMessage`, log-safe `detail`) on anything it cannot read safely.
 */
export function parseCda(input: Uint8Array | string, options: ParseCdaOptions = {}): CdaDocument {
  const { logger } = options;
  try {
    const doc = readDocument(input, options.limits, options.maxEntries ?? maxEntriesPerDocument);
    logger?.info('cda imported', {
      type: doc.header.type.code,
      body: doc.body.kind,
      sections: doc.body.kind === 'structured' ? doc.body.sections.length : 0,
      entries: doc.entries.length,
      warnings: doc.warnings.length,
    });
    return doc;
  } catch (err) {
    if (err instanceof CdaError) logger?.warn('cda refused', { code: err.code, detail: err.detail });
    else
      logger?.error('cda import failed unexpectedly', { error: err instanceof Error ? err.name : 'unknown' });
    throw err;
  }
}

/**
 * The largest official example holds a few hundred entries; beyond this a document is a flood (or an
 * export gone wrong) that would bury the summary. The first entries are kept, the user is told, and
 * the whole document stays readable.
 */
export const maxEntriesPerDocument = 2000;

const XSLT_NS = 'http://www.w3.org/1999/XSL/Transform';

function readDocument(
  input: Uint8Array | string,
  limits: XmlLimits | undefined,
  maxEntries: number,
): CdaDocument {
  const { root: parsedRoot, notes } = parseXml(input, limits);
  const root = clinicalDocumentOf(parsedRoot);
  const header = readHeader(root);
  const reimbursementDocument =
    header.type.code === REIMBURSEMENT_DOCUMENT_CODE ||
    header.templateIds.includes(REIMBURSEMENT_DOCUMENT_TEMPLATE);
  const { body, entries: bodyEntries, warnings } = readBody(root, reimbursementDocument);
  const all = [...readHeaderContacts(root), ...bodyEntries];
  const entries = all.length > maxEntries ? all.slice(0, maxEntries) : all;
  if (all.length > maxEntries) {
    warnings.push(
      `Le document contient ${all.length.toLocaleString('fr-FR')} entrées structurées : seules les ${maxEntries.toLocaleString('fr-FR')} premières sont reprises dans la synthèse ; le document complet reste consultable.`,
    );
  }
  return { header, body, entries, warnings: [...notes, ...warnings] };
}

/**
 * The ClinicalDocument itself, or the one a CI-SIS « auto-présentable » document wraps: an XSL
 * stylesheet that carries the CDA inside it so a browser can display it. Only that wrapping is
 * accepted; any other root is not a CDA.
 */
function clinicalDocumentOf(root: XmlElement): XmlElement {
  if (root.local === 'ClinicalDocument' && (root.ns === HL7_NS || root.ns === '')) return root;
  if (root.ns === XSLT_NS && (root.local === 'stylesheet' || root.local === 'transform')) {
    const wrapped = findDescendants(root, (e) => e.local === 'ClinicalDocument' && e.ns === HL7_NS);
    if (wrapped.length === 1) return wrapped[0] as XmlElement;
    throw new CdaError(
      'not-cda',
      wrapped.length === 0
        ? 'feuille de style sans document CDA.'
        : 'la feuille de style contient plusieurs documents CDA.',
      `xsl:stylesheet wrapping ${wrapped.length} hl7:ClinicalDocument elements`,
    );
  }
  throw new CdaError(
    'not-cda',
    "ce n'est pas un document CDA (élément racine inattendu).",
    `root element is not hl7:ClinicalDocument (namespace ${root.ns === HL7_NS ? 'hl7' : 'other'})`,
  );
}
