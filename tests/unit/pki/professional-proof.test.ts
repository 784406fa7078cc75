import { mkdtempSync, rmSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardSubject,
  createTestPki,
  issueCardCertificate,
  issueWorkstationCertificate,
  policies,
  verifyProfessionalProof,
  type CardHolder,
  type IssuedCertificate,
  type TestPki,
} from '../../../src/main/pki';
import * as x509 from '../../../src/main/pki/x509';

const holder: CardHolder = {
  kind: 'cps',
  nationalId: '899700100017',
  lastName: 'BONNEFOY',
  firstName: 'Claire',
  professionCode: '10',
};
const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const challenge = Uint8Array.from(Buffer.from('défi du serveur DMP lié à la connexion TLS'));

async function signWith(key: CryptoKey | undefined, data: Uint8Array): Promise<Uint8Array> {
  if (key === undefined) throw new Error('no private key');
  return new Uint8Array(await webcrypto.subtle.sign(rsa, key as webcrypto.CryptoKey, data));
}

describe('verifyProfessionalProof (host side)', () => {
  let dir: string;
  let pki: TestPki;
  let card: IssuedCertificate;
  let trustedRoots: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-proof-'));
    pki = await createTestPki(join(dir, 'pki'));
    card = await issueCardCertificate(pki, { cardSerial: '0010000001', holder });
    trustedRoots = [pki.caPem, pki.persons.certificatePem];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a card key signature over the challenge and names the professional', async () => {
    const signature = await signWith(card.privateKey, challenge);
    const { chain, ...professional } = await verifyProfessionalProof({
      certificatePem: card.certificatePem,
      challenge,
      signature,
      trustedRoots,
    });
    expect(professional).toEqual({
      nationalId: '899700100017',
      professionCode: '10',
      lastName: 'BONNEFOY',
      firstName: 'Claire',
      cardKind: 'cps',
    });
    // The verified chain, card first, up to the first trusted certificate (here AC PERSONNES, listed
    // in trustedRoots): what an open session is checked again with.
    expect(chain.map((c) => c.subject)).toEqual([card.certificate.subject, pki.persons.certificate.subject]);
  });

  it('refuses a certificate outside its dates, at the instant of the check', async () => {
    const signature = await signWith(card.privateKey, challenge);
    const proof = { certificatePem: card.certificatePem, challenge, signature, trustedRoots };
    await expect(
      verifyProfessionalProof({ ...proof, now: new Date(card.certificate.notAfter.getTime() + 1000) }),
    ).rejects.toMatchObject({
      reason: 'expired',
    });
    await expect(
      verifyProfessionalProof({ ...proof, now: new Date(card.certificate.notBefore.getTime() - 1000) }),
    ).rejects.toMatchObject({
      reason: 'not-yet-valid',
    });
  });

  it('refuses a workstation certificate, even from the same root', async () => {
    const station = await issueWorkstationCertificate(pki, { name: 'poste-a' });
    const signature = await signWith(station.privateKey, challenge);
    await expect(
      verifyProfessionalProof({
        certificatePem: station.chainPem,
        challenge,
        signature,
        trustedRoots: [pki.caPem],
      }),
    ).rejects.toMatchObject({ reason: 'usage' });
  });

  it('refuses a card-like certificate that the organisations authority signed', async () => {
    const keys = await webcrypto.subtle.generateKey(
      { ...rsa, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ['sign', 'verify'],
    );
    const forged = await x509.X509CertificateGenerator.create({
      subject: cardSubject(holder, '0010000066'),
      issuer: pki.organisations.certificate.subjectName,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: rsa,
      publicKey: keys.publicKey as unknown as CryptoKey,
      signingKey: pki.organisations.privateKey as unknown as CryptoKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.CertificatePolicyExtension([policies.cardAuthentication]),
      ],
    });
    const signature = await signWith(keys.privateKey as unknown as CryptoKey, challenge);
    await expect(
      verifyProfessionalProof({
        certificatePem: `${forged.toString('pem')}\n${pki.organisations.certificatePem}`,
        challenge,
        signature,
        trustedRoots: [pki.caPem],
      }),
    ).rejects.toMatchObject({ reason: 'untrusted' });
  });

  it('refuses a chain ending in a look-alike root with the trusted root’s name', async () => {
    const impostor = await createTestPki(join(dir, 'impostor'));
    expect(impostor.root.certificate.subject).toBe(pki.root.certificate.subject);
    const forged = await issueCardCertificate(impostor, { cardSerial: '0010000001', holder });
    const signature = await signWith(forged.privateKey, challenge);
    await expect(
      verifyProfessionalProof({
        certificatePem: `${forged.certificatePem}\n${impostor.persons.certificatePem}\n${impostor.root.certificatePem}`,
        challenge,
        signature,
        trustedRoots: [pki.caPem],
      }),
    ).rejects.toMatchObject({ reason: 'untrusted' });
  });

  it('refuses a signature made by another key than the certified one', async () => {
    const other = await issueCardCertificate(pki, { cardSerial: '0010000002', holder });
    const signature = await signWith(other.privateKey, challenge);
    await expect(
      verifyProfessionalProof({ certificatePem: card.certificatePem, challenge, signature, trustedRoots }),
    ).rejects.toMatchObject({ reason: 'signature' });
  });

  it('refuses unreadable input and a host without trusted roots', async () => {
    const signature = await signWith(card.privateKey, challenge);
    await expect(
      verifyProfessionalProof({
        certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
        challenge,
        signature,
        trustedRoots,
      }),
    ).rejects.toMatchObject({ reason: 'malformed' });
    await expect(
      verifyProfessionalProof({ certificatePem: 'pas un certificat', challenge, signature, trustedRoots }),
    ).rejects.toMatchObject({
      reason: 'malformed',
    });
    await expect(
      verifyProfessionalProof({
        certificatePem: card.certificatePem,
        challenge,
        signature,
        trustedRoots: [],
      }),
    ).rejects.toMatchObject({ reason: 'untrusted' });
  });
});
