import { spawn } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deriveAuditKeys } from '../../src/main/audit/audit-keys';
import { toApiError } from '../../src/main/app/user-messages';
import { sqlFor } from '../../src/main/db/query-builder';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import { sealedColumns } from '../../src/main/store/pg/field-sealing';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import { sealExistingValues } from '../../src/main/store/pg/seal-existing';
import type { Store } from '../../src/main/store/types';
import { freshSchema, requirePgTestConnection } from '../support/test-store';
import { actor, fixture, professional, testInsKey } from '../unit/dmp/helpers';

type Connection = Awaited<ReturnType<typeof freshSchema>>;
const now = () => new Date('2022-06-01T00:00:00Z');
const doctor = actor(professional());
// One audit key for every service of a test: the chain written in clear is verified after sealing.
const audit = { keys: deriveAuditKeys(randomBytes(32)) };
const tampered =
  'Des données chiffrées ne peuvent pas être lues : clé de chiffrement différente ou données altérées.';

const open = (connection: Connection, fieldKey?: Uint8Array) =>
  openPgStore({
    connection,
    log: silentLogger,
    migrations: dmpMigrations,
    ...(fieldKey ? { fieldKey } : {}),
  });

/** What a call failed with, as the user reads it. */
async function userMessage(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (err) {
    return toApiError(err)?.message;
  }
  return undefined;
}

/** A dossier with two structured documents (entries, sections), and a bris de glace opening (an audit reason). */
async function populate(store: Store): Promise<DmpService> {
  const dmp = new DmpService({ store, log: silentLogger, now, audit });
  await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
  await dmp.importCda(fixture('VAC_2023.01.xml'), { create: true, depositor: 'system' });
  await dmp.authorize(doctor, testInsKey);
  await dmp.openDossier(
    actor(professional({ nationalId: '810009999999' }), 'bris_de_glace', 'Inconscient'),
    testInsKey,
  );
  return dmp;
}

/** What the host shows of the dossier: documents, their contents, the summary, the search. */
async function everythingShown(dmp: DmpService): Promise<unknown> {
  const list = await dmp.listDocuments(doctor, testInsKey);
  const contents = [];
  for (const meta of list) contents.push(await dmp.getDocument(doctor, testInsKey, meta.id));
  return {
    contents,
    summary: await dmp.getSummary(doctor, testInsKey),
    found: await dmp.searchDossiers({ insKey: testInsKey }),
  };
}

