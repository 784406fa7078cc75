/** What the client needs of the professional's card: i13-card's PKCS#11 signer (`openCardSigner`). */
export type { CardSigner } from '../cards/pkcs11';
