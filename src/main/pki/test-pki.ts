import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from './x509';
import { cardSubject } from './card-subject';
import {
  type CryptoKey,
  generateKeyPair,
  importPrivateKeyPem,
  privateKeyPem,
  rsaAlgorithm,
  writePublicFile,
  writeSecretFile,
} from './keys';
import { authorityNames, extendedKeyUsages, policies, type CardHolder } from './profile';
import { normalizeSerial } from './revocation';

/**
 * The project's test PKI (modelled on IGC-Santé, see profile.ts and docs/cards.md §9):
 *
 *   TEST POSTE-DMP AC RACINE
 *   ├── TEST POSTE-DMP AC PERSONNES       → authentication certificates of CPS/CPE/CPF cards
 *   └── TEST POSTE-DMP AC ORGANISATIONS   → TLS certificates of DMP hosts and workstations
 *
 * Files in the PKI folder (private keys 0600, folder 0700):
 *   ca.pem                          the root: trust anchor for TLS (both sides) and for card proofs
 *   root-ca.crt / root-ca.key
 *   ac-personnes.crt / .key
 *   ac-organisations.crt / .key
 *   hosts/<name>.crt, .key          leaf + AC ORGANISATIONS (the chain a TLS server sends)
 *   workstations/<name>.crt, .key   leaf + AC ORGANISATIONS (the chain a TLS client sends)
 *   cards/<serial>.crt [, .key]     the card's certificate alone (as stored on the card)
 */

export interface Authority {
  certificate: x509.X509Certificate;
  certificatePem: string;
  privateKey: CryptoKey;
}

export interface TestPki {
  dir: string;
  root: Authority;
  persons: Authority;
  organisations: Authority;
  /** `ca.pem`: the root certificate, the one thing both sides must trust. */
  caPath: string;
  caPem: string;
}

export interface IssuedCertificate {
  certificate: x509.X509Certificate;
  /** The leaf only. */
  certificatePem: string;
  /** What the file holds: the leaf, followed by its issuing authority for TLS certificates. */
  chainPem: string;
  certPath: string;
  /** Absent when the key pair was not generated here (key kept on a token). */
  keyPem?: string;
  keyPath?: string;
  privateKey?: CryptoKey;
}

const dayMs = 24 * 60 * 60 * 1000;
/** Certificates start an hour in the past so that a workstation clock slightly behind still accepts them. */
const clockSkewMs = 60 * 60 * 1000;

const files = {
  ca: 'ca.pem',
  rootCert: 'root-ca.crt',
  rootKey: 'root-ca.key',
  personsCert: 'ac-personnes.crt',
  personsKey: 'ac-personnes.key',
  organisationsCert: 'ac-organisations.crt',
  organisationsKey: 'ac-organisations.key',
} as const;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER, RFC 5280 §4.1.2.2
  return bytes.toString('hex');
}

function authorityName(commonName: string): x509.JsonName {
  return [
    { C: ['FR'] },
    { O: [authorityNames.organization] },
    { OU: [authorityNames.unit] },
    { CN: [commonName] },
  ];
}

async function authorityExtensions(publicKey: CryptoKey, pathLength: number): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
}

async function createIntermediate(
  root: Authority,
  commonName: string,
  allowedPolicies: string[],
  now: Date,
): Promise<Authority> {
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: authorityName(commonName),
    issuer: root.certificate.subjectName,
    notBefore: new Date(now.getTime() - clockSkewMs),
    notAfter: new Date(now.getTime() + 10 * 365 * dayMs),
    signingAlgorithm: rsaAlgorithm,
    publicKey: keys.publicKey,
    signingKey: root.privateKey,
    extensions: [
      ...(await authorityExtensions(keys.publicKey, 0)),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate),
      new x509.CertificatePolicyExtension(allowedPolicies),
    ],
  });
  return { certificate, certificatePem: certificate.toString('pem'), privateKey: keys.privateKey };
}