/** What an earlier build stored with a field key: AES-256-GCM bound to table.column only. */
function sealV1(
  key: Uint8Array,
  table: string,
  column: string,
  value: string | Uint8Array,
): string | Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${table}.${column}`, 'utf8'));
  const plain = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return typeof value === 'string'
    ? `enc:v1:${body.toString('base64')}`
    : new Uint8Array(Buffer.concat([Buffer.from([0, 0x45, 0x4e, 0x43, 0x31]), body]));
}

/** Every non-null value of every sealed column, as stored. */
async function storedSealedValues(store: Store): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [table, { columns }] of Object.entries(sealedColumns))
    for (const row of await store.all<Record<string, unknown>>(`SELECT ${columns.join(', ')} FROM ${table}`))
      out.push(...Object.values(row).filter((v) => v !== null));
  return out;
}

const isV2 = (v: unknown) =>
  (typeof v === 'string' && v.startsWith('enc:v2:')) ||
  (v instanceof Uint8Array && Buffer.from(v.subarray(0, 5)).equals(Buffer.from([0, 0x45, 0x4e, 0x43, 0x32])));

describe('sealed values bound to their rows, on a database marked as sealed', () => {
  it('refuses to show a sealed value moved to another row, or clear text written behind the host’s back', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const fieldKey = randomBytes(32);
    const store = await open(connection, fieldKey);
    try {
      const dmp = await populate(store);
      await everythingShown(dmp);
      const docs = await store.all<{ id: string }>('SELECT id FROM documents ORDER BY id');
      expect(docs.length).toBe(2);
      const [a, b] = [docs[0]!.id, docs[1]!.id];
      const swap = (table: string, column: string, x: string, y: string) =>
        store.write([
          {
            sql: `UPDATE ${table} SET ${column} = CASE id WHEN $1 THEN (SELECT ${column} FROM ${table} WHERE id = $2) ELSE (SELECT ${column} FROM ${table} WHERE id = $1) END WHERE id IN ($1, $2)`,
            params: [x, y],
          },
        ]);
      // The administrator swaps the two documents' contents and titles: each still opens under the key, not in its new row.
      await swap('documents', 'content', a, b);
      await swap('documents', 'title', a, b);
      expect(await userMessage(dmp.getDocument(doctor, testInsKey, a))).toBe(tampered);
      const q = sqlFor(store);
      await expect(
        q.rows(store, q.db.selectFrom('documents').select(['id', 'content'])),
      ).rejects.toMatchObject({
        reason: 'WRONG_KEY',
        detail: expect.stringContaining('documents.content'),
      });
      await swap('documents', 'content', a, b);
      await swap('documents', 'title', a, b);
      await everythingShown(dmp);

      // A document moved whole to another patient's dossier: its sealed values no longer open there.
      const other = '180012A12345678@1.2.250.1.213.1.4.10';
      await store.write([
        {
          sql: `INSERT INTO dossiers (ins_key, matricule, oid, ins_status, status, birth_name, first_names, birth_date, sex,
                  birth_name_norm, test_identity, consent_by_id, consent_by_name, consent_at, created_at)
                VALUES ($1, '180012A12345678', '1.2.250.1.213.1.4.10', 'qualified', 'active', 'x', 'x', '1980-01-01', 'M',
                  'AUTRE', 1, 'x', 'x', 'x', 'x')`,
          params: [other],
        },
        { sql: 'UPDATE documents SET ins_key = $1 WHERE id = $2', params: [other, a] },
      ]);
      await expect(
        q.rows(store, q.db.selectFrom('documents').select(['title']).where('ins_key', '=', other)),
      ).rejects.toMatchObject({ reason: 'WRONG_KEY', detail: expect.stringContaining('documents.title') });
      await store.write([
        { sql: 'UPDATE documents SET ins_key = $1 WHERE id = $2', params: [testInsKey, a] },
      ]);

      // Two clinical entries' labels swapped: the summary is refused, not shown with one patient's allergy on another line.
      const entries = await store.all<{ id: string }>('SELECT id FROM clinical_entries ORDER BY id LIMIT 2');
      expect(entries.length).toBe(2);
      await swap('clinical_entries', 'label', entries[0]!.id, entries[1]!.id);
      expect(await userMessage(dmp.getSummary(doctor, testInsKey))).toBe(tampered);
      await swap('clinical_entries', 'label', entries[0]!.id, entries[1]!.id);
      await dmp.getSummary(doctor, testInsKey);

      // Clear text written into a sealed column is not taken for the host's own.
      await store.write([
        {
          sql: 'UPDATE clinical_entries SET label = $1 WHERE id = $2',
          params: ['Aucune allergie', entries[0]!.id],
        },
      ]);
      let caught: unknown;
      try {
        await dmp.getSummary(doctor, testInsKey);
      } catch (err) {
        caught = err;
      }
      expect(toApiError(caught)?.message).toBe(tampered);
      expect(String((caught as Error).message)).toContain('clinical_entries.label');
      expect(String((caught as Error).message)).not.toContain('Aucune allergie');
      await store.write([{ sql: 'UPDATE dossiers SET first_names = $1', params: ['Jeanne'] }]);
      expect(await userMessage(dmp.searchDossiers({ insKey: testInsKey }))).toBe(tampered);
    } finally {
      await store.close();
    }
  });

  it('starts only with the key the database was sealed with', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const fieldKey = randomBytes(32);
    const store = await open(connection, fieldKey);
    await populate(store);
    await store.close();
    // Another key (a key file recreated, another deployment's): refused in French, nothing written.
    expect(await userMessage(open(connection, randomBytes(32)))).toMatch(
      /^Clé de chiffrement des champs différente de celle de la base/,
    );
    // No key at all: the sealed columns would be shown as ciphertext.
    expect(await userMessage(open(connection))).toMatch(/aucune clé de chiffrement des champs/);
    const again = await open(connection, fieldKey);
    await again.close();
  });

  it('refuses a database written in clear or in version 1 until seal-existing has converted it, then reads it all', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const fieldKey = randomBytes(32);
    const clear = await open(connection);
    const expected = await everythingShown(await populate(clear));
    // Some values as an earlier build sealed them (version 1), the rest in clear.
    for (const [table, column, key] of [
      ['dossiers', 'birth_name', 'ins_key'],
      ['documents', 'content', 'id'],
      ['documents', 'title', 'id'],
      ['clinical_entries', 'label', 'id'],
    ] as const) {
      const rows = await clear.all<Record<string, string | Uint8Array>>(
        `SELECT ${key}, ${column} FROM ${table}`,
      );
      await clear.write(
        rows.map((r) => ({
          sql: `UPDATE ${table} SET ${column} = $1 WHERE ${key} = $2`,
          params: [sealV1(fieldKey, table, column, r[column]!), r[key] as string],
        })),
      );
    }
    await clear.close();

    const refused = await userMessage(open(connection, fieldKey));
    expect(refused).toMatch(/avant son scellement/);
    expect(refused).toContain('npm run host -- seal-existing --config');

    const result = await sealExistingValues({
      connection,
      migrations: dmpMigrations,
      fieldKey,
      log: silentLogger,
      batchSize: 3,
    });
    expect(result.alreadySealed).toBe(false);
    expect(result.converted.audit_log).toBeGreaterThan(0);
    expect(result.converted.documents).toBe(2);

    const sealed = await open(connection, fieldKey);
    try {
      expect((await storedSealedValues(sealed)).every(isV2)).toBe(true);
      const dmp = new DmpService({ store: sealed, log: silentLogger, now, audit });
      expect(await everythingShown(dmp)).toEqual(expected);
      // The audit trail (append-only, its reasons re-sealed) still verifies.
      expect(await dmp.verifyAudit()).toMatchObject({ ok: true });
      const [reason] = await q(sealed).rows(
        sealed,
        q(sealed).db.selectFrom('audit_log').select('reason').where('mode', '=', 'bris_de_glace'),
      );
      expect(reason?.reason).toBe('Inconscient');
    } finally {
      await sealed.close();
    }
    // Run again: nothing to do (and clear values written since would not be laundered).
    expect(
      await sealExistingValues({ connection, migrations: dmpMigrations, fieldKey, log: silentLogger }),
    ).toEqual({
      alreadySealed: true,
      converted: {},
    });
  });

  it('seal-existing killed halfway leaves the database refused, and run again completes it', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const fieldKey = randomBytes(32);
    const clear = await open(connection);
    const expected = await everythingShown(await populate(clear));
    await clear.close();

    const { idleTimeoutMillis: _idle, allowExitOnIdle: _exit, ...plain } = connection;
    const child = fileURLToPath(new URL('./support/seal-existing-child.ts', import.meta.url));
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', child, JSON.stringify(plain), Buffer.from(fieldKey).toString('hex')],
      { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.once('exit', (_c, signal) => resolve(signal)),
    );
    let batches = 0;
    for await (const line of createInterface({ input: proc.stdout })) {
      if (line.startsWith('batch ') && ++batches === 4) {
        proc.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');

    // Half converted, not marked: a host with the key refuses it, and so it says what to run.
    expect(await userMessage(open(connection, fieldKey))).toMatch(/avant son scellement/);

    const result = await sealExistingValues({
      connection,
      migrations: dmpMigrations,
      fieldKey,
      log: silentLogger,
    });
    expect(result.alreadySealed).toBe(false);
    const sealed = await open(connection, fieldKey);
    try {
      expect((await storedSealedValues(sealed)).every(isV2)).toBe(true);
      expect(await everythingShown(new DmpService({ store: sealed, log: silentLogger, now, audit }))).toEqual(
        expected,
      );
    } finally {
      await sealed.close();
    }
  });
});

const q = (store: Store) => sqlFor(store);
