import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  issueHostCertificate,
  issueWorkstationCertificate,
  verifyProfessionalProof,
  type IssuedCertificate,
  type TestPki,
} from '../../src/main/pki';
import { policies } from '../../src/main/pki/profile';
import type { CardSigner } from '../../src/main/host-client/card-signer';
import type { ProofVerifier, VerifiedProfessional } from '../../src/main/host/professional-sessions';

/**
 * A throwaway PKI made with openssl for the host's TLS tests: a deployment CA with host and
 * workstation certificates, a second CA nobody trusts, and software "cards" (key + certificate whose
 * subject carries the professional). The host-side proof check here is a software stand-in (fast unit
 * tests); the real `verifyProfessionalProof` with SoftHSM2 tokens is tested in
 * tests/unit/host/card-proof-softhsm.test.ts and the host process test. The TLS part is the real thing.
 */
export interface Issued {
  certPem: string;
  keyPem: string;
}

export interface HostTestPki {
  dir: string;
  caPem: string;
  /** The CA nobody in the deployment trusts. */
  foreignCaPem: string;
  host: Issued;
  workstation: Issued;
  systemWorkstation: Issued;
  /** From the deployment CA, clientAuth, but without the workstation policy (as a card certificate). */
  notWorkstation: Issued;
  /** Same subject as a workstation, issued by a CA the host does not know. */
  foreignWorkstation: Issued;
  card(professional: VerifiedProfessional, options?: { foreign?: boolean }): CardSigner;
  verifyProof: ProofVerifier;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:true',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

function issue(dir: string, ca: string, name: string, subject: string, ext: string): Issued {
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ],
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
  return {
    certPem: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    keyPem: readFileSync(join(dir, `${name}.key`), 'utf8'),
  };
}

/** Workstation certificates carry the deployment PKI's policies (src/main/pki/profile.ts), as src/main/pki issues them. */
const clientBase =
  'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';
const clientExt = `${clientBase}certificatePolicies=${policies.workstation}\n`;
const systemExt = `${clientBase}certificatePolicies=${policies.workstation},${policies.workstationSystemCalls}\n`;

export function createHostTestPki(): HostTestPki {
  const dir = mkdtempSync(join(tmpdir(), 'host-pki-'));
  makeCa(dir, 'deployment-ca');
  makeCa(dir, 'foreign-ca');
  const caPem = readFileSync(join(dir, 'deployment-ca.pem'), 'utf8');
  const host = issue(
    dir,
    'deployment-ca',
    'host',
    '/CN=localhost',
    'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  const workstation = issue(dir, 'deployment-ca', 'ws', '/O=Cabinet/CN=poste-accueil', clientExt);
  const systemWorkstation = issue(
    dir,
    'deployment-ca',
    'ws-system',
    '/O=Hopital/CN=passerelle-import',
    systemExt,
  );
  const notWorkstation = issue(dir, 'deployment-ca', 'not-ws', '/CN=810001234567', clientBase);
  const foreignWorkstation = issue(dir, 'foreign-ca', 'ws-foreign', '/O=Cabinet/CN=poste-accueil', clientExt);
  let cards = 0;
  const anchors = { deployment: new X509Certificate(caPem) };

  return {
    dir,
    caPem,
    foreignCaPem: readFileSync(join(dir, 'foreign-ca.pem'), 'utf8'),
    host,
    workstation,
    systemWorkstation,
    notWorkstation,
    foreignWorkstation,
    card(p, options = {}) {
      const name = `card-${++cards}`;
      const issued = issue(
        dir,
        options.foreign ? 'foreign-ca' : 'deployment-ca',
        name,
        `/CN=${p.nationalId}/O=${p.cardKind}/OU=${p.professionCode || 'none'}/SN=${p.lastName}/GN=${p.firstName}`,
        'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\n',
      );
      const key = createPrivateKey(issued.keyPem);
      return {
        certificatePem: async () => issued.certPem,
        sign: async (data) => new Uint8Array(sign('sha256', data, key)),
        close: async () => undefined,
      };
    },
    verifyProof: async ({ certificatePem, challenge, signature }) => {
      const cert = new X509Certificate(certificatePem);
      if (!cert.checkIssued(anchors.deployment) || !cert.verify(anchors.deployment.publicKey)) {
        throw new Error(
          'Carte refusée : certificat non émis par l’autorité des professionnels de ce déploiement.',
        );
      }
      if (!verify('sha256', challenge, cert.publicKey, signature)) {
        throw new Error('Carte refusée : signature invalide.');
      }
      const field = (key: string): string => new RegExp(`^${key}=(.*)$`, 'm').exec(cert.subject)?.[1] ?? '';
      const profession = field('OU');
      return {
        nationalId: field('CN'),
        cardKind: field('O') as VerifiedProfessional['cardKind'],
        professionCode: profession === 'none' ? '' : profession,
        lastName: field('SN'),
        firstName: field('GN'),
      };
    },
  };
}

const issued = (certificate: IssuedCertificate): Issued => ({
  certPem: certificate.chainPem,
  keyPem: certificate.keyPem ?? '',
});

/**
 * The same roles from the project's test PKI (src/main/pki) instead of openssl, for tests whose cards
 * are SoftHSM2 tokens certified by `pki` (tests/support/softhsm.ts): the host checks proofs with the
 * real verifyProfessionalProof against the root and AC PERSONNES, as `npm run host` does. `otherPki`
 * is the authority nobody in the deployment trusts. There are no software cards here.
 */
export async function hostTestPkiFrom(pki: TestPki, otherPki: TestPki): Promise<HostTestPki> {
  const trustedRoots = [pki.caPem, pki.persons.certificatePem];
  return {
    dir: pki.dir,
    caPem: pki.caPem,
    foreignCaPem: otherPki.caPem,
    host: issued(
      await issueHostCertificate(pki, {
        name: 'dmp-host',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
      }),
    ),
    workstation: issued(await issueWorkstationCertificate(pki, { name: 'poste-a' })),
    systemWorkstation: issued(
      await issueWorkstationCertificate(pki, { name: 'poste-import', systemCalls: true }),
    ),
    foreignWorkstation: issued(await issueWorkstationCertificate(otherPki, { name: 'poste-a' })),
    // A certificate of the deployment that is not a workstation's (the host reads the policies itself).
    notWorkstation: issued(
      await issueHostCertificate(pki, { name: 'not-a-workstation', dnsNames: ['x.test'] }),
    ),
    card: () => {
      throw new Error('cards are SoftHSM2 tokens with this PKI (tests/support/softhsm.ts)');
    },
    verifyProof: (proof) => verifyProfessionalProof({ ...proof, trustedRoots }),
  };
}
