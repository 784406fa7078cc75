import { readCardSubject } from './card-subject';
import { rsaAlgorithm, subtle } from './keys';
import { attributeOids, extendedKeyUsages, policies, type CardKind } from './profile';
import type { RevocationCheck } from './revocation';
import * as x509 from './x509';

/**
 * Host side of the professional's authentication: the workstation signed the host's challenge with
 * the card's authentication key and sent the card's certificate. The host never takes the
 * workstation's word for who the professional is: it derives the professional from a certificate it
 * has verified itself.
 */

export interface ProfessionalProof {
  /** The card's certificate (PEM); intermediate authorities may follow it. */
  certificatePem: string;
  challenge: Uint8Array;
  /** RSASSA-PKCS1-v1_5 / SHA-256 over `challenge`, made by the card. */
  signature: Uint8Array;
  /**
   * Certificates the host trusts (PEM, several per string allowed): the root of the card PKI, and
   * optionally its card authority so that the workstation need not send it.
   */
  trustedRoots: readonly string[];
  /** The instant the proof is checked at (tests); now by default. */
  now?: Date;
  /** The card authorities' CRLs and/or OCSP: each certificate of the chain is checked against its issuer. */
  revocation?: RevocationCheck;
}

export interface ProvenProfessional {
  nationalId: string;
  professionCode: string;
  lastName: string;
  firstName: string;
  cardKind: CardKind;
  /**
   * The verified chain, card certificate first, up to the trusted certificate: the host checks it
   * again against revocation data while the professional's session lasts (professional-sessions.ts).
   */
  chain: readonly x509.X509Certificate[];
}

export type ProofRefusalReason =
  | 'malformed'
  | 'untrusted'
  | 'expired'
  | 'not-yet-valid'
  | 'usage'
  | 'holder'
  | 'signature'
  | 'revoked'
  | 'revocation-unknown';

const refusalMessages: Record<ProofRefusalReason, string> = {
  malformed: 'Authentification refusée : le certificat de la carte est illisible.',
  untrusted:
    'Authentification refusée : le certificat de la carte n’a pas été émis par l’autorité des cartes de professionnels reconnue par le serveur DMP.',
  expired: 'Authentification refusée : le certificat de la carte a expiré ; la carte doit être renouvelée.',
  'not-yet-valid': 'Authentification refusée : le certificat de la carte n’est pas encore valide.',
  usage:
    'Authentification refusée : ce certificat n’est pas un certificat d’authentification de carte de professionnel.',
  holder:
    'Authentification refusée : le certificat de la carte ne désigne pas un professionnel identifiable (RPPS/ADELI).',
  signature: 'Authentification refusée : la signature de la carte ne correspond pas au défi du serveur DMP.',
  revoked:
    'Authentification refusée : le certificat de cette carte a été révoqué (carte perdue, volée ou remplacée). Utilisez votre nouvelle carte ou contactez l’autorité qui l’a délivrée.',
  'revocation-unknown':
    'Authentification refusée : le serveur DMP ne peut pas vérifier que cette carte n’est pas révoquée (liste de révocation expirée ou invalide, ou répondeur OCSP injoignable). Contactez le service informatique.',
};

/** A refused proof: `message` is French, for the user; `detail` is English, for the host's log. */
export class ProfessionalProofError extends Error {
  override readonly name = 'ProfessionalProofError';
  readonly reason: ProofRefusalReason;
  readonly detail: string;
  /** The national id the presented certificate names (unverified), for the host's audit of the refusal. */
  claimedNationalId: string | null = null;

  constructor(reason: ProofRefusalReason, detail: string) {
    super(refusalMessages[reason]);
    this.reason = reason;
    this.detail = detail;
  }
}

/** Longest chain accepted above the card's certificate (card authority, root, and one spare). */
const maxChainLength = 4;

function parseAll(pems: readonly string[]): x509.X509Certificate[] {
  return pems.flatMap((pem) => x509.PemConverter.decode(pem).map((der) => new x509.X509Certificate(der)));
}

