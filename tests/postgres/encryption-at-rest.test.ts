import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import { freshSchema, requirePgTestConnection } from '../support/test-store';
import { actor, fixture, professional, testInsKey } from '../unit/dmp/helpers';

/** Everything the database holds, as an administrator dumping it without the field key would see it. */
async function dump(connection: Awaited<ReturnType<typeof freshSchema>>): Promise<string> {
  // A plain connection: a store opened without the key refuses a sealed database.
  const raw = new pg.Client(connection);
  await raw.connect();
  const parts: string[] = [];
  const tables = await raw.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  for (const { name } of tables.rows)
    for (const row of (await raw.query<Record<string, unknown>>(`SELECT * FROM ${name}`)).rows)
      for (const v of Object.values(row))
        parts.push(v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v));
  await raw.end();
  return parts.join('\n');
}

describe('encryption at rest on the host’s PostgreSQL', () => {
  it('keeps names as written, document contents, narratives and clinical labels out of the database; the host reads them back', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const fieldKey = randomBytes(32);
    const store = await openPgStore({ connection, log: silentLogger, migrations: dmpMigrations, fieldKey });
    const dmp = new DmpService({ store, log: silentLogger, now: () => new Date('2022-06-01T00:00:00Z') });
    const xml = fixture('VSM_1.4_2022.01.xml');
    const { documentId } = await dmp.importCda(xml, { create: true, depositor: 'system' });
    const doctor = actor(professional());
    await dmp.authorize(doctor, testInsKey);
    // The host reads everything back in clear.
    const [dossier] = await dmp.searchDossiers({ insKey: testInsKey });
    const names = dossier!.identity;
    const content = await dmp.getDocument(doctor, testInsKey, documentId);
    expect(content.narrativeHtml).toMatch(/PLAVIX/i);
    expect(content.meta.title.length).toBeGreaterThan(0);

    const everything = await dump(connection);
    expect(everything).not.toContain(names.firstNames);
    expect(everything).not.toContain(names.birthName);
    expect(everything).not.toContain(content.meta.title);
    expect(everything).not.toMatch(/PLAVIX/i);
    expect(everything).not.toMatch(/<ClinicalDocument/);
    // What stays searchable is there: the INS and the normalised name.
    expect(everything).toContain(testInsKey);
    expect(everything).toMatch(/enc:v2:/);
    await store.close();
  });
});
