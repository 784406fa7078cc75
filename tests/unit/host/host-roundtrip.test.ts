import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Beneficiary, Professional, ReferenceIdentity } from '../../../src/shared/contract';
import { matriculeKey } from '../../../src/shared/identity/ins';
import type { DmpActor } from '../../../src/main/dmp/actors';
import type { VerifiedProfessional } from '../../../src/main/host/professional-sessions';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
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

const doctorCard: VerifiedProfessional = {
  nationalId: '810001234567',
  professionCode: '10',
  lastName: 'MEDECIN',
  firstName: 'Jean',
  cardKind: 'cps',
};
const secretaryCard: VerifiedProfessional = {
  nationalId: '0123456789',
  professionCode: '',
  lastName: 'ACCUEIL',
  firstName: 'Anne',
  cardKind: 'cpe',
};

/** The Professional a workstation builds from a card it read (what travels as the actor). */
function asProfessional(card: VerifiedProfessional, professionLabel: string): Professional {
  return {
    reader: 'Lecteur CPS',
    cardKind: card.cardKind,
    serial: `SER-${card.nationalId}`,
    holder: {
      nationalId: card.nationalId,
      nationalIdType: card.nationalId.startsWith('8') ? 'RPPS' : 'ADELI',
      lastName: card.lastName,
      firstName: card.firstName,
      professionCode: card.professionCode,
      professionLabel,
      situations: [{ label: 'Cabinet' }],
    },
  };
}
const doctor: DmpActor = { professional: asProfessional(doctorCard, 'Médecin'), mode: 'normal' };
const secretary: DmpActor = {
  professional: asProfessional(secretaryCard, 'Secrétaire médicale'),
  mode: 'normal',
};

let pki: HostTestPki;
let host: Awaited<ReturnType<typeof startTestHost>>;

beforeAll(async () => {
  pki = createHostTestPki();
  host = await startTestHost(pki);
});
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
