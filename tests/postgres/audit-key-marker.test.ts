import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { toApiError } from '../../src/main/app/user-messages';
import { auditKeyFingerprint, deriveAuditKeys } from '../../src/main/audit/audit-keys';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { openPostgres } from '../../src/main/host/open-postgres';
import { silentLogger } from '../../src/main/log/logger';
import { loadOrCreateKeyFile } from '../../src/main/store/key';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import { freshSchema, refusal, requirePgTestConnection } from '../support/test-store';
import { actor, fixture, professional, testInsKey } from '../unit/dmp/helpers';

/**
 * Issue 13: every host of one database writes the audit chain with the same audit key. The database
 * keeps the key's fingerprint (`audit_key_marker`, src/main/audit/audit-key-marker.ts); a host with
 * another key is refused at start, in French, naming its key file, and writes nothing.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type KeyFiles = { auditKeyFile: string; fieldKeyFile: string };
type Connection = Awaited<ReturnType<typeof freshSchema>>;
const doctor = actor(professional());

function keyFolder(): KeyFiles {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-audit-marker-'));
  dirs.push(dir);
  return { auditKeyFile: join(dir, 'audit.key'), fieldKeyFile: join(dir, 'field.key') };
}

/** Another host's folder: `from`'s files where `same` says so, a new random key elsewhere. */
function secondHost(from: KeyFiles, same: { audit: boolean; field: boolean }): KeyFiles {
  const to = keyFolder();
  for (const [kind, path] of [
    ['audit', 'auditKeyFile'],
    ['field', 'fieldKeyFile'],
  ] as const) {
    if (same[kind]) {
      copyFileSync(from[path], to[path]);
      chmodSync(to[path], 0o600);
    } else loadOrCreateKeyFile(to[path], silentLogger, { mayCreate: true });
  }
  return to;
}

function start(connection: Connection, keyFiles: KeyFiles) {
  return openPostgres({ connection, keyFiles, log: silentLogger, stderr: () => undefined, describe: 'test' });
}

