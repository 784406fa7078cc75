/**
 * BER-TLV (ISO 7816-4 §5.2 / X.690) parser that never throws: card data is untrusted, so every
 * length is bounds-checked and a problem comes back as a typed error with its offset.
 */
export interface TlvNode {
  /** Tag bytes as a big-endian number (`0x65`, `0x7F21`, `0xBF8101`). */
  tag: number;
  tagHex: string;
  constructed: boolean;
  /** Offset of the tag's first byte in the buffer given to `parseTlv`. */
  offset: number;
  value: Uint8Array;
  /** Parsed children for constructed tags; empty for primitive ones. */
  children: TlvNode[];
}

export type TlvErrorKind =
  | 'truncated-tag'
  | 'tag-too-long'
  | 'truncated-length'
  | 'unsupported-length'
  | 'length-out-of-bounds'
  | 'too-deep';

export interface TlvError {
  kind: TlvErrorKind;
  offset: number;
  message: string;
}

export type TlvParseResult = { ok: true; nodes: TlvNode[] } | { ok: false; error: TlvError };

const MAX_TAG_BYTES = 3;
const DEFAULT_MAX_DEPTH = 16;

export function parseTlv(bytes: Uint8Array, options: { maxDepth?: number } = {}): TlvParseResult {
  return parseLevel(bytes, 0, bytes.length, 0, options.maxDepth ?? DEFAULT_MAX_DEPTH);
}

function fail(kind: TlvErrorKind, offset: number, message: string): TlvParseResult {
  return { ok: false, error: { kind, offset, message } };
}

function parseLevel(
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
  maxDepth: number,
): TlvParseResult {
  if (depth > maxDepth) return fail('too-deep', start, `nesting deeper than ${maxDepth}`);
  const nodes: TlvNode[] = [];
  let pos = start;
  while (pos < end) {
    const first = bytes[pos] ?? 0;
    // 00 and FF between or after objects are padding (ISO 7816-4 §5.2); Vitale files are zero-filled.
    if (first === 0x00 || first === 0xff) {
      pos++;
      continue;
    }
    const tagStart = pos;
    let tag = first;
    pos++;
    if ((first & 0x1f) === 0x1f) {
      let more = true;
      while (more) {
        if (pos >= end) return fail('truncated-tag', tagStart, 'multi-byte tag runs past the end');
        if (pos - tagStart >= MAX_TAG_BYTES)
          return fail('tag-too-long', tagStart, `tag longer than ${MAX_TAG_BYTES} bytes`);
        const next = bytes[pos] ?? 0;
        tag = tag * 256 + next;
        more = (next & 0x80) !== 0;
        pos++;
      }
    }
    if (pos >= end) return fail('truncated-length', pos, 'length byte missing');
    const lengthByte = bytes[pos] ?? 0;
    pos++;
    let length = lengthByte;
    if (lengthByte === 0x80) return fail('unsupported-length', pos - 1, 'indefinite length is not allowed');
    if (lengthByte > 0x80) {
      const count = lengthByte & 0x7f;
      if (count > 3) return fail('unsupported-length', pos - 1, `length on ${count} bytes`);
      if (pos + count > end) return fail('truncated-length', pos - 1, 'long-form length runs past the end');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos + i] ?? 0);
      pos += count;
    }
    if (pos + length > end) {
      return fail('length-out-of-bounds', tagStart, `length ${length} exceeds the ${end - pos} bytes left`);
    }
    const constructed = (first & 0x20) !== 0;
    let children: TlvNode[] = [];
    if (constructed) {
      const inner = parseLevel(bytes, pos, pos + length, depth + 1, maxDepth);
      if (!inner.ok) return inner;
      children = inner.nodes;
    }
    nodes.push({
      tag,
      tagHex: tag
        .toString(16)
        .toUpperCase()
        .padStart(first === tag ? 2 : 4, '0'),
      constructed,
      offset: tagStart,
      value: bytes.slice(pos, pos + length),
      children,
    });
    pos += length;
  }
  return { ok: true, nodes };
}

/** First node with this tag, depth-first. */
export function findTlv(nodes: readonly TlvNode[], tag: number): TlvNode | undefined {
  for (const node of nodes) {
    if (node.tag === tag) return node;
    const inner = findTlv(node.children, tag);
    if (inner) return inner;
  }
  return undefined;
}

/** Every node with this tag, depth-first, in document order. */
export function findAllTlv(nodes: readonly TlvNode[], tag: number): TlvNode[] {
  const out: TlvNode[] = [];
  for (const node of nodes) {
    if (node.tag === tag) out.push(node);
    out.push(...findAllTlv(node.children, tag));
  }
  return out;
}

/** Direct child with this tag. */
export function childTlv(node: TlvNode, tag: number): TlvNode | undefined {
  return node.children.find((child) => child.tag === tag);
}

export function tagBytes(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffff) throw new RangeError(`invalid tag ${tag}`);
  const out: number[] = [];
  let rest = tag;
  while (rest > 0) {
    out.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  }
  return Uint8Array.from(out);
}

export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  if (length <= 0xffffff) return Uint8Array.of(0x83, length >> 16, (length >> 8) & 0xff, length & 0xff);
  throw new RangeError(`TLV length too large: ${length}`);
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const t = tagBytes(tag);
  const l = encodeLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}
