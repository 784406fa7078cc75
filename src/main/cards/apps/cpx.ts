import type { CpxCardInfo, CpxHolder, PinState, PracticeSituation } from '../../../shared/contract/cards';
import { atrHex } from '../atr';
import { CardError } from '../errors';
import { bytesEqual, fromHex, toHex } from '../hex';
import { transmitT0 } from '../iso7816/t0';
import { swHex } from '../iso7816/status-words';
import { childTlv, findTlv, type TlvNode } from '../iso7816/tlv';
import type { CardSession } from '../transport/card-transport';
import { cardStatusFrom } from './card-status';
import { civilityLabels, practiceModeLabels, specialtyLabels } from './cpx-codes';
import { toHealthProfession, professionLabel } from '../../domain/professions';
import { decodeUtf8, parseTlvOrThrow, readBinaryAll, select } from './file-io';

/** IAS-ECC PKCS#15 application of CPS3 (contact), ANS CryptoLib card-cps3.c. */
export const CPX_PKCS15_AID = fromHex('E8 28 BD 08 0F 80 25 00 00 01 FF 00 10');
/** Issuer id at offset 2 of EF.SN.ICC: the card-match test of CryptoLib. */
export const CPX_ISSUER_ID = fromHex('80 25 00 00 01');
export const PATH_SN_ICC = fromHex('3F00 D003');
/** Project-defined (docs/cards.md): public holder identity, then up to 16 PIN-protected situations. */
export const PATH_HOLDER = fromHex('3F00 0001 D100');
export const SITUATION_FIDS = Array.from({ length: 16 }, (_, i) => 0xd120 + i);
/** Project-defined PIN reference of the "code porteur" (the real one is in the card's AODF). */
export const CPX_PIN_REFERENCE = 0x01;

const TAG_HOLDER = 0xe0;
const TAG_SITUATION = 0xe1;

/** Reads what a CPS/CPE shows without PIN: serial, tries counter, holder identity. */
export async function readCpxPublic(session: CardSession): Promise<CpxCardInfo> {
  const serial = await readSerial(session);
  await selectCpxApplication(session);
  const pin = await readPinState(session, CPX_PIN_REFERENCE);
  const holderFile = await selectAndRead(session, PATH_HOLDER, 'CPx holder');
  if (!holderFile) throw new CardError('malformed', { detail: 'CPx holder file not found' });
  const nodes = parseTlvOrThrow(holderFile, 'CPx holder');
  const { kind, holder } = decodeHolder(nodes);
  return { kind, atr: atrHex(session.atr), serial, status: cardStatusFrom(nodes), holder, pin };
}

async function readSerial(session: CardSession): Promise<string> {
  const bytes = await selectAndRead(session, PATH_SN_ICC, 'EF.SN.ICC');
  if (!bytes || bytes.length < 12 || !bytesEqual(bytes.slice(2, 7), CPX_ISSUER_ID)) {
    throw new CardError('not-cpx', { detail: 'EF.SN.ICC missing or without the ANS issuer id' });
  }
  return toHex(bytes.slice(7, 12));
}

/** null when the file does not exist (6A82). */
async function selectAndRead(
  session: CardSession,
  path: Uint8Array,
  what: string,
): Promise<Uint8Array | null> {
  const selected = await select(session, 'path-from-mf', path);
  if (selected.sw === 0x6a82) return null;
  if (selected.sw === 0x6982)
    throw new CardError('status', { detail: `SELECT ${what}: security status not satisfied` });
  if (selected.sw !== 0x9000)
    throw new CardError('status', { detail: `SELECT ${what}: SW ${swHex(selected.sw)}` });
  return readBinaryAll(session, { what, maxSize: 4096 });
}

/**
 * Selects the IAS-ECC application. Needed before GET DATA / VERIFY: the PIN belongs to it, and
 * selecting it afterwards would drop the verified state (ISO 7816-4 application change).
 */
export async function selectCpxApplication(session: CardSession): Promise<void> {
  const response = await select(session, 'aid', CPX_PKCS15_AID);
  if (response.sw !== 0x9000)
    throw new CardError('not-cpx', { detail: `SELECT IAS-ECC AID: SW ${swHex(response.sw)}` });
}

/** GET DATA of the IAS-ECC tries-counter object, read before asking for the PIN (cards.md §1.2). */
export async function readPinState(session: CardSession, reference: number): Promise<PinState> {
  const data = Uint8Array.of(0x4d, 0x08, 0x70, 0x06, 0xbf, 0x81, reference, 0x02, 0xa0, 0x80);
  const response = await transmitT0(session, { cla: 0x00, ins: 0xcb, p1: 0x3f, p2: 0xff, data, le: 256 });
  if (response.sw !== 0x9000)
    throw new CardError('status', { detail: `GET DATA tries counter: SW ${swHex(response.sw)}` });
  const nodes = parseTlvOrThrow(response.data, 'tries counter');
  const max = findTlv(nodes, 0x9a)?.value[0];
  const left = findTlv(nodes, 0x9b)?.value[0];
  if (max === undefined || left === undefined || max < 1 || left > max) {
    throw new CardError('malformed', { detail: 'tries counter without a consistent 9A/9B' });
  }
  return { triesLeft: left, triesMax: max, blocked: left === 0 };
}

