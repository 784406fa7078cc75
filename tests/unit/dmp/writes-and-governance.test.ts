import { describe, expect, it } from 'vitest';
import type { Visibility } from '../../../src/shared/contract';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { sqlFor } from '../../../src/main/db/query-builder';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { actor, counterRandom, fixture, professional, testInsKey } from './helpers';

/**
 * Issue 11, findings 1–4 and 8, played against the DMP service: the attacks of the report, each
 * expected to be refused now, and the patient-facing features expected to be reachable.
 */
const visible: Visibility = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};
const gp = professional({ nationalId: '810001111111', lastName: 'GENERALISTE' });
const pharmacist = professional({ nationalId: '810002222222', professionCode: '21', lastName: 'PHARMACIEN' });
const nurse = professional({ nationalId: '810003333333', professionCode: '60', lastName: 'INFIRMIER' });
const emergencyDoctor = professional({ nationalId: '810004444444', lastName: 'URGENTISTE' });
const otherGp = professional({ nationalId: '810005555555', lastName: 'AUTREMEDECIN' });
const secretary = professional({
  nationalId: '0123456789',
  cardKind: 'cpe',
  professionCode: '',
  lastName: 'SECRETAIRE',
});
const b64 = (text: string) => Buffer.from(text).toString('base64');
const present = { patientPresent: true, atPatientRequest: false };
const absent = { patientPresent: false, atPatientRequest: false };

async function seeded() {
  const store = await openTestStore(dmpMigrations);
  let nowMs = Date.parse('2024-05-01T08:00:00Z');
  const clock = { advance: (ms: number) => (nowMs += ms) };
  const dmp = new DmpService({
    store,
    log: silentLogger,
    now: () => new Date(nowMs),
    random: counterRandom(),
  });
  const { documentId: vsm } = await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), {
    create: true,
    depositor: 'system',
  });
  for (const p of [gp, pharmacist, nurse, otherGp]) await dmp.authorize(actor(p), testInsKey);
  // The GP wrote the summary (their CPS deposited it).
  const q = sqlFor(store);
  await store.write([
    q.statement(q.db.updateTable('documents').set({ author_id: gp.holder.nationalId }).where('id', '=', vsm)),
  ]);
  const deposit = (title: string, typeCode: string, visibility: Visibility = visible) =>
    dmp.depositDocument(actor(gp), {
      insKey: testInsKey,
      fileName: `${title}.txt`,
      contentBase64: b64(`${title} — contenu`),
      title,
      typeCode,
      visibility,
    });
  const letter = await deposit('Courrier au cardiologue', '11488-4', { ...visible, hiddenFromPatient: true });
  const psy = await deposit('Synthèse psychiatrique', '68599-0');
  return { store, dmp, vsm, letter, psy, clock };
}

async function documentRow(dmp: DmpService, store: Awaited<ReturnType<typeof seeded>>['store'], id: string) {
  void dmp;
  const q = sqlFor(store);
  return q.first(
    store,
    q.db.selectFrom('documents').select(['status', 'visibility', 'deleted_at']).where('id', '=', id),
  );
}

