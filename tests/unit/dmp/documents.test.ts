import { describe, expect, it } from 'vitest';
import { documentContentSchema, documentMetaSchema, type Visibility } from '../../../src/shared/contract';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { sqlFor } from '../../../src/main/db/query-builder';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { actor, counterRandom, fixture, professional, testInsKey } from './helpers';

const visible: Visibility = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};
const doctor = professional();
const minimalPdf = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');

async function seeded() {
  const store = await openTestStore(dmpMigrations);
  const dmp = new DmpService({
    store,
    log: silentLogger,
    now: () => new Date('2024-05-01T08:00:00Z'),
    random: counterRandom(),
  });
  const ids: Record<string, string> = {};
  for (const [i, f] of ['VSM_1.4_2022.01.xml', 'DOC_NON_STRUCTURE_CDA-R2-N1.xml'].entries()) {
    ids[f] = (await dmp.importCda(fixture(f), { create: i === 0, depositor: 'system' })).documentId;
  }
  await dmp.authorize(actor(doctor), testInsKey);
  // The seeded documents are the doctor's own: only their author may archive them (write policy).
  const q = sqlFor(store);
  await store.write([
    q.statement(q.db.updateTable('documents').set({ author_id: doctor.holder.nationalId })),
  ]);
  return { store, dmp, ids };
}