async function saveAuthority(
  dir: string,
  authority: Authority,
  certFile: string,
  keyFile: string,
): Promise<void> {
  writePublicFile(join(dir, certFile), `${authority.certificatePem}\n`);
  writeSecretFile(join(dir, keyFile), await privateKeyPem(authority.privateKey));
}

/** Creates a new test PKI in `dir` (created 0700 if needed); refuses a folder that already holds one. */
export async function createTestPki(dir: string, options: { now?: Date } = {}): Promise<TestPki> {
  const now = options.now ?? new Date();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(join(dir, files.rootCert))) {
    throw new Error(`A test PKI already exists in ${dir}: open it with openTestPki instead`);
  }
  const rootKeys = await generateKeyPair();
  const rootCertificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: authorityName(authorityNames.root),
    notBefore: new Date(now.getTime() - clockSkewMs),
    notAfter: new Date(now.getTime() + 20 * 365 * dayMs),
    signingAlgorithm: rsaAlgorithm,
    keys: rootKeys,
    extensions: await authorityExtensions(rootKeys.publicKey, 1),
  });
  const root: Authority = {
    certificate: rootCertificate,
    certificatePem: rootCertificate.toString('pem'),
    privateKey: rootKeys.privateKey,
  };
  const persons = await createIntermediate(root, authorityNames.persons, [policies.cardAuthentication], now);
  const organisations = await createIntermediate(
    root,
    authorityNames.organisations,
    [policies.host, policies.workstation, policies.workstationSystemCalls],
    now,
  );
  await saveAuthority(dir, root, files.rootCert, files.rootKey);
  await saveAuthority(dir, persons, files.personsCert, files.personsKey);
  await saveAuthority(dir, organisations, files.organisationsCert, files.organisationsKey);
  const caPath = join(dir, files.ca);
  writePublicFile(caPath, `${root.certificatePem}\n`);
  return { dir, root, persons, organisations, caPath, caPem: root.certificatePem };
}

async function loadAuthority(dir: string, certFile: string, keyFile: string): Promise<Authority> {
  const certificatePem = readFileSync(join(dir, certFile), 'utf8').trim();
  return {
    certificate: new x509.X509Certificate(certificatePem),
    certificatePem,
    privateKey: await importPrivateKeyPem(readFileSync(join(dir, keyFile), 'utf8')),
  };
}

/** Opens a test PKI created earlier by `createTestPki`. */
export async function openTestPki(dir: string): Promise<TestPki> {
  const root = await loadAuthority(dir, files.rootCert, files.rootKey);
  return {
    dir,
    root,
    persons: await loadAuthority(dir, files.personsCert, files.personsKey),
    organisations: await loadAuthority(dir, files.organisationsCert, files.organisationsKey),
    caPath: join(dir, files.ca),
    caPem: root.certificatePem,
  };
}

interface LeafRequest {
  issuer: Authority;
  subject: x509.JsonName;
  keyUsages: x509.KeyUsageFlags;
  extendedKeyUsages: string[];
  policies: string[];
  alternativeNames?: x509.JsonGeneralName[];
  publicKey?: CryptoKey;
  notBefore: Date;
  notAfter: Date;
  folder: string;
  fileName: string;
  /** TLS certificates are written with their issuing authority; card certificates alone. */
  withChain: boolean;
  /** The authority's OCSP responder, named in the certificate's AIA extension. */
  ocspUrl?: string;
}

