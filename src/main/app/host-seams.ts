import { connectToHost, type CardSigner, type HostClient, type HostConnectionOptions } from '../host-client';
import { openCardSigner, type OpenCardSignerOptions } from '../cards/pkcs11';

export type { CardSigner, HostClient, HostConnectionOptions } from '../host-client';
export type { HostStatus as HostClientStatus } from '../host-client';

/** What the composition root takes from the host client and the card signer; unit tests give doubles. */
export interface HostSeams {
  connectToHost(options: HostConnectionOptions): Promise<HostClient>;
  openCardSigner(options: OpenCardSignerOptions): Promise<CardSigner>;
}

export const realHostSeams: HostSeams = { connectToHost, openCardSigner };
