import { describe, expect, it } from 'vitest';
import type { Visibility } from '../../../src/shared/contract';
import { matriculeKey } from '../../../src/shared/identity/ins';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { IdentityReference } from '../../../src/main/identity/identity-reference';
import { silentLogger } from '../../../src/main/log/logger';
import { writePopulation } from '../../../src/main/population/write-population';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import type { Statement, Store, StoreReader } from '../../../src/main/store/types';
import { actor, counterRandom, fixture, professional, testInsKey } from '../dmp/helpers';

/**
 * Every DMP query compiled by Kysely's PostgreSQL compiler, without a PostgreSQL server (the real
 * run on PostgreSQL is the `dmp-postgres` suite): a store that REPORTS the postgres dialect, so the
 * DMP builds every query for it, and runs what it gets on SQLite, which accepts `$1, $2…` as
 * parameters bound in order. The one query SQLite cannot answer (information_schema, for the audit
 * log's columns) is answered from pragma_table_info. Every SQL text is kept for the assertions.
 */
async function postgresCompiledStore(seen: string[]): Promise<Store> {
  const sqlite = await openMemoryStore(dmpMigrations);
  const onSqlite = (sql: string): string => {
    seen.push(sql);
    return /information_schema\.columns/.test(sql) ? 'select name from pragma_table_info($1)' : sql;
  };
  const reader = (r: StoreReader): StoreReader => ({
    all: (sql, params) => r.all(onSqlite(sql), params),
  });
  const translate = (statements: Statement[]): Statement[] =>
    statements.flatMap((s) => splitDataModifyingCte({ ...s, sql: onSqlite(s.sql) }));
  return {
    dialect: 'postgres',
    ...reader(sqlite),
    write: (statements) => sqlite.write(translate(statements)),
    writeChained: (write) =>
      sqlite.writeChained({
        statements: translate(write.statements),
        chain: async (tx) => translate(await write.chain(reader(tx))),
      }),
    readSnapshot: (read) => sqlite.readSnapshot((tx) => read(reader(tx))),
    close: () => sqlite.close(),
  };
}

/**
 * SQLite has no INSERT inside WITH: the audit append's `with appended as (insert …) insert into
 * "audit_head" …` (audit-log.ts) runs here as its two INSERTs, the second's `$n` renumbered.
 */
