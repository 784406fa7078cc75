import { CdaError } from '../errors';

export interface DecodedXml {
  text: string;
  /** French notes for the user when the bytes were repaired (never document content). */
  notes: string[];
}

/**
 * Turns bytes into text, honouring the XML declaration's encoding (CDA is UTF-8 but ISO-8859-1 exists
 * in the wild). Two mislabellings are caught rather than stored garbled: UTF-8 bytes declared
 * ISO-8859-1/Windows-1252 are read as UTF-8 (valid multi-byte UTF-8 is practically never intended
 * Latin-1: « Ã© » is not French), and text that was already double-encoded (« Ã© » for « é ») is refused.
 */
export function decodeXmlBytes(bytes: Uint8Array): DecodedXml {
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
  const notes: string[] = [];
  let text: string;
  if (label !== 'utf-8' && hasMultiByteUtf8(body)) {
    text = new TextDecoder('utf-8').decode(body);
    notes.push(
      `L’encodage déclaré (${(encoding ?? '').toUpperCase()}) ne correspond pas au contenu, qui est en UTF-8 : le texte a été lu en UTF-8.`,
    );
  } else {
    try {
      text = new TextDecoder(label, { fatal: true }).decode(body);
    } catch {
      throw new CdaError(
        'encoding',
        `le contenu n'est pas un texte ${label.toUpperCase()} valide.`,
        `invalid byte sequence for ${label}`,
      );
    }
  }
  if (DOUBLE_ENCODED.test(text)) {
    throw new CdaError(
      'encoding',
      'les caractères accentués du document sont altérés (texte encodé deux fois) : demandez à l’émetteur un document correctement encodé en UTF-8.',
      'double-encoded UTF-8 sequences (U+00C3/U+00C2 followed by a continuation character)',
    );
  }
  return { text, notes };
}

/** « é » encoded twice reads « Ã© »: Ã or Â followed by a Latin-1 character from the UTF-8 continuation range. */
const DOUBLE_ENCODED = /[ÃÂ][\u0080-\u00BF]|â€[™œ\u009d“”˜]/;

/** True when the bytes hold at least one well-formed multi-byte UTF-8 sequence and no invalid one. */
function hasMultiByteUtf8(bytes: Uint8Array): boolean {
  let multi = false;
  for (const b of bytes) {
    if (b >= 0x80) {
      multi = true;
      break;
    }
  }
  if (!multi) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
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
