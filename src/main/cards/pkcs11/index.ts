export { openCardSigner, type CardSigner, type OpenCardSignerOptions } from './signer';