function splitDataModifyingCte(s: Statement): Statement[] {
  const m = /^with appended as \((insert into "audit_log" .*)\) (insert into "audit_head" .*)$/s.exec(s.sql);
  if (!m || !Array.isArray(s.params)) return [s];
  const first = Math.max(...[...m[1]!.matchAll(/\$(\d+)/g)].map((p) => Number(p[1])));
  return [
    { sql: m[1]!, params: s.params.slice(0, first) },
    {
      sql: m[2]!.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) - first}`),
      params: s.params.slice(first),
    },
  ];
}

const visible: Visibility = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};
const gp = professional({ nationalId: '810001111111', lastName: 'GENERALISTE' });
const otherGp = professional({ nationalId: '810005555555', lastName: 'AUTREMEDECIN' });
const secretary = professional({
  nationalId: '0123456789',
  cardKind: 'cpe',
  professionCode: '',
  lastName: 'ACCUEIL',
});
const present = { patientPresent: true, atPatientRequest: false };
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const nir = (body13: string): string => `${body13}${String(matriculeKey(body13)).padStart(2, '0')}`;

describe('DMP queries compiled for PostgreSQL', () => {
  it('run a whole DMP journey (every query site) with $n parameters, no SQLite-only syntax', async () => {
    const seen: string[] = [];
    const store = await postgresCompiledStore(seen);
    let nowMs = Date.parse('2026-03-01T09:00:00Z');
    const dmp = new DmpService({
      store,
      log: silentLogger,
      now: () => new Date((nowMs += 1000)),
      random: counterRandom(),
    });

    // Identity reference: register, WS1 (card), WS2 (traits), by INS.
    const identities = new IdentityReference(store);
    const matricule = nir('2120675123789');
    const parentNir = nir('1790375123456');
    const person = {
      matricule,
      oid: '1.2.250.1.213.1.4.8' as const,
      birthName: 'MARTIN',
      firstNames: 'Léa',
      birthDate: '2012-06-14',
      sex: 'F' as const,
      birthPlaceCode: '75123',
      cardNir: parentNir,
      birthRank: 1,
    };
    await identities.register([person]);
    const byCard = await identities.lookupByCard({
      cardNir: parentNir,
      firstName: 'Léa',
      birthDate: '2012-06-14',
      cardStatus: 'production',
    });
    expect(byCard.kind).toBe('one');
    expect((await identities.lookupByTraits({ ...person })).kind).toBe('one');
    expect(await identities.byIns(person)).toMatchObject({ birthName: 'MARTIN' });

    // Creation at the desk, then governance.
    const beneficiary = {
      index: 1,
      lastName: 'MARTIN',
      firstName: 'Léa',
      birthDate: '2012-06-14',
      nir: parentNir,
      nirKeyValid: true,
    };
    const identity = { ...person };
    expect((await dmp.creationCheck(beneficiary, identity)).existing).toBeNull();
    const created = await dmp.createDossier(actor(secretary), {
      beneficiary,
      identity,
      identityDocumentChecked: true,
      legalRepresentatives: [{ lastName: 'MARTIN', firstNames: 'Paul', relation: 'père' }],
      consent: { givenBy: 'legal-representative', brisDeGlaceOpposition: false, centre15Opposition: false },
    });
    const childKey = created.dossier.insKey;
    await dmp.declareTreatingPhysician(actor(gp), childKey, { patientPresent: true, patientConsent: true });
    await dmp.closeDossier(actor(gp), childKey, 'demande du patient', present);
    await dmp.reactivateDossier(actor(gp), childKey, 'demande du patient', present);

    // A hospital feed, then a professional's work on that dossier.
    await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    await dmp.authorize(actor(gp), testInsKey);
    await dmp.authorize(actor(otherGp), testInsKey);
    await dmp.recordProfessionalBlock(
      actor(gp),
      testInsKey,
      { nationalId: otherGp.holder.nationalId, blocked: true },
      present,
    );
    await dmp.recordProfessionalBlock(
      actor(gp),
      testInsKey,
      { nationalId: otherGp.holder.nationalId, blocked: false },
      present,
    );
    expect((await dmp.professionals(testInsKey)).map((p) => p.nationalId)).toContain(gp.holder.nationalId);
    expect((await dmp.accessDecision(actor(gp), testInsKey)).allowed).toBe(true);
    const dossier = await dmp.openDossier(actor(gp), testInsKey);

    const deposit = (title: string, replacesId?: string) =>
      dmp.depositDocument(actor(gp), {
        insKey: testInsKey,
        fileName: `${title}.txt`,
        contentBase64: b64(`${title} — contenu`),
        title,
        typeCode: '11488-4',
        visibility: visible,
        ...(replacesId ? { replacesId } : {}),
      });
    const v1 = await deposit('Compte rendu');
    const v2 = await deposit('Compte rendu corrigé', v1.id);
    const note = await deposit('Note');
    await dmp.updateDocument(actor(gp), testInsKey, note.id, { status: 'archived' });
    await dmp.deleteDocument(actor(gp), testInsKey, v2.id);
    const listed = await dmp.listDocuments(actor(gp), testInsKey, { includeArchived: true });
    expect(listed.map((d) => d.id)).toContain(v1.id);
    const structured = listed.find((d) => d.format === 'cda-structured');
    expect((await dmp.getDocument(actor(gp), testInsKey, structured?.id ?? '')).narrativeHtml).toMatch(
      /<section>/,
    );
    expect((await dmp.getDocument(actor(gp), testInsKey, v1.id)).narrativeHtml).toMatch(/Compte rendu/);
    expect((await dmp.getSummary(actor(gp), testInsKey)).dossier.insKey).toBe(testInsKey);

    // Searches: by INS, by name prefix and birth date (exact, month, year), by date only.
    const { birthName, birthDate } = dossier.identity;
    const prefix = birthName.slice(0, 3);
    expect(await dmp.searchDossiersAs(actor(gp), { insKey: testInsKey })).toHaveLength(1);
    expect(await dmp.searchDossiersAs(actor(gp), { name: prefix, birthDate })).toHaveLength(1);
    expect(await dmp.searchDossiers({ insKey: testInsKey })).toHaveLength(1);
    expect(await dmp.searchDossiers({ name: prefix, birthDate })).toHaveLength(1);
    expect(await dmp.searchDossiers({ name: prefix, birthDate: `${birthDate.slice(0, 7)}-00` })).toHaveLength(
      1,
    );
    expect(await dmp.searchDossiers({ name: 'MA', birthDate: '2012-00-00' })).toHaveLength(1);
    expect(await dmp.searchDossiers({ birthDate: '2012-06-14' })).toHaveLength(1);

    await dmp.traceIdentityLookup(actor(gp), 'carte Vitale', 1);
    expect((await dmp.accessHistory({ patient: true }, testInsKey)).length).toBeGreaterThan(5);
    expect((await dmp.accessHistory({ actor: actor(gp) }, testInsKey)).length).toBeGreaterThan(5);
    expect(await dmp.verifyAudit()).toMatchObject({ ok: true });

    // The population generator, into an empty store.
    const population = await writePopulation(await postgresCompiledStore(seen), {
      patients: 3,
      seed: 'pg',
      reference: new Date('2026-01-01'),
    });
    expect(population.dossiers).toBe(3);

    const queries = [...new Set(seen)];
    expect(queries.length).toBeGreaterThan(40);
    for (const q of queries) {
      expect(q).not.toMatch(/\?/);
      expect(q).not.toMatch(/\bglob\b|pragma/i);
    }
    const tables = new Set(
      queries.flatMap((q) => [...q.matchAll(/(?:from|into|update) "(\w+)"/g)].map((m) => m[1])),
    );
    expect([...tables].sort()).toEqual([
      'audit_head',
      'audit_log',
      'clinical_entries',
      'document_sections',
      'documents',
      'dossier_legal_representatives',
      'dossier_professionals',
      'dossiers',
      'identity_reference',
    ]);
    expect(queries.some((q) => /"birth_name_norm" like \$1/.test(q))).toBe(true);
  });
});
