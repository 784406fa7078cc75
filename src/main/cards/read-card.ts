import type { CardInfo } from '../../shared/contract/cards';
import { readCpxPublic } from './apps/cpx';
import { readVitale } from './apps/vitale';
import { atrHex, identifyAtr, isVitale2Atr } from './atr';
import type { CardSession } from './transport/card-transport';

/** Identifies a card by its ATR and reads what can be read without a PIN. */
export async function readCardInfo(session: CardSession): Promise<CardInfo> {
  const atr = atrHex(session.atr);
  const family = identifyAtr(session.atr);
  switch (family) {
    case 'vitale-2':
      if (!isVitale2Atr(session.atr)) break;
      return readVitale(session);
    case 'vitale-1':
      return {
        kind: 'unsupported',
        atr,
        reason:
          "Carte Vitale 1 : cette ancienne génération n'est plus lue par le poste. Demandez au patient sa carte Vitale 2 ou utilisez l'appli carte Vitale.",
      };
    case 'cps3':
    case 'cps3-contactless':
    case 'cps4':
      return readCpxPublic(session);
    case 'unknown':
      break;
  }
  return {
    kind: 'unknown',
    atr,
    reason: "Carte non reconnue : ce n'est ni une carte Vitale ni une carte de professionnel de santé.",
  };
}
