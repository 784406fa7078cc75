import { CdaError } from '../errors';
import { decodeXmlBytes } from './decode';
import { defaultXmlLimits } from './limits';
import type { XmlLimits } from './limits';
import { readXmlTree } from './reader';
import type { XmlElement } from './tree';

export interface ParsedXml {
  root: XmlElement;
  /** French notes about repairs made while reading (mislabelled encoding). */
  notes: string[];
}

/**
 * Decodes and parses an XML document within `limits` (reader.ts: non-validating, never loads external
 * entities, refuses any DOCTYPE, so XXE and entity expansion bombs are impossible).
 */
export function parseXml(input: Uint8Array | string, limits: XmlLimits = defaultXmlLimits): ParsedXml {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > limits.maxBytes) {
    throw new CdaError(
      'too-large',
      `le fichier dépasse la taille maximale de ${Math.round(limits.maxBytes / 1024 / 1024)} Mo.`,
      `input of ${size} bytes exceeds ${limits.maxBytes}`,
    );
  }
  const decoded =
    typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), notes: [] } : decodeXmlBytes(input);
  const source = decoded.text;
  if (!source.trimStart().startsWith('<')) {
    throw new CdaError(
      'malformed',
      "le fichier n'est pas un document XML.",
      'input does not start with markup',
    );
  }

  return { root: readXmlTree(source, limits), notes: decoded.notes };
}