describe('reading documents', () => {
  it('gives the narrative of a structured CDA as HTML, and the PDF of an unstructured one', async () => {
    const { dmp, ids } = await seeded();
    const vsm = await dmp.getDocument(actor(doctor), testInsKey, ids['VSM_1.4_2022.01.xml'] as string);
    expect(() => documentContentSchema.parse(vsm)).not.toThrow();
    expect(vsm.narrativeHtml).toMatch(/<section><h2>/);
    expect(vsm.narrativeHtml).toMatch(/PLAVIX/i);
    expect(vsm.narrativeHtml).not.toMatch(/<script/i);
    expect(vsm.warnings).toEqual([]);
    const scanned = await dmp.getDocument(
      actor(doctor),
      testInsKey,
      ids['DOC_NON_STRUCTURE_CDA-R2-N1.xml'] as string,
    );
    expect(scanned.meta.format).toBe('cda-unstructured');
    expect(
      Buffer.from(scanned.pdfBase64 ?? '', 'base64')
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it('returns the PDF a structured lab report embeds, so it can be opened (issue 10)', async () => {
    const { dmp } = await seeded();
    const { documentId } = await dmp.importCda(fixture('BIO-CR-BIO_2024.01_TSH_1.xml'), {
      create: false,
      depositor: 'system',
    });
    const report = documentContentSchema.parse(await dmp.getDocument(actor(doctor), testInsKey, documentId));
    expect(report.meta.format).toBe('cda-structured');
    expect(report.attachments).toHaveLength(1);
    const pdf = Buffer.from(report.attachments?.[0]?.base64 ?? '', 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-1024).toString('latin1')).toContain('%%EOF');
    expect(report.attachments?.[0]).toMatchObject({
      mediaType: 'application/pdf',
      label: 'Document PDF joint n° 1',
    });
  });

  it('lists documents newest first, filtered by category and archive status', async () => {
    const { dmp, ids } = await seeded();
    const all = await dmp.listDocuments(actor(doctor), testInsKey);
    expect(all.map((d) => d.id).sort()).toEqual(Object.values(ids).sort());
    all.forEach((d) => documentMetaSchema.parse(d));
    const bio = await dmp.listDocuments(actor(doctor), testInsKey, { category: 'biologie' });
    expect(bio.map((d) => d.id)).toEqual([ids['DOC_NON_STRUCTURE_CDA-R2-N1.xml']]);
    await dmp.updateDocument(actor(doctor), testInsKey, ids['DOC_NON_STRUCTURE_CDA-R2-N1.xml'] as string, {
      status: 'archived',
    });
    expect((await dmp.listDocuments(actor(doctor), testInsKey)).map((d) => d.id)).toEqual([
      ids['VSM_1.4_2022.01.xml'],
    ]);
    expect(await dmp.listDocuments(actor(doctor), testInsKey, { includeArchived: true })).toHaveLength(2);
  });
});

describe('depositing and changing documents', () => {
  it('deposits a PDF authored by the CPS holder, with warnings when hidden from the patient', async () => {
    const { dmp } = await seeded();
    const meta = await dmp.depositDocument(actor(doctor), {
      insKey: testInsKey,
      fileName: 'courrier.pdf',
      contentBase64: b64(minimalPdf),
      typeCode: '11488-4',
      visibility: { ...visible, hiddenFromPatient: true },
    });
    expect(meta).toMatchObject({
      format: 'pdf',
      author: 'Jean MEDECIN',
      authorProfession: 'Médecin',
      category: 'comptes_rendus',
      version: 1,
      status: 'approved',
    });
    const content = await dmp.getDocument(actor(doctor), testInsKey, meta.id);
    expect(Buffer.from(content.pdfBase64 ?? '', 'base64').toString('latin1')).toBe(minimalPdf);
    expect(content.warnings).toEqual(["Ce document n'est pas visible par le patient."]);
  });

  it('deposits text as escaped HTML and refuses bad inputs with French messages', async () => {
    const { dmp } = await seeded();
    const text = await dmp.depositDocument(actor(doctor), {
      insKey: testInsKey,
      fileName: 'note.txt',
      contentBase64: b64('Tension <b>normale</b>'),
      typeCode: '11488-4',
      visibility: visible,
    });
    expect((await dmp.getDocument(actor(doctor), testInsKey, text.id)).narrativeHtml).toBe(
      '<pre>Tension &#60;b&#62;normale&#60;/b&#62;</pre>',
    );
    const base = { insKey: testInsKey, fileName: 'x.pdf', typeCode: '11488-4', visibility: visible };
    await expect(
      dmp.depositDocument(actor(doctor), { ...base, contentBase64: 'pas du base64 !' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      dmp.depositDocument(actor(doctor), { ...base, contentBase64: b64('%PDF-1.4 tronqué') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      dmp.depositDocument(actor(doctor), {
        ...base,
        fileName: 'x.bin',
        contentBase64: b64('\x00\x01binaire'),
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(
      dmp.depositDocument(actor(doctor), {
        ...base,
        fileName: 'x.txt',
        contentBase64: b64(Uint8Array.from([0xff, 0xfe, 0x41])),
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/UTF-8/),
    });
    await expect(
      dmp.depositDocument(actor(doctor), {
        ...base,
        contentBase64: b64(minimalPdf),
        visibility: { ...visible, hiddenFromPatient: true, maskedFromProfessionals: true },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/masqué/) });
    const { typeCode: _typeCode, ...withoutType } = base;
    await expect(
      dmp.depositDocument(actor(doctor), { ...withoutType, contentBase64: b64(minimalPdf) }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const secretary = professional({ nationalId: '0123456789', cardKind: 'cpe' });
    await expect(
      dmp.depositDocument(actor(secretary), { ...base, contentBase64: b64(minimalPdf) }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a CDA of another patient deposited into this dossier', async () => {
    const { dmp } = await seeded();
    const other = new TextDecoder()
      .decode(fixture('VAC-NOTE_2023.01.xml'))
      .replace('279035121518989', '180017512345672');
    await expect(
      dmp.depositDocument(actor(doctor), {
        insKey: testInsKey,
        fileName: 'vac.xml',
        contentBase64: b64(other),
        visibility: visible,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/autre patient/) });
  });

  it('replaces a document with a new version and restores it when the new version is deleted', async () => {
    const { dmp } = await seeded();
    const base = { insKey: testInsKey, typeCode: '11488-4', visibility: visible };
    const v1 = await dmp.depositDocument(actor(doctor), {
      ...base,
      fileName: 'v1.txt',
      contentBase64: b64('version 1'),
    });
    const v2 = await dmp.depositDocument(actor(doctor), {
      ...base,
      fileName: 'v2.txt',
      contentBase64: b64('version 2'),
      replacesId: v1.id,
    });
    expect(v2).toMatchObject({ version: 2, replacesId: v1.id, status: 'approved' });
    const obsolete = await dmp.getDocument(actor(doctor), testInsKey, v1.id);
    expect(obsolete.meta.status).toBe('obsolete');
    expect(obsolete.warnings).toContain('Ce document a été remplacé par une version plus récente.');
    await expect(
      dmp.depositDocument(actor(doctor), {
        ...base,
        fileName: 'v3.txt',
        contentBase64: b64('version 3'),
        replacesId: v1.id,
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await dmp.deleteDocument(actor(doctor), testInsKey, v2.id);
    await expect(dmp.getDocument(actor(doctor), testInsKey, v2.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await dmp.getDocument(actor(doctor), testInsKey, v1.id)).meta.status).toBe('approved');
  });

  it('toggles archiving only between approved and archived', async () => {
    const { dmp, ids } = await seeded();
    const id = ids['VSM_1.4_2022.01.xml'] as string;
    expect(await dmp.updateDocument(actor(doctor), testInsKey, id, { status: 'archived' })).toMatchObject({
      status: 'archived',
    });
    expect(await dmp.updateDocument(actor(doctor), testInsKey, id, { status: 'approved' })).toMatchObject({
      status: 'approved',
    });
    await expect(
      dmp.updateDocument(actor(doctor), testInsKey, id, { status: 'obsolete' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const actions = (await dmp.accessHistory({ patient: true }, testInsKey)).map((h) => h.action);
    expect(actions.filter((a) => a === 'document.update')).toHaveLength(2);
  });
});