describe('finding 1 — only the author changes a document', () => {
  it('refuses a pharmacist un-hiding, masking, archiving or deleting the GP’s documents, and leaves them as they were', async () => {
    const { dmp, store, vsm, letter } = await seeded();
    const ph = actor(pharmacist);
    await expect(
      dmp.updateDocument(ph, testInsKey, letter.id, { visibility: visible }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.updateDocument(ph, testInsKey, vsm, { visibility: { ...visible, maskedFromProfessionals: true } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dmp.updateDocument(ph, testInsKey, vsm, { status: 'archived' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(dmp.deleteDocument(ph, testInsKey, vsm)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/auteur/),
    });
    expect(await documentRow(dmp, store, letter.id)).toMatchObject({ visibility: 2, deleted_at: null });
    expect(await documentRow(dmp, store, vsm)).toMatchObject({
      status: 'approved',
      visibility: 1,
      deleted_at: null,
    });
    const q = sqlFor(store);
    const denied = await q.rows(
      store,
      q.db
        .selectFrom('audit_log')
        .select('target')
        .where('action', '=', 'access.denied')
        .where('actor_id', '=', pharmacist.holder.nationalId),
    );
    expect(denied).toHaveLength(4);
  });

  it('keeps bris de glace read-only, even for a doctor who may read the document', async () => {
    const { dmp, vsm } = await seeded();
    const bdg = actor(nurse, 'bris_de_glace', 'Patient inconscient');
    await expect(dmp.deleteDocument(bdg, testInsKey, vsm)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/lecture seule/),
    });
    const urgent = actor(emergencyDoctor, 'bris_de_glace', 'Détresse respiratoire');
    await expect(dmp.updateDocument(urgent, testInsKey, vsm, { status: 'archived' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // Even the author, once in an emergency mode, changes nothing.
    await expect(
      dmp.deleteDocument(actor(gp, 'bris_de_glace', 'urgence'), testInsKey, vsm),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses replacing a document the pharmacist may not even read, and one written by someone else', async () => {
    const { dmp, store, psy, letter } = await seeded();
    const input = {
      insKey: testInsKey,
      fileName: 'remplace.txt',
      contentBase64: b64('nouvelle version'),
      typeCode: '68599-0',
      visibility: visible,
    };
    await expect(
      dmp.depositDocument(actor(pharmacist), { ...input, replacesId: psy.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.depositDocument(actor(otherGp), { ...input, typeCode: '11488-4', replacesId: letter.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await documentRow(dmp, store, psy.id)).toMatchObject({ status: 'approved' });
    expect(await documentRow(dmp, store, letter.id)).toMatchObject({ status: 'approved' });
    expect(await store.all('SELECT id FROM documents WHERE replaces_id IS NOT NULL')).toEqual([]);
    // The author replaces their own document.
    await expect(dmp.depositDocument(actor(gp), { ...input, replacesId: psy.id })).resolves.toMatchObject({
      version: 2,
      replacesId: psy.id,
    });
  });

  it('deletes logically: the row stays, hidden from lists and the summary, its entries kept, the deletion audited', async () => {
    const { dmp, store, vsm } = await seeded();
    const before = await dmp.getSummary(actor(gp), testInsKey);
    expect(before.allergies.some((e) => e.provenance.documentId === vsm)).toBe(true);
    const q = sqlFor(store);
    const entriesOf = (documentId: string) =>
      q.rows(store, q.db.selectFrom('clinical_entries').select('id').where('document_id', '=', documentId));
    const entriesBefore = await entriesOf(vsm);
    await dmp.deleteDocument(actor(gp), testInsKey, vsm);
    expect((await documentRow(dmp, store, vsm))?.deleted_at).toBe('2024-05-01T08:00:00.000Z');
    expect(await entriesOf(vsm)).toEqual(entriesBefore);
    expect(
      (await dmp.listDocuments(actor(gp), testInsKey, { includeArchived: true })).map((d) => d.id),
    ).not.toContain(vsm);
    const after = await dmp.getSummary(actor(gp), testInsKey);
    expect(
      [...after.allergies, ...after.medications, ...after.problems].some(
        (e) => e.provenance.documentId === vsm,
      ),
    ).toBe(false);
    expect(after.latestDocuments.map((d) => d.id)).not.toContain(vsm);
    await expect(dmp.getDocument(actor(gp), testInsKey, vsm)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(dmp.deleteDocument(actor(gp), testInsKey, vsm)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const audit = await store.all<{ action: string; actor_id: string }>(
      "SELECT action, actor_id FROM audit_log WHERE action = 'document.delete'",
    );
    expect(audit).toEqual([{ action: 'document.delete', actor_id: gp.holder.nationalId }]);
  });

  it('changes visibility at the patient’s request only with the patient present, and records that it was their request', async () => {
    const { dmp, store, vsm } = await seeded();
    const mask = { visibility: { ...visible, maskedFromProfessionals: true } };
    await expect(
      dmp.updateDocument(actor(nurse), testInsKey, vsm, mask, {
        atPatientRequest: true,
        patientPresent: false,
      }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      dmp.updateDocument(
        actor(nurse),
        testInsKey,
        vsm,
        { status: 'archived' },
        { atPatientRequest: true, patientPresent: true },
      ),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await dmp.updateDocument(actor(nurse), testInsKey, vsm, mask, {
      atPatientRequest: true,
      patientPresent: true,
    });
    const [update] = await store.all<{ target: string }>(
      "SELECT target FROM audit_log WHERE action = 'document.update'",
    );
    expect(update?.target).toBe(`${vsm} visibilité à la demande du patient`);
  });

  it('lets an establishment manage the documents its professionals deposited', async () => {
    const { dmp } = await seeded();
    const inHospital = (p: typeof gp) => ({
      ...p,
      holder: { ...p.holder, situations: [{ label: 'CHU de Nantes', structureId: '1440000123' }] },
    });
    const author = inHospital(professional({ nationalId: '810006666666', lastName: 'INTERNE' }));
    const colleague = inHospital(otherGp);
    await dmp.authorize(actor(author), testInsKey);
    const doc = await dmp.depositDocument(actor(author), {
      insKey: testInsKey,
      fileName: 'cr.txt',
      contentBase64: b64('CR de sortie'),
      typeCode: '11490-0',
      visibility: visible,
    });
    await expect(
      dmp.updateDocument(actor(colleague), testInsKey, doc.id, { status: 'archived' }),
    ).resolves.toMatchObject({ status: 'archived' });
    await expect(
      dmp.updateDocument(actor(gp), testInsKey, doc.id, { status: 'approved' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('finding 2 — closing and reactivating are the patient’s decisions', () => {
  it('refuses closing without the patient present or their request, whoever asks, and in emergency modes', async () => {
    const { dmp } = await seeded();
    await expect(dmp.closeDossier(actor(pharmacist), testInsKey, 'test', absent)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(dmp.closeDossier(actor(secretary), testInsKey, 'test', absent)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // A written request is recorded by a care-team professional, never by someone the patient never let in.
    const stranger = professional({ nationalId: '810007777777', lastName: 'INCONNU' });
    await expect(
      dmp.closeDossier(actor(stranger), testInsKey, 'test', {
        patientPresent: false,
        atPatientRequest: true,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.closeDossier(actor(secretary), testInsKey, 'test', {
        patientPresent: false,
        atPatientRequest: true,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.closeDossier(actor(emergencyDoctor, 'bris_de_glace', 'urgence'), testInsKey, 'test', present),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await dmp.searchDossiers({ insKey: testInsKey }))[0]?.status).toBe('active');
  });

  it('closes with the patient present (secretary at the desk) and reactivates on their written request with a reason', async () => {
    const { dmp } = await seeded();
    await expect(
      dmp.closeDossier(actor(secretary), testInsKey, 'Demande du patient', present),
    ).resolves.toMatchObject({ status: 'closed' });
    await expect(
      dmp.reactivateDossier(actor(pharmacist), testInsKey, 'un clic', absent),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.reactivateDossier(actor(gp), testInsKey, '   ', { patientPresent: false, atPatientRequest: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.reactivateDossier(actor(gp), testInsKey, 'Courrier du patient du 2 mai', {
        patientPresent: false,
        atPatientRequest: true,
      }),
    ).resolves.toMatchObject({
      status: 'active',
    });
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history[0]?.description).toBe(
      'A réactivé le DMP (à la demande écrite du patient ; Courrier du patient du 2 mai).',
    );
  });

  it('keeps a closed DMP closed in bris de glace and Centre 15 (documented choice)', async () => {
    const { dmp } = await seeded();
    await dmp.closeDossier(actor(gp), testInsKey, 'Demande du patient', present);
    await expect(
      dmp.openDossier(actor(emergencyDoctor, 'bris_de_glace', 'Inconscient'), testInsKey),
    ).rejects.toMatchObject({ code: 'LOCKED' });
  });
});

describe('finding 3 — a search finds one patient, never a list', () => {
  it('refuses a birth date alone, a two-letter prefix and an incomplete date', async () => {
    const { dmp } = await seeded();
    const search = (q: { name?: string; birthDate?: string }) => dmp.searchDossiersAs(actor(gp), q);
    await expect(search({ birthDate: '1979-00-00' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/3 premières lettres/),
    });
    await expect(search({ birthDate: '1979-03-28' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(search({ name: 'PA', birthDate: '1979-03-28' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(search({ name: 'PAT', birthDate: '1979-03-00' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(search({ name: 'PAT' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await search({ name: 'pat', birthDate: '1979-03-28' })).map((d) => d.insKey)).toEqual([
      testInsKey,
    ]);
  });

  it('returns 20 dossiers at most', async () => {
    const { dmp, store } = await seeded();
    const q = sqlFor(store);
    const rows = Array.from({ length: 25 }, (_, i) => {
      const matricule = `1790375123${String(400 + i).padStart(3, '0')}00`;
      return q.insert('dossiers', {
        ins_key: `${matricule}@1.2.250.1.213.1.4.10`,
        matricule,
        oid: '1.2.250.1.213.1.4.10',
        ins_status: 'qualified',
        status: 'active',
        birth_name: 'MARTIN',
        first_names: `Paul${i}`,
        birth_date: '1979-03-28',
        sex: 'M',
        birth_name_norm: 'MARTIN',
        test_identity: 1,
        consent_by_id: 'x',
        consent_by_name: 'x',
        consent_at: 'x',
        created_at: 'x',
      });
    });
    await store.write(rows);
    expect(await dmp.searchDossiersAs(actor(gp), { name: 'MAR', birthDate: '1979-03-28' })).toHaveLength(20);
  });

  it('limits each professional’s rate with a French message, and refills with time', async () => {
    const { dmp, clock } = await seeded();
    const q = { insKey: testInsKey };
    for (let i = 0; i < 10; i++) await dmp.searchDossiersAs(actor(gp), q);
    await expect(dmp.searchDossiersAs(actor(gp), q)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/Trop de recherches.*patientez 6 secondes/),
    });
    // Another professional has their own allowance.
    await expect(dmp.searchDossiersAs(actor(otherGp), q)).resolves.toHaveLength(1);
    clock.advance(6_000);
    await expect(dmp.searchDossiersAs(actor(gp), q)).resolves.toHaveLength(1);
  });

  it('adds a line to the history of every patient a search returns', async () => {
    const { dmp } = await seeded();
    await dmp.searchDossiersAs(actor(pharmacist), { name: 'pat-trois', birthDate: '1979-03-28' });
    const [line] = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(line).toMatchObject({
      action: 'patient.search',
      actor: 'Jean PHARMACIEN',
      description:
        'A trouvé votre dossier par une recherche (début du nom de naissance et date de naissance).',
    });
  });
});

describe('finding 4 — a history the patient can read', () => {
  it('speaks French, shows no rule or document id, and names a document only to those who may read it', async () => {
    const { dmp, store, psy } = await seeded();
    await dmp.getDocument(actor(gp), testInsKey, psy.id);
    await expect(dmp.getDocument(actor(pharmacist), testInsKey, psy.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const asPharmacist = await dmp.accessHistory({ actor: actor(pharmacist) }, testInsKey);
    const text = JSON.stringify(asPharmacist);
    expect(text).not.toContain(psy.id);
    expect(text).not.toMatch(
      /document\.habilitation-matrix|normal\.not-in-care-team|[a-z0-9]+\.[a-z-]+-[a-z-]+/,
    );
    expect(text).not.toContain('Synthèse psychiatrique');
    expect(asPharmacist.map((h) => h.description)).toContain('A consulté un document.');
    expect(asPharmacist.map((h) => h.description)).toContain(
      'Accès refusé : sa profession n’est pas habilitée à lire ce type de document.',
    );
    const asGp = await dmp.accessHistory({ actor: actor(gp) }, testInsKey);
    expect(asGp.map((h) => h.description)).toContain('A consulté le document « Synthèse psychiatrique ».');
    // Reading the history is itself in the history.
    expect(asGp[0]).toMatchObject({
      actor: 'Jean GENERALISTE',
      description: 'A consulté l’historique des accès au dossier.',
    });
    expect(
      await store.all(
        "SELECT actor_id FROM audit_log WHERE action = 'dossier.read' AND target = 'historique des accès'",
      ),
    ).toHaveLength(2);
  });

  it('shows a bris de glace reason to the patient, its author and the médecin traitant only', async () => {
    const { dmp } = await seeded();
    await dmp.declareTreatingPhysician(actor(gp), testInsKey, { patientPresent: true, patientConsent: true });
    await dmp.openDossier(actor(emergencyDoctor, 'bris_de_glace', 'Coma, pas d’entourage'), testInsKey);
    const line = (h: Awaited<ReturnType<DmpService['accessHistory']>>) =>
      h.find((e) => e.mode === 'bris_de_glace' && e.description === 'A ouvert le dossier.');
    expect(line(await dmp.accessHistory({ patient: true }, testInsKey))?.reason).toBe(
      'Coma, pas d’entourage',
    );
    expect(
      line(await dmp.accessHistory({ actor: actor(emergencyDoctor, 'bris_de_glace', 'x') }, testInsKey))
        ?.reason,
    ).toBe('Coma, pas d’entourage');
    expect(line(await dmp.accessHistory({ actor: actor(gp) }, testInsKey))?.reason).toBe(
      'Coma, pas d’entourage',
    );
    const forPharmacist = line(await dmp.accessHistory({ actor: actor(pharmacist) }, testInsKey));
    expect(forPharmacist?.reason).toBeUndefined();
    expect(forPharmacist?.reasonWithheld).toBe(true);
  });
});

describe('finding 8 — the patient’s choices can be recorded', () => {
  it('declares the médecin traitant with the patient present and consenting, who then sees masked documents', async () => {
    const { dmp, psy } = await seeded();
    await dmp.updateDocument(actor(gp), testInsKey, psy.id, {
      visibility: { ...visible, maskedFromProfessionals: true },
    });
    await expect(dmp.getDocument(actor(otherGp), testInsKey, psy.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      dmp.declareTreatingPhysician(actor(otherGp), testInsKey, {
        patientPresent: false,
        patientConsent: true,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      dmp.declareTreatingPhysician(actor(nurse), testInsKey, { patientPresent: true, patientConsent: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await dmp.declareTreatingPhysician(actor(otherGp), testInsKey, {
      patientPresent: true,
      patientConsent: true,
    });
    await expect(dmp.getDocument(actor(otherGp), testInsKey, psy.id)).resolves.toMatchObject({
      meta: { id: psy.id },
    });
    expect((await dmp.professionals(testInsKey)).find((p) => p.treatingPhysician)).toMatchObject({
      nationalId: otherGp.holder.nationalId,
    });
  });

  it('records the patient’s block of a professional, who is then refused; the médecin traitant cannot be blocked', async () => {
    const { dmp } = await seeded();
    await dmp.declareTreatingPhysician(actor(gp), testInsKey, { patientPresent: true, patientConsent: true });
    const request = { patientPresent: true, atPatientRequest: true };
    await dmp.recordProfessionalBlock(
      actor(gp),
      testInsKey,
      { nationalId: pharmacist.holder.nationalId, blocked: true },
      request,
    );
    await expect(dmp.openDossier(actor(pharmacist), testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/bloqué/),
    });
    await expect(
      dmp.recordProfessionalBlock(
        actor(nurse),
        testInsKey,
        { nationalId: gp.holder.nationalId, blocked: true },
        request,
      ),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/médecin traitant/),
    });
    await expect(
      dmp.recordProfessionalBlock(
        actor(nurse, 'bris_de_glace', 'x'),
        testInsKey,
        { nationalId: pharmacist.holder.nationalId, blocked: false },
        request,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history.map((h) => h.description)).toContain('A enregistré votre blocage de Jean PHARMACIEN.');
    await dmp.recordProfessionalBlock(
      actor(gp),
      testInsKey,
      { nationalId: pharmacist.holder.nationalId, blocked: false },
      request,
    );
    await expect(dmp.openDossier(actor(pharmacist), testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/autorisé/),
    });
  });
});
