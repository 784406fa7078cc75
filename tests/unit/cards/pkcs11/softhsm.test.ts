import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCardSigner } from '../../../../src/main/cards/pkcs11';
import { acquireLibrary, pkcs11Module } from '../../../../src/main/cards/pkcs11/library';
import { provisionCardToken } from '../../../../src/main/cards/pkcs11/softhsm';
import { createLogger } from '../../../../src/main/log/logger';
import { verifyProfessionalProof } from '../../../../src/main/pki';
import { createTestDeployment, type TestDeployment } from '../../../../src/main/pki/test-deployment';
import { openTestPki } from '../../../../src/main/pki/test-pki';
import { cardProfilesDir } from '../../../support/softhsm';

const log = createLogger({ sink: () => undefined });

describe('test deployment with SoftHSM2 tokens standing for the simulated cards', () => {
  let dir: string;
  let deployment: TestDeployment;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-deployment-'));
    deployment = await createTestDeployment({
      dir: join(dir, 'deploiement'),
      cardProfilesDir,
      cardProfileIds: ['cps-medecin-urgentiste', 'cpe-secretaire-medicale'],
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a manifest naming the trust anchors, the host, the workstations and one token per card', () => {
    const manifest = JSON.parse(readFileSync(deployment.manifestPath, 'utf8')) as TestDeployment;
    expect(manifest.cards.map((card) => [card.profileId, card.serial, card.kind])).toEqual([
      ['cpe-secretaire-medicale', '0020000001', 'cpe'],
      ['cps-medecin-urgentiste', '0010000002', 'cps'],
    ]);
    expect(manifest.workstations.map((station) => [station.name, station.systemCalls])).toEqual([
      ['poste-a', false],
      ['poste-b', false],
      ['poste-import', true],
    ]);
    for (const path of [manifest.host.keyPath, ...manifest.workstations.map((station) => station.keyPath)]) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(manifest.cardTrustPath, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(readFileSync(manifest.softhsm.confPath, 'utf8')).toContain(
      `directories.tokendir = ${join(deployment.dir, 'softhsm', 'tokens')}`,
    );
  });

  it('lets a workstation prove the emergency doctor to a host trusting card-trust.pem', async () => {
    const signer = await openCardSigner({
      modulePath: deployment.softhsm.modulePath,
      token: '0010000002',
      pin: '1234',
      log,
    });
    try {
      const challenge = randomBytes(32);
      const professional = await verifyProfessionalProof({
        certificatePem: await signer.certificatePem(),
        challenge,
        signature: await signer.sign(challenge),
        trustedRoots: [readFileSync(deployment.cardTrustPath, 'utf8')],
      });
      expect(professional).toMatchObject({
        cardKind: 'cps',
        professionCode: '10',
        nationalId: expect.stringMatching(/^8\d{11}$/) as unknown,
      });
    } finally {
      await signer.close();
    }
  });

  it('keeps the card key on the token: private, sensitive, never extractable', () => {
    const module = pkcs11Module();
    const lease = acquireLibrary(deployment.softhsm.modulePath);
    try {
      const slot = lease.pkcs11
        .C_GetSlotList(true)
        .find((s) => lease.pkcs11.C_GetTokenInfo(s).label.trim() === '0010000002');
      expect(slot).toBeDefined();
      const session = lease.pkcs11.C_OpenSession(slot ?? Buffer.alloc(0), module.CKF_SERIAL_SESSION);
      try {
        lease.pkcs11.C_FindObjectsInit(session, [{ type: module.CKA_CLASS, value: module.CKO_PRIVATE_KEY }]);
        expect(lease.pkcs11.C_FindObjects(session, 10)).toHaveLength(0); // invisible before the PIN
        lease.pkcs11.C_FindObjectsFinal(session);
        lease.pkcs11.C_Login(session, module.CKU_USER, '1234');
        lease.pkcs11.C_FindObjectsInit(session, [{ type: module.CKA_CLASS, value: module.CKO_PRIVATE_KEY }]);
        const [key] = lease.pkcs11.C_FindObjects(session, 10);
        lease.pkcs11.C_FindObjectsFinal(session);
        expect(key).toBeDefined();
        const attributes = lease.pkcs11.C_GetAttributeValue(session, key ?? Buffer.alloc(0), [
          { type: module.CKA_SENSITIVE },
          { type: module.CKA_EXTRACTABLE },
        ]);
        // CK_BBOOL values come back as one byte each: CKA_SENSITIVE = 1, CKA_EXTRACTABLE = 0.
        expect(attributes.map((attribute) => Buffer.from(attribute.value as Buffer).toString('hex'))).toEqual(
          ['01', '00'],
        );
        lease.pkcs11.C_Logout(session);
      } finally {
        lease.pkcs11.C_CloseSession(session);
      }
    } finally {
      lease.release();
    }
  });

  it('refuses a second token with a serial already in use', async () => {
    const pki = await openTestPki(join(deployment.dir, 'pki'));
    await expect(
      provisionCardToken(
        {
          confPath: deployment.softhsm.confPath,
          tokenDir: join(deployment.dir, 'softhsm', 'tokens'),
          modulePath: deployment.softhsm.modulePath,
        },
        {
          pki,
          cardSerial: '0010000002',
          pin: '1234',
          holder: {
            kind: 'cps',
            nationalId: '899700100025',
            lastName: 'DOUBLON',
            firstName: 'Carte',
            professionCode: '10',
          },
        },
      ),
    ).rejects.toThrow(/already exists/);
  });
});
