import { beforeEach, describe, expect, it } from 'vitest';
import { createVirtualCard, parseCardProfile, type CardProfile } from '../../../src/main/cards/emulator';
import type { VirtualCard } from '../../../src/main/cards/emulator/virtual-card';
import { hex, profile, toHexString } from './helpers';

const testProfile: CardProfile = parseCardProfile(
  {
    id: 'test-card',
    label: 'Carte de test unitaire',
    kind: 'other',
    atr: '3B 02 14 50',
    pin: { reference: '01', value: '1234', triesMax: 3, triesLeft: 3 },
    fileSystem: {
      type: 'df',
      fid: '3F00',
      children: [
        { type: 'ef', fid: '0002', sfi: 2, content: { hex: '0102030405' } },
        { type: 'ef', fid: '0003', sfi: 3, records: [{ hex: 'AA' }, { text: 'BCD' }] },
        { type: 'ef', fid: '0004', size: 300, content: { hex: '11' } },
        {
          type: 'df',
          fid: '1000',
          aid: 'A0 00 00 00 01 01',
          children: [
            {
              type: 'ef',
              fid: '1001',
              sfi: 1,
              content: { tlv: [{ tag: '65', children: [{ tag: '80', text: 'X' }] }] },
            },
            { type: 'ef', fid: '1002', access: 'pin', content: { hex: 'C0FFEE' } },
          ],
        },
        {
          type: 'df',
          fid: '2000',
          aid: 'A0 00 00 00 02 02',
          children: [{ type: 'ef', fid: '2001', content: { hex: '22' } }],
        },
      ],
    },
  },
  'inline',
);

let card: VirtualCard;
const send = (apdu: string): string => toHexString(card.transmit(hex(apdu)));
const sw = (apdu: string): string => send(apdu).slice(-4);

beforeEach(() => {
  card = createVirtualCard(testProfile);
  card.powerOn();
});

