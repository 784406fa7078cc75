import { X509Certificate } from 'node:crypto';
import type { ClientHttp2Session } from 'node:http2';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCardSigner, type CardSigner } from '../../../src/main/cards/pkcs11';
import { createLogger } from '../../../src/main/log/logger';
import { connectToHost } from '../../../src/main/host-client';
import {
  issueWorkstationCertificate,
  publishCrl,
  RevocationLists,
  type IssuedCertificate,
  type TestPki,
} from '../../../src/main/pki';
import type { HostSessionEnd } from '../../../src/shared/contract';
import { createHostTestPki, type HostTestPki, type Issued } from '../../support/host-test-pki';
import { connectAsWorkstation, helloOn, startTestHost } from '../../support/host-harness';
import { createSoftHsmCards, type SoftHsmCards } from '../../support/softhsm';

/**
 * Revocation with real certificates: the test PKI's authorities publish CRLs (src/main/pki), the host
 * loads them (`RevocationLists`), a revoked workstation is refused at its first request, a revoked
 * card's proof is refused, a CRL past its nextUpdate fails closed, and a CRL file that changes is
 * taken into account without a restart.
 */
const dayMs = 24 * 60 * 60 * 1000;

const issued = (certificate: IssuedCertificate): Issued => ({
  certPem: certificate.chainPem,
  keyPem: certificate.keyPem ?? '',
});

let dir: string;
let pki: TestPki;
let tokens: SoftHsmCards;
let host: Awaited<ReturnType<typeof startTestHost>>;
let hostPki: HostTestPki;
let desk: IssuedCertificate;
let stolen: IssuedCertificate;
let later: IssuedCertificate;
let crlPaths: { organisations: string; persons: string; root: string };
let perdue: ReturnType<SoftHsmCards['card']>;
let revocation: RevocationLists;
const hostLines: string[] = [];
const signers: CardSigner[] = [];
const quiet = createLogger({ sink: () => undefined });

const card = async (serial: string): Promise<CardSigner> => {
  const signer = await openCardSigner({
    modulePath: tokens.modulePath,
    token: serial,
    pin: '1234',
    log: quiet,
  });
  signers.push(signer);
  return signer;
};

beforeAll(async () => {
  hostPki = await createHostTestPki();
  dir = hostPki.dir;
  pki = hostPki.deployment!;
  tokens = await createSoftHsmCards({
    pki,
    cards: [
      'cps-medecin-generaliste',
      { profileId: 'cps-pharmacien', serial: 'PERDUE' },
      { profileId: 'cps-medecin-generaliste', serial: 'VOLEE-EN-SESSION' },
      { profileId: 'cps-medecin-generaliste', serial: 'REVOQUEE-SANS-APPEL' },
    ],
  });
  desk = await issueWorkstationCertificate(pki, { name: 'poste-a' });
  stolen = await issueWorkstationCertificate(pki, { name: 'poste-vole' });
  later = await issueWorkstationCertificate(pki, { name: 'poste-b' });
  const lostCard = tokens.card('PERDUE');
  perdue = lostCard;
  crlPaths = {
    organisations: (await publishCrl(pki, 'organisations', { revoked: [stolen.certificate] })).path,
    persons: (await publishCrl(pki, 'persons', { revoked: [serialOf(lostCard.certificatePem)] })).path,
    root: (await publishCrl(pki, 'root')).path,
  };
  revocation = RevocationLists.open(
    [crlPaths.organisations, crlPaths.persons, crlPaths.root],
    createLogger({ sink: (l) => hostLines.push(l) }),
  );
  host = await startTestHost(hostPki, { revocation });
}, 120_000);

