import { describe, expect, it } from 'vitest';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { emergencySummarySchema } from '../../../src/shared/contract';
import { actor, counterRandom, fixture, professional, testInsKey } from './helpers';

async function seeded(now: string, files: string[]) {
  const store = await openTestStore(dmpMigrations);
  const dmp = new DmpService({ store, log: silentLogger, now: () => new Date(now), random: counterRandom() });
  const ids: Record<string, string> = {};
  for (const [i, file] of files.entries())
    ids[file] = (await dmp.importCda(fixture(file), { create: i === 0, depositor: 'system' })).documentId;
  return { dmp, store, ids };
}

describe('DmpService.getSummary', () => {
  it('shows the VSM allergies and current medications, each with its provenance', async () => {
    // Three months after the VSM (2020-03-12): its open-ended treatments are current.
    const { dmp, ids } = await seeded('2020-06-01T00:00:00Z', ['VSM_1.4_2022.01.xml']);
    const doctor = professional();
    await dmp.authorize(actor(doctor), testInsKey);
    const summary = await dmp.getSummary(actor(doctor), testInsKey);
    expect(() => emergencySummarySchema.parse(summary)).not.toThrow();
    const allergy = summary.allergies.find((a) => /parac[ée]tamol/i.test(`${a.label} ${a.detail ?? ''}`));
    expect(allergy, JSON.stringify(summary.allergies)).toBeDefined();
    expect(allergy?.provenance).toMatchObject({
      documentId: ids['VSM_1.4_2022.01.xml'],
      documentTitle: expect.any(String),
    });
    const plavix = summary.medications.find((m) => /plavix/i.test(m.label));
    expect(plavix, JSON.stringify(summary.medications.map((m) => m.label))).toBeDefined();
    expect(plavix?.provenance.documentId).toBe(ids['VSM_1.4_2022.01.xml']);
    expect(summary.latestDocuments.map((d) => d.id)).toEqual([ids['VSM_1.4_2022.01.xml']]);
  });

  it("dates the summary and gives the dossier's last update (the newest deposit the reader may see)", async () => {
    const { dmp } = await seeded('2022-06-01T08:30:00Z', ['VSM_1.4_2022.01.xml']);
    const doctor = professional();
    await dmp.authorize(actor(doctor), testInsKey);
    const summary = await dmp.getSummary(actor(doctor), testInsKey);
    expect(summary.generatedAt).toBe('2022-06-01T08:30:00.000Z');
    expect(summary.dossierUpdatedAt).toBe('2022-06-01T08:30:00.000Z');
    const earlier = await dmp.getSummary(actor(doctor), testInsKey, {
      asOf: new Date('2022-05-01T00:00:00Z'),
    });
    expect(earlier.generatedAt).toBe('2022-05-01T00:00:00.000Z');
  });

  it('groups CNAM-HR reimbursements of the last 24 months by medicine or act, with count and last date', async () => {
    const { dmp, ids } = await seeded('2021-02-01T00:00:00Z', ['CNAM-HR_2021.01.xml']);
    const doctor = professional();
    await dmp.authorize(actor(doctor), testInsKey);
    const { reimbursements } = await dmp.getSummary(actor(doctor), testInsKey);
    expect(reimbursements.length).toBeGreaterThan(3);
    const repeated = reimbursements.filter((g) => g.count > 1);
    expect(repeated.length, JSON.stringify(reimbursements.map((g) => [g.label, g.count]))).toBeGreaterThan(0);
    for (const group of reimbursements) {
      expect(group.count).toBe(group.entries.length);
      expect(group.entries.every((e) => e.provenance.documentId === ids['CNAM-HR_2021.01.xml'])).toBe(true);
      const dates = group.entries.map((e) => e.startDate ?? '').filter(Boolean);
      if (dates.length) expect(group.lastDate).toBe([...dates].sort().at(-1));
    }
    // Groups are ordered newest first.
    const lastDates = reimbursements.map((g) => (g.lastDate ?? '').slice(0, 10));
    expect(lastDates).toEqual([...lastDates].sort().reverse());
  });

  it('leaves out reimbursements older than 24 months', async () => {
    const { dmp } = await seeded('2026-02-01T00:00:00Z', ['CNAM-HR_2021.01.xml']);
    const doctor = professional();
    await dmp.authorize(actor(doctor), testInsKey);
    const { reimbursements } = await dmp.getSummary(actor(doctor), testInsKey);
    expect(reimbursements).toEqual([]);
  });

  it('refuses a CPE holder (secretary) with FORBIDDEN', async () => {
    const { dmp } = await seeded('2022-06-01T00:00:00Z', ['VSM_1.4_2022.01.xml']);
    const secretary = professional({ nationalId: '0123456789', cardKind: 'cpe', professionCode: '10' });
    await dmp.authorize(actor(secretary), testInsKey);
    await expect(dmp.getSummary(actor(secretary), testInsKey)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history[0]).toMatchObject({ action: 'access.denied', actor: 'Jean MEDECIN' });
  });

  it('skips entries of a document masked from professionals', async () => {
    const { dmp, ids } = await seeded('2022-06-01T00:00:00Z', [
      'VSM_1.4_2022.01.xml',
      'VAC-NOTE_2023.01.xml',
    ]);
    const author = professional();
    const other = professional({ nationalId: '810009999999', lastName: 'AUTRE' });
    await dmp.authorize(actor(other), testInsKey);
    await dmp.authorize(actor(author), testInsKey);
    const vsm = ids['VSM_1.4_2022.01.xml'] as string;
    // Imported documents have the CDA author's id; the patient, present, asks a professional to mask it.
    await dmp.updateDocument(
      actor(author),
      testInsKey,
      vsm,
      {
        visibility: {
          hiddenFromPatient: false,
          maskedFromProfessionals: true,
          hiddenFromLegalRepresentatives: false,
        },
      },
      { atPatientRequest: true, patientPresent: true },
    );
    const summary = await dmp.getSummary(actor(other), testInsKey);
    expect(summary.allergies.concat(summary.medications).some((e) => e.provenance.documentId === vsm)).toBe(
      false,
    );
    expect(summary.latestDocuments.map((d) => d.id)).not.toContain(vsm);
  });

  it('gives the CLI system actor the summary and audits it as the system', async () => {
    const { dmp } = await seeded('2020-06-01T00:00:00Z', ['VSM_1.4_2022.01.xml']);
    const summary = await dmp.getSummary({ system: 'cli' }, testInsKey);
    expect(summary.medications.length).toBeGreaterThan(0);
    const [latest] = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(latest).toMatchObject({ action: 'summary.read', actor: 'Système (cli)', profession: 'Système' });
  });
});
