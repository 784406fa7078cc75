import { describe, expect, it } from 'vitest';
import type { Beneficiary } from '../../../src/shared/contract';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { createLogger } from '../../../src/main/log/logger';
import { nirKey } from '../../../src/main/domain/nir';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import type { Store } from '../../../src/main/store/types';
import { actor, counterRandom, fixture, professional, testInsKey } from './helpers';

function nir(body13: string): string {
  return `${body13}${String(nirKey(body13)).padStart(2, '0')}`;
}

// Parent born in March 1979; the card lists the child (2012) under the parent's NIR.
const parentNir = nir('1790375123456');
const childNir = nir('2120675123789');
const child: Beneficiary = { index: 1, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2012-06-14', nir: parentNir, nirKeyValid: true };
const parent: Beneficiary = { index: 0, lastName: 'MARTIN', firstName: 'Paul', birthDate: '1979-03-28', nir: parentNir, nirKeyValid: true };
const consent = { brisDeGlaceOpposition: false, centre15Opposition: true };

async function service() {
  const lines: string[] = [];
  const store = await openMemoryStore(dmpMigrations);
  const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
  const dmp = new DmpService({ store, log, now: () => new Date('2026-03-01T09:00:00Z'), random: counterRandom() });
  return { store, dmp, lines };
}

async function everyTextIn(store: Store): Promise<string> {
  const tables = await store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
  const parts: string[] = [];
  for (const { name } of tables) {
    for (const row of await store.all(`SELECT * FROM ${name}`)) {
      for (const value of Object.values(row)) parts.push(value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value));
    }
  }
  return parts.join('\n');
}