afterAll(async () => {
  await Promise.all(signers.map((signer) => signer.close()));
  await host?.close();
  tokens?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function serialOf(pem: string): string {
  return new X509Certificate(pem).serialNumber;
}

function connect(identity: IssuedCertificate): ClientHttp2Session {
  return connectAsWorkstation(host.url, pki.caPem, identity);
}

async function workstationRefusals(): Promise<string[]> {
  return (await host.auditEntries())
    .filter((e) => e.action === 'host.refused' && (e.target ?? '').includes('cause=workstation-revoked'))
    .map((e) => e.target ?? '');
}

describe('revocation of workstation certificates (CRL of AC ORGANISATIONS)', () => {
  it('refuses a revoked workstation at its first request, in French, and audits it with its serial', async () => {
    const session = connect(stolen);
    try {
      const answer = await helloOn(session);
      expect(answer.status).toBe(403);
      expect(answer.message).toMatch(/certificat a été révoqué/);
    } finally {
      session.close();
    }
    const audited = await workstationRefusals();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toContain(`serial=${serialOf(stolen.certificatePem).toUpperCase()}`);
    expect(audited[0]).toContain('subject=');
    expect(audited[0]).toMatch(/CN_poste-vole/);
    // Another workstation is served.
    const ok = connect(desk);
    try {
      expect((await helloOn(ok)).status).toBe(200);
    } finally {
      ok.close();
    }
  });

  it('tells the revoked workstation why, in the card bar’s words: the host’s French reason, not a generic TLS refusal', async () => {
    const client = await connectToHost({
      url: host.url,
      caPem: pki.caPem,
      certPem: stolen.chainPem,
      keyPem: stolen.keyPem ?? '',
      log: quiet,
    });
    try {
      expect(client.status()).toMatchObject({
        state: 'refused',
        message: expect.stringMatching(/^Serveur DMP : connexion refusée — .*certificat a été révoqué/),
      });
    } finally {
      await client.close();
    }
  });

  it('takes a republished CRL into account without a restart, even on an open connection', async () => {
    const session = connect(later);
    try {
      expect((await helloOn(session)).status).toBe(200);
      await publishCrl(pki, 'organisations', { revoked: [stolen.certificate, later.certificate] });
      const answer = await helloOn(session);
      expect(answer.status).toBe(403);
      expect(answer.message).toMatch(/révoqué/);
    } finally {
      session.close();
    }
    expect(hostLines.join('\n')).toMatch(/CRL reloaded/);
  });
});

describe('revocation of card certificates (CRL of AC PERSONNES)', () => {
  it('refuses the proof of a revoked card in French, audits it; a valid card still authenticates', async () => {
    const station = await host.client(issued(desk));
    const lost = tokens.card('PERDUE');
    await expect(station.authenticateProfessional(await card('PERDUE'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('révoqué') as unknown,
    });
    const entry = (await host.auditEntries())
      .filter((e) => (e.target ?? '').includes('cause=card-proof'))
      .at(-1);
    expect(entry?.target).toContain('detail=revoked');
    expect(entry?.target).toContain(`claimed=${lost.holder.nationalId}`);
    const gp = tokens.card('cps-medecin-generaliste');
    await station.authenticateProfessional(await card(gp.serial));
    expect(host.lines.join('\n')).toMatch(/professional session started/);
  });

  it('ends an open session whose card is revoked afterwards: the next call is refused in French and audited', async () => {
    const station = await host.client(issued(desk));
    const stolenCard = tokens.card('VOLEE-EN-SESSION');
    await station.authenticateProfessional(await card(stolenCard.serial));
    const insKey = '279035121518989@1.2.250.1.213.1.4.10';
    // Admitted: the DMP itself answers (no dossier for this INS in this host's store).
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await publishCrl(pki, 'persons', {
      revoked: [serialOf(perdue.certificatePem), serialOf(stolenCard.certificatePem)],
    });
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Carte du professionnel révoquée : session fermée/) as unknown,
    });
    const entry = (await host.auditEntries())
      .filter((e) => e.action === 'host.refused' && (e.target ?? '').includes('cause=card-revoked'))
      .at(-1);
    expect(entry?.target).toContain('method=dmp.professionals');
    expect(entry?.target).toContain(`proven=${stolenCard.holder.nationalId}`);
    expect(entry?.target).toMatch(/detail=session-ended-revoked-/);
    expect(entry?.insKey).toBe(insKey);
    expect(`${entry?.actorName} ${entry?.target}`).not.toContain(stolenCard.holder.lastName);
    expect(host.lines.join('\n')).toMatch(/"cause":"card certificate revoked"/);
    // The session is gone, and the host says why again without auditing it twice; the client does
    // not prove with that card by itself (a new proof with it is refused).
    await expect(station.dmp.professionals(insKey)).rejects.toMatchObject({
      message: expect.stringMatching(/^Carte du professionnel révoquée : session fermée/) as unknown,
    });
    expect(
      (await host.auditEntries()).filter((e) =>
        (e.target ?? '').includes(`proven=${stolenCard.holder.nationalId}`),
      ),
    ).toHaveLength(1);
    await expect(station.authenticateProfessional(await card(stolenCard.serial))).rejects.toMatchObject({
      message: expect.stringContaining('révoqué') as unknown,
    });
    await publishCrl(pki, 'persons', { revoked: [serialOf(perdue.certificatePem)] });
  });

  it('ends an open session once the host’s sweep loads a CRL revoking its card, with no call: audited once, the workstation learns it on its ping cycle', async () => {
    // A host of its own, sweeping often, on the same revocation data.
    const sweeping = await startTestHost(hostPki, { revocation, sweepEveryMs: 100 });
    const revokedCard = tokens.card('REVOQUEE-SANS-APPEL');
    try {
      const station = await sweeping.client(issued(desk), pki.caPem, { pingEveryMs: 100 });
      const ends: HostSessionEnd[] = [];
      station.onProfessionalSessionEnded((end) => ends.push(end));
      await station.authenticateProfessional(await card(revokedCard.serial));
      await publishCrl(pki, 'persons', {
        revoked: [serialOf(perdue.certificatePem), serialOf(revokedCard.certificatePem)],
      });
      const revokedEntries = async () =>
        (await sweeping.auditEntries()).filter(
          (e) => e.action === 'host.refused' && (e.target ?? '').includes('cause=card-revoked'),
        );
      // Generous bounds: on a loaded machine a 100 ms sweep may run late, never wrongly.
      await expect.poll(async () => (await revokedEntries()).length, { timeout: 30_000 }).toBe(1);
      const [entry] = await revokedEntries();
      // The same shape as a call that finds it, the sweep in place of the method, no dossier.
      expect(entry?.target).toContain('method=(révocation)');
      expect(entry?.target).toContain(`proven=${revokedCard.holder.nationalId}`);
      expect(entry?.target).toMatch(/detail=session-ended-revoked-/);
      expect(entry?.target).toContain(`serial=${serialOf(desk.certificatePem).toUpperCase()}`);
      expect(entry?.insKey ?? null).toBeNull();
      expect(`${entry?.actorName} ${entry?.target}`).not.toContain(revokedCard.holder.lastName);
      expect(sweeping.lines.join('\n')).toMatch(/"cause":"card certificate revoked"/);
      // The workstation made no call: its ping-time status check tells it, typed, with the host's words.
      await expect.poll(() => ends.length, { timeout: 30_000 }).toBe(1);
      expect(ends[0]).toEqual({
        cause: 'card-revoked',
        message: expect.stringMatching(/^Carte du professionnel révoquée : session fermée/) as unknown,
      });
      // Its next call: the same reason, no proof attempted with the dead card, nothing audited twice.
      const proofsBefore = sweeping.lines.filter((l) => l.includes('professional session started')).length;
      await expect(station.dmp.professionals('279035121518989@1.2.250.1.213.1.4.10')).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^Carte du professionnel révoquée/) as unknown,
      });
      expect(sweeping.lines.filter((l) => l.includes('professional session started'))).toHaveLength(
        proofsBefore,
      );
      expect(await revokedEntries()).toHaveLength(1);
      expect(ends).toHaveLength(1);
      expect(sweeping.clientLines.join('\n')).toMatch(
        /professional session ended by the DMP host.*"cause":"card-revoked"|"cause":"card-revoked".*professional session ended by the DMP host/,
      );
    } finally {
      await publishCrl(pki, 'persons', { revoked: [serialOf(perdue.certificatePem)] });
      await sweeping.close();
    }
  }, 60_000);

  it('fails closed on an expired CRL (clear log), and recovers once a fresh CRL is published', async () => {
    const gp = tokens.card('cps-medecin-generaliste');
    const station = await host.client(issued(desk));
    await publishCrl(pki, 'persons', {
      now: new Date(Date.now() - 10 * dayMs),
      nextUpdate: new Date(Date.now() - dayMs),
    });
    await expect(station.authenticateProfessional(await card(gp.serial))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('ne peut pas vérifier que cette carte n’est pas révoquée') as unknown,
    });
    expect(hostLines.join('\n')).toMatch(/CRL expired/);
    await publishCrl(pki, 'persons', { revoked: [] });
    await station.authenticateProfessional(await card(gp.serial));
    expect(host.lines.join('\n')).toMatch(/professional session started/);
  });

  it('refuses every workstation while the workstations’ CRL is expired (fail closed)', async () => {
    await publishCrl(pki, 'organisations', {
      now: new Date(Date.now() - 10 * dayMs),
      nextUpdate: new Date(Date.now() - dayMs),
    });
    const session = connect(desk);
    try {
      const answer = await helloOn(session);
      expect(answer.status).toBe(403);
      expect(answer.message).toMatch(/liste de révocation expirée/);
    } finally {
      session.close();
      await publishCrl(pki, 'organisations', { revoked: [stolen.certificate] });
    }
  });

  it('refuses workstations whose authority the root revoked (the whole chain is checked)', async () => {
    await publishCrl(pki, 'root', { revoked: [pki.organisations.certificate] });
    const session = connect(desk);
    try {
      const answer = await helloOn(session);
      expect(answer.status).toBe(403);
      expect(answer.message).toMatch(/révoqué/);
    } finally {
      session.close();
      await publishCrl(pki, 'root');
    }
  });
});
