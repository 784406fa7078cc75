import type { Logger } from '../log/logger';
import { readBody } from './body';
import { CdaError } from './errors';
import { readHeaderContacts } from './entries/contacts';
import { REIMBURSEMENT_DOCUMENT_CODE, REIMBURSEMENT_DOCUMENT_TEMPLATE } from './entries/templates';
import { readHeader } from './header';
import type { CdaDocument } from './types';
import { parseXml } from './xml/parse';
import type { XmlLimits } from './xml/limits';
import { HL7_NS } from './xml/tree';

export interface ParseCdaOptions {
  limits?: XmlLimits;
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
    const doc = readDocument(input, options.limits);
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

function readDocument(input: Uint8Array | string, limits: XmlLimits | undefined): CdaDocument {
  const { root } = parseXml(input, limits);
  if (root.local !== 'ClinicalDocument' || (root.ns !== HL7_NS && root.ns !== '')) {
    throw new CdaError(
      'not-cda',
      "ce n'est pas un document CDA (élément racine inattendu).",
      `root element is not hl7:ClinicalDocument (namespace ${root.ns === HL7_NS ? 'hl7' : 'other'})`,
    );
  }
  const header = readHeader(root);
  const reimbursementDocument =
    header.type.code === REIMBURSEMENT_DOCUMENT_CODE ||
    header.templateIds.includes(REIMBURSEMENT_DOCUMENT_TEMPLATE);
  const { body, entries, warnings } = readBody(root, reimbursementDocument);
  return { header, body, entries: [...readHeaderContacts(root), ...entries], warnings };
}