function isPinDigits(pin: Uint8Array): boolean {
  return pin.length >= 4 && pin.length <= 8 && pin.every((b) => b >= 0x30 && b <= 0x39);
}

/**
 * One VERIFY, never retried. The caller's PIN buffer and every APDU buffer that held it are
 * zeroed whatever happens.
 */
export async function verifyCpxPin(
  session: CardSession,
  pin: Uint8Array,
  known: PinState,
  reference: number = CPX_PIN_REFERENCE,
): Promise<{ success: boolean; pin: PinState }> {
  const data = pin.slice();
  try {
    if (!isPinDigits(data)) throw new CardError('pin-format');
    const response = await transmitT0(
      session,
      { cla: 0x00, ins: 0x20, p1: 0x00, p2: reference, data },
      { sensitive: true },
    );
    if (response.sw === 0x9000) {
      return { success: true, pin: { triesLeft: known.triesMax, triesMax: known.triesMax, blocked: false } };
    }
    if (response.sw1 === 0x63 && (response.sw2 & 0xf0) === 0xc0) {
      const left = response.sw2 & 0x0f;
      return { success: false, pin: { triesLeft: left, triesMax: known.triesMax, blocked: left === 0 } };
    }
    if (response.sw === 0x6983) throw new CardError('pin-blocked', { detail: 'VERIFY: 6983' });
    throw new CardError('status', { detail: `VERIFY: SW ${swHex(response.sw)}` });
  } finally {
    data.fill(0);
    pin.fill(0);
  }
}

/** PIN-protected practice situations; call only after a successful VERIFY in the same session. */
export async function readCpxSituations(session: CardSession): Promise<PracticeSituation[]> {
  const situations: PracticeSituation[] = [];
  for (const fid of SITUATION_FIDS) {
    const path = Uint8Array.of(0x3f, 0x00, 0x00, 0x01, fid >> 8, fid & 0xff);
    const bytes = await selectAndRead(session, path, `situation ${fid.toString(16)}`);
    if (!bytes) break;
    const entry = findTlv(parseTlvOrThrow(bytes, 'situation'), TAG_SITUATION);
    if (!entry) continue; // an empty slot: the card keeps 16 files and fills them in order
    situations.push(decodeSituation(entry));
  }
  return situations;
}

const text = (node: TlvNode, tag: number, what: string): string | undefined => {
  const child = childTlv(node, tag);
  return child ? decodeUtf8(child.value, what) : undefined;
};

export function decodeHolder(nodes: readonly TlvNode[]): { kind: CpxCardInfo['kind']; holder: CpxHolder } {
  const root = findTlv(nodes, TAG_HOLDER);
  if (!root) throw new CardError('malformed', { detail: 'CPx holder template E0 missing' });
  const cardType = text(root, 0x80, 'card type');
  const kind =
    cardType === 'CPS'
      ? 'cps'
      : cardType === 'CPE' || cardType === 'CPA'
        ? 'cpe'
        : cardType === 'CPF'
          ? 'cpf'
          : null;
  if (!kind) throw new CardError('malformed', { detail: 'CPx card type unknown' });
  const nationalId = text(root, 0x82, 'national id') ?? '';
  const nationalIdType = /^8\d{11}$/.test(nationalId) ? 'RPPS' : /^0\d{9}$/.test(nationalId) ? 'ADELI' : null;
  if (!nationalIdType)
    throw new CardError('malformed', {
      detail: `CPx national id not 8+RPPS / 0+ADELI (${nationalId.length} chars)`,
    });
  const lastName = text(root, 0x84, 'last name');
  const firstName = text(root, 0x85, 'first name') ?? '';
  if (!lastName) throw new CardError('malformed', { detail: 'CPx holder last name missing' });
  const civilityCode = text(root, 0x83, 'civility');
  const professionCode = text(root, 0x86, 'profession') ?? '';
  const specialtyCode = text(root, 0x87, 'specialty');
  const role = text(root, 0x88, 'role');
  const holder: CpxHolder = {
    nationalId,
    nationalIdType,
    lastName,
    firstName,
    professionCode,
    professionLabel:
      (toHealthProfession(professionCode) ? professionLabel(professionCode) : undefined) ??
      role ??
      (professionCode ? `Profession ${professionCode}` : 'Personnel non professionnel de santé'),
    situations: [],
  };
  if (civilityCode) holder.civility = civilityLabels[civilityCode] ?? civilityCode;
  if (specialtyCode) {
    holder.specialtyCode = specialtyCode;
    holder.specialtyLabel = specialtyLabels[specialtyCode] ?? specialtyCode;
  }
  return { kind, holder };
}

function decodeSituation(entry: TlvNode): PracticeSituation {
  const label = text(entry, 0x80, 'situation label');
  if (!label) throw new CardError('malformed', { detail: 'situation without label' });
  const situation: PracticeSituation = { label };
  const mode = text(entry, 0x81, 'situation mode');
  const sector = text(entry, 0x82, 'situation sector');
  const structureId = text(entry, 0x83, 'situation structure');
  if (mode) situation.mode = practiceModeLabels[mode] ?? mode;
  if (sector) situation.sector = sector;
  if (structureId) situation.structureId = structureId;
  return situation;
}
