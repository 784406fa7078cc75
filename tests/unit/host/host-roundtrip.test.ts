import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Beneficiary, HostSessionEnd, ReferenceIdentity } from '../../../src/shared/contract';
import { matriculeKey } from '../../../src/shared/identity/ins';
import type { DmpActor } from '../../../src/main/dmp/actors';
import type { VerifiedProfessional } from '../../../src/main/host/professional-sessions';
import { actorFromCard, createHostTestPki, testCards, type HostTestPki } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';
import { fixture, testInsKey } from '../dmp/helpers';

const nir = (body13: string): string => `${body13}${String(matriculeKey(body13)).padStart(2, '0')}`;
const patientNir = nir('1790375123456');
const beneficiary: Beneficiary = {
  index: 0,
  lastName: 'MARTIN',
  firstName: 'Paul',
  birthDate: '1979-03-28',
  nir: patientNir,
  nirKeyValid: true,
};
const identity: ReferenceIdentity = {
  matricule: patientNir,
  oid: '1.2.250.1.213.1.4.8',
  birthName: 'MARTIN',
  firstNames: 'Paul',
  birthDate: '1979-03-28',
  sex: 'M',
  birthPlaceCode: '75123',
};

const doctorCard: VerifiedProfessional = testCards.doctor;
const secretaryCard: VerifiedProfessional = testCards.secretary;
const doctor = actorFromCard(doctorCard, 'Médecin');
const secretary = actorFromCard(secretaryCard, 'Secrétaire médicale');

let pki: HostTestPki;
let host: Awaited<ReturnType<typeof startTestHost>>;

beforeAll(async () => {
  pki = await createHostTestPki();
  host = await startTestHost(pki);
}, 120_000);
afterAll(async () => host?.close());

