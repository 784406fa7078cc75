import type { VirtualCard } from '../../../src/main/cards/emulator/virtual-card';

/**
 * Small hand-written cards for transport tests, independent of the emulator's profiles: a Vitale 2
 * identity file, a PIN with a tries counter, and a long response served in `61xx` chunks.
 */

export const VITALE_ATR = Uint8Array.of(0x3b, 0x75, 0x13, 0x00, 0x00, 0x47, 0x09, 0xea, 0x90, 0x00);
export const CPS3_ATR = Uint8Array.of(
  0x3b,
  0xac,
  0x00,
  0x40,
  0x2a,
  0x00,
  0x12,
  0x25,
  0x00,
  0x64,
  0x80,
  0x00,
  0x03,
  0x10,
  0x00,
  0x90,
  0x00,
);
export const VITALE_AID = Uint8Array.of(0xd2, 0x50, 0x00, 0x00, 0x02, 0x56, 0x49, 0x54, 0x41, 0x4c, 0x45);
const GET_RESPONSE_INS = 0xc0;

const sw = (value: number): Uint8Array => Uint8Array.of(value >> 8, value & 0xff);
const withSw = (data: Uint8Array, value: number): Uint8Array => {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out.set(sw(value), data.length);
  return out;
};

function ascii(text: string): number[] {
  return [...Buffer.from(text, 'ascii')];
}

function tlv(tag: number, value: number[]): number[] {
  if (value.length > 127) throw new RangeError('test TLV too long');
  return [tag, value.length, ...value];
}

/** BER-TLV `65{80 nom, 81 prénom, 82 YYYYMMDD, 93 NIR}` per beneficiary, zero-padded like real files. */
export function vitaleIdentityFile(
  beneficiaries: { lastName: string; firstName: string; birth: string; nir: string }[],
): Uint8Array {
  const body = beneficiaries.flatMap((b) =>
    tlv(0x65, [
      ...tlv(0x80, ascii(b.lastName)),
      ...tlv(0x81, ascii(b.firstName)),
      ...tlv(0x82, ascii(b.birth)),
      ...tlv(0x93, ascii(b.nir)),
    ]),
  );
  return Uint8Array.from([...body, ...new Array<number>(16).fill(0)]);
}

export interface TestCardOptions {
  atr?: Uint8Array;
  identity?: Uint8Array;
  pin?: string;
  pinTries?: number;
  /** Bytes served by GET DATA `00 CA 01 00 00`, answered `61xx` + GET RESPONSE chunks of at most 256. */
  longData?: Uint8Array;
  /** Called for each APDU (tests use it to stall or count). */
  onApdu?: (apdu: Uint8Array) => void;
}

export class TestCard implements VirtualCard {
  readonly atr: Uint8Array;
  private triesLeft: number;
  private pending: Uint8Array | null = null;
  private selected = false;
  powerOns = 0;

  constructor(private readonly options: TestCardOptions = {}) {
    this.atr = options.atr ?? VITALE_ATR;
    this.triesLeft = options.pinTries ?? 3;
  }

  get pinTriesLeft(): number {
    return this.triesLeft;
  }

  powerOn(): void {
    this.powerOns++;
    this.clear();
  }
  powerOff(): void {
    this.clear();
  }
  reset(): void {
    this.clear();
  }

  private clear(): void {
    this.pending = null;
    this.selected = false;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    this.options.onApdu?.(apdu);
    if (apdu.length < 4) return sw(0x6700);
    const [, ins = 0, p1 = 0, p2 = 0] = apdu;
    if (ins !== GET_RESPONSE_INS) this.pendingReset();
    switch (ins) {
      case 0xa4:
        return this.select(apdu.subarray(5, 5 + (apdu[4] ?? 0)), p1);
      case 0xb0:
        return this.readBinary(p1, p2, apdu[4] ?? 0);
      case 0x20:
        return this.verify(apdu.subarray(5, 5 + (apdu[4] ?? 0)));
      case 0xca:
        return this.getData();
      case GET_RESPONSE_INS:
        return this.getResponse(apdu[4] ?? 0);
      default:
        return sw(0x6d00);
    }
  }

  private pendingReset(): void {
    this.pending = null;
  }

  private select(data: Uint8Array, p1: number): Uint8Array {
    if (p1 === 0x04 && Buffer.from(data).equals(Buffer.from(VITALE_AID))) {
      this.selected = true;
      return sw(0x9000);
    }
    if (p1 === 0x00 && data.length === 2 && data[0] === 0x3f && data[1] === 0x00) return sw(0x9000);
    return sw(0x6a82);
  }

  private readBinary(p1: number, p2: number, le: number): Uint8Array {
    const identity = this.options.identity;
    if (!identity || !this.selected) return sw(0x6986);
    if ((p1 & 0x80) === 0 || (p1 & 0x1f) !== 2) return sw(0x6a82);
    const wanted = le === 0 ? 256 : le;
    const chunk = identity.subarray(p2, p2 + wanted);
    return withSw(chunk, chunk.length < wanted ? 0x6282 : 0x9000);
  }

  private verify(pin: Uint8Array): Uint8Array {
    if (this.options.pin === undefined) return sw(0x6d00);
    if (this.triesLeft === 0) return sw(0x6983);
    if (Buffer.from(pin).toString('ascii') === this.options.pin) {
      this.triesLeft = this.options.pinTries ?? 3;
      return sw(0x9000);
    }
    this.triesLeft--;
    return this.triesLeft === 0 ? sw(0x6983) : sw(0x63c0 | this.triesLeft);
  }

  private getData(): Uint8Array {
    const data = this.options.longData;
    if (!data) return sw(0x6a88);
    this.pending = data;
    return sw(0x6100 | (Math.min(data.length, 256) % 256));
  }

  private getResponse(le: number): Uint8Array {
    const pending = this.pending;
    if (!pending) return sw(0x6985);
    const wanted = le === 0 ? 256 : le;
    const chunk = pending.subarray(0, wanted);
    const rest = pending.subarray(chunk.length);
    this.pending = rest.length > 0 ? rest : null;
    return withSw(chunk, rest.length > 0 ? 0x6100 | (Math.min(rest.length, 256) % 256) : 0x9000);
  }
}
