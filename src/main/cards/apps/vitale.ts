import type { Beneficiary, VitaleCardInfo } from '../../../shared/contract/cards';
import { matriculeKeyValid } from '../../../shared/identity/ins';
import { atrHex } from '../atr';
import { CardError } from '../errors';
import { fromHex } from '../hex';
import { swHex } from '../iso7816/status-words';
import { childTlv, findAllTlv, type TlvNode } from '../iso7816/tlv';
import type { CardSession } from '../transport/card-transport';
import { cardStatusFrom } from './card-status';
import { decodeLatin1, parseTlvOrThrow, readBinaryAll, select } from './file-io';

/** AID "VITALE" under the national RID D2 50 (Cardpeek vitale_2.lua, Rufus lecteurvitale.cpp). */
export const VITALE_AID = fromHex('D2 50 00 00 02 56 49 54 41 4C 45');
export const MF = fromHex('3F00');
/** Identity and NIR both sit in the EF with SFI 2 (under the MF, resp. the VITALE application). */
export const VITALE_DATA_SFI = 2;

const TAG_BENEFICIARY = 0x65;
const TAG_LAST_NAME = 0x80;
const TAG_FIRST_NAME = 0x81;
const TAG_BIRTH_DATE = 0x82;
/** Project-defined (docs/cards.md): the on-card coding of the rang de naissance is not public. One ASCII digit. */
const TAG_BIRTH_RANK = 0x83;
const TAG_NIR = 0x93;

/**
 * Reads a Vitale 2 the way Rufus does (field-tested on real readers): SELECT MF, READ BINARY
 * SFI 2 for the beneficiaries, SELECT the VITALE AID, READ BINARY SFI 2 for the NIR file. A NIR
 * inside a beneficiary's `65` wins; otherwise NIRs of the NIR file are matched by order, or the
 * single ouvrant-droit NIR applies to every beneficiary.
 */
export async function readVitale(session: CardSession): Promise<VitaleCardInfo> {
  const mf = await select(session, 'fid', MF, 0x00);
  if (mf.sw !== 0x9000) throw new CardError('status', { detail: `SELECT MF: SW ${swHex(mf.sw)}` });
  const identity = parseTlvOrThrow(
    await readBinaryAll(session, { sfi: VITALE_DATA_SFI, what: 'Vitale identity' }),
    'Vitale identity',
  );
  const app = await select(session, 'aid', VITALE_AID, 0x00);
  let nirFile: TlvNode[] = [];
  if (app.sw === 0x9000) {
    nirFile = parseTlvOrThrow(
      await readBinaryAll(session, { sfi: VITALE_DATA_SFI, what: 'Vitale NIR' }),
      'Vitale NIR',
    );
  } else if (app.sw !== 0x6a82) {
    throw new CardError('status', { detail: `SELECT VITALE: SW ${swHex(app.sw)}` });
  }
  return {
    kind: 'vitale',
    atr: atrHex(session.atr),
    status: cardStatusFrom([...identity, ...nirFile]),
    beneficiaries: decodeBeneficiaries(identity, nirFile),
  };
}

export function decodeBeneficiaries(
  identity: readonly TlvNode[],
  nirFile: readonly TlvNode[],
): Beneficiary[] {
  const entries = findAllTlv(identity, TAG_BENEFICIARY);
  if (entries.length === 0)
    throw new CardError('malformed', { detail: 'Vitale identity file has no beneficiary (tag 65)' });
  const fileNirs = findAllTlv(nirFile, TAG_NIR).map((n) => decodeLatin1(n.value));
  return entries.map((entry, index) => {
    const lastName = requiredText(entry, TAG_LAST_NAME, index);
    const firstName = requiredText(entry, TAG_FIRST_NAME, index);
    const birthDate = decodeBirthDate(entry, index);
    const own = childTlv(entry, TAG_NIR);
    const nir = own
      ? decodeLatin1(own.value)
      : fileNirs.length === entries.length
        ? (fileNirs[index] ?? '')
        : (fileNirs[0] ?? '');
    const rank = childTlv(entry, TAG_BIRTH_RANK);
    const birthRank = rank ? Number(decodeLatin1(rank.value)) : NaN;
    return {
      index,
      lastName,
      firstName,
      birthDate,
      nir,
      nirKeyValid: matriculeKeyValid(nir),
      ...(Number.isInteger(birthRank) && birthRank >= 1 && birthRank <= 9 ? { birthRank } : {}),
    };
  });
}

function requiredText(entry: TlvNode, tag: number, index: number): string {
  const node = childTlv(entry, tag);
  const text = node ? decodeLatin1(node.value) : '';
  if (!text)
    throw new CardError('malformed', {
      detail: `beneficiary ${index}: tag ${tag.toString(16)} missing or empty`,
    });
  return text;
}

/** ASCII YYYYMMDD; day or month `00` (unknown) are kept as written, per the card. */
function decodeBirthDate(entry: TlvNode, index: number): string {
  const node = childTlv(entry, TAG_BIRTH_DATE);
  const text = node ? decodeLatin1(node.value) : '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match)
    throw new CardError('malformed', {
      detail: `beneficiary ${index}: birth date not YYYYMMDD (${text.length} chars)`,
    });
  const [, year, month, day] = match;
  if (Number(month) > 12 || Number(day) > 31) {
    throw new CardError('malformed', { detail: `beneficiary ${index}: birth date out of range` });
  }
  return `${year}-${month}-${day}`;
}
