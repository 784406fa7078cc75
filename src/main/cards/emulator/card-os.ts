import { bytesEqual, concatBytes, fromHex } from '../hex';
import { decodeApdu, type DecodedCommandApdu } from '../iso7816/apdu';
import { encodeTlv } from '../iso7816/tlv';
import {
  applicationOf,
  buildFileSystem,
  findDfByAid,
  type DfNode,
  type EfNode,
  type FileNode,
} from './file-system';
import type { CardProfile } from './profile';
import type { VirtualCard } from './virtual-card';

const SW = {
  ok: 0x9000,
  eof: 0x6282,
  wrongLength: 0x6700,
  incompatibleFile: 0x6981,
  securityNotSatisfied: 0x6982,
  blocked: 0x6983,
  conditionsNotSatisfied: 0x6985,
  noCurrentEf: 0x6986,
  badData: 0x6a80,
  fileNotFound: 0x6a82,
  recordNotFound: 0x6a83,
  badP1P2: 0x6a86,
  dataNotFound: 0x6a88,
  offsetOutOfRange: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  noPreciseDiagnosis: 0x6f00,
} as const;

function sw(word: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = word >> 8;
  out[data.length + 1] = word & 0xff;
  return out;
}

/** Tries-counter object (`BF81<ref>` in GET DATA 3FFF) as IAS-ECC cards and CPS3 answer it. */
const TRIES_TAG_PREFIX = 0xbf8100;

/**
 * An ISO 7816-4 card OS over a declarative profile, behaving like a T=0 card: data produced by a
 * case-3/4 command is announced with 61xx and fetched by GET RESPONSE, a case-2 command with the
 * wrong Le gets 6Cxx. Security state, current file and pending response live in RAM and are lost
 * on power-off, reset and application change; the PIN tries counter is "EEPROM" and survives.
 */
export class EmulatedCard implements VirtualCard {
  readonly atr: Uint8Array;
  private readonly mf: DfNode;
  private readonly pin: { reference: number; value: Uint8Array; triesMax: number } | null;
  private triesLeft: number;
  private currentDf: DfNode;
  private currentEf: EfNode | null = null;
  private currentApp: DfNode | null = null;
  private pinVerified = false;
  private pending: Uint8Array | null = null;

  constructor(profile: CardProfile) {
    this.atr = fromHex(profile.atr);
    this.mf = buildFileSystem(profile.fileSystem);
    this.currentDf = this.mf;
    this.pin = profile.pin
      ? {
          reference: Number.parseInt(profile.pin.reference, 16),
          value: new TextEncoder().encode(profile.pin.value),
          triesMax: profile.pin.triesMax,
        }
      : null;
    this.triesLeft = profile.pin?.triesLeft ?? 0;
  }

  powerOn(): void {
    this.clearVolatileState();
  }

  powerOff(): void {
    this.clearVolatileState();
  }

  reset(): void {
    this.clearVolatileState();
  }

  transmit(apdu: Uint8Array): Uint8Array {
    try {
      return this.process(apdu);
    } catch {
      // A bug in the emulator must look like a sick card to the host, never like a crash.
      return sw(SW.noPreciseDiagnosis);
    }
  }

  private clearVolatileState(): void {
    this.currentDf = this.mf;
    this.currentEf = null;
    this.currentApp = null;
    this.pinVerified = false;
    this.pending = null;
  }

  private process(bytes: Uint8Array): Uint8Array {
    const decoded = decodeApdu(bytes);
    if (!decoded.ok) return sw(SW.wrongLength);
    const apdu = decoded.apdu;
    if (apdu.cla !== 0x00) return sw(SW.claNotSupported);
    if (apdu.ins !== 0xc0) this.pending = null;
    switch (apdu.ins) {
      case 0xa4:
        return this.select(apdu);
      case 0xb0:
        return this.readBinary(apdu);
      case 0xb2:
        return this.readRecord(apdu);
      case 0xca:
      case 0xcb:
        return this.getData(apdu);
      case 0x20:
        return this.verify(apdu);
      case 0xc0:
        return this.getResponse(apdu);
      default:
        return sw(SW.insNotSupported);
    }
  }

  /** T=0 delivery of response data (see class comment). */
  private respond(data: Uint8Array, apdu: DecodedCommandApdu): Uint8Array {
    if (data.length === 0) return sw(SW.ok);
    if (apdu.case !== 2) return this.announce(data);
    const le = apdu.le ?? 256;
    if (data.length === le) return sw(SW.ok, data);
    if (data.length > 256) {
      this.pending = data.slice(le);
      return sw(0x6100 | (Math.min(this.pending.length, 256) % 256), data.slice(0, le));
    }
    return sw(0x6c00 | (data.length % 256));
  }

  private announce(data: Uint8Array): Uint8Array {
    this.pending = data;
    return sw(0x6100 | (Math.min(data.length, 256) % 256));
  }

