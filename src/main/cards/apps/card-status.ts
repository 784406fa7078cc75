import type { CardStatus } from '../../../shared/contract/cards';
import { findTlv, type TlvNode } from '../iso7816/tlv';

/**
 * Project-defined (docs/cards.md §Statut) : the public layouts do not say how a test card is
 * marked, so our profiles carry a private primitive tag `DF01` whose ASCII value is `TEST` or
 * `DEMO`. Absent means production. An unrecognised value is treated as a test card so that an
 * odd card is refused in production rather than trusted.
 */
export const CARD_STATUS_TAG = 0xdf01;

export function cardStatusFrom(nodes: readonly TlvNode[]): CardStatus {
  const node = findTlv(nodes, CARD_STATUS_TAG);
  if (!node) return 'production';
  const value = new TextDecoder('latin1').decode(node.value).trim().toUpperCase();
  return value === 'DEMO' ? 'demo' : 'test';
}
