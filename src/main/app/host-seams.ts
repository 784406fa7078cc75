import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import type { Logger } from '../log/logger';

/**
 * The two modules this workstation needs from its colleagues' branches, as /work/coord/ISSUE13.md
 * defines them: i13-host's client (`src/main/host-client`) and i13-card's PKCS#11 signer
 * (`src/main/cards/pkcs11`). Written here from that text until those branches are merged; then
 * these declarations give way to imports of the real ones (one definition per concept).
 */

export interface CardSigner {
  certificatePem(): Promise<string>;
  sign(data: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface CardSignerOptions {
  modulePath: string;
  /** Token label = the card's serial number. */
  token: string;
  pin: string;
  log: Logger;
}

export interface HostConnectionOptions {
  url: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  log: Logger;
}

export type HostState = 'connected' | 'unreachable' | 'refused';
export interface HostClientStatus {
  state: HostState;
  /** French, for the card bar. */
  message: string;
  since: string;
}

export interface HostClient {
  dmp: DmpPort;
  identities: IdentityPort;
  status(): HostClientStatus;
  onStatus(listener: (s: HostClientStatus) => void): () => void;
  /** After the PIN: proves the professional to the host with the card's key. */
  authenticateProfessional(signer: CardSigner): Promise<void>;
  endProfessionalSession(): Promise<void>;
  close(): Promise<void>;
}

/** What the composition root takes from i13-host and i13-card; tests give doubles. */
export interface HostSeams {
  connectToHost(options: HostConnectionOptions): Promise<HostClient>;
  openCardSigner(options: CardSignerOptions): Promise<CardSigner>;
}

/**
 * The real seams. Until i13-host and i13-card are merged they refuse in French: a workstation
 * configured for a shared host then stops at start-up rather than show other data.
 */
export const realHostSeams: HostSeams = {
  connectToHost: () =>
    Promise.reject(
      new Error('Le client du serveur DMP partagé n’est pas inclus dans cette version de Poste DMP.'),
    ),
  openCardSigner: () =>
    Promise.reject(
      new Error('La signature par la carte (PKCS#11) n’est pas incluse dans cette version de Poste DMP.'),
    ),
};