async function issueLeaf(request: LeafRequest): Promise<IssuedCertificate> {
  const keys = request.publicKey === undefined ? await generateKeyPair() : undefined;
  const publicKey = request.publicKey ?? keys?.publicKey;
  if (publicKey === undefined) throw new Error('No public key to certify');
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(request.keyUsages, true),
    new x509.ExtendedKeyUsageExtension(request.extendedKeyUsages),
    new x509.CertificatePolicyExtension(request.policies),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(request.issuer.certificate),
  ];
  if (request.alternativeNames !== undefined) {
    extensions.push(new x509.SubjectAlternativeNameExtension(request.alternativeNames));
  }
  if (request.ocspUrl !== undefined) {
    extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: request.ocspUrl }));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: request.subject,
    issuer: request.issuer.certificate.subjectName,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    signingAlgorithm: rsaAlgorithm,
    publicKey,
    signingKey: request.issuer.privateKey,
    extensions,
  });
  const certificatePem = certificate.toString('pem');
  const chainPem = request.withChain
    ? `${certificatePem}\n${request.issuer.certificatePem}\n`
    : `${certificatePem}\n`;
  mkdirSync(request.folder, { recursive: true, mode: 0o700 });
  const certPath = join(request.folder, `${request.fileName}.crt`);
  writePublicFile(certPath, chainPem);
  const issued: IssuedCertificate = { certificate, certificatePem, chainPem, certPath };
  if (keys !== undefined) {
    const keyPem = await privateKeyPem(keys.privateKey);
    const keyPath = join(request.folder, `${request.fileName}.key`);
    writeSecretFile(keyPath, keyPem);
    Object.assign(issued, { keyPem, keyPath, privateKey: keys.privateKey });
  }
  return issued;
}

/** File names come from configuration: keep them to a safe alphabet (no path separators). */
function fileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    throw new Error(`Unsafe certificate file name: ${name}`);
  return name;
}

function validity(options: { now?: Date; notBefore?: Date; notAfter?: Date }, days: number): [Date, Date] {
  const now = options.now ?? new Date();
  const notBefore = options.notBefore ?? new Date(now.getTime() - clockSkewMs);
  return [notBefore, options.notAfter ?? new Date(notBefore.getTime() + days * dayMs)];
}

export interface HostCertificateRequest {
  /** File name under `hosts/`. */
  name: string;
  /** DNS names the workstations connect to (the first is also the CN). */
  dnsNames: string[];
  ipAddresses?: string[];
  now?: Date;
}

/** TLS server certificate of a DMP host, issued by AC ORGANISATIONS. */
export async function issueHostCertificate(
  pki: TestPki,
  request: HostCertificateRequest,
): Promise<IssuedCertificate> {
  const [notBefore, notAfter] = validity(request, 2 * 365);
  const commonName = request.dnsNames[0] ?? request.ipAddresses?.[0];
  if (commonName === undefined) throw new Error('A host certificate needs a DNS name or an IP address');
  return issueLeaf({
    issuer: pki.organisations,
    subject: [
      { C: ['FR'] },
      { O: [authorityNames.organization] },
      { OU: ['SERVEURS DMP'] },
      { CN: [commonName] },
    ],
    keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    extendedKeyUsages: [extendedKeyUsages.serverAuth],
    policies: [policies.host],
    alternativeNames: [
      ...request.dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ],
    notBefore,
    notAfter,
    folder: join(pki.dir, 'hosts'),
    fileName: fileName(request.name),
    withChain: true,
  });
}

export interface WorkstationCertificateRequest {
  /** Workstation name: the certificate's CN and its file name under `workstations/`. */
  name: string;
  /** Marks the workstation as allowed to make system calls (CLI import) on the host. */
  systemCalls?: boolean;
  /** AC ORGANISATIONS' OCSP responder, written in the certificate (AIA). */
  ocspUrl?: string;
  now?: Date;
  notBefore?: Date;
  notAfter?: Date;
}

/** TLS client certificate of a workstation, issued by AC ORGANISATIONS. */
export async function issueWorkstationCertificate(
  pki: TestPki,
  request: WorkstationCertificateRequest,
): Promise<IssuedCertificate> {
  const [notBefore, notAfter] = validity(request, 2 * 365);
  return issueLeaf({
    issuer: pki.organisations,
    subject: [
      { C: ['FR'] },
      { O: [authorityNames.organization] },
      { OU: ['POSTES DE TRAVAIL'] },
      { CN: [request.name] },
    ],
    keyUsages: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsages: [extendedKeyUsages.clientAuth],
    policies:
      request.systemCalls === true
        ? [policies.workstation, policies.workstationSystemCalls]
        : [policies.workstation],
    notBefore,
    notAfter,
    folder: join(pki.dir, 'workstations'),
    fileName: fileName(request.name),
    withChain: true,
    ...(request.ocspUrl !== undefined ? { ocspUrl: request.ocspUrl } : {}),
  });
}