describe('emulated card OS — generic errors', () => {
  it('answers 6700 to malformed APDUs, 6E00 to a foreign CLA, 6D00 to an unknown INS', () => {
    expect(sw('00')).toBe('6700');
    expect(sw('00A4000003 3F00')).toBe('6700');
    expect(sw('80A4000C02 3F00')).toBe('6E00');
    expect(sw('0012000000')).toBe('6D00');
  });

  it('never throws, whatever the bytes', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: (i * 7) % 40 }, (_, j) => (i * 31 + j * 17) & 0xff);
      expect(() => card.transmit(bytes)).not.toThrow();
      expect(card.transmit(bytes).length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('SELECT', () => {
  it('selects by FID, child EF, AID, path from MF and path from the current DF', () => {
    expect(sw('00A4000C02 3F00')).toBe('9000');
    expect(sw('00A4020C02 0002')).toBe('9000');
    expect(sw('00A4040C06 A00000000101')).toBe('9000');
    expect(sw('00A4080C04 1000 1001')).toBe('9000');
    expect(sw('00A4090C02 1002')).toBe('9000'); // current DF is 1000 after the previous select
    expect(sw('00A4090C06 3F00 2000 2001')).toBe('9000');
    expect(sw('00A4000C02 1000')).toBe('9000'); // sibling DF through the parent
  });

  it('answers FCP (62) with 61xx on T=0 and returns it through GET RESPONSE', () => {
    const announce = send('00A4000402 0002');
    expect(announce.slice(0, 2)).toBe('61');
    const length = Number.parseInt(announce.slice(2), 16);
    const fcp = send(`00C00000${length.toString(16).padStart(2, '0')}`);
    expect(fcp.slice(-4)).toBe('9000');
    expect(fcp.startsWith('62')).toBe(true);
    expect(fcp).toContain('80020005'); // size
    expect(fcp).toContain('83020002'); // FID
    expect(fcp).toContain('880110'); // SFI 2
  });

  it('answers FCI (6F) with the AID for a DF', () => {
    const announce = send('00A4040006 A00000000101');
    const fci = send(`00C00000${announce.slice(2)}`);
    expect(fci.startsWith('6F')).toBe(true);
    expect(fci).toContain('8406A00000000101');
  });

  it('reports unknown files and bad parameters', () => {
    expect(sw('00A4000C02 ABCD')).toBe('6A82');
    expect(sw('00A4040C05 A0000009FF')).toBe('6A82');
    expect(sw('00A4080C04 1000 9999')).toBe('6A82');
    expect(sw('00A4080C03 100010')).toBe('6A80');
    expect(sw('00A4000C03 3F0000')).toBe('6A80');
    expect(sw('00A4001002 3F00')).toBe('6A86');
    expect(sw('00A4070C02 3F00')).toBe('6A86');
  });
});

describe('READ BINARY', () => {
  it('reads through an SFI with offset, then by offset on the current EF', () => {
    expect(send('00B0820000')).toBe('0102030405' + '6282'); // Le 256 > 5 bytes: EOF warning
    expect(send('00B0820005')).toBe('0102030405' + '9000');
    expect(send('00B0000203')).toBe('030405' + '9000');
    expect(send('00B0000410')).toBe('05' + '6282');
  });

  it('gives 6B00 beyond the end and 6986 without a current EF', () => {
    expect(sw('00B0820500')).toBe('6B00');
    expect(sw('00B0000600')).toBe('6B00'); // the SFI read made 0002 current
    card.reset();
    expect(sw('00B0000000')).toBe('6986');
  });

  it('zero-pads to the declared size and reads past 256 bytes', () => {
    expect(sw('00A4000C02 0004')).toBe('9000');
    const first = send('00B0000000');
    expect(first.length).toBe(256 * 2 + 4);
    expect(first.startsWith('11')).toBe(true);
    expect(send('00B0010000')).toBe('00'.repeat(44) + '6282');
    expect(sw('00B0012C01')).toBe('6B00');
  });

  it('refuses a record EF (6981), a missing SFI (6A82), a missing Le (6700)', () => {
    expect(sw('00B0830000')).toBe('6981');
    expect(sw('00B09E0000')).toBe('6A82');
    expect(sw('00B00000')).toBe('6700');
  });
});

describe('READ RECORD', () => {
  it('reads records by number and SFI, with 6Cxx for a wrong Le', () => {
    expect(send('00B2011C01')).toBe('AA9000');
    expect(send('00B2021C00')).toBe('6C03');
    expect(send('00B2021C03')).toBe('4243449000');
    expect(send('00B2031C01')).toBe('6A83');
    expect(send('00B2011801')).toBe('6A86');
  });
});

describe('VERIFY and access conditions', () => {
  const tries = (): string => send('00CB3FFF0A 4D08 7006 BF8101 02 A080');

  it('protects PIN files until VERIFY succeeds', () => {
    expect(sw('00A4080C04 1000 1002')).toBe('9000');
    expect(sw('00B0000000')).toBe('6982');
    // Verified inside the application whose file is current: readable.
    expect(sw('0020000104 31323334')).toBe('9000');
    expect(send('00B0000003')).toBe('C0FFEE9000');
  });

  it('counts down wrong PINs (63Cx), blocks at zero (6983) and stays blocked after reset', () => {
    expect(sw('0020000104 39393939')).toBe('63C2');
    expect(sw('0020000104 39393939')).toBe('63C1');
    expect(sw('0020000104 39393939')).toBe('63C0');
    expect(sw('0020000104 31323334')).toBe('6983');
    card.reset();
    expect(sw('0020000104 31323334')).toBe('6983');
    expect(sw('00200001')).toBe('6983');
  });

  it('restores the counter on a correct PIN and answers status queries', () => {
    expect(sw('0020000104 39393939')).toBe('63C2');
    expect(sw('00200001')).toBe('63C2');
    expect(sw('0020000104 31323334')).toBe('9000');
    expect(sw('00200001')).toBe('9000');
    expect(sw('0020FF01')).toBe('9000'); // logout
    expect(sw('00200001')).toBe('63C3');
  });

  it('rejects unknown PIN references and P1 values', () => {
    expect(sw('0020000204 31323334')).toBe('6A88');
    expect(sw('0020010104 31323334')).toBe('6A86');
  });

  it('clears the verified state on reset, power-off and selection of another application', () => {
    const verifyAndRead = (): string => {
      expect(sw('00A4040C06 A00000000101')).toBe('9000');
      sw('0020000104 31323334');
      return sw('00A4080C04 1000 1002') + sw('00B0000001');
    };
    expect(verifyAndRead()).toBe('90009000');
    card.reset();
    expect(sw('00A4080C04 1000 1002') + sw('00B0000001')).toBe('90006982');
    expect(verifyAndRead()).toBe('90009000');
    card.powerOff();
    card.powerOn();
    expect(sw('00A4080C04 1000 1002') + sw('00B0000001')).toBe('90006982');
    expect(verifyAndRead()).toBe('90009000');
    expect(sw('00A4040C06 A00000000202')).toBe('9000');
    expect(sw('00A4080C04 1000 1002') + sw('00B0000001')).toBe('90006982');
  });

  it('keeps a PIN verified at MF level when entering the first application (CryptoLib order)', () => {
    expect(sw('00A4000C02 3F00')).toBe('9000');
    expect(sw('0020000104 31323334')).toBe('9000');
    expect(sw('00A4080C04 1000 1002') + sw('00B0000001')).toBe('90009000');
  });

  it('answers the tries counter with 61xx then 9A/9B through GET RESPONSE', () => {
    const announce = tries();
    expect(announce.slice(0, 2)).toBe('61');
    const reply = send(`00C00000${announce.slice(2)}`);
    expect(reply).toBe('700CBF810108A0069A01039B01039000');
    sw('0020000104 30303030');
    expect(send(`00C00000${tries().slice(2)}`)).toContain('9B0102');
  });

  it('rejects malformed GET DATA requests', () => {
    expect(sw('00CB3FFF0A 4D08 7006 BF8102 02 A080')).toBe('6A88');
    expect(sw('00CB3FFF03 4D0100')).toBe('6A80');
    expect(sw('00CB0000')).toBe('6A88');
  });
});

describe('GET RESPONSE', () => {
  it('answers 6Cxx to a too-long Le, chains shorter ones, and 6985 without pending data', () => {
    const announce = send('00A4000402 0002');
    const length = Number.parseInt(announce.slice(2), 16);
    expect(send('00C0000000')).toBe(`6C${length.toString(16).padStart(2, '0').toUpperCase()}`);
    const part = send('00C0000002');
    expect(part.slice(-4)).toBe(`61${(length - 2).toString(16).padStart(2, '0').toUpperCase()}`);
    expect(send(`00C00000${(length - 2).toString(16).padStart(2, '0')}`).slice(-4)).toBe('9000');
    expect(sw('00C0000001')).toBe('6985');
  });

  it('drops the pending response when another command comes in, and on reset', () => {
    send('00A4000402 0002');
    sw('00A4000C02 3F00');
    expect(sw('00C0000001')).toBe('6985');
    send('00A4000402 0002');
    card.reset();
    expect(sw('00C0000001')).toBe('6985');
  });
});

describe('shipped profiles on the emulator', () => {
  it('a Vitale answers the Rufus sequence', () => {
    card = createVirtualCard(profile('vitale-pat-trois'));
    expect(send('00A4000002 3F00').slice(0, 2)).toBe('61');
    const identity = send('00B0820000');
    expect(identity.slice(-4)).toBe('9000'); // 512-byte zero-padded file: full 256-byte chunk
    expect(Buffer.from(identity.slice(0, -4), 'hex').toString('latin1')).toContain('PAT-TROIS');
    expect(sw('00A404000B D250000002564954414C45').slice(0, 2)).toBe('61');
    expect(Buffer.from(send('00B0820000').slice(0, -4), 'hex').toString('latin1')).toContain(
      '279035121518989',
    );
  });

  it('a CPS exposes EF.SN.ICC with the ANS issuer id at offset 2', () => {
    card = createVirtualCard(profile('cps-medecin-generaliste'));
    expect(sw('00A4090C04 3F00D003')).toBe('9000');
    expect(send('00B000000C')).toMatch(/^5A0A8025000001[0-9A-F]{10}9000$/);
  });
});
