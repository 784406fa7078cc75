import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Professional } from '../../../src/shared/contract';
import type { DmpActor } from '../../../src/main/dmp/actors';
import { openCardSigner, type CardSigner } from '../../../src/main/cards/pkcs11';
import { createLogger } from '../../../src/main/log/logger';
import { createTestPki, type TestPki } from '../../../src/main/pki';
import { hostTestPkiFrom } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';
import { createSoftHsmCards, type SoftHsmCard, type SoftHsmCards } from '../../support/softhsm';
import { testInsKey } from '../dmp/helpers';

/**
 * The whole professional authentication with real components: the test PKI's certificates for TLS,
 * SoftHSM2 tokens standing for the cards (PKCS#11), and verifyProfessionalProof as the host's verifier.
 */
const yearMs = 365 * 24 * 60 * 60 * 1000;
const log = createLogger({ sink: () => undefined });

function actorFor(card: SoftHsmCard, overrides: Partial<Professional['holder']> = {}): DmpActor {
  return {
    mode: 'normal',
    professional: {
      reader: 'Lecteur CPS',
      cardKind: card.holder.kind,
      serial: card.serial,
      holder: {
        nationalId: card.holder.nationalId,
        nationalIdType: 'RPPS',
        lastName: card.holder.lastName,
        firstName: card.holder.firstName,
        professionCode: card.holder.professionCode,
        professionLabel: 'Médecin',
        situations: [{ label: 'Cabinet médical du Parc' }],
        ...overrides,
      },
    },
  };
}

describe('host authenticates professionals with SoftHSM2 cards and the test PKI', () => {
  let dir: string;
  let pki: TestPki;
  let otherPki: TestPki;
  let tokens: SoftHsmCards;
  let host: Awaited<ReturnType<typeof startTestHost>>;
  const signers: CardSigner[] = [];

  const card = async (serial: string): Promise<CardSigner> => {
    const signer = await openCardSigner({ modulePath: tokens.modulePath, token: serial, pin: '1234', log });
    signers.push(signer);
    return signer;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-host-cards-'));
    pki = await createTestPki(join(dir, 'pki'));
    otherPki = await createTestPki(join(dir, 'other'));
    tokens = await createSoftHsmCards({
      pki,
      cards: [
        'cps-medecin-generaliste',
        { profileId: 'cps-medecin-urgentiste', serial: 'AUTRE-AC', pki: otherPki },
        {
          profileId: 'cps-pharmacien',
          serial: 'EXPIREE',
          notBefore: new Date(Date.now() - 4 * yearMs),
          notAfter: new Date(Date.now() - yearMs),
        },
      ],
    });
    host = await startTestHost(await hostTestPkiFrom(pki, otherPki));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(signers.map((signer) => signer.close()));
    await host?.close();
    tokens?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds the professional proven by the card to the connection, and refuses another actor on it', async () => {
    const station = await host.client();
    const gp = tokens.card('cps-medecin-generaliste');
    await station.authenticateProfessional(await card(gp.serial));
    await expect(station.dmp.searchDossiersAs(actorFor(gp), { insKey: testInsKey })).resolves.toBeDefined();
    await expect(
      station.dmp.searchDossiersAs(actorFor(gp, { nationalId: '899700100025' }), { insKey: testInsKey }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(host.lines.join('\n')).toContain('professional session started');
  });

  it('refuses a card certified by another CA, and an expired card, in French', async () => {
    const station = await host.client();
    await expect(station.authenticateProfessional(await card('AUTRE-AC'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('autorité des cartes') as unknown,
    });
    await expect(station.authenticateProfessional(await card('EXPIREE'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('expiré') as unknown,
    });
  });
});
