/** Public surface of the CDA importer. */
export { parseCda } from './import';
export type { ParseCdaOptions } from './import';
export { CdaError } from './errors';
export type { CdaErrorCode } from './errors';
export { defaultXmlLimits } from './xml/limits';
export type { XmlLimits } from './xml/limits';
export type * from './types';
export { cdaExtractionVersion } from './extraction-version';
