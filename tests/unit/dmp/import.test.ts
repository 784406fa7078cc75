import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { sqlFor } from '../../../src/main/db/query-builder';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { actor, counterRandom, fixture, fixtureNames, professional, testInsKey } from './helpers';

async function service() {
  const store = await openTestStore(dmpMigrations);
  const dmp = new DmpService({
    store,
    log: silentLogger,
    now: () => new Date('2021-02-01T10:00:00Z'),
    random: counterRandom(),
  });
  return { store, dmp };
}

function variant(name: string, edit: (xml: string) => string): Uint8Array {
  return new TextEncoder().encode(edit(new TextDecoder().decode(fixture(name))));
}

describe('DmpService.importCda', () => {
  it('imports every CI-SIS fixture into one dossier, creating it with the first', async () => {
    const { dmp, store } = await service();
    const [first, ...rest] = fixtureNames();
    expect(rest.length).toBeGreaterThan(3);
    const created = await dmp.importCda(fixture(first as string), { create: true, depositor: 'system' });
    expect(created).toMatchObject({ insKey: testInsKey, created: true });
    for (const name of rest) {
      const result = await dmp.importCda(fixture(name), { create: false, depositor: 'system' });
      expect(result, name).toMatchObject({ insKey: testInsKey, created: false });
      expect(result.counts.sections ?? 0, name).toBeGreaterThanOrEqual(0);
    }
    const q = sqlFor(store);
    const docs = await q.first(
      store,
      q.db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ins_key', '=', testInsKey),
    );
    expect(docs?.n).toBe(fixtureNames().length);
    const [dossier] = await dmp.searchDossiers({ insKey: testInsKey });
    expect(dossier).toMatchObject({
      testIdentity: true,
      status: 'active',
      ins: { oid: '1.2.250.1.213.1.4.10', status: 'qualified' },
    });
    const consent = await store.all<{ consent_by_id: string }>('SELECT consent_by_id FROM dossiers');
    expect(consent[0]?.consent_by_id).toBe('system:import');
  });

  it('keeps the narrative of every section, known or not', async () => {
    const { dmp, store } = await service();
    const { documentId } = await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), {
      create: true,
      depositor: 'system',
    });
    const q = sqlFor(store);
    const sections = await q.rows(
      store,
      q.db.selectFrom('document_sections').select('narrative_html').where('document_id', '=', documentId),
    );
    expect(sections.length).toBeGreaterThan(3);
    expect(sections.map((s) => s.narrative_html).join('')).toMatch(/PLAVIX/i);
  });

  it('refuses a document for a patient without a dossier unless asked to create it', async () => {
    const { dmp } = await service();
    const attempt = dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: false, depositor: 'system' });
    await expect(attempt).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/--create/),
    });
    expect(await dmp.searchDossiers({ insKey: testInsKey })).toEqual([]);
  });

  it('checks a professional importing through the service: a CPE cannot feed the DMP, a CPS can', async () => {
    const { dmp } = await service();
    const secretary = professional({ nationalId: '0123456789', cardKind: 'cpe' });
    await expect(
      dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: actor(secretary) }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await dmp.searchDossiers({ insKey: testInsKey })).toEqual([]);
    const doctor = professional();
    await expect(
      dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: actor(doctor) }),
    ).resolves.toMatchObject({ created: true });
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history.map((h) => [h.action, h.actor])).toEqual([
      ['document.deposit', 'Jean MEDECIN'],
      ['dossier.create', 'Jean MEDECIN'],
      ['access.denied', 'Jean MEDECIN'],
    ]);
  });

  it('refuses an identical resend, and leaves the dossier as it was', async () => {
    const { dmp, store } = await service();
    await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    const resend = dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: false, depositor: 'system' });
    await expect(resend).rejects.toBeInstanceOf(ApiError);
    await expect(resend).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/déjà été déposé/),
    });
    expect((await store.all('SELECT id FROM documents')).length).toBe(1);
  });

  it('lets exactly one of two racing identical imports through, the other getting CONFLICT', async () => {
    const { dmp, store } = await service();
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const results = await Promise.allSettled([
      dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: false, depositor: 'system' }),
      dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: false, depositor: 'system' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' ? rejected.reason : null).toMatchObject({ code: 'CONFLICT' });
    expect((await store.all('SELECT id FROM documents')).length).toBe(2);
    expect(await dmp.verifyAudit()).toEqual({ ok: true, count: 3 });
  });

  it('refuses an empty file, a non-CDA file and a CDA without INS with French messages', async () => {
    const { dmp } = await service();
    await expect(
      dmp.importCda(new Uint8Array(), { create: true, depositor: 'system' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      dmp.importCda(new TextEncoder().encode('<html><body/></html>'), { create: true, depositor: 'system' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      dmp.importCda(new TextEncoder().encode('<ClinicalDocument'), { create: true, depositor: 'system' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const noIns = variant('VAC-NOTE_2023.01.xml', (xml) =>
      xml.replaceAll('1.2.250.1.213.1.4.10', '1.2.3.4.5'),
    );
    await expect(dmp.importCda(noIns, { create: true, depositor: 'system' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses a structured document with no content at all', async () => {
    const { dmp } = await service();
    const empty = variant('VAC-NOTE_2023.01.xml', (xml) => {
      const start = xml.indexOf('<component>', xml.indexOf('<structuredBody'));
      const end = xml.lastIndexOf('</structuredBody>');
      return xml.slice(0, start) + xml.slice(end);
    });
    await expect(dmp.importCda(empty, { create: true, depositor: 'system' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/vide/),
    });
  });

  it('makes a new version when the setId matches, the old one becoming obsolete', async () => {
    const { dmp, store } = await service();
    const v1 = await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const v2bytes = variant('VAC-NOTE_2023.01.xml', (xml) =>
      xml
        .replace(
          '<id root="1.2.250.1.213.1.1.1.46.2023.1.1"/>',
          '<id root="1.2.250.1.213.1.1.1.46.2023.1.2"/>',
        )
        .replace(/<versionNumber value="1"\s*\/>/, '<versionNumber value="2"/>'),
    );
    const v2 = await dmp.importCda(v2bytes, { create: false, depositor: 'system' });
    const rows = await store.all<{ id: string; status: string; version: number; replaces_id: string | null }>(
      'SELECT id, status, version, replaces_id FROM documents ORDER BY version',
    );
    expect(rows).toEqual([
      { id: v1.documentId, status: 'obsolete', version: 1, replaces_id: null },
      { id: v2.documentId, status: 'approved', version: 2, replaces_id: v1.documentId },
    ]);
  });
});
