/** What the client needs of the professional's card: the PKCS#11 signer (`openCardSigner`). */
export type { CardSigner } from '../cards/pkcs11';
