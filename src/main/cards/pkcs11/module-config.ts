import { existsSync } from 'node:fs';
import { CardError } from '../errors';

/**
 * Where the workstation finds the PKCS#11 module that reaches the professional's card
 * (docs/cards.md §10). Order: the workstation's setting, then the environment; then SoftHSM2 on a
 * test workstation, the known CryptoLib/OpenSC locations on a production one. A production
 * workstation never uses SoftHSM2: a software token there would let anyone holding the token files
 * pass for a professional.
 */

export const pkcs11ModuleEnv = 'POSTE_DMP_PKCS11_MODULE';

/** Debian's `softhsm2` package: the test workstation's default. */
export const softHsmModulePath = '/usr/lib/softhsm/libsofthsm2.so';

/** Known production modules, most specific first. */
export const productionModuleCandidates: readonly string[] = [
  // ANS CryptoLib CPS for Linux (installs under /usr/local/galss; the library handles CPS3 and CPS4).
  '/usr/local/galss/libcps3_pkcs11_lux.so',
  // OpenSC (Debian `opensc-pkcs11`), whose IAS-ECC driver reaches CPS3/CPS4 keys and certificates.
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
];

export interface Pkcs11ModuleSettings {
  /** Path given in the workstation's settings, if any. */
  modulePath?: string;
  /** SoftHSM2 configuration of a test deployment; sets SOFTHSM2_CONF before the module loads. */
  softhsmConf?: string;
  /** A production workstation (real cards only). */
  production: boolean;
}

export interface ResolvedPkcs11Module {
  modulePath: string;
  source: 'settings' | 'environment' | 'known location' | 'test default';
}

export function resolvePkcs11Module(
  settings: Pkcs11ModuleSettings,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): ResolvedPkcs11Module {
  if (settings.softhsmConf !== undefined) {
    if (settings.production) {
      throw new CardError('no-service', {
        message:
          'Un poste en production ne peut pas utiliser de jetons logiciels SoftHSM2 à la place des cartes.',
        detail: 'softhsmConf set on a production workstation',
      });
    }
    env.SOFTHSM2_CONF = settings.softhsmConf;
  }
  const configured = settings.modulePath?.trim() || undefined;
  const fromEnv = env[pkcs11ModuleEnv]?.trim() || undefined;
  const chosen: ResolvedPkcs11Module | undefined =
    configured !== undefined
      ? { modulePath: configured, source: 'settings' }
      : fromEnv !== undefined
        ? { modulePath: fromEnv, source: 'environment' }
        : undefined;
  if (!settings.production) return chosen ?? { modulePath: softHsmModulePath, source: 'test default' };
  if (chosen !== undefined) {
    if (/softhsm/i.test(chosen.modulePath)) {
      throw new CardError('no-service', {
        message:
          'Un poste en production ne peut pas utiliser de jetons logiciels SoftHSM2 à la place des cartes.',
        detail: `SoftHSM2 module configured on a production workstation: ${chosen.modulePath}`,
      });
    }
    return chosen;
  }
  const known = productionModuleCandidates.find((candidate) => exists(candidate));
  if (known !== undefined) return { modulePath: known, source: 'known location' };
  throw new CardError('no-service', {
    message:
      'Aucun module PKCS#11 pour les cartes CPS : installez la cryptolib CPS de l’ANS (ou OpenSC) ou indiquez le chemin du module dans les réglages du poste.',
    detail: `no PKCS#11 module: none of ${productionModuleCandidates.join(', ')}`,
  });
}
