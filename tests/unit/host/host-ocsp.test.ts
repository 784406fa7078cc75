import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log/logger';
import {
  issueCardCertificate,
  issueOcspResponderCertificate,
  issueWorkstationCertificate,
  writeOcspIndex,
  type IssuedCertificate,
  type TestPki,
} from '../../../src/main/pki';
import { rsaAlgorithm, subtle } from '../../../src/main/pki/keys';
import { OcspClient } from '../../../src/main/pki/ocsp';
import type { CardSigner } from '../../../src/main/host-client/card-signer';
import type { HostSessionEnd } from '../../../src/shared/contract';
import { createHostTestPki, type HostTestPki, type Issued } from '../../support/host-test-pki';
import { connectAsWorkstation, helloOn, startTestHost } from '../../support/host-harness';
import { startOcspResponder, type OcspResponder } from '../../support/ocsp-responder';

/**
 * OCSP on the host, end to end: the test PKI's certificates name their authority's responder (AIA),
 * two real `openssl ocsp` responders answer (AC ORGANISATIONS for workstations, AC PERSONNES for
 * cards), and the host checks workstations on every request, cards at the proof and on every call
 * of an open session. Every check asks the responder (`maxCacheMs: 1`), so an index change shows at
 * the next call.
 */
let hostPki: HostTestPki;
let pki: TestPki;
let host: Awaited<ReturnType<typeof startTestHost>>;
let organisationsOcsp: OcspResponder;
let personsOcsp: OcspResponder;
let desk: IssuedCertificate;
let stolenDesk: IssuedCertificate;
let goodCard: IssuedCertificate;
let lostCard: IssuedCertificate;
let laterCard: IssuedCertificate;
let sweptCard: IssuedCertificate;
const hostLines: string[] = [];
const insKey = '279035121518989@1.2.250.1.213.1.4.10';

const issued = (certificate: IssuedCertificate): Issued => ({
  certPem: certificate.chainPem,
  keyPem: certificate.keyPem ?? '',
});

/** A software card: the card certificate and its key in memory, signing like the PKCS#11 signer. */
function signerOf(card: IssuedCertificate): CardSigner {
  return {
    certificatePem: async () => card.certificatePem,
    sign: async (data) => {
      if (!card.privateKey) throw new Error('card without its key');
      return new Uint8Array(await subtle.sign(rsaAlgorithm, card.privateKey, Uint8Array.from(data)));
    },
    close: async () => undefined,
  };
}

function writeIndexes(options: { revokedCards: IssuedCertificate[] }): void {
  writeOcspIndex(pki, 'organisations', { valid: [desk.certificate], revoked: [stolenDesk.certificate] });
  const cards = [goodCard, lostCard, laterCard, sweptCard];
  writeOcspIndex(pki, 'persons', {
    valid: cards.filter((c) => !options.revokedCards.includes(c)).map((c) => c.certificate),
    revoked: options.revokedCards.map((c) => c.certificate),
  });
}

let cardCount = 0;
const card = (ocspUrl: string): Promise<IssuedCertificate> =>
  issueCardCertificate(pki, {
    cardSerial: `OCSP-${++cardCount}`,
    holder: {
      kind: 'cps',
      nationalId: `81000000000${cardCount}`,
      lastName: 'PRATICIEN',
      firstName: 'Test',
      professionCode: '10',
    },
    ocspUrl,
  });

beforeAll(async () => {
  hostPki = await createHostTestPki();
  pki = hostPki.deployment!;
  const responder = async (authority: 'organisations' | 'persons'): Promise<OcspResponder> => {
    const signer = await issueOcspResponderCertificate(pki, authority);
    return startOcspResponder({
      indexPath: writeOcspIndex(pki, authority, {}),
      caPath: join(pki.dir, authority === 'persons' ? 'ac-personnes.crt' : 'ac-organisations.crt'),
      signerCertPath: signer.certPath,
      signerKeyPath: signer.keyPath ?? '',
      nextUpdateMinutes: 5,
    });
  };
  organisationsOcsp = await responder('organisations');
  personsOcsp = await responder('persons');
  desk = await issueWorkstationCertificate(pki, { name: 'poste-ocsp', ocspUrl: organisationsOcsp.url });
  stolenDesk = await issueWorkstationCertificate(pki, { name: 'poste-vole', ocspUrl: organisationsOcsp.url });
  goodCard = await card(personsOcsp.url);
  lostCard = await card(personsOcsp.url);
  laterCard = await card(personsOcsp.url);
  sweptCard = await card(personsOcsp.url);
  writeIndexes({ revokedCards: [lostCard] });
  await organisationsOcsp.restart();
  await personsOcsp.restart();
  const revocation = new OcspClient({
    timeoutMs: 10_000,
    maxCacheMs: 1,
    log: createLogger({ sink: (l) => hostLines.push(l) }),
  });
  host = await startTestHost(hostPki, { revocation });
}, 120_000);

afterAll(async () => {
  await host?.close();
  await organisationsOcsp?.stop();
  await personsOcsp?.stop();
  if (hostPki) rmSync(hostPki.dir, { recursive: true, force: true });
});

