import { join } from 'node:path';
import { loadCardProfiles } from '../cards/emulator';
import { createSoftHsmStore, emulatedCardIdentity, provisionCardToken } from '../cards/pkcs11/softhsm';
import { writePublicFile } from './keys';
import type { CardKind } from './profile';
import { createTestPki, issueHostCertificate, issueWorkstationCertificate, publishCrl } from './test-pki';

/**
 * A complete test deployment in one folder: the test PKI, the DMP host's TLS certificate, the
 * workstations' certificates, and one SoftHSM2 token per simulated CPS/CPE card (label = card serial,
 * PIN = the card's code porteur, key pair generated on the token, certificate from AC PERSONNES).
 *
 *   <dir>/deployment.json        what follows, as paths (read by `npm run host:test-deployment` users)
 *   <dir>/pki/…                  see test-pki.ts; pki/ca.pem is the trust anchor of every TLS peer
 *   <dir>/pki/card-trust.pem     root + AC PERSONNES: the host's `trustedRoots` for professional proofs
 *   <dir>/pki/crl/*.crl          the authorities' CRLs (empty): the host's `revocation.crlFiles`
 *   <dir>/softhsm/softhsm2.conf  SOFTHSM2_CONF for the workstations (tokens in softhsm/tokens)
 */

export interface TestDeploymentOptions {
  dir: string;
  /** DNS names of the host certificate; `localhost` by default. */
  hostNames?: string[];
  /** IP addresses of the host certificate; 127.0.0.1 and ::1 by default. */
  hostAddresses?: string[];
  /** Workstations to certify; `poste-a`, `poste-b` and `poste-import` (system calls) by default. */
  workstations?: { name: string; systemCalls?: boolean }[];
  /** Folder of the card profiles (resources/cards). */
  cardProfilesDir: string;
  /** Profiles to turn into tokens; every CPS/CPE/CPF profile by default. */
  cardProfileIds?: string[];
}

export interface TestDeployment {
  dir: string;
  manifestPath: string;
  caPath: string;
  cardTrustPath: string;
  /** Empty CRLs of the three authorities (valid a year): the host's `revocation.crlFiles`. */
  crlPaths: string[];
  host: { certPath: string; keyPath: string };
  workstations: { name: string; systemCalls: boolean; certPath: string; keyPath: string }[];
  softhsm: { confPath: string; modulePath: string };
  cards: { profileId: string; serial: string; kind: CardKind; nationalId: string; certPath: string }[];
}

const defaultWorkstations = [
  { name: 'poste-a' },
  { name: 'poste-b' },
  { name: 'poste-import', systemCalls: true },
];

export async function createTestDeployment(options: TestDeploymentOptions): Promise<TestDeployment> {
  const pki = await createTestPki(join(options.dir, 'pki'));
  const cardTrustPath = join(pki.dir, 'card-trust.pem');
  writePublicFile(cardTrustPath, `${pki.root.certificatePem}\n${pki.persons.certificatePem}\n`);

  const host = await issueHostCertificate(pki, {
    name: 'dmp-host',
    dnsNames: options.hostNames ?? ['localhost'],
    ipAddresses: options.hostAddresses ?? ['127.0.0.1', '::1'],
  });
  const workstations: TestDeployment['workstations'] = [];
  for (const request of options.workstations ?? defaultWorkstations) {
    const issued = await issueWorkstationCertificate(pki, request);
    workstations.push({
      name: request.name,
      systemCalls: request.systemCalls === true,
      certPath: issued.certPath,
      keyPath: issued.keyPath ?? '',
    });
  }

  // A year, not the week of a real authority's CRL: a test deployment left aside for a while must still
  // start (the host fails closed on an expired CRL). Revoke with publishCrl(openTestPki(…), …).
  const crlUntil = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const crlPaths: string[] = [];
  for (const authority of ['organisations', 'persons', 'root'] as const)
    crlPaths.push((await publishCrl(pki, authority, { nextUpdate: crlUntil })).path);

  const store = createSoftHsmStore(join(options.dir, 'softhsm'));
  const profiles = loadCardProfiles(options.cardProfilesDir).filter(
    (profile) =>
      profile.kind !== 'vitale' &&
      profile.kind !== 'other' &&
      (options.cardProfileIds === undefined || options.cardProfileIds.includes(profile.id)),
  );
  const cards: TestDeployment['cards'] = [];
  for (const profile of profiles) {
    const identity = await emulatedCardIdentity(profile);
    const issued = await provisionCardToken(store, {
      pki,
      cardSerial: identity.serial,
      pin: identity.pin,
      holder: identity.holder,
    });
    cards.push({
      profileId: profile.id,
      serial: identity.serial,
      kind: identity.holder.kind,
      nationalId: identity.holder.nationalId,
      certPath: issued.certPath,
    });
  }

  const deployment: TestDeployment = {
    dir: options.dir,
    manifestPath: join(options.dir, 'deployment.json'),
    caPath: pki.caPath,
    cardTrustPath,
    crlPaths,
    host: { certPath: host.certPath, keyPath: host.keyPath ?? '' },
    workstations,
    softhsm: { confPath: store.confPath, modulePath: store.modulePath },
    cards,
  };
  writePublicFile(deployment.manifestPath, `${JSON.stringify(deployment, null, 2)}\n`);
  return deployment;
}