export interface CardCertificateRequest {
  /** Card serial (the SoftHSM2 token label): CN suffix and file name under `cards/`. */
  cardSerial: string;
  holder: CardHolder;
  /** The key pair lives on the card: certify its public key. Absent → a key pair is generated and saved. */
  publicKey?: CryptoKey;
  /** AC PERSONNES' OCSP responder, written in the certificate (AIA). */
  ocspUrl?: string;
  now?: Date;
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * Authentication certificate of a CPS/CPE/CPF, issued by AC PERSONNES. Three years, like a CPS.
 * Key usage digitalSignature only: the key proves the holder, it never encrypts.
 */
export async function issueCardCertificate(
  pki: TestPki,
  request: CardCertificateRequest,
): Promise<IssuedCertificate> {
  const [notBefore, notAfter] = validity(request, 3 * 365);
  return issueLeaf({
    issuer: pki.persons,
    subject: cardSubject(request.holder, request.cardSerial),
    keyUsages: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsages: [extendedKeyUsages.clientAuth],
    policies: [policies.cardAuthentication],
    publicKey: request.publicKey,
    notBefore,
    notAfter,
    folder: join(pki.dir, 'cards'),
    fileName: fileName(request.cardSerial),
    withChain: false,
    ...(request.ocspUrl !== undefined ? { ocspUrl: request.ocspUrl } : {}),
  });
}

function policiesOfLeaf(certificate: string | Uint8Array): readonly string[] {
  const parsed = new x509.X509Certificate(
    typeof certificate === 'string' ? certificate : Uint8Array.from(certificate),
  );
  return parsed.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
}

/**
 * Whether a TLS client certificate (leaf, PEM or DER, e.g. `socket.getPeerCertificate().raw`) is a
 * workstation's. Every certificate of the PKI chains to the same root, so TLS alone accepts a card's
 * certificate too: the host checks this policy before serving a connection.
 */
export function isWorkstationCertificate(certificate: string | Uint8Array): boolean {
  return policiesOfLeaf(certificate).includes(policies.workstation);
}

/** Whether a TLS client certificate is a workstation's allowed to make system calls (CLI import). */
export function allowsSystemCalls(certificate: string | Uint8Array): boolean {
  const leafPolicies = policiesOfLeaf(certificate);
  return (
    leafPolicies.includes(policies.workstation) && leafPolicies.includes(policies.workstationSystemCalls)
  );
}

export type AuthorityName = 'root' | 'persons' | 'organisations';

export interface CrlRequest {
  /** Certificates (or their hexadecimal serial numbers) the authority revokes. */
  revoked?: (x509.X509Certificate | string)[];
  now?: Date;
  /** When the CRL stops being valid (hosts fail closed after it); a week after `now` by default. */
  nextUpdate?: Date;
  /** File name under `crl/`; `<authority>.crl` by default. */
  name?: string;
}

/**
 * Publishes a CRL of one of the test PKI's authorities (RFC 5280 §5, signed by the authority's key),
 * PEM in `crl/<name>`: the file a host's `revocation.crlFiles` names. Publishing again replaces it
 * (the host reloads a changed file on its next check).
 */
export async function publishCrl(
  pki: TestPki,
  authority: AuthorityName,
  request: CrlRequest = {},
): Promise<{ path: string; crl: x509.X509Crl }> {
  const issuer = pki[authority];
  const now = request.now ?? new Date();
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subjectName,
    thisUpdate: new Date(now.getTime() - clockSkewMs),
    nextUpdate: request.nextUpdate ?? new Date(now.getTime() + 7 * dayMs),
    signingAlgorithm: rsaAlgorithm,
    signingKey: issuer.privateKey,
    entries: (request.revoked ?? []).map((revoked) => ({
      serialNumber: typeof revoked === 'string' ? revoked : revoked.serialNumber,
      revocationDate: new Date(now.getTime() - 60_000),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate)],
  });
  const folder = join(pki.dir, 'crl');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, fileName(request.name ?? `${authority}.crl`));
  writePublicFile(path, `${crl.toString('pem')}\n`);
  return { path, crl };
}

