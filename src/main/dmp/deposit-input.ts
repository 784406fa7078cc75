import { ApiError } from '../../shared/contract/api-error';
import { decodePaddedBase64 } from '../bridge/base64';
import { looksLikeCompletePdf, looksLikePdf } from '../cda/pdf';

export type DepositKind = 'cda' | 'pdf' | 'text';

/**
 * Strict base64: Buffer.from silently skips junk, which would store a different file than was sent.
 * Whitespace (a MIME encoder's line breaks) is dropped; what workstations send has none, so the text
 * is decoded as it is first, and copied without its whitespace only when that fails.
 */
export function decodeBase64(value: string): Uint8Array {
  const bytes = decodePaddedBase64(value) ?? decodePaddedBase64(value.replace(/\s+/g, ''));
  if (bytes === null || bytes.length === 0) {
    throw new ApiError('INVALID_INPUT', 'Le contenu du fichier est mal encodé (base64 attendu).');
  }
  // A Uint8Array owning its whole memory: the CDA parser pool moves it to a worker (a Buffer may be a
  // slice of Node's shared pool). Buffer.from gives a large document its own memory: no copy then.
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
    ? new Uint8Array(bytes.buffer)
    : new Uint8Array(bytes);
}

function firstNonSpace(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  return i;
}

export { looksLikeCompletePdf, looksLikePdf };

/** Which kind of file a deposit is: by extension first, then by its first bytes. */
export function depositKind(fileName: string, bytes: Uint8Array): DepositKind {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'xml') return 'cda';
  if (ext === 'pdf') return 'pdf';
  if (ext === 'txt') return 'text';
  if (looksLikePdf(bytes)) return 'pdf';
  if (bytes[firstNonSpace(bytes)] === 0x3c /* < */) return 'cda';
  throw new ApiError(
    'UNSUPPORTED',
    'Format de fichier non pris en charge : déposez un document CDA (XML), un PDF ou un texte.',
  );
}

/** Text deposits must be valid UTF-8: a mis-decoded file would be stored as gibberish. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('INVALID_INPUT', 'Le fichier texte n’est pas encodé en UTF-8.');
  }
}