  private getResponse(apdu: DecodedCommandApdu): Uint8Array {
    const pending = this.pending;
    if (!pending) return sw(SW.conditionsNotSatisfied);
    if (apdu.case !== 2 || apdu.p1 !== 0 || apdu.p2 !== 0)
      return sw(apdu.case !== 2 ? SW.wrongLength : SW.badP1P2);
    const le = apdu.le ?? 256;
    if (le > pending.length) return sw(0x6c00 | (pending.length % 256));
    const chunk = pending.slice(0, le);
    const rest = pending.slice(le);
    if (rest.length === 0) {
      this.pending = null;
      return sw(SW.ok, chunk);
    }
    this.pending = rest;
    return sw(0x6100 | (Math.min(rest.length, 256) % 256), chunk);
  }

  // SELECT ------------------------------------------------------------------------------------

  private select(apdu: DecodedCommandApdu): Uint8Array {
    if (apdu.p2 !== 0x00 && apdu.p2 !== 0x04 && apdu.p2 !== 0x0c) return sw(SW.badP1P2);
    const data = apdu.data ?? new Uint8Array(0);
    let target: FileNode | null | 'bad-data';
    switch (apdu.p1) {
      case 0x00:
        target = data.length === 0 ? this.mf : data.length === 2 ? this.byFid(fidOf(data, 0)) : 'bad-data';
        break;
      case 0x02:
        target = data.length === 2 ? this.childOf(this.currentDf, fidOf(data, 0), 'ef') : 'bad-data';
        break;
      case 0x04:
        target = data.length >= 5 && data.length <= 16 ? findDfByAid(this.mf, data) : 'bad-data';
        break;
      case 0x08:
        target = this.byPath(this.mf, data);
        break;
      case 0x09:
        target = this.byPath(this.currentDf, data);
        break;
      default:
        return sw(SW.badP1P2);
    }
    if (target === 'bad-data') return sw(SW.badData);
    if (!target) return sw(SW.fileNotFound);
    this.makeCurrent(target);
    if (apdu.p2 === 0x0c) return sw(SW.ok);
    const fcp = this.fcp(target);
    return this.respond(apdu.p2 === 0x04 ? encodeTlv(0x62, fcp) : encodeTlv(0x6f, fcp), apdu);
  }

  private makeCurrent(target: FileNode): void {
    const app = applicationOf(target);
    if (app && app !== this.currentApp) {
      // Switching from one application to another drops the security state (ISO 7816-4 §7.1.1).
      // Entering an application from the MF does not: CryptoLib verifies the CPS3 PIN with the MF
      // selected, then reads the situations under 3F00/0001.
      if (this.currentApp) this.pinVerified = false;
      this.currentApp = app;
    }
    if (target.type === 'df') {
      this.currentDf = target;
      this.currentEf = null;
    } else {
      this.currentDf = target.parent;
      this.currentEf = target;
    }
  }

  private byFid(fid: number): FileNode | null {
    if (fid === 0x3f00) return this.mf;
    if (fid === this.currentDf.fid) return this.currentDf;
    const child = this.childOf(this.currentDf, fid);
    if (child) return child;
    const parent = this.currentDf.parent;
    if (parent && parent.fid === fid) return parent;
    return parent ? this.childOf(parent, fid) : null;
  }

  private childOf(df: DfNode, fid: number, type?: 'ef' | 'df'): FileNode | null {
    return (
      df.children.find((child) => child.fid === fid && (type === undefined || child.type === type)) ?? null
    );
  }

  /** P1=08/09 paths; a leading 3F00 means "from the MF" whatever the starting point. */
  private byPath(start: DfNode, data: Uint8Array): FileNode | null | 'bad-data' {
    if (data.length === 0 || data.length % 2 !== 0) return 'bad-data';
    let node: FileNode = start;
    let offset = 0;
    if (fidOf(data, 0) === 0x3f00) {
      node = this.mf;
      offset = 2;
    }
    for (; offset < data.length; offset += 2) {
      if (node.type !== 'df') return null;
      const next = this.childOf(node, fidOf(data, offset));
      if (!next) return null;
      node = next;
    }
    return node;
  }

  private fcp(node: FileNode): Uint8Array {
    const parts: Uint8Array[] = [];
    if (node.type === 'ef') {
      const size = node.content ? node.content.length : node.records.reduce((n, r) => n + r.length, 0);
      parts.push(encodeTlv(0x80, Uint8Array.of(size >> 8, size & 0xff)));
      parts.push(encodeTlv(0x82, Uint8Array.of(node.content ? 0x01 : 0x02)));
      parts.push(encodeTlv(0x83, Uint8Array.of(node.fid >> 8, node.fid & 0xff)));
      if (node.sfi !== null) parts.push(encodeTlv(0x88, Uint8Array.of(node.sfi << 3)));
    } else {
      parts.push(encodeTlv(0x82, Uint8Array.of(0x38)));
      parts.push(encodeTlv(0x83, Uint8Array.of(node.fid >> 8, node.fid & 0xff)));
      if (node.aid) parts.push(encodeTlv(0x84, node.aid));
    }
    return concatBytes(...parts);
  }

  // READ BINARY / READ RECORD -----------------------------------------------------------------

