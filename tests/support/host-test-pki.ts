import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestPki,
  issueCardCertificate,
  issueHostCertificate,
  issueWorkstationCertificate,
  verifyProfessionalProof,
  type IssuedCertificate,
  type TestPki,
} from '../../src/main/pki';
import { rsaAlgorithm, subtle } from '../../src/main/pki/keys';
import type { RevocationCheck } from '../../src/main/pki/revocation';
import type { CardSigner } from '../../src/main/host-client/card-signer';
import type { Professional } from '../../src/shared/contract';
import type { DmpActor } from '../../src/main/dmp/actors';
import type { ProofVerifier, VerifiedProfessional } from '../../src/main/host/professional-sessions';

/**
 * The host tests' PKI: the project's test PKI (src/main/pki, the one definition of its profile) with
 * host and workstation certificates, a second test PKI nobody in the deployment trusts, and software
 * "cards" (a card certificate from AC PERSONNES whose key stays in memory). The proof check is the
 * host's own `verifyProfessionalProof`. SoftHSM2 tokens (PKCS#11) stand for the cards in
 * tests/unit/host/card-proof-softhsm.test.ts and host-revocation.test.ts.
 */
export interface Issued {
  certPem: string;
  keyPem: string;
}

export interface HostTestPki {
  dir: string;
  /** The test PKI behind it (SoftHSM2 cards, CRLs), and the foreign one; absent when a test builds its own. */
  deployment?: TestPki;
  foreign?: TestPki;
  caPem: string;
  /** The CA nobody in the deployment trusts. */
  foreignCaPem: string;
  host: Issued;
  workstation: Issued;
  systemWorkstation: Issued;
  /** From the deployment CA, clientAuth, but without the workstation policy (a card's certificate). */
  notWorkstation: Issued;
  /** Same subject as a workstation, issued by a CA the host does not know. */
  foreignWorkstation: Issued;
  card(professional: VerifiedProfessional, options?: { foreign?: boolean }): CardSigner;
  verifyProof: ProofVerifier;
  /** The same check, with the card certificates' revocation (CRLs, OCSP) as the host gives it. */
  verifyProofWith(revocation: RevocationCheck): ProofVerifier;
}

/** The certificate file as TLS sends it: the leaf and its issuing authority. */
const issued = (certificate: IssuedCertificate): Issued => ({
  certPem: certificate.chainPem,
  keyPem: certificate.keyPem ?? '',
});

export async function createHostTestPki(): Promise<HostTestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'host-pki-'));
  const pki = await createTestPki(join(dir, 'deployment'));
  // Same authority names (the profile's), other keys: only the signatures tell them apart.
  const foreign = await createTestPki(join(dir, 'foreign'));
  let cards = 0;
  const card = async (from: TestPki, p: VerifiedProfessional): Promise<IssuedCertificate> =>
    issueCardCertificate(from, {
      cardSerial: `CARTE-${++cards}`,
      holder: {
        kind: p.cardKind,
        nationalId: p.nationalId,
        lastName: p.lastName,
        firstName: p.firstName,
        professionCode: p.professionCode,
      },
    });
  const cardAsClient = await card(pki, {
    nationalId: '810001234567',
    professionCode: '10',
    lastName: 'CARTE',
    firstName: 'Client',
    cardKind: 'cps',
  });
  const trustedRoots = [pki.caPem, pki.persons.certificatePem];
  return {
    dir,
    deployment: pki,
    foreign,
    caPem: pki.caPem,
    foreignCaPem: foreign.caPem,
    host: issued(
      await issueHostCertificate(pki, {
        name: 'dmp-host',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
      }),
    ),
    workstation: issued(await issueWorkstationCertificate(pki, { name: 'poste-accueil' })),
    systemWorkstation: issued(
      await issueWorkstationCertificate(pki, { name: 'passerelle-import', systemCalls: true }),
    ),
    notWorkstation: {
      certPem: `${cardAsClient.certificatePem}\n${pki.persons.certificatePem}\n`,
      keyPem: cardAsClient.keyPem ?? '',
    },
    foreignWorkstation: issued(await issueWorkstationCertificate(foreign, { name: 'poste-accueil' })),
    card(p, options = {}) {
      // Issued on first use: a CardSigner is asynchronous anyway.
      const pending = card(options.foreign ? foreign : pki, p);
      pending.catch(() => undefined);
      return {
        certificatePem: async () => (await pending).certificatePem,
        sign: async (data) => {
          const key = (await pending).privateKey;
          if (!key) throw new Error('software card without its key');
          return new Uint8Array(await subtle.sign(rsaAlgorithm, key, Uint8Array.from(data)));
        },
        close: async () => undefined,
      };
    },
    verifyProof: (proof) => verifyProfessionalProof({ ...proof, trustedRoots }),
    verifyProofWith: (revocation) => (proof) =>
      verifyProfessionalProof({ ...proof, trustedRoots, revocation }),
  };
}

/** Two professionals of the host tests: a doctor (CPS) and a secretary (CPE, no health profession). */
export const testCards = {
  doctor: {
    nationalId: '810001234567',
    professionCode: '10',
    lastName: 'MEDECIN',
    firstName: 'Jean',
    cardKind: 'cps',
  },
  secretary: {
    nationalId: '0123456789',
    professionCode: '',
    lastName: 'ACCUEIL',
    firstName: 'Anne',
    cardKind: 'cpe',
  },
} as const satisfies Record<string, VerifiedProfessional>;

/** The actor a workstation builds from a card it read (what travels in the arguments). */
export function actorFromCard(card: VerifiedProfessional, professionLabel: string): DmpActor {
  const professional: Professional = {
    reader: 'Lecteur CPS',
    cardKind: card.cardKind,
    serial: `SER-${card.nationalId}`,
    holder: {
      nationalId: card.nationalId,
      nationalIdType: card.nationalId.startsWith('8') ? 'RPPS' : 'ADELI',
      lastName: card.lastName,
      firstName: card.firstName,
      professionCode: card.professionCode,
      professionLabel,
      situations: [{ label: 'Cabinet' }],
    },
  };
  return { professional, mode: 'normal' };
}
