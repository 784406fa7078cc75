import { concatBytes, fromHex } from '../hex';
import { encodeTlv } from '../iso7816/tlv';
import type { ContentSpec, DfSpec, EfSpec, TlvSpec } from './profile';

/** The card's file tree, built once from a validated profile. */
export interface DfNode {
  type: 'df';
  fid: number;
  aid: Uint8Array | null;
  parent: DfNode | null;
  children: FileNode[];
}

export interface EfNode {
  type: 'ef';
  fid: number;
  sfi: number | null;
  parent: DfNode;
  access: 'always' | 'pin';
  /** Transparent content, or null for a record EF. */
  content: Uint8Array | null;
  records: Uint8Array[];
}

export type FileNode = DfNode | EfNode;

const utf8 = new TextEncoder();

export function encodeTlvSpecs(specs: readonly TlvSpec[]): Uint8Array {
  return concatBytes(
    ...specs.map((spec) => {
      const tag = Number.parseInt(spec.tag, 16);
      const value = spec.children
        ? encodeTlvSpecs(spec.children)
        : spec.text !== undefined
          ? utf8.encode(spec.text)
          : fromHex(spec.hex ?? '');
      return encodeTlv(tag, value);
    }),
  );
}

export function contentBytes(spec: ContentSpec): Uint8Array {
  if ('hex' in spec) return fromHex(spec.hex);
  if ('text' in spec) return utf8.encode(spec.text);
  return encodeTlvSpecs(spec.tlv);
}

function buildEf(spec: EfSpec, parent: DfNode): EfNode {
  let content: Uint8Array | null = null;
  if (!spec.records) {
    const raw = spec.content ? contentBytes(spec.content) : new Uint8Array(0);
    const size = Math.max(spec.size ?? raw.length, raw.length);
    content = new Uint8Array(size);
    content.set(raw);
  }
  return {
    type: 'ef',
    fid: Number.parseInt(spec.fid, 16),
    sfi: spec.sfi ?? null,
    parent,
    access: spec.access,
    content,
    records: (spec.records ?? []).map(contentBytes),
  };
}

export function buildFileSystem(spec: DfSpec, parent: DfNode | null = null): DfNode {
  const df: DfNode = {
    type: 'df',
    fid: Number.parseInt(spec.fid, 16),
    aid: spec.aid ? fromHex(spec.aid) : null,
    parent,
    children: [],
  };
  df.children = spec.children.map((child) =>
    child.type === 'df' ? buildFileSystem(child, df) : buildEf(child, df),
  );
  return df;
}

export function findDfByAid(root: DfNode, aid: Uint8Array): DfNode | null {
  const matches = (candidate: Uint8Array): boolean =>
    candidate.length >= aid.length && aid.every((byte, i) => candidate[i] === byte);
  if (root.aid && matches(root.aid)) return root;
  for (const child of root.children) {
    if (child.type !== 'df') continue;
    const found = findDfByAid(child, aid);
    if (found) return found;
  }
  return null;
}

/** The nearest DF carrying an AID: the "current application" whose change clears security state. */
export function applicationOf(node: FileNode): DfNode | null {
  let df: DfNode | null = node.type === 'df' ? node : node.parent;
  while (df) {
    if (df.aid) return df;
    df = df.parent;
  }
  return null;
}
