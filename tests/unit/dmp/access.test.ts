import { describe, expect, it } from 'vitest';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { sqlFor } from '../../../src/main/db/query-builder';
import { silentLogger } from '../../../src/main/log/logger';
import { dropAuditTriggers, openTestStore } from '../../support/test-store';
import type { Store } from '../../../src/main/store/types';
import { actor, counterRandom, fixture, professional, testInsKey } from './helpers';

async function seeded() {
  const store = await openTestStore(dmpMigrations);
  const dmp = new DmpService({
    store,
    log: silentLogger,
    now: () => new Date('2022-06-01T00:00:00Z'),
    random: counterRandom(),
  });
  const { documentId } = await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), {
    create: true,
    depositor: 'system',
  });
  return { store, dmp, documentId };
}

async function deniedEntries(store: Store): Promise<{ target: string; mode: string | null }[]> {
  return store.all("SELECT target, mode FROM audit_log WHERE action = 'access.denied' ORDER BY seq");
}

const doctor = professional();
const nurse = professional({ nationalId: '810002222222', professionCode: '60', lastName: 'INFIRMIER' });

describe('access decisions', () => {
  it('lets an authorised doctor open the dossier and records the read', async () => {
    const { dmp, store } = await seeded();
    await expect(dmp.openDossier(actor(doctor), testInsKey)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await dmp.authorize(actor(doctor), testInsKey);
    await expect(dmp.openDossier(actor(doctor), testInsKey)).resolves.toMatchObject({ insKey: testInsKey });
    const q = sqlFor(store);
    const actions = await q.rows(
      store,
      q.db.selectFrom('audit_log').select('action').where('ins_key', '=', testInsKey).orderBy('seq'),
    );
    expect(actions.map((a) => a.action)).toEqual([
      'dossier.create',
      'document.deposit',
      'access.denied',
      'access.authorize',
      'dossier.read',
    ]);
  });

  it('refuses a CPE holder reading, and records the denied attempt', async () => {
    const { dmp, store } = await seeded();
    const secretary = professional({ nationalId: '0123456789', cardKind: 'cpe' });
    await expect(dmp.openDossier(actor(secretary), testInsKey)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await deniedEntries(store)).toEqual([{ target: 'card.cpe-no-medical-content', mode: 'normal' }]);
  });

  it('refuses a professional the patient blocked, even in bris de glace', async () => {
    const { dmp, store } = await seeded();
    await dmp.authorize(actor(doctor), testInsKey);
    await dmp.recordProfessionalBlock(
      actor(nurse),
      testInsKey,
      { nationalId: doctor.holder.nationalId, blocked: true },
      { patientPresent: true, atPatientRequest: true },
    );
    await expect(dmp.openDossier(actor(doctor), testInsKey)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.openDossier(actor(doctor, 'bris_de_glace', 'Patient inconscient'), testInsKey),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await deniedEntries(store)).map((d) => d.target)).toEqual([
      'patient.blocked-professional',
      'patient.blocked-professional',
    ]);
  });

  it('requires a reason for bris de glace and honours the patient’s opposition', async () => {
    const { dmp, store } = await seeded();
    await expect(dmp.openDossier(actor(doctor, 'bris_de_glace'), testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      dmp.openDossier(actor(doctor, 'bris_de_glace', 'Patient inconscient, détresse vitale'), testInsKey),
    ).resolves.toMatchObject({
      insKey: testInsKey,
    });
    await store.write([{ sql: 'UPDATE dossiers SET bris_de_glace_opposition = 1' }]);
    await expect(
      dmp.openDossier(actor(doctor, 'bris_de_glace', 'Patient inconscient'), testInsKey),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await deniedEntries(store)).map((d) => d.target)).toEqual([
      'bdg.reason-required',
      'bdg.patient-opposed',
    ]);
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    const granted = history.find((h) => h.action === 'dossier.read');
    expect(granted).toMatchObject({
      mode: 'bris_de_glace',
      reason: 'Patient inconscient, détresse vitale',
      actor: 'Jean MEDECIN',
      profession: 'Médecin',
    });
  });

  it('hides a masked document from other professionals and records the attempt', async () => {
    const { dmp, store, documentId } = await seeded();
    await dmp.authorize(actor(doctor), testInsKey);
    await dmp.authorize(actor(nurse), testInsKey);
    // The patient, present, asks their doctor to mask the document (the doctor is not its author).
    await dmp.updateDocument(
      actor(doctor),
      testInsKey,
      documentId,
      {
        visibility: {
          hiddenFromPatient: false,
          maskedFromProfessionals: true,
          hiddenFromLegalRepresentatives: false,
        },
      },
      { atPatientRequest: true, patientPresent: true },
    );
    // The domain answers NOT_FOUND so the existence of a masked document is not revealed.
    await expect(dmp.getDocument(actor(nurse), testInsKey, documentId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await dmp.listDocuments(actor(nurse), testInsKey)).toEqual([]);
    expect(await deniedEntries(store)).toEqual([{ target: `document.masked ${documentId}`, mode: 'normal' }]);
  });

  it('shows the access history newest first, as the patient sees it', async () => {
    const { dmp } = await seeded();
    await dmp.authorize(actor(doctor), testInsKey);
    await dmp.openDossier(actor(doctor), testInsKey);
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history.map((h) => h.action)).toEqual([
      'dossier.read',
      'access.authorize',
      'document.deposit',
      'dossier.create',
    ]);
    expect(history[0]).toMatchObject({ description: 'A ouvert le dossier.', mode: 'normal' });
  });
});

