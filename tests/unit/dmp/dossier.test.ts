import { describe, expect, it } from 'vitest';
import type { Beneficiary, ReferenceIdentity } from '../../../src/shared/contract';
import type { CreateDossierInput } from '../../../src/main/dmp/dmp-service';
import { matriculeKey } from '../../../src/shared/identity/ins';
import { sqlFor } from '../../../src/main/db/query-builder';
import type { Store } from '../../../src/main/store/types';
import { tableNames } from '../../support/test-store';
import { actor, fixture, loggedService, professional, testInsKey } from './helpers';

function nir(body13: string): string {
  return `${body13}${String(matriculeKey(body13)).padStart(2, '0')}`;
}

// Parent born in March 1979; the card lists the child (2012) under the parent's NIR.
const parentNir = nir('1790375123456');
const childNir = nir('2120675123789');
const child: Beneficiary = {
  index: 1,
  lastName: 'MARTIN',
  firstName: 'Léa',
  birthDate: '2012-06-14',
  nir: parentNir,
  nirKeyValid: true,
};
const parent: Beneficiary = {
  index: 0,
  lastName: 'MARTIN',
  firstName: 'Paul',
  birthDate: '1979-03-28',
  nir: parentNir,
  nirKeyValid: true,
};
const consent = { brisDeGlaceOpposition: false, centre15Opposition: true };

const service = loggedService;

async function everyTextIn(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const name of await tableNames(store)) {
    for (const row of await store.all(`SELECT * FROM ${name}`)) {
      for (const value of Object.values(row))
        parts.push(value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value));
    }
  }
  return parts.join('\n');
}

/** What the identity reference answers for a beneficiary: INS plus the five traits. */
function identityOf(
  b: Beneficiary,
  matricule: string,
  overrides: Partial<ReferenceIdentity> = {},
): ReferenceIdentity {
  return {
    matricule,
    oid: '1.2.250.1.213.1.4.8',
    birthName: b.lastName,
    firstNames: b.firstName,
    birthDate: b.birthDate,
    sex: matricule.startsWith('1') ? 'M' : 'F',
    birthPlaceCode: '75123',
    ...overrides,
  };
}

const representative = { lastName: 'MARTIN', firstNames: 'Paul', relation: 'père' as const };

function creation(
  b: Beneficiary,
  identity: ReferenceIdentity,
  extra: Partial<CreateDossierInput> = {},
): CreateDossierInput {
  const minor = b.birthDate > '2008-03-01';
  return {
    beneficiary: b,
    identity,
    identityDocumentChecked: true,
    legalRepresentatives: minor ? [representative] : [],
    consent: { ...consent, givenBy: minor ? 'legal-representative' : 'patient' },
    ...extra,
  };
}

