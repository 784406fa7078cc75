import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCardProfiles } from '../../src/main/cards/emulator';
import {
  createSoftHsmStore,
  emulatedCardIdentity,
  provisionCardToken,
  type SoftHsmStore,
} from '../../src/main/cards/pkcs11/softhsm';
import type { CardHolder } from '../../src/main/pki/profile';
import type { TestPki } from '../../src/main/pki/test-pki';

export const cardProfilesDir = join(import.meta.dirname, '../../resources/cards');

/** One emulated CPS/CPE as a SoftHSM2 token: label = card serial, PIN = the card's code porteur. */
export interface SoftHsmCard {
  profileId: string;
  serial: string;
  pin: string;
  holder: CardHolder;
  certificatePem: string;
}

export interface SoftHsmCards {
  store: SoftHsmStore;
  modulePath: string;
  cards: SoftHsmCard[];
  /** The token made for this profile (or with this serial). */
  card(profileIdOrSerial: string): SoftHsmCard;
  /** Deletes the temporary folder (tokens and configuration). Close every signer first. */
  cleanup(): void;
}

export interface SoftHsmCardRequest {
  /** Profile in resources/cards. */
  profileId: string;
  /** Token label instead of the profile's serial (two tokens of one profile need two labels). */
  serial?: string;
  /** Certificate from this PKI instead of the default one ("a card from another CA"). */
  pki?: TestPki;
  /** Validity overrides, e.g. an expired card. */
  notBefore?: Date;
  notAfter?: Date;
}

export interface SoftHsmCardsOptions {
  /** Certificates come from this PKI unless a card says otherwise. */
  pki: TestPki;
  cards: (string | SoftHsmCardRequest)[];
}

/**
 * A throwaway SoftHSM2 token per emulated card, in a temporary folder; sets SOFTHSM2_CONF for this
 * process (vitest runs each file in its own process). Call before opening any signer.
 */
export async function createSoftHsmCards(options: SoftHsmCardsOptions): Promise<SoftHsmCards> {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-softhsm-'));
  const store = createSoftHsmStore(dir);
  const profiles = loadCardProfiles(cardProfilesDir);
  const cards: SoftHsmCard[] = [];
  try {
    for (const entry of options.cards) {
      const request: SoftHsmCardRequest = typeof entry === 'string' ? { profileId: entry } : entry;
      const profile = profiles.find((candidate) => candidate.id === request.profileId);
      if (profile === undefined) throw new Error(`No card profile ${request.profileId}`);
      const identity = await emulatedCardIdentity(profile);
      const serial = request.serial ?? identity.serial;
      const issued = await provisionCardToken(store, {
        pki: request.pki ?? options.pki,
        cardSerial: serial,
        pin: identity.pin,
        holder: identity.holder,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
      });
      cards.push({
        profileId: request.profileId,
        ...identity,
        serial,
        certificatePem: issued.certificatePem,
      });
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    store,
    modulePath: store.modulePath,
    cards,
    card: (key) => {
      const found = cards.find((card) => card.serial === key) ?? cards.find((card) => card.profileId === key);
      if (found === undefined) throw new Error(`No SoftHSM2 card for ${key}`);
      return found;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