/**
 * A delegated OCSP responder's certificate (RFC 6960 §4.2.2.2): issued by the authority it answers
 * for, `id-kp-OCSPSigning`, and `id-pkix-ocsp-nocheck` (its own status is not asked). Under
 * `ocsp/<name>.crt`, `.key`: what `openssl ocsp -rsigner … -rkey …` signs with.
 */
export async function issueOcspResponderCertificate(
  pki: TestPki,
  authority: Exclude<AuthorityName, 'root'>,
  request: { name: string; now?: Date } = { name: `${authority}-ocsp` },
): Promise<IssuedCertificate> {
  const [notBefore, notAfter] = validity(request, 365);
  const issuer = pki[authority];
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [
      { C: ['FR'] },
      { O: [authorityNames.organization] },
      { OU: [authorityNames.unit] },
      { CN: [`${issuer.certificate.subjectName.getField('CN')[0] ?? authority} OCSP`] },
    ],
    issuer: issuer.certificate.subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: rsaAlgorithm,
    publicKey: keys.publicKey,
    signingKey: issuer.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([extendedKeyUsages.ocspSigning]),
      new x509.Extension(ocspNoCheckOid, false, new Uint8Array([0x05, 0x00])),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate),
    ],
  });
  const folder = join(pki.dir, 'ocsp');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const certificatePem = certificate.toString('pem');
  const certPath = join(folder, `${fileName(request.name)}.crt`);
  writePublicFile(certPath, `${certificatePem}\n`);
  const keyPem = await privateKeyPem(keys.privateKey);
  const keyPath = join(folder, `${fileName(request.name)}.key`);
  writeSecretFile(keyPath, keyPem);
  return {
    certificate,
    certificatePem,
    chainPem: `${certificatePem}\n`,
    certPath,
    keyPem,
    keyPath,
    privateKey: keys.privateKey,
  };
}

const ocspNoCheckOid = '1.3.6.1.5.5.7.48.1.5';

/** The serial as OpenSSL looks it up (BN_bn2hex): upper case, no leading zero bytes, even length. */
function opensslSerial(serial: string): string {
  const digits = normalizeSerial(serial).toUpperCase();
  return digits.length % 2 === 0 ? digits : `0${digits}`;
}

/** OpenSSL's `index.txt` time: YYMMDDHHMMSSZ. */
function opensslTime(date: Date): string {
  return `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;
}

/**
 * The authority's certificate database as OpenSSL's `ca` keeps it (`index.txt`), which
 * `openssl ocsp -index` answers from: one line per issued certificate, `V` (valid) or `R` (revoked,
 * with its date). A certificate not listed is `unknown` to the responder. Written under
 * `ocsp/<authority>-index.txt`; writing again replaces it (the responder re-reads a changed file).
 */
export function writeOcspIndex(
  pki: TestPki,
  authority: AuthorityName,
  entries: { valid?: x509.X509Certificate[]; revoked?: x509.X509Certificate[]; now?: Date },
): string {
  const now = entries.now ?? new Date();
  const line = (certificate: x509.X509Certificate, revoked: boolean): string =>
    [
      revoked ? 'R' : 'V',
      opensslTime(certificate.notAfter),
      revoked ? `${opensslTime(new Date(now.getTime() - 60_000))},keyCompromise` : '',
      opensslSerial(certificate.serialNumber),
      'unknown',
      `/${certificate.subject.replace(/, /g, '/')}`,
    ].join('\t');
  const lines = [
    ...(entries.valid ?? []).map((c) => line(c, false)),
    ...(entries.revoked ?? []).map((c) => line(c, true)),
  ];
  const folder = join(pki.dir, 'ocsp');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, `${authority}-index.txt`);
  writePublicFile(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}
