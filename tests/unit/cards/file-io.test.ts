import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBinaryAll, select } from '../../../src/main/cards/apps/file-io';
import { createVirtualCard, parseCardProfile } from '../../../src/main/cards/emulator';
import { SimulatedTransport } from '../../../src/main/cards/transport/simulated-transport';
import { hex, toHexString } from './helpers';

async function readBack(content: Uint8Array, size: number | undefined, bySfi: boolean): Promise<Uint8Array> {
  const profile = parseCardProfile(
    {
      id: 'io',
      label: 'Fichier de test',
      kind: 'other',
      atr: '3B 02 14 50',
      fileSystem: {
        type: 'df',
        fid: '3F00',
        children: [
          {
            type: 'ef',
            fid: '0101',
            sfi: 5,
            ...(size === undefined ? {} : { size }),
            content: { hex: toHexString(content) },
          },
        ],
      },
    },
    'inline',
  );
  const transport = new SimulatedTransport({ readers: ['R'] });
  transport.insert('R', createVirtualCard(profile));
  const session = await transport.connect('R');
  if (bySfi) return readBinaryAll(session, { sfi: 5, what: 'test' });
  expect((await select(session, 'fid', hex('0101'))).sw).toBe(0x9000);
  return readBinaryAll(session, { what: 'test' });
}

describe('readBinaryAll over the emulator', () => {
  it('returns exactly the file content, whatever its size and padding (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 1100 }),
        fc.option(fc.integer({ min: 0, max: 1300 }), { nil: undefined }),
        fc.boolean(),
        async (content, size, bySfi) => {
          const expected = new Uint8Array(Math.max(size ?? content.length, content.length));
          expected.set(content);
          expect(toHexString(await readBack(content, size, bySfi))).toBe(toHexString(expected));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads files of exactly 256 and 512 bytes (the read that ends on 6B00)', async () => {
    for (const length of [0, 256, 512]) {
      const content = Uint8Array.from({ length }, (_, i) => i & 0xff);
      expect((await readBack(content, undefined, true)).length).toBe(length);
    }
  });

  it('refuses a file larger than the cap', async () => {
    const profileContent = new Uint8Array(2000).fill(1);
    const transport = new SimulatedTransport({ readers: ['R'] });
    transport.insert(
      'R',
      createVirtualCard(
        parseCardProfile(
          {
            id: 'big',
            label: 'Gros fichier',
            kind: 'other',
            atr: '3B 02 14 50',
            fileSystem: {
              type: 'df',
              fid: '3F00',
              children: [{ type: 'ef', fid: '0101', sfi: 5, content: { hex: toHexString(profileContent) } }],
            },
          },
          'inline',
        ),
      ),
    );
    await expect(
      readBinaryAll(await transport.connect('R'), { sfi: 5, what: 'big', maxSize: 1024 }),
    ).rejects.toMatchObject({ kind: 'malformed' });
  });
});