describe('DmpService.createDossier', () => {
  it('creates the dossier with consent, prints a PDF and stores only a hash of the one-time code', async () => {
    const { dmp, store, lines } = await service();
    const secretary = professional({ nationalId: '0123456789', cardKind: 'cpe', lastName: 'ACCUEIL' });
    const created = await dmp.createDossier(actor(secretary), {
      beneficiary: child,
      identity: { matricule: childNir, sex: 'F', identityDocumentChecked: true },
      consent,
    });
    expect(created.dossier).toMatchObject({
      insKey: `${childNir}@1.2.250.1.213.1.4.8`,
      identity: { birthName: 'MARTIN', firstNames: 'Léa', birthDate: '2012-06-14', sex: 'F' },
      ins: { status: 'qualified' },
      status: 'active',
    });
    expect(Buffer.from(created.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(created.accessCodes.oneTimeCode).toMatch(/^[A-Z2-9]{8}$/);
    const stored = await everyTextIn(store);
    expect(stored).toContain(created.accessCodes.login);
    expect(stored).not.toContain(created.accessCodes.oneTimeCode);
    expect(lines.join('\n')).not.toContain(created.accessCodes.oneTimeCode);
    expect(lines.join('\n')).not.toContain(childNir);
    expect(lines.join('\n')).not.toMatch(/MARTIN|Léa/);
    const [row] = await store.all<{ consent_by_id: string; consent_by_name: string; consent_at: string; centre15_opposition: number }>(
      'SELECT consent_by_id, consent_by_name, consent_at, centre15_opposition FROM dossiers',
    );
    expect(row).toEqual({ consent_by_id: '0123456789', consent_by_name: 'Jean ACCUEIL', consent_at: '2026-03-01T09:00:00.000Z', centre15_opposition: 1 });
    expect((await dmp.accessHistory({ patient: true }, created.dossier.insKey)).map((h) => h.action)).toEqual(['accessCodes.print', 'dossier.create']);
  });

  it('refuses a child’s INS equal to the parent’s card NIR', async () => {
    const { dmp, store } = await service();
    const attempt = dmp.createDossier(actor(professional()), {
      beneficiary: child,
      identity: { matricule: parentNir, sex: 'F', identityDocumentChecked: true },
      consent,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/ouvrant droit/) });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
  });

  it('accepts the card NIR for the ouvrant droit themself', async () => {
    const { dmp } = await service();
    const created = await dmp.createDossier(actor(professional()), {
      beneficiary: parent,
      identity: { matricule: parentNir, sex: 'M', identityDocumentChecked: false },
      consent,
      oid: '1.2.250.1.213.1.4.10',
    });
    expect(created.dossier).toMatchObject({ insKey: `${parentNir}@1.2.250.1.213.1.4.10`, testIdentity: true, ins: { status: 'provisional' } });
  });

  it('refuses a wrong NIR key, a duplicate INS and a student card', async () => {
    const { dmp } = await service();
    const wrongKey = `${childNir.slice(0, 13)}${childNir.endsWith('01') ? '02' : '01'}`;
    const input = { beneficiary: child, identity: { matricule: wrongKey, sex: 'F' as const, identityDocumentChecked: true }, consent };
    await expect(dmp.createDossier(actor(professional()), input)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/clé/) });
    const good = { ...input, identity: { ...input.identity, matricule: childNir } };
    await dmp.createDossier(actor(professional()), good);
    await expect(dmp.createDossier(actor(professional()), good)).rejects.toMatchObject({ code: 'CONFLICT' });
    const student = professional({ nationalId: '810005555555', cardKind: 'cpf' });
    await expect(dmp.createDossier(actor(student), { ...good, identity: { ...good.identity, matricule: nir('2120675123790') } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('closing, reactivating and searching', () => {
  it('closes with a reason, refuses reads while closed, and reactivates', async () => {
    const { dmp } = await service();
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const doctor = professional();
    const present = { patientPresent: true, atPatientRequest: false };
    await dmp.authorize(actor(doctor), testInsKey);
    await expect(dmp.closeDossier(actor(doctor), testInsKey, '  ', present)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await dmp.closeDossier(actor(doctor), testInsKey, 'Demande du patient', present)).toMatchObject({ status: 'closed' });
    await expect(dmp.openDossier(actor(doctor), testInsKey)).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(dmp.closeDossier(actor(doctor), testInsKey, 'encore', present)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await dmp.reactivateDossier(actor(doctor), testInsKey, 'Le patient revient sur sa décision', present)).toMatchObject({ status: 'active' });
    await expect(dmp.openDossier(actor(doctor), testInsKey)).resolves.toMatchObject({ status: 'active' });
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history.find((h) => h.action === 'dossier.close')).toMatchObject({ description: 'A clôturé le DMP (patient présent ; Demande du patient).' });
  });

  it('finds dossiers by accent- and case-insensitive name prefix, birth or used name, with birth date', async () => {
    const { dmp } = await service();
    await dmp.createDossier(actor(professional()), {
      beneficiary: { ...child, lastName: 'LÉVÊQUE', firstName: 'Zoé' },
      identity: { matricule: childNir, sex: 'F', identityDocumentChecked: true },
      consent,
    });
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const [imported] = await dmp.searchDossiers({ insKey: testInsKey });
    expect(imported).toBeDefined();
    const names = async (q: { name?: string; birthDate?: string }) => (await dmp.searchDossiers(q)).map((d) => d.identity.firstNames);
    expect(await names({ name: 'leveque' })).toEqual(['Zoé']);
    expect(await names({ name: 'Lév' })).toEqual(['Zoé']);
    expect(await names({ name: 'leveque', birthDate: '2012-06-14' })).toEqual(['Zoé']);
    expect(await names({ name: 'leveque', birthDate: '2012-06-00' })).toEqual(['Zoé']);
    expect(await names({ name: 'leveque', birthDate: '2011-06-14' })).toEqual([]);
    expect(await names({ name: imported?.identity.birthName.toLowerCase() ?? 'x' })).toEqual([imported?.identity.firstNames]);
    if (imported?.identity.usedName) expect(await names({ name: imported.identity.usedName })).toContain(imported.identity.firstNames);
    expect(await dmp.searchDossiers({ name: '%' })).toEqual([]);
    expect(await dmp.searchDossiers({ insKey: 'not-an-ins' })).toEqual([]);
    expect(await dmp.searchDossiers({})).toEqual([]);
  });
});