describe('patient search is traced', () => {
  it('records who searched, with which criteria and how many results, but not the name typed', async () => {
    const { dmp, store } = await seeded();
    const found = await dmp.searchDossiersAs(actor(doctor), { name: 'pat-trois', birthDate: '1979-03-28' });
    expect(found.map((d) => d.insKey)).toEqual([testInsKey]);
    const rows = await store.all<{
      action: string;
      target: string;
      actor_id: string;
      ins_key: string | null;
    }>("SELECT action, target, actor_id, ins_key FROM audit_log WHERE action = 'patient.search'");
    expect(rows).toEqual([
      {
        action: 'patient.search',
        target: 'début du nom de naissance et date de naissance ; 1 résultat(s)',
        actor_id: doctor.holder.nationalId,
        ins_key: null,
      },
      {
        action: 'patient.search',
        target: 'début du nom de naissance et date de naissance',
        actor_id: doctor.holder.nationalId,
        ins_key: testInsKey,
      },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/PAT-TROIS|pat-trois/i);
    expect(await dmp.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('patient controls are traced', () => {
  it('records a block and an unblock in the access history', async () => {
    const { dmp } = await seeded();
    const request = { patientPresent: true, atPatientRequest: true };
    await dmp.recordProfessionalBlock(
      actor(doctor),
      testInsKey,
      { nationalId: nurse.holder.nationalId, blocked: true },
      request,
    );
    await dmp.recordProfessionalBlock(
      actor(doctor),
      testInsKey,
      { nationalId: nurse.holder.nationalId, blocked: false },
      request,
    );
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history.slice(0, 2).map((h) => h.action)).toEqual(['professional.unblock', 'professional.block']);
    expect(await dmp.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('audit chain in the store', () => {
  async function withActivity() {
    const seededService = await seeded();
    await seededService.dmp.authorize(actor(doctor), testInsKey);
    for (let i = 0; i < 3; i++) await seededService.dmp.openDossier(actor(doctor), testInsKey);
    return seededService;
  }
  // Tampering needs the append-only triggers out of the way first, as an attacker with the key would do.

  it('verifies after real activity', async () => {
    const { dmp } = await withActivity();
    expect(await dmp.verifyAudit()).toEqual({ ok: true, count: 6 });
  });

  it('detects an edited row', async () => {
    const { dmp, store } = await withActivity();
    await store.write([
      ...dropAuditTriggers(store),
      { sql: "UPDATE audit_log SET actor_name = 'Personne' WHERE seq = 3" },
    ]);
    expect(await dmp.verifyAudit()).toEqual({ ok: false, count: 6, firstBadSeq: 3, problem: 'edited' });
  });

  it('detects a deleted row', async () => {
    const { dmp, store } = await withActivity();
    await store.write([...dropAuditTriggers(store), { sql: 'DELETE FROM audit_log WHERE seq = 2' }]);
    expect(await dmp.verifyAudit()).toEqual({ ok: false, count: 5, firstBadSeq: 3, problem: 'deleted' });
  });

  it('detects reordered rows', async () => {
    const { dmp, store } = await withActivity();
    await store.write([
      ...dropAuditTriggers(store),
      { sql: 'UPDATE audit_log SET seq = -1 WHERE seq = 3' },
      { sql: 'UPDATE audit_log SET seq = 3 WHERE seq = 4' },
      { sql: 'UPDATE audit_log SET seq = 4 WHERE seq = -1' },
    ]);
    expect(await dmp.verifyAudit()).toEqual({ ok: false, count: 6, firstBadSeq: 3, problem: 'reordered' });
  });

  it('detects the last rows being cut off', async () => {
    const { dmp, store } = await withActivity();
    await store.write([...dropAuditTriggers(store), { sql: 'DELETE FROM audit_log WHERE seq = 6' }]);
    expect(await dmp.verifyAudit()).toEqual({ ok: false, count: 5, firstBadSeq: 6, problem: 'truncated' });
  });
});
