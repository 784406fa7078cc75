import { CdaError } from '../errors';

/** Turns bytes into text, honouring the XML declaration's encoding (CDA is UTF-8 but ISO-8859-1 exists in the wild). */
export function decodeXmlBytes(bytes: Uint8Array): string {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new CdaError('encoding', 'encodage UTF-16 non pris en charge.', 'UTF-16 byte order mark');
  }
  const body = bytes.subarray(start);
  const encoding = declaredEncoding(body);
  const label =
    encoding === undefined || encoding === 'utf-8' || encoding === 'utf8' ? 'utf-8' : latinLabel(encoding);
  try {
    return new TextDecoder(label, { fatal: true }).decode(body);
  } catch {
    throw new CdaError(
      'encoding',
      `le contenu n'est pas un texte ${label.toUpperCase()} valide.`,
      `invalid byte sequence for ${label}`,
    );
  }
}

function latinLabel(encoding: string): string {
  if (['iso-8859-1', 'latin1', 'iso_8859-1', 'windows-1252', 'cp1252', 'iso-8859-15'].includes(encoding))
    return encoding === 'iso-8859-15' ? 'iso-8859-15' : 'windows-1252';
  throw new CdaError(
    'encoding',
    `encodage « ${encoding.slice(0, 20)} » non pris en charge.`,
    `unsupported declared encoding`,
  );
}

function declaredEncoding(body: Uint8Array): string | undefined {
  // The declaration is ASCII by definition; 200 bytes is plenty.
  const head = String.fromCharCode(...body.subarray(0, 200));
  if (!head.startsWith('<?xml')) return undefined;
  const end = head.indexOf('?>');
  const decl = end === -1 ? head : head.slice(0, end);
  const match = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(decl);
  return match?.[1]?.toLowerCase();
}