  private efBySfi(sfi: number): EfNode | null {
    const found = this.currentDf.children.find((child) => child.type === 'ef' && child.sfi === sfi);
    return found && found.type === 'ef' ? found : null;
  }

  private readBinary(apdu: DecodedCommandApdu): Uint8Array {
    if (apdu.case !== 2) return sw(SW.wrongLength);
    let ef: EfNode | null;
    let offset: number;
    if (apdu.p1 & 0x80) {
      if (apdu.p1 & 0x60) return sw(SW.badP1P2);
      ef = this.efBySfi(apdu.p1 & 0x1f);
      if (!ef) return sw(SW.fileNotFound);
      this.makeCurrent(ef);
      offset = apdu.p2;
    } else {
      ef = this.currentEf;
      if (!ef) return sw(SW.noCurrentEf);
      offset = ((apdu.p1 & 0x7f) << 8) | apdu.p2;
    }
    if (!ef.content) return sw(SW.incompatibleFile);
    if (ef.access === 'pin' && !this.pinVerified) return sw(SW.securityNotSatisfied);
    if (offset >= ef.content.length) return sw(SW.offsetOutOfRange);
    const le = apdu.le ?? 256;
    const chunk = ef.content.slice(offset, offset + le);
    return sw(chunk.length < le ? SW.eof : SW.ok, chunk);
  }

  private readRecord(apdu: DecodedCommandApdu): Uint8Array {
    if (apdu.case !== 2) return sw(SW.wrongLength);
    if ((apdu.p2 & 0x07) !== 0x04) return sw(SW.badP1P2);
    const sfi = apdu.p2 >> 3;
    let ef: EfNode | null;
    if (sfi === 0) {
      ef = this.currentEf;
      if (!ef) return sw(SW.noCurrentEf);
    } else {
      ef = this.efBySfi(sfi);
      if (!ef) return sw(SW.fileNotFound);
      this.makeCurrent(ef);
    }
    if (ef.content) return sw(SW.incompatibleFile);
    if (ef.access === 'pin' && !this.pinVerified) return sw(SW.securityNotSatisfied);
    const record = apdu.p1 === 0 ? undefined : ef.records[apdu.p1 - 1];
    if (!record) return sw(SW.recordNotFound);
    return this.respond(record, apdu);
  }

  // GET DATA (tries counter) and VERIFY -------------------------------------------------------

  private getData(apdu: DecodedCommandApdu): Uint8Array {
    if (apdu.p1 !== 0x3f || apdu.p2 !== 0xff || !apdu.data) return sw(SW.dataNotFound);
    // An extended header list (ISO 7816-4 §8.5.1), not plain BER: `A0 80` names the A0 object, so
    // the request is matched as the fixed IAS-ECC pattern rather than parsed as TLV.
    const request = apdu.data;
    const prefix = [0x4d, 0x08, 0x70, 0x06, 0xbf, 0x81];
    const suffix = [0x02, 0xa0, 0x80];
    if (
      request.length !== 10 ||
      !prefix.every((b, i) => request[i] === b) ||
      !suffix.every((b, i) => request[7 + i] === b)
    ) {
      return sw(SW.badData);
    }
    const reference = request[6] ?? 0;
    const objectTag = TRIES_TAG_PREFIX | reference;
    if (!this.pin || reference !== this.pin.reference) return sw(SW.dataNotFound);
    const counters = encodeTlv(
      0xa0,
      concatBytes(
        encodeTlv(0x9a, Uint8Array.of(this.pin.triesMax)),
        encodeTlv(0x9b, Uint8Array.of(this.triesLeft)),
      ),
    );
    return this.respond(encodeTlv(0x70, encodeTlv(objectTag, counters)), apdu);
  }

  private verify(apdu: DecodedCommandApdu): Uint8Array {
    if (apdu.p1 === 0xff) {
      this.pinVerified = false;
      return sw(SW.ok);
    }
    if (apdu.p1 !== 0x00) return sw(SW.badP1P2);
    if (!this.pin || apdu.p2 !== this.pin.reference) return sw(SW.dataNotFound);
    const candidate = apdu.data;
    if (!candidate || candidate.length === 0) {
      if (this.triesLeft === 0) return sw(SW.blocked);
      return sw(this.pinVerified ? SW.ok : 0x63c0 | this.triesLeft);
    }
    try {
      if (this.triesLeft === 0) return sw(SW.blocked);
      if (bytesEqual(candidate, this.pin.value)) {
        this.triesLeft = this.pin.triesMax;
        this.pinVerified = true;
        return sw(SW.ok);
      }
      this.triesLeft -= 1;
      this.pinVerified = false;
      return sw(0x63c0 | this.triesLeft);
    } finally {
      candidate.fill(0);
    }
  }
}

function fidOf(data: Uint8Array, offset: number): number {
  return ((data[offset] ?? 0) << 8) | (data[offset + 1] ?? 0);
}

export function createVirtualCard(profile: CardProfile): VirtualCard {
  return new EmulatedCard(profile);
}