describe('DmpService.createDossier', () => {
  it('creates the dossier with the representative’s consent, prints a PDF and stores only a hash of the one-time code', async () => {
    const { dmp, store, lines } = await service();
    const secretary = professional({ nationalId: '0123456789', cardKind: 'cpe', lastName: 'ACCUEIL' });
    const created = await dmp.createDossier(actor(secretary), creation(child, identityOf(child, childNir)));
    expect(created.dossier).toMatchObject({
      insKey: `${childNir}@1.2.250.1.213.1.4.8`,
      identity: {
        birthName: 'MARTIN',
        firstNames: 'Léa',
        birthDate: '2012-06-14',
        sex: 'F',
        birthPlaceCode: '75123',
      },
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
    const [row] = await store.all<{
      consent_by_id: string;
      consent_by_name: string;
      consent_at: string;
      centre15_opposition: number;
      consent_given_by: string;
    }>(
      'SELECT consent_by_id, consent_by_name, consent_at, centre15_opposition, consent_given_by FROM dossiers',
    );
    expect(row).toEqual({
      consent_by_id: '0123456789',
      consent_by_name: 'Jean ACCUEIL',
      consent_at: '2026-03-01T09:00:00.000Z',
      centre15_opposition: 1,
      consent_given_by: 'legal-representative',
    });
    // Through the store's queries: on PostgreSQL the names are sealed at rest.
    const q = sqlFor(store);
    expect(
      await q.rows(
        store,
        q.db.selectFrom('dossier_legal_representatives').select(['last_name', 'first_names', 'relation']),
      ),
    ).toEqual([{ last_name: 'MARTIN', first_names: 'Paul', relation: 'père' }]);
    const history = await dmp.accessHistory({ patient: true }, created.dossier.insKey);
    expect(history.map((h) => h.action)).toEqual(['accessCodes.print', 'dossier.create']);
  });

  it('finding 7: a minor’s dossier needs a legal representative giving consent, not « le patient »', async () => {
    const { dmp, store } = await service();
    const withoutRepresentative = creation(child, identityOf(child, childNir), {
      legalRepresentatives: [],
      consent: { ...consent, givenBy: 'patient' },
    });
    await expect(dmp.createDossier(actor(professional()), withoutRepresentative)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/mineur/),
    });
    const patientConsents = creation(child, identityOf(child, childNir), {
      consent: { ...consent, givenBy: 'patient' },
    });
    await expect(dmp.createDossier(actor(professional()), patientConsents)).rejects.toMatchObject({
      message: expect.stringMatching(/représentants légaux/),
    });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
  });

  it('finding 7: the parent’s card NIR is refused as a child’s INS at the identity step, before anything is written', async () => {
    const { dmp, store } = await service();
    const parentsNir = identityOf(child, parentNir);
    await expect(dmp.creationCheck(child, parentsNir)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/ouvrant droit/),
    });
    await expect(dmp.createDossier(actor(professional()), creation(child, parentsNir))).rejects.toMatchObject(
      { code: 'INVALID_INPUT' },
    );
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
  });

  it('accepts the card NIR for the ouvrant droit themself; an unchecked identity document leaves the INS « récupérée »', async () => {
    const { dmp } = await service();
    const created = await dmp.createDossier(
      actor(professional()),
      creation(parent, identityOf(parent, parentNir, { oid: '1.2.250.1.213.1.4.10' }), {
        identityDocumentChecked: false,
      }),
    );
    expect(created.dossier).toMatchObject({
      insKey: `${parentNir}@1.2.250.1.213.1.4.10`,
      testIdentity: true,
      ins: { status: 'fetched' },
    });
  });

  it('finding 3: refuses a second dossier for the same matricule under another OID', async () => {
    const { dmp, store } = await service();
    await dmp.createDossier(actor(professional()), creation(parent, identityOf(parent, parentNir)));
    const again = identityOf(parent, parentNir, { oid: '1.2.250.1.213.1.4.10' });
    expect((await dmp.creationCheck(parent, again)).existing).toMatchObject({
      insKey: `${parentNir}@1.2.250.1.213.1.4.8`,
    });
    await expect(dmp.createDossier(actor(professional()), creation(parent, again))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/existe déjà/),
    });
    expect(await store.all('SELECT ins_key FROM dossiers')).toHaveLength(1);
  });

  it('finding 3: homonyms (same five traits, another INS) are shown and need a confirmation', async () => {
    const { dmp } = await service();
    await dmp.createDossier(actor(professional()), creation(parent, identityOf(parent, parentNir)));
    const otherPaul = nir('1790375123999');
    const homonym = identityOf(parent, otherPaul);
    const check = await dmp.creationCheck({ ...parent, nir: otherPaul }, homonym);
    expect(check).toMatchObject({
      existing: null,
      homonyms: [{ insKey: `${parentNir}@1.2.250.1.213.1.4.8` }],
    });
    const input = creation({ ...parent, nir: otherPaul }, homonym);
    await expect(dmp.createDossier(actor(professional()), input)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/cinq mêmes traits/),
    });
    await expect(
      dmp.createDossier(actor(professional()), { ...input, homonymsConfirmed: true }),
    ).resolves.toMatchObject({ dossier: { insKey: `${otherPaul}@1.2.250.1.213.1.4.8` } });
  });

  it('refuses a wrong NIR key, an identity that is not the card beneficiary’s, hidden characters in names, and a student card', async () => {
    const { dmp, store } = await service();
    const wrongKey = `${childNir.slice(0, 13)}${childNir.endsWith('01') ? '02' : '01'}`;
    await expect(
      dmp.createDossier(actor(professional()), creation(child, identityOf(child, wrongKey))),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/clé/),
    });
    await expect(
      dmp.createDossier(
        actor(professional()),
        creation(child, identityOf(child, childNir, { birthDate: '2012-06-15' })),
      ),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/ne correspond pas au bénéficiaire/),
    });
    await expect(
      dmp.createDossier(
        actor(professional()),
        creation(
          { ...child, lastName: 'MAR\u202eNITR' },
          identityOf({ ...child, lastName: 'MAR\u202eNITR' }, childNir),
        ),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/caractères invisibles/) });
    const student = professional({ nationalId: '810005555555', cardKind: 'cpf' });
    await expect(
      dmp.createDossier(actor(student), creation(child, identityOf(child, childNir))),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await store.all('SELECT ins_key FROM dossiers')).toEqual([]);
  });
});

