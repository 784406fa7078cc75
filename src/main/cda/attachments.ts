import { looksLikeCompletePdf } from './pdf';
import { parseXml } from './xml/parse';
import { attr, child, findDescendants, text } from './xml/tree';

export interface CdaAttachment {
  id: string;
  mediaType: string;
  label: string;
  content: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Files a structured CDA embeds as `observationMedia` (the PDF of a lab report, a scanned advance
 * directive). Only PDFs that are complete (header and trailer) are returned: a truncated one could not
 * be opened and is reported by the caller as missing rather than served.
 */
export function readPdfAttachments(content: Uint8Array): {
  attachments: CdaAttachment[];
  unreadable: number;
} {
  const { root } = parseXml(content);
  const attachments: CdaAttachment[] = [];
  let unreadable = 0;
  findDescendants(root, (e) => e.local === 'observationMedia').forEach((media, index) => {
    const value = child(media, 'value');
    if (
      (attr(value, 'mediaType') ?? '').toLowerCase() !== 'application/pdf' ||
      attr(value, 'representation') !== 'B64'
    )
      return;
    const compact = text(value).replace(/\s+/g, '');
    const bytes =
      compact.length > 0 && compact.length % 4 === 0 && BASE64.test(compact)
        ? new Uint8Array(Buffer.from(compact, 'base64'))
        : undefined;
    if (!bytes || !looksLikeCompletePdf(bytes)) {
      unreadable++;
      return;
    }
    attachments.push({
      id: media.attrs['ID'] ?? `media-${index + 1}`,
      mediaType: 'application/pdf',
      label: `Document PDF joint n° ${attachments.length + 1}`,
      content: bytes,
    });
  });
  return { attachments, unreadable };
}
