import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matriculeKey } from '../../../src/shared/identity/ins';
import { actor, fixture, fixturesDir, loggedService, professional, testInsKey } from '../dmp/helpers';

/** The VAC-NOTE fixture's patient: PAT-TROIS Dominique, F, born 1979-03-28, INS 279035121518989 (test OID). */
const original = new TextDecoder().decode(fixture('VAC-NOTE_2023.01.xml'));
const bytes = (xml: string): Uint8Array => new TextEncoder().encode(xml);
const withIns = (xml: string, matricule: string): string => xml.replaceAll('279035121518989', matricule);

function withKey(body13: string): string {
  return body13 + String(matriculeKey(body13)).padStart(2, '0');
}

const service = loggedService;

async function refusals(store: Awaited<ReturnType<typeof service>>['store']) {
  return store.all<{ ins_key: string | null; target: string }>(
    "SELECT ins_key, target FROM audit_log WHERE action = 'document.refused' ORDER BY seq",
  );
}

describe('imports refuse what identity vigilance refuses, with nothing written (issue 9, findings 4 and 5)', () => {
  it('finding 4: a document whose INS key is wrong creates no dossier; the refusal is logged and audited without the NIR', async () => {
    const { dmp, store, lines } = await service();
    const wrongKey = '279035121518988';
    const attempt = dmp.importCda(bytes(withIns(original, wrongKey)), { create: true, depositor: 'system' });
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/clé du matricule INS est incorrecte/),
    });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
    expect(await refusals(store)).toEqual([{ ins_key: null, target: 'identity: key' }]);
    expect(lines.join('\n')).toMatch(/document refused/);
    expect(lines.join('\n')).not.toContain(wrongKey);
  });

  it('finding 4: a real corpus document whose INS key is wrong is refused', async () => {
    const { dmp, store } = await service();
    const corpus = new Uint8Array(readFileSync(join(fixturesDir, '..', 'cda-corpus', 'OBP-SEM_2024.01.xml')));
    await expect(dmp.importCda(corpus, { create: true, depositor: 'system' })).rejects.toMatchObject({
      message: expect.stringMatching(/clé/),
    });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
  });

  it('finding 4: an INS inconsistent with the document’s own sex or birth date is refused', async () => {
    const { dmp, store } = await service();
    const male = original.replace('<administrativeGenderCode code="F"', '<administrativeGenderCode code="M"');
    await expect(dmp.importCda(bytes(male), { create: true, depositor: 'system' })).rejects.toMatchObject({
      message: expect.stringMatching(/sexe/),
    });
    const otherYear = original.replace('<birthTime value="19790328"/>', '<birthTime value="19800328"/>');
    await expect(
      dmp.importCda(bytes(otherYear), { create: true, depositor: 'system' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/année de naissance/) });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
    expect((await refusals(store)).map((r) => r.target)).toEqual(['identity: sex', 'identity: birth-year']);
  });

  it('finding 4: a document whose patient has another birth date than the dossier’s is not attached; the refusal goes to the dossier’s history', async () => {
    const { dmp, store } = await service();
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const documentsBefore = await store.all('SELECT id FROM documents');
    const otherDay = original
      .replace('<birthTime value="19790328"/>', '<birthTime value="19790329"/>')
      .replace('</ClinicalDocument>', '<!-- autre envoi --></ClinicalDocument>');
    await expect(
      dmp.importCda(bytes(otherDay), { create: false, depositor: 'system' }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/date de naissance du patient du document diffère/),
    });
    const otherFirstName = original
      .replaceAll('DOMINIQUE', 'CLAUDE')
      .replace('</ClinicalDocument>', '<!-- autre --></ClinicalDocument>');
    await expect(
      dmp.importCda(bytes(otherFirstName), { create: false, depositor: 'system' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/premier prénom/) });
    expect(await store.all('SELECT id FROM documents')).toEqual(documentsBefore);
    expect(await refusals(store)).toEqual([
      { ins_key: testInsKey, target: 'identity: birth-date' },
      { ins_key: testInsKey, target: 'identity: first-name' },
    ]);
    expect((await dmp.accessHistory(testInsKey)).filter((h) => h.action === 'document.refused')).toHaveLength(
      2,
    );
  });

  it('finding 5: a patient born in Corsica (2A/2B) receives a document', async () => {
    const { dmp } = await service();
    const corsican = withKey('279032B115423');
    const result = await dmp.importCda(bytes(withIns(original, corsican)), {
      create: true,
      depositor: 'system',
    });
    expect(result).toMatchObject({ insKey: `${corsican}@1.2.250.1.213.1.4.10`, created: true });
  });

  it('finding 6: names with bidirectional or control characters are refused', async () => {
    const { dmp, store } = await service();
    const bidi = original.replace(
      '<family qualifier="BR">PAT-TROIS</family>',
      '<family qualifier="BR">PAT\u202eSIORT</family>',
    );
    await expect(dmp.importCda(bytes(bidi), { create: true, depositor: 'system' })).rejects.toMatchObject({
      message: expect.stringMatching(/caractères invisibles/),
    });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
  });

  it('deposits need a qualified INS: a dossier whose INS was only fetched cannot be fed', async () => {
    const { dmp, store } = await service();
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    await store.write([
      { sql: "UPDATE dossiers SET ins_status = 'fetched', identity_verified = 0", params: [] },
    ]);
    const doctor = professional();
    const attempt = dmp.depositDocument(actor(doctor), {
      insKey: testInsKey,
      fileName: 'note.txt',
      contentBase64: Buffer.from('Consultation du jour').toString('base64'),
      typeCode: '11488-4',
      visibility: {
        hiddenFromPatient: false,
        maskedFromProfessionals: false,
        hiddenFromLegalRepresentatives: false,
      },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/n’est pas qualifiée/),
    });
    expect((await refusals(store)).map((r) => r.target)).toEqual(['identity: INS not qualified']);
  });
});