describe('closing, reactivating and searching', () => {
  it('closes with a reason, refuses reads while closed, and reactivates', async () => {
    const { dmp } = await service();
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const doctor = professional();
    const present = { patientPresent: true, atPatientRequest: false };
    await dmp.authorize(actor(doctor), testInsKey);
    await expect(dmp.closeDossier(actor(doctor), testInsKey, '  ', present)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await dmp.closeDossier(actor(doctor), testInsKey, 'Demande du patient', present)).toMatchObject({
      status: 'closed',
    });
    await expect(dmp.openDossier(actor(doctor), testInsKey)).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(dmp.closeDossier(actor(doctor), testInsKey, 'encore', present)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await dmp.reactivateDossier(actor(doctor), testInsKey, 'Le patient revient sur sa décision', present),
    ).toMatchObject({ status: 'active' });
    await expect(dmp.openDossier(actor(doctor), testInsKey)).resolves.toMatchObject({ status: 'active' });
    const history = await dmp.accessHistory({ patient: true }, testInsKey);
    expect(history.find((h) => h.action === 'dossier.close')).toMatchObject({
      description: 'A clôturé le DMP (patient présent ; Demande du patient).',
    });
  });

  it('finds dossiers by accent- and case-insensitive name prefix, birth or used name, with birth date', async () => {
    const { dmp } = await service();
    const zoe = { ...child, lastName: 'LÉVÊQUE', firstName: 'Zoé' };
    await dmp.createDossier(actor(professional()), creation(zoe, identityOf(zoe, childNir)));
    await dmp.importCda(fixture('VAC-NOTE_2023.01.xml'), { create: true, depositor: 'system' });
    const [imported] = await dmp.searchDossiers({ insKey: testInsKey });
    expect(imported).toBeDefined();
    const names = async (q: { name?: string; birthDate?: string }) =>
      (await dmp.searchDossiers(q)).map((d) => d.identity.firstNames);
    expect(await names({ name: 'leveque' })).toEqual(['Zoé']);
    expect(await names({ name: 'Lév' })).toEqual(['Zoé']);
    expect(await names({ name: 'leveque', birthDate: '2012-06-14' })).toEqual(['Zoé']);
    expect(await names({ name: 'leveque', birthDate: '2012-06-00' })).toEqual(['Zoé']);
    expect(await names({ name: 'leveque', birthDate: '2011-06-14' })).toEqual([]);
    expect(await names({ name: imported?.identity.birthName.toLowerCase() ?? 'x' })).toEqual([
      imported?.identity.firstNames,
    ]);
    if (imported?.identity.usedName)
      expect(await names({ name: imported.identity.usedName })).toContain(imported.identity.firstNames);
    expect(await dmp.searchDossiers({ name: '%' })).toEqual([]);
    expect(await dmp.searchDossiers({ insKey: 'not-an-ins' })).toEqual([]);
    expect(await dmp.searchDossiers({})).toEqual([]);
  });
});