function sameCertificate(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

function checkDates(certificate: x509.X509Certificate, now: Date, what: string): void {
  if (now < certificate.notBefore) {
    throw new ProfessionalProofError(
      'not-yet-valid',
      `${what} valid from ${certificate.notBefore.toISOString()}`,
    );
  }
  if (now > certificate.notAfter) {
    throw new ProfessionalProofError('expired', `${what} expired on ${certificate.notAfter.toISOString()}`);
  }
}

function policiesOf(certificate: x509.X509Certificate): readonly string[] {
  return certificate.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
}

function checkCardCertificate(leaf: x509.X509Certificate): void {
  if (leaf.getExtension(x509.BasicConstraintsExtension)?.ca === true) {
    throw new ProfessionalProofError('usage', 'presented certificate is a CA');
  }
  const usages = leaf.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  if ((usages & x509.KeyUsageFlags.digitalSignature) === 0) {
    throw new ProfessionalProofError('usage', 'key usage lacks digitalSignature');
  }
  const eku = leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages;
  if (eku !== undefined && !eku.map(String).includes(extendedKeyUsages.clientAuth)) {
    throw new ProfessionalProofError('usage', 'extended key usage lacks clientAuth');
  }
  if (!policiesOf(leaf).includes(policies.cardAuthentication)) {
    throw new ProfessionalProofError('usage', 'certificate lacks the card authentication policy');
  }
}

function isAuthority(certificate: x509.X509Certificate): boolean {
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  const usages = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  return constraints?.ca === true && (usages & x509.KeyUsageFlags.keyCertSign) !== 0;
}

async function issuedBy(child: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  if (child.issuer !== issuer.subject) return false;
  try {
    return await child.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/**
 * Walks from the card's certificate up to a trusted certificate. Each step: the issuer's name matches,
 * its signature verifies, it is a CA allowed to sign certificates, and it is within its dates. The
 * authority right above the card must be a card authority (it lists the card authentication policy):
 * a workstation or host certificate from the organisations' authority never proves a professional.
 */
async function checkChain(
  leaf: x509.X509Certificate,
  offered: x509.X509Certificate[],
  trusted: x509.X509Certificate[],
  now: Date,
  revocation: ProfessionalProof['revocation'],
): Promise<x509.X509Certificate[]> {
  let current = leaf;
  const chain = [leaf];
  for (let depth = 0; depth < maxChainLength; depth++) {
    let issuer: x509.X509Certificate | undefined;
    for (const candidate of [...trusted, ...offered]) {
      if (await issuedBy(current, candidate)) {
        issuer = candidate;
        break;
      }
    }
    if (issuer === undefined) {
      throw new ProfessionalProofError('untrusted', `no trusted issuer for "${current.issuer}"`);
    }
    if (!isAuthority(issuer)) {
      throw new ProfessionalProofError(
        'untrusted',
        `issuer "${issuer.subject}" is not a certification authority`,
      );
    }
    if (depth === 0 && !policiesOf(issuer).includes(policies.cardAuthentication)) {
      throw new ProfessionalProofError('untrusted', `issuer "${issuer.subject}" is not a card authority`);
    }
    checkDates(issuer, now, `authority "${issuer.subject}"`);
    if (revocation) {
      const verdict = await revocation.status(current, issuer);
      if (verdict.status === 'revoked') {
        throw new ProfessionalProofError(
          'revoked',
          `"${current.subject}" serial ${current.serialNumber} revoked on ${verdict.revokedAt.toISOString()} (${verdict.source})`,
        );
      }
      if (verdict.status === 'unknown') {
        throw new ProfessionalProofError(
          'revocation-unknown',
          `revocation status from "${issuer.subject}" unknown (${verdict.why}, ${verdict.source})`,
        );
      }
    }
    const anchor = issuer;
    chain.push(anchor);
    if (trusted.some((certificate) => sameCertificate(certificate, anchor))) return chain;
    if (issuer.subject === issuer.issuer) {
      throw new ProfessionalProofError('untrusted', `self-signed "${issuer.subject}" is not trusted`);
    }
    current = issuer;
  }
  throw new ProfessionalProofError('untrusted', 'certificate chain too long');
}

function claimedNationalId(leaf: x509.X509Certificate): string | null {
  const subject = readCardSubject(leaf.subjectName);
  if ('holder' in subject) return subject.holder.nationalId;
  const raw = leaf.subjectName.getField(attributeOids.serialNumber);
  return raw.length === 1 && /^\d{10,12}$/.test(raw[0] ?? '') ? (raw[0] ?? null) : null;
}

export async function verifyProfessionalProof(proof: ProfessionalProof): Promise<ProvenProfessional> {
  const now = proof.now ?? new Date();
  let presented: x509.X509Certificate[];
  let trusted: x509.X509Certificate[];
  try {
    presented = parseAll([proof.certificatePem]);
  } catch (error) {
    throw new ProfessionalProofError('malformed', `card certificate: ${String(error)}`);
  }
  try {
    trusted = parseAll(proof.trustedRoots);
  } catch (error) {
    // The host's own configuration is broken: refuse, and say so in the log.
    throw new ProfessionalProofError('untrusted', `trusted roots unreadable: ${String(error)}`);
  }
  const [leaf, ...offered] = presented;
  if (leaf === undefined) throw new ProfessionalProofError('malformed', 'no certificate in the proof');
  if (trusted.length === 0) throw new ProfessionalProofError('untrusted', 'no trusted roots configured');

  let chain: x509.X509Certificate[];
  try {
    checkCardCertificate(leaf);
    checkDates(leaf, now, 'card certificate');
    chain = await checkChain(leaf, offered, trusted, now, proof.revocation);
  } catch (error) {
    // Who the refused card claims to be (unverified), for the host's audit of the refusal; never a name.
    if (error instanceof ProfessionalProofError) error.claimedNationalId = claimedNationalId(leaf);
    throw error;
  }

  const subject = readCardSubject(leaf.subjectName);
  if ('problem' in subject) throw new ProfessionalProofError('holder', subject.problem);

  let valid = false;
  try {
    const key = await subtle.importKey('spki', leaf.publicKey.rawData, rsaAlgorithm, false, ['verify']);
    valid = await subtle.verify(
      rsaAlgorithm,
      key,
      Uint8Array.from(proof.signature),
      Uint8Array.from(proof.challenge),
    );
  } catch (error) {
    const refused = new ProfessionalProofError('signature', `signature check failed: ${String(error)}`);
    refused.claimedNationalId = subject.holder.nationalId;
    throw refused;
  }
  if (!valid) {
    const refused = new ProfessionalProofError('signature', 'signature does not verify over the challenge');
    refused.claimedNationalId = subject.holder.nationalId;
    throw refused;
  }

  const { holder } = subject;
  return {
    nationalId: holder.nationalId,
    professionCode: holder.professionCode,
    lastName: holder.lastName,
    firstName: holder.firstName,
    cardKind: holder.kind,
    chain,
  };
}
