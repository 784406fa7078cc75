import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCardError } from '../../../../src/main/cards/errors';
import { openCardSigner, type CardSigner } from '../../../../src/main/cards/pkcs11';
import { libraryUsers } from '../../../../src/main/cards/pkcs11/library';
import { createLogger } from '../../../../src/main/log/logger';
import {
  createTestPki,
  ProfessionalProofError,
  verifyProfessionalProof,
  type TestPki,
} from '../../../../src/main/pki';
import { createSoftHsmCards, type SoftHsmCards } from '../../../support/softhsm';

const yearMs = 365 * 24 * 60 * 60 * 1000;

describe('professional card signer over PKCS#11 (SoftHSM2 tokens)', () => {
  let dir: string;
  let pki: TestPki;
  let otherPki: TestPki;
  let tokens: SoftHsmCards;
  const lines: string[] = [];
  const log = createLogger({ sink: (line) => lines.push(line), level: 'debug' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-signer-'));
    pki = await createTestPki(join(dir, 'pki'));
    otherPki = await createTestPki(join(dir, 'other-pki'));
    tokens = await createSoftHsmCards({
      pki,
      cards: [
        'cps-medecin-generaliste',
        'cpe-secretaire-medicale',
        { profileId: 'cps-infirmier', serial: 'AUTRE-AC', pki: otherPki },
        {
          profileId: 'cps-pharmacien',
          serial: 'EXPIREE',
          notBefore: new Date(Date.now() - 4 * yearMs),
          notAfter: new Date(Date.now() - yearMs),
        },
      ],
    });
  }, 120_000);
  afterAll(() => {
    tokens.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (serial: string, pin = '1234'): Promise<CardSigner> =>
    openCardSigner({ modulePath: tokens.modulePath, token: serial, pin, log });

  async function prove(signer: CardSigner, challenge: Uint8Array) {
    return {
      certificatePem: await signer.certificatePem(),
      challenge,
      signature: await signer.sign(challenge),
    };
  }

  it('a CPS token signs the host challenge and the host derives the professional from its certificate', async () => {
    const card = tokens.card('cps-medecin-generaliste');
    const signer = await open(card.serial);
    try {
      const challenge = randomBytes(48);
      const proof = await prove(signer, challenge);
      expect(proof.certificatePem).toBe(card.certificatePem);
      // The verified chain comes along (the host re-checks it while the session lasts): not compared here.
      const { chain: _chain, ...professional } = await verifyProfessionalProof({
        ...proof,
        trustedRoots: [pki.caPem, pki.persons.certificatePem],
      });
      expect(professional).toEqual({
        nationalId: '899700100017',
        professionCode: '10',
        lastName: 'BONNEFOY',
        firstName: 'Claire',
        cardKind: 'cps',
      });
      // Trusting only the root also works when the workstation sends the card authority along.
      await expect(
        verifyProfessionalProof({
          ...proof,
          certificatePem: `${proof.certificatePem}\n${pki.persons.certificatePem}`,
          trustedRoots: [pki.caPem],
        }),
      ).resolves.toMatchObject(professional);
    } finally {
      await signer.close();
    }
    expect(libraryUsers(tokens.modulePath)).toBe(0);
  });

  it('a CPE without a health profession proves its holder too', async () => {
    const signer = await open(tokens.card('cpe-secretaire-medicale').serial);
    try {
      const professional = await verifyProfessionalProof({
        ...(await prove(signer, randomBytes(32))),
        trustedRoots: [pki.caPem, pki.persons.certificatePem],
      });
      expect(professional.cardKind).toBe('cpe');
      expect(professional.professionCode).toBe('');
    } finally {
      await signer.close();
    }
  });

  it('refuses a tampered signature and a signature over another challenge', async () => {
    const signer = await open(tokens.card('cps-medecin-generaliste').serial);
    try {
      const challenge = randomBytes(32);
      const proof = await prove(signer, challenge);
      const tampered = Uint8Array.from(proof.signature);
      tampered[10] = (tampered[10] ?? 0) ^ 0x01;
      const trustedRoots = [pki.caPem, pki.persons.certificatePem];
      await expect(
        verifyProfessionalProof({ ...proof, signature: tampered, trustedRoots }),
      ).rejects.toMatchObject({
        reason: 'signature',
        message: expect.stringContaining('signature de la carte') as unknown,
      });
      await expect(
        verifyProfessionalProof({ ...proof, challenge: randomBytes(32), trustedRoots }),
      ).rejects.toBeInstanceOf(ProfessionalProofError);
    } finally {
      await signer.close();
    }
  });

  it('refuses a card whose certificate comes from another CA', async () => {
    const signer = await open('AUTRE-AC');
    try {
      const proof = await prove(signer, randomBytes(32));
      await expect(
        verifyProfessionalProof({ ...proof, trustedRoots: [pki.caPem, pki.persons.certificatePem] }),
      ).rejects.toMatchObject({ reason: 'untrusted' });
      // Sending the other CA's authority along does not help: it does not chain to the trusted root.
      await expect(
        verifyProfessionalProof({
          ...proof,
          certificatePem: `${proof.certificatePem}\n${otherPki.persons.certificatePem}\n${otherPki.root.certificatePem}`,
          trustedRoots: [pki.caPem],
        }),
      ).rejects.toMatchObject({ reason: 'untrusted' });
    } finally {
      await signer.close();
    }
  });

  it('refuses a card whose certificate has expired', async () => {
    const signer = await open('EXPIREE');
    try {
      const proof = await prove(signer, randomBytes(32));
      await expect(
        verifyProfessionalProof({ ...proof, trustedRoots: [pki.caPem, pki.persons.certificatePem] }),
      ).rejects.toMatchObject({ reason: 'expired', message: expect.stringContaining('expiré') as unknown });
    } finally {
      await signer.close();
    }
  });

  it('refuses a wrong PIN in French, never logs the PIN, and leaves the library finalised', async () => {
    const serial = tokens.card('cps-medecin-generaliste').serial;
    lines.length = 0;
    const error: unknown = await open(serial, '9876').catch((caught: unknown) => caught);
    expect(isCardError(error, 'pin-wrong')).toBe(true);
    expect((error as Error).message).toMatch(/^Code porteur incorrect/);
    expect(libraryUsers(tokens.modulePath)).toBe(0);
    // The right PIN still opens the card afterwards.
    const signer = await open(serial);
    await signer.close();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('9876');
    expect(lines.join('\n')).not.toContain('1234');
  });

  it('says in French when the card is absent or the PKCS#11 module missing', async () => {
    const absent: unknown = await open('0099999999').catch((caught: unknown) => caught);
    expect(isCardError(absent, 'no-card')).toBe(true);
    expect((absent as Error).message).toContain('introuvable');
    const missing: unknown = await openCardSigner({
      modulePath: join(dir, 'absent-libcryptolib.so'),
      token: tokens.card('cps-medecin-generaliste').serial,
      pin: '1234',
      log,
    }).catch((caught: unknown) => caught);
    expect(isCardError(missing, 'no-service')).toBe(true);
    expect((missing as Error).message).toContain('Module PKCS#11');
    expect(libraryUsers(tokens.modulePath)).toBe(0);
  });

  it('refuses to sign once closed, and closing twice is harmless', async () => {
    const signer = await open(tokens.card('cps-medecin-generaliste').serial);
    const other = await open(tokens.card('cpe-secretaire-medicale').serial);
    expect(libraryUsers(tokens.modulePath)).toBe(2);
    await signer.close();
    await signer.close();
    // The other card's session survives the first close: the library is shared, not finalised.
    expect(libraryUsers(tokens.modulePath)).toBe(1);
    await expect(other.sign(randomBytes(16))).resolves.toHaveLength(256);
    await other.close();
    expect(libraryUsers(tokens.modulePath)).toBe(0);
    const closed: unknown = await signer.sign(randomBytes(16)).catch((caught: unknown) => caught);
    expect(isCardError(closed, 'closed')).toBe(true);
  });
});