/** The good card's proof, refused because its status cannot be known (fail closed). */
async function expectCardStatusUnknown(): Promise<void> {
  const station = await host.client(issued(desk));
  await expect(station.authenticateProfessional(signerOf(goodCard))).rejects.toMatchObject({
    code: 'FORBIDDEN',
    message: expect.stringContaining('ne peut pas vérifier que cette carte n’est pas révoquée') as unknown,
  });
}

async function refusals(cause: string): Promise<string[]> {
  return (await host.auditEntries())
    .filter((e) => e.action === 'host.refused' && (e.target ?? '').includes(`cause=${cause}`))
    .map((e) => e.target ?? '');
}

describe('OCSP for workstation and card certificates (openssl ocsp responders)', () => {
  it('accepts a good workstation and a good card; a call of the session goes through', async () => {
    const station = await host.client(issued(desk));
    await station.authenticateProfessional(signerOf(goodCard));
    // Admitted: the DMP itself answers (no dossier for this INS).
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a workstation the responder says is revoked, in French, and audits it', async () => {
    const session = connectAsWorkstation(host.url, pki.caPem, stolenDesk);
    try {
      const answer = await helloOn(session);
      expect(answer.status).toBe(403);
      expect(answer.message).toMatch(/certificat a été révoqué/);
    } finally {
      session.close();
    }
    expect((await refusals('workstation-revoked')).join('\n')).toMatch(/CN_poste-vole/);
  });

  it('refuses the proof of a card the responder says is revoked, in French, and audits it', async () => {
    const station = await host.client(issued(desk));
    await expect(station.authenticateProfessional(signerOf(lostCard))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('a été révoqué') as unknown,
    });
    expect((await refusals('card-proof')).at(-1)).toContain('detail=revoked');
  });

  it('ends an open session when the responder starts answering revoked for its card', async () => {
    const station = await host.client(issued(desk));
    await station.authenticateProfessional(signerOf(laterCard));
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeIndexes({ revokedCards: [lostCard, laterCard] });
    await personsOcsp.restart();
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Carte du professionnel révoquée : session fermée/) as unknown,
    });
    expect((await refusals('card-revoked')).at(-1)).toContain('proven=810000000003');
  });

  it('fails closed when the cards’ responder is down: the proof is refused in French, the log says why', async () => {
    await personsOcsp.stop();
    try {
      await expectCardStatusUnknown();
      expect(hostLines.join('\n')).toMatch(/OCSP responder unreachable/);
    } finally {
      await personsOcsp.restart();
    }
  });

  it('refuses a card when the answer is forged (signed by another PKI’s responder on the same address)', async () => {
    const port = Number(new URL(personsOcsp.url).port);
    await personsOcsp.stop();
    const foreignSigner = await issueOcspResponderCertificate(hostPki.foreign!, 'persons');
    const forger = await startOcspResponder({
      indexPath: join(pki.dir, 'ocsp', 'persons-index.txt'),
      caPath: join(pki.dir, 'ac-personnes.crt'),
      signerCertPath: foreignSigner.certPath,
      signerKeyPath: foreignSigner.keyPath ?? '',
      nextUpdateMinutes: 5,
      port,
    });
    try {
      await expectCardStatusUnknown();
      expect(hostLines.join('\n')).toMatch(/OCSP answer refused/);
    } finally {
      await forger.stop();
      await personsOcsp.restart();
    }
    // The real responder back: the same card is accepted again.
    const station = await host.client(issued(desk));
    await station.authenticateProfessional(signerOf(goodCard));
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
  it('ends an open session on the host’s sweep once the responder answers revoked, with no call: audited once, the workstation told', async () => {
    // A host of its own, sweeping often: each sweep asks the responder again (maxCacheMs 1).
    const sweeping = await startTestHost(hostPki, {
      revocation: new OcspClient({
        timeoutMs: 10_000,
        maxCacheMs: 1,
        log: createLogger({ sink: () => undefined }),
      }),
      sweepEveryMs: 100,
    });
    try {
      const station = await sweeping.client(issued(desk), pki.caPem, { pingEveryMs: 100 });
      const ends: HostSessionEnd[] = [];
      station.onProfessionalSessionEnded((end) => ends.push(end));
      await station.authenticateProfessional(signerOf(sweptCard));
      writeIndexes({ revokedCards: [lostCard, laterCard, sweptCard] });
      await personsOcsp.restart();
      const swept = async () =>
        (await sweeping.auditEntries())
          .map((e) => e.target ?? '')
          .filter((t) => t.includes('cause=card-revoked'));
      // Generous bounds: on a loaded machine a 100 ms sweep may run late, never wrongly.
      await expect.poll(async () => (await swept()).length, { timeout: 30_000 }).toBe(1);
      expect((await swept())[0]).toMatch(/method=\(révocation\).*proven=810000000004/);
      await expect.poll(() => ends.map((e) => e.cause), { timeout: 30_000 }).toEqual(['card-revoked']);
      expect(await swept()).toHaveLength(1);
    } finally {
      writeIndexes({ revokedCards: [lostCard, laterCard] });
      await personsOcsp.restart();
      await sweeping.close();
    }
  }, 60_000);
});
