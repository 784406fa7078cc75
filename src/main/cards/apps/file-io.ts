import { CardError } from '../errors';
import { concatBytes } from '../hex';
import { transmitT0 } from '../iso7816/t0';
import { expectSuccess, swHex, type ResponseApdu } from '../iso7816/status-words';
import { parseTlv, type TlvNode } from '../iso7816/tlv';
import type { CardSession } from '../transport/card-transport';

const CHUNK = 256;
const DEFAULT_MAX_FILE = 16 * 1024;

export type SelectMode = 'aid' | 'path-from-mf' | 'fid';

/** SELECT without asking for FCP/FCI where possible; returns the raw response so callers can test 6A82. */
export async function select(
  session: CardSession,
  mode: SelectMode,
  id: Uint8Array,
  p2: 0x00 | 0x0c = 0x0c,
): Promise<ResponseApdu> {
  const p1 = mode === 'aid' ? 0x04 : mode === 'path-from-mf' ? 0x09 : 0x00;
  return transmitT0(session, { cla: 0x00, ins: 0xa4, p1, p2, data: id });
}

/**
 * Reads a transparent EF in 256-byte chunks until a short chunk, 6282 (end of file) or 6B00
 * (offset past the end), as Cardpeek does. The first read may use
 * the SFI form; it makes the EF current, so later chunks use plain offsets.
 */
export async function readBinaryAll(
  session: CardSession,
  options: { sfi?: number; maxSize?: number; what: string },
): Promise<Uint8Array> {
  const maxSize = options.maxSize ?? DEFAULT_MAX_FILE;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const bySfi = options.sfi !== undefined && offset === 0;
    if (!bySfi && offset > 0x7fff) break;
    const p1 = bySfi ? 0x80 | (options.sfi ?? 0) : offset >> 8;
    const p2 = bySfi ? 0 : offset & 0xff;
    const response = await transmitT0(session, { cla: 0x00, ins: 0xb0, p1, p2, le: CHUNK });
    // Offset past the end: after an exact multiple of 256 bytes, or an empty EF at offset 0.
    if (response.sw === 0x6b00) break;
    expectSuccess(response, `READ BINARY ${options.what} @${offset}`, { allowEof: true });
    chunks.push(response.data);
    offset += response.data.length;
    if (offset > maxSize) {
      throw new CardError('malformed', { detail: `${options.what}: file larger than ${maxSize} bytes` });
    }
    if (response.sw === 0x6282 || response.data.length < CHUNK) break;
  }
  return concatBytes(...chunks);
}

export function parseTlvOrThrow(bytes: Uint8Array, what: string): TlvNode[] {
  const parsed = parseTlv(bytes);
  if (!parsed.ok) {
    throw new CardError('malformed', {
      detail: `${what}: ${parsed.error.kind} at ${parsed.error.offset} (${parsed.error.message})`,
    });
  }
  return parsed.nodes;
}

export function describeSw(response: ResponseApdu): string {
  return swHex(response.sw);
}

const latin1 = new TextDecoder('latin1');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export function decodeLatin1(bytes: Uint8Array): string {
  return latin1.decode(bytes).trim();
}

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8Strict.decode(bytes).trim();
  } catch {
    throw new CardError('malformed', { detail: `${what}: invalid UTF-8` });
  }
}