async function query<T>(connection: Connection, text: string): Promise<T[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Everything a start could write: the chain, its head, both markers. */
async function written(connection: Connection): Promise<unknown> {
  return {
    entries: await query(connection, 'SELECT seq, hash, mac FROM audit_log ORDER BY seq'),
    head: await query(connection, 'SELECT * FROM audit_head'),
    // Before migration 11 the table does not exist yet: no marker either.
    auditMarker: (
      await query<{ t: string | null }>(connection, "SELECT to_regclass('audit_key_marker') AS t")
    )[0]?.t
      ? await query(connection, 'SELECT * FROM audit_key_marker')
      : [],
    sealing: await query(connection, 'SELECT * FROM field_sealing'),
  };
}

const markerOf = async (connection: Connection) =>
  (await query<{ key_fingerprint: string }>(connection, 'SELECT key_fingerprint FROM audit_key_marker'))[0]
    ?.key_fingerprint;
const fingerprintOf = (keyFiles: KeyFiles) =>
  auditKeyFingerprint(
    deriveAuditKeys(loadOrCreateKeyFile(keyFiles.auditKeyFile, silentLogger, { mayCreate: false }).key.key),
  );

const wrongKey = (keyFiles: KeyFiles) =>
  `Clé du journal d’audit différente de celle de la base : ${keyFiles.auditKeyFile}. Le serveur ne démarre pas`;

describe('one audit key for every host of a database (audit_key_marker)', () => {
  it('refuses a second host with another audit key, writing nothing; a host with the same key starts', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const first = keyFolder();
    const a = await start(connection, first);
    try {
      await a.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
      await a.dmp.authorize(doctor, testInsKey);
      expect(await markerOf(connection)).toBe(fingerprintOf(first));

      // Same field key, another audit key: refused in French, naming the file; not one row written.
      const other = secondHost(first, { audit: false, field: true });
      const before = await written(connection);
      expect(await refusal(start(connection, other))).toContain(wrongKey(other));
      expect(await written(connection)).toEqual(before);
      // Nor a checkpoint of its own: it stopped before its audit trail was opened.
      expect(existsSync(join(dirname(other.auditKeyFile), 'audit-checkpoints.log'))).toBe(false);

      // The same two keys: starts, and the chain both hosts write verifies with the one key.
      const b = await start(connection, secondHost(first, { audit: true, field: true }));
      try {
        await b.dmp.openDossier(doctor, testInsKey);
        expect(await a.dmp.verifyAudit()).toMatchObject({ ok: true });
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });

  it('two hosts with different audit keys starting together on a new database: one starts, the other is refused', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const first = keyFolder();
    // The field key first, so that both hosts share it and only the audit keys differ.
    loadOrCreateKeyFile(first.fieldKeyFile, silentLogger, { mayCreate: true });
    loadOrCreateKeyFile(first.auditKeyFile, silentLogger, { mayCreate: true });
    const other = secondHost(first, { audit: false, field: true });
    const results = await Promise.allSettled([start(connection, first), start(connection, other)]);
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(started).toHaveLength(1);
    const winner = results[0].status === 'fulfilled' ? first : other;
    expect(await markerOf(connection)).toBe(fingerprintOf(winner));
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(toApiError(refused.reason)?.message).toContain('Clé du journal d’audit différente');
    await Promise.all(started.map((h) => h.close()));
  });

  describe('a database from before the marker (migration 11)', () => {
    /** A database written by an earlier build: migrations 1 to 10, entries under `authors`' audit keys in turn. */
    async function earlierBuildDatabase(authors: KeyFiles[]): Promise<Connection> {
      const connection = await freshSchema(requirePgTestConnection());
      const fieldKey = loadOrCreateKeyFile(authors[0]!.fieldKeyFile, silentLogger, { mayCreate: true }).key
        .key;
      const store = await openPgStore({
        connection,
        log: silentLogger,
        migrations: dmpMigrations.filter((m) => m.version < 11),
        fieldKey,
      });
      // This build's import writes the extraction version (migration 12): the column, for the import only.
      await query(
        connection,
        'ALTER TABLE documents ADD COLUMN extraction_version INTEGER NOT NULL DEFAULT 0',
      );
      try {
        for (const [i, author] of authors.entries()) {
          const secret = loadOrCreateKeyFile(author.auditKeyFile, silentLogger, { mayCreate: true }).key.key;
          const dmp = new DmpService({ store, log: silentLogger, audit: { keys: deriveAuditKeys(secret) } });
          if (i === 0) {
            await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
            await dmp.authorize(doctor, testInsKey);
          }
          await dmp.openDossier(doctor, testInsKey);
        }
      } finally {
        await store.close();
      }
      await query(connection, 'ALTER TABLE documents DROP COLUMN extraction_version');
      expect(await query(connection, "SELECT to_regclass('audit_key_marker') AS t")).toEqual([{ t: null }]);
      return connection;
    }

    it('gets the marker from the first host whose key authenticated the chain, and refuses another key first', async () => {
      const first = keyFolder();
      const connection = await earlierBuildDatabase([first]);
      const other = secondHost(first, { audit: false, field: true });
      // The other key starts first after the upgrade: refused, no marker recorded (the migration itself runs).
      expect(await refusal(start(connection, other))).toContain(wrongKey(other));
      expect(await markerOf(connection)).toBeUndefined();

      const host = await start(connection, first);
      try {
        expect(await markerOf(connection)).toBe(fingerprintOf(first));
        expect(await host.auditCheck()).toMatchObject({ ok: true });
      } finally {
        await host.close();
      }
      expect(await refusal(start(connection, other))).toContain(wrongKey(other));
    });

    it('an empty database gets the marker of the first host', async () => {
      const connection = await freshSchema(requirePgTestConnection());
      const store = await openPgStore({
        connection,
        log: silentLogger,
        migrations: dmpMigrations.filter((m) => m.version < 11),
      });
      await store.close();
      const keyFiles = keyFolder();
      await (await start(connection, keyFiles)).close();
      expect(await markerOf(connection)).toBe(fingerprintOf(keyFiles));
    });

    it('a chain already written with two keys binds neither: the host that wrote last is refused too', async () => {
      const first = keyFolder();
      for (const path of Object.values(first)) loadOrCreateKeyFile(path, silentLogger, { mayCreate: true });
      const other = secondHost(first, { audit: false, field: true });
      // Issue 13 before this check: a second host joined with its own audit key and wrote the last entry.
      const connection = await earlierBuildDatabase([first, other]);
      const before = await written(connection);
      expect(await refusal(start(connection, other))).toContain(wrongKey(other));
      expect(await refusal(start(connection, first))).toContain(wrongKey(first));
      expect(await written(connection)).toEqual(before);
    });
  });
});
