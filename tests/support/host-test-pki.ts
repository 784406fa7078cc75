import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardSigner } from '../../src/main/host-client/card-signer';
import type { ProofVerifier, VerifiedProfessional } from '../../src/main/host/professional-sessions';

/**
 * A throwaway PKI made with openssl for the host's TLS tests: a deployment CA with host and
 * workstation certificates, a second CA nobody trusts, and software "cards" (key + certificate whose
 * subject carries the professional). The host-side proof check here is the tests' own stand-in until
 * i13-card's `verifyProfessionalProof` is merged; the TLS part is the real thing.
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
  /** Same subject as a workstation, issued by a CA the host does not know. */
  foreignWorkstation: Issued;
  card(professional: VerifiedProfessional, options?: { foreign?: boolean }): CardSigner;
  verifyProof: ProofVerifier;
  allowsSystemCalls: (der: Buffer) => boolean;
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

const clientExt =
  'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';

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
    '/O=Hopital/OU=systeme/CN=passerelle-import',
    clientExt,
  );
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
    allowsSystemCalls: (der) => /^OU=systeme$/m.test(new X509Certificate(der).subject),
  };
}
