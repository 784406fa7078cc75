/**
 * PDF sanity checks shared by every path that stores or serves a PDF (nonXMLBody, embedded
 * observationMedia, plain PDF deposits): a file cut short in transfer lacks its `%%EOF` end marker,
 * and refusing it beats storing something no viewer can open.
 */

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

export function looksLikePdf(bytes: Uint8Array): boolean {
  return startsWithAscii(bytes, '%PDF-');
}

/** `%PDF-` header and a `%%EOF` marker in the last kilobyte (where every writer puts it). */
export function looksLikeCompletePdf(bytes: Uint8Array): boolean {
  if (!looksLikePdf(bytes)) return false;
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  return tail.includes('%%EOF');
}
