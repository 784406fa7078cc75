import { createPrivateKey, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardSigner } from '../../src/main/host-client/card-signer';
import type { DmpActor } from '../../src/main/dmp/actors';
import {
  createTestPki,
  issueCardCertificate,
  issueHostCertificate,
  issueWorkstationCertificate,
} from '../../src/main/pki/test-pki';

/**
 * The host bench's deployment, from the project's test PKI (src/main/pki/test-pki.ts): the host's
 * TLS certificate, one workstation certificate per simulated workstation (plus one allowed system
 * calls, for the set-up import), and one professional card per workstation. The cards are software
 * signers (key files from the same PKI): the host checks their proofs with the real
 * `verifyProfessionalProof` against `card-trust.pem`, as with a SoftHSM2 token or a real CPS.
 */
export interface BenchStation {
  name: string;
  certPem: string;
  keyPem: string;
  card: CardSigner;
  actor: DmpActor;
}

export interface BenchDeployment {
  caPem: string;
  caPath: string;
  hostCertPath: string;
  hostKeyPath: string;
  cardTrustPath: string;
  stations: BenchStation[];
  system: { certPem: string; keyPem: string };
}

export async function createBenchDeployment(dir: string, stations: number): Promise<BenchDeployment> {
  const pki = await createTestPki(join(dir, 'pki'));
  const cardTrustPath = join(pki.dir, 'card-trust.pem');
  writeFileSync(cardTrustPath, `${pki.root.certificatePem}\n${pki.persons.certificatePem}\n`);
  const host = await issueHostCertificate(pki, {
    name: 'bench-host',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const system = await issueWorkstationCertificate(pki, { name: 'bench-import', systemCalls: true });
  const made: BenchStation[] = [];
  for (let i = 0; i < stations; i++) {
    const name = `poste-${String(i + 1).padStart(2, '0')}`;
    const station = await issueWorkstationCertificate(pki, { name });
    const serial = `BENCH${String(i + 1).padStart(5, '0')}`;
    const holder = {
      kind: 'cps' as const,
      nationalId: `8100009${String(i + 1).padStart(5, '0')}`,
      lastName: `BANC${i + 1}`,
      firstName: 'CLAIRE',
      professionCode: '10',
    };
    const card = await issueCardCertificate(pki, { cardSerial: serial, holder });
    const key = createPrivateKey(card.keyPem ?? '');
    made.push({
      name,
      certPem: station.chainPem,
      keyPem: station.keyPem ?? '',
      card: {
        certificatePem: async () => card.certificatePem,
        // RSASSA-PKCS1-v1_5 / SHA-256, what the card's PKCS#11 signer makes (CKM_SHA256_RSA_PKCS).
        sign: async (data) => new Uint8Array(sign('sha256', data, key)),
        close: async () => undefined,
      },
      actor: {
        mode: 'normal',
        professional: {
          reader: 'Lecteur CPS (banc)',
          cardKind: 'cps',
          serial,
          holder: {
            nationalId: holder.nationalId,
            nationalIdType: 'RPPS',
            lastName: holder.lastName,
            firstName: holder.firstName,
            professionCode: holder.professionCode,
            professionLabel: 'Médecin',
            situations: [],
          },
        },
      },
    });
  }
  return {
    caPem: pki.caPem,
    caPath: pki.caPath,
    hostCertPath: host.certPath,
    hostKeyPath: host.keyPath ?? '',
    cardTrustPath,
    stations: made,
    system: { certPem: system.chainPem, keyPem: system.keyPem ?? '' },
  };
}