describe('DMP host round trip through connectToHost (real TLS on loopback)', () => {
  it('a secretary creates a dossier, a system workstation imports a CDA, a doctor reads the summary', async () => {
    const desk = await host.client();
    expect(desk.status().state).toBe('connected');
    await desk.authenticateProfessional(pki.card(secretaryCard));
    const created = await desk.dmp.createDossier(secretary, {
      beneficiary,
      identity,
      identityDocumentChecked: true,
      legalRepresentatives: [],
      consent: { givenBy: 'patient', brisDeGlaceOpposition: false, centre15Opposition: false },
    });
    expect(created.dossier.insKey).toBe(`${patientNir}@1.2.250.1.213.1.4.8`);
    // Bytes cross the wire and come back as bytes.
    expect(created.pdf).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(created.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

    const gateway = await host.client(pki.systemWorkstation);
    const imported = await gateway.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), {
      create: true,
      depositor: 'system',
    });
    expect(imported).toMatchObject({ insKey: testInsKey, created: true });

    const surgery = await host.client();
    await surgery.authenticateProfessional(pki.card(doctorCard));
    await surgery.dmp.authorize(doctor, testInsKey);
    const summary = await surgery.dmp.getSummary(doctor, testInsKey, {
      asOf: new Date('2026-03-01T00:00:00Z'),
    });
    expect(summary.dossier.insKey).toBe(testInsKey);
    expect(summary.allergies.length + summary.medications.length + summary.problems.length).toBeGreaterThan(
      0,
    );
    // The same summary as the service gives locally: nothing lost or added on the way.
    const local = await host.dmp.getSummary(doctor, testInsKey, { asOf: new Date('2026-03-01T00:00:00Z') });
    expect({ ...summary, generatedAt: '' }).toEqual({ ...local, generatedAt: '' });
  });

  it('refuses (403, French) and logs a call whose actor is not the professional the card proved', async () => {
    const station = await host.client();
    await station.authenticateProfessional(pki.card(secretaryCard));
    const before = host.lines.length;
    await expect(station.dmp.searchDossiersAs(doctor, { insKey: testInsKey })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/n’est pas celui dont la carte a été vérifiée/),
    });
    const logged = host.lines.slice(before).join('\n');
    expect(logged).toMatch(/actor is not the card holder proven on this connection/);
    expect(logged).toMatch(/"mismatch":"nationalId"/);
    expect(logged).not.toMatch(/810001234567|0123456789/);
    // Same national id but another profession claimed: refused too.
    const promoted: DmpActor = {
      ...secretary,
      professional: {
        ...secretary.professional,
        cardKind: 'cps',
        holder: { ...secretary.professional.holder, professionCode: '10' },
      },
    };
    await expect(station.dmp.openDossier(promoted, testInsKey)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses DMP calls before any card proof, and after endProfessionalSession', async () => {
    const station = await host.client();
    await expect(station.dmp.openDossier(doctor, testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/présentez votre carte/),
    });
    await expect(
      station.identities.byIns({ matricule: identity.matricule, oid: identity.oid }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await station.authenticateProfessional(pki.card(doctorCard));
    await expect(station.dmp.openDossier(doctor, testInsKey)).resolves.toMatchObject({ insKey: testInsKey });
    await station.endProfessionalSession();
    await expect(station.dmp.openDossier(doctor, testInsKey)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a card whose certificate is not from the deployment CA, and system calls from an ordinary workstation', async () => {
    const station = await host.client();
    await expect(
      station.authenticateProfessional(pki.card(doctorCard, { foreign: true })),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/autorité/),
    });
    await station.authenticateProfessional(pki.card(doctorCard));
    await expect(
      station.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/appels système/) });
    await expect(station.dmp.getSummary({ system: 'cli' }, testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('professional session lifetime', () => {
  it('ends after inactivity: the next call is refused in French, the client does not prove again by itself', async () => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const idleHost = await startTestHost(pki, { idleMs: 15 * 60 * 1000, now: () => clock });
    try {
      const station = await idleHost.client();
      const ends: HostSessionEnd[] = [];
      station.onProfessionalSessionEnded((end) => ends.push(end));
      await station.authenticateProfessional(pki.card(doctorCard));
      await expect(station.dmp.searchDossiers({ insKey: testInsKey })).resolves.toEqual([]);
      clock += 14 * 60 * 1000;
      await expect(station.dmp.searchDossiers({ insKey: testInsKey })).resolves.toEqual([]);
      clock += 16 * 60 * 1000;
      await expect(station.dmp.searchDossiers({ insKey: testInsKey })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/inactivité/),
      });
      expect(idleHost.lines.join('\n')).toMatch(
        /professional session ended.*inactivity|inactivity.*professional session ended/,
      );
      // Told once, typed (never read from the French text), with the host's words for the card bar.
      expect(ends).toEqual([
        { cause: 'inactivity', message: expect.stringMatching(/inactivité/) as unknown },
      ]);
      // The session is gone from the host; its cause stays (not « no session »).
      await expect(station.dmp.searchDossiers({ insKey: testInsKey })).rejects.toMatchObject({
        message: expect.stringMatching(/inactivité/),
      });
      expect(ends).toHaveLength(1);
    } finally {
      await idleHost.close();
    }
  });

  it('a session the host ended after inactivity reaches the client on its ping cycle, without any call; asking is not activity', async () => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const idleHost = await startTestHost(pki, { idleMs: 15 * 60 * 1000, now: () => clock });
    try {
      const station = await idleHost.client(pki.workstation, pki.caPem, { pingEveryMs: 50 });
      const ends: HostSessionEnd[] = [];
      station.onProfessionalSessionEnded((end) => ends.push(end));
      await station.authenticateProfessional(pki.card(doctorCard));
      clock += 14 * 60 * 1000;
      // Status checks run meanwhile (the host's clock stands still): none may count as activity.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ends).toEqual([]);
      clock += 2 * 60 * 1000;
      await expect.poll(() => ends.length, { timeout: 30_000 }).toBe(1);
      expect(ends[0]).toEqual({
        cause: 'inactivity',
        message: 'Session du professionnel terminée après inactivité : présentez à nouveau votre carte.',
      });
      expect(idleHost.lines.join('\n')).toMatch(/"cause":"inactivity"/);
    } finally {
      await idleHost.close();
    }
  }, 60_000);

  it('a proof made for one connection does not open a session on another', async () => {
    const { connect } = await import('node:http2');
    const { proofChallenge, EXPORTER_BYTES, proofExporterLabel } =
      await import('../../../src/main/host-api/protocol');
    const open = () => {
      const s = connect(host.url, {
        ca: pki.caPem,
        cert: pki.workstation.certPem,
        key: pki.workstation.keyPem,
      });
      s.on('error', () => undefined);
      return s;
    };
    const post = (s: ReturnType<typeof open>, method: string, args: unknown[]) =>
      new Promise<{ ok: boolean; value?: { nonce?: string }; error?: { message: string } }>(
        (resolve, reject) => {
          const stream = s.request({ ':method': 'POST', ':path': `/api/v1/${method}` });
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          stream.on('error', reject);
          stream.end(JSON.stringify({ args }));
        },
      );
    const victim = open();
    const rogue = open();
    try {
      const card = pki.card(doctorCard);
      // The rogue workstation gets a challenge on its own connection, and has the card sign it with the
      // keying material of ANOTHER connection (the victim's), as a relay would.
      const challenge = await post(rogue, 'session.challenge', []);
      const nonce = Buffer.from(challenge.value!.nonce!, 'base64');
      await post(victim, 'host.hello', []);
      const victimEkm = (victim.socket as import('node:tls').TLSSocket).exportKeyingMaterial(
        EXPORTER_BYTES,
        proofExporterLabel,
        Buffer.alloc(0),
      );
      const signature = await card.sign(proofChallenge(nonce, victimEkm));
      const proof = await post(rogue, 'session.prove', [
        {
          nonce: nonce.toString('base64'),
          certificatePem: await card.certificatePem(),
          signature: Buffer.from(signature).toString('base64'),
        },
      ]);
      expect(proof).toMatchObject({ ok: false, error: { message: expect.stringMatching(/signature/) } });
    } finally {
      victim.close();
      rogue.close();
    }
  });
});
