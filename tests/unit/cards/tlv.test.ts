import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTlv, findAllTlv, findTlv, parseTlv, type TlvNode } from '../../../src/main/cards/iso7816/tlv';
import { hex, toHexString } from './helpers';

function nodesOf(bytes: Uint8Array): TlvNode[] {
  const result = parseTlv(bytes);
  if (!result.ok) throw new Error(`unexpected TLV error ${result.error.kind}`);
  return result.nodes;
}

const text = (node: TlvNode | undefined): string => Buffer.from(node?.value ?? []).toString('latin1');

describe('parseTlv', () => {
  it('parses the cards.md Vitale example (constructed 65 with 80/81/82)', () => {
    const nodes = nodesOf(
      hex('65 18 80 06 44 55 50 4F 4E 54 81 04 4A 45 41 4E 82 08 31 39 37 30 30 31 30 31'),
    );
    expect(nodes).toHaveLength(1);
    const entry = nodes[0];
    expect(entry?.tag).toBe(0x65);
    expect(entry?.constructed).toBe(true);
    expect(entry?.children.map((c) => c.tagHex)).toEqual(['80', '81', '82']);
    expect(text(entry?.children[0])).toBe('DUPONT');
    expect(text(entry?.children[1])).toBe('JEAN');
    expect(text(entry?.children[2])).toBe('19700101');
  });

  it('reads multi-byte tags (7F21, 5F37) and keeps the constructed bit of the first byte', () => {
    const nodes = nodesOf(hex('7F21 09 5F37 02 AABB 5F38 01 CC'));
    const cvc = nodes[0];
    expect(cvc?.tag).toBe(0x7f21);
    expect(cvc?.tagHex).toBe('7F21');
    expect(cvc?.constructed).toBe(true);
    expect(cvc?.children.map((c) => [c.tagHex, c.constructed])).toEqual([
      ['5F37', false],
      ['5F38', false],
    ]);
    expect(toHexString(findTlv(nodes, 0x5f37)?.value ?? new Uint8Array())).toBe('AABB');
  });

  it('reads three-byte tags such as BF8101', () => {
    const nodes = nodesOf(hex('70 0C BF8101 08 A0 06 9A01 03 9B01 02'));
    expect(findTlv(nodes, 0xbf8101)?.constructed).toBe(true);
    expect(findTlv(nodes, 0x9b)?.value[0]).toBe(2);
  });

  it('accepts long lengths 81 and 82', () => {
    const v200 = new Uint8Array(200).fill(0x41);
    const n1 = nodesOf(new Uint8Array([0x80, 0x81, 200, ...v200]));
    expect(n1[0]?.value.length).toBe(200);
    const v300 = new Uint8Array(300).fill(0x42);
    const n2 = nodesOf(new Uint8Array([0x80, 0x82, 0x01, 0x2c, ...v300]));
    expect(n2[0]?.value.length).toBe(300);
  });

  it('skips 00 and FF padding between and after objects', () => {
    const nodes = nodesOf(hex('00 00 80 01 41 FF FF 81 01 42 00 00 00 00'));
    expect(nodes.map((n) => n.tagHex)).toEqual(['80', '81']);
    expect(nodesOf(hex('000000'))).toEqual([]);
  });

  it('keeps unknown tags', () => {
    const nodes = nodesOf(hex('C3 02 0102 65 05 DF01 02 5445'));
    expect(nodes.map((n) => n.tagHex)).toEqual(['C3', '65']);
    expect(findTlv(nodes, 0xdf01)?.value.length).toBe(2);
  });

  it.each([
    ['80 05 4142', 'length-out-of-bounds'],
    ['65 06 80 05 41 42 43', 'length-out-of-bounds'],
    ['80 81', 'truncated-length'],
    ['80 82 01', 'truncated-length'],
    ['80', 'truncated-length'],
    ['7F', 'truncated-tag'],
    ['5F 81', 'truncated-tag'],
    ['5F 81 81 81 01 00', 'tag-too-long'],
    ['80 80 41 00 00', 'unsupported-length'],
    ['80 85 00 00 00 00 01 41', 'unsupported-length'],
  ])('reports %s as %s with an offset, without throwing', (input, kind) => {
    const result = parseTlv(hex(input));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe(kind);
      expect(result.error.offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('caps nesting depth', () => {
    let bytes = hex('80 01 41');
    for (let i = 0; i < 20; i++) bytes = encodeTlv(0x65, bytes);
    const result = parseTlv(bytes, { maxDepth: 8 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('too-deep');
  });

  it('findAllTlv returns every beneficiary in order', () => {
    const one = encodeTlv(0x65, encodeTlv(0x80, hex('41')));
    const two = encodeTlv(0x65, encodeTlv(0x80, hex('42')));
    expect(findAllTlv(nodesOf(new Uint8Array([...one, ...two])), 0x80).map(text)).toEqual(['A', 'B']);
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void parseTlv(bytes)),
      { numRuns: 1000 },
    );
  });

  it('round-trips encoded primitive objects (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x80, 0x93, 0x5f37, 0xdf01, 0x9f7f),
        fc.uint8Array({ maxLength: 700 }),
        (tag, value) => {
          const nodes = nodesOf(encodeTlv(tag, value));
          expect(nodes).toHaveLength(1);
          expect(nodes[0]?.tag).toBe(tag);
          expect(Array.from(nodes[0]?.value ?? [])).toEqual(Array.from(value));
        },
      ),
      { numRuns: 200 },
    );
  });
});
