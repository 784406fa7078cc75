import { connectToHost, type CardSigner, type HostClient, type HostConnectionOptions } from '../host-client';
import type { Logger } from '../log/logger';

export type { CardSigner, HostClient, HostConnectionOptions } from '../host-client';
export type { HostStatus as HostClientStatus } from '../host-client';

/**
 * i13-card's `openCardSigner` options, as /work/coord/ISSUE13.md defines them; declared here until
 * that branch is merged, then imported from src/main/cards/pkcs11 (one definition per concept).
 */
export interface CardSignerOptions {
  modulePath: string;
  /** Token label = the card's serial number. */
  token: string;
  pin: string;
  log: Logger;
}

/** What the composition root takes from the host client and the card signer; unit tests give doubles. */
export interface HostSeams {
  connectToHost(options: HostConnectionOptions): Promise<HostClient>;
  openCardSigner(options: CardSignerOptions): Promise<CardSigner>;
}

export const realHostSeams: HostSeams = {
  connectToHost,
  // Until i13-card's PKCS#11 signer is merged: a French refusal, so nobody gets access unproven.
  openCardSigner: () =>
    Promise.reject(
      new Error('La signature par la carte (PKCS#11) n’est pas incluse dans cette version de Poste DMP.'),
    ),
};
