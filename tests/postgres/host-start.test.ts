import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveAuditKeys } from '../../src/main/audit/audit-keys';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { sealExistingCommand } from '../../src/main/host/seal-existing-command';
import { loadOrCreateKeyFile } from '../../src/main/store/key';
import { writeHostConfigFile } from '../support/host-config-file';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { openPostgres } from '../../src/main/host/open-postgres';
import { silentLogger } from '../../src/main/log/logger';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import { cutAuditTail, freshSchema, refusal, requirePgTestConnection } from '../support/test-store';
import { actor, fixture, professional, testInsKey } from '../unit/dmp/helpers';

/**
 * What `npm run host` does with its PostgreSQL storage before it listens (src/main/host/open-postgres.ts):
 * the key files (issue 13, with issue 12's rule: never created beside existing data) and the audit
 * check (from the last signed checkpoint before listening, the whole chain afterwards).
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function keyFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-host-start-'));
  dirs.push(dir);
  return { auditKeyFile: join(dir, 'audit.key'), fieldKeyFile: join(dir, 'field.key') };
}

function start(connection: pg.PoolConfig, keyFiles: ReturnType<typeof keyFolder>) {
  const stderr: string[] = [];
  const opening = openPostgres({
    connection,
    keyFiles,
    log: silentLogger,
    stderr: (s) => stderr.push(s),
    describe: 'test',
  });
  return { opening, stderr };
}

/** The libpq URL of pool settings (Unix socket folder as `host`, the test schema in `options`). */
function connectionString(c: pg.PoolConfig): string {
  const params = new URLSearchParams({ host: String(c.host), port: String(c.port) });
  if (c.options) params.set('options', c.options);
  return `postgresql://${c.user}@/${c.database}?${params.toString()}`;
}

async function sql(connection: pg.PoolConfig, text: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

describe('host key files on PostgreSQL', () => {
  it('creates both keys (0600) for a new empty database, one key each when two hosts start together', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const keyFiles = keyFolder();
    const [a, b] = await Promise.all([
      start(connection, keyFiles).opening,
      start(connection, keyFiles).opening,
    ]);
    try {
      for (const path of Object.values(keyFiles)) expect(statSync(path).mode & 0o777).toBe(0o600);
      // Both hosts sealed with the one field key on disk: a value one writes, the other reads.
      const { insKey } = await a.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), {
        create: true,
        depositor: 'system',
      });
      await b.dmp.authorize(actor(professional()), insKey);
      expect(await b.dmp.listDocuments(actor(professional()), insKey)).toHaveLength(1);
      expect(await b.dmp.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses to start, naming the file, when a key file is missing beside a database holding data, and creates none', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const keyFiles = keyFolder();
    const first = await start(connection, keyFiles).opening;
    await first.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    await first.close();
    for (const path of [keyFiles.auditKeyFile, keyFiles.fieldKeyFile]) {
      const saved = readFileSync(path, 'utf8');
      renameSync(path, `${path}.away`);
      const message = await refusal(start(connection, keyFiles).opening);
      expect(message).toContain(`Fichier de clé introuvable : ${path}`);
      expect(message).toContain('Aucune nouvelle clé n’a été créée');
      expect(existsSync(path)).toBe(false);
      renameSync(`${path}.away`, path);
      expect(readFileSync(path, 'utf8')).toBe(saved);
    }
    // Restored, the host starts on its data again.
    const again = await start(connection, keyFiles).opening;
    expect(await again.dmp.verifyAudit()).toMatchObject({ ok: true });
    await again.close();
  });

  it('counts as data the sealing marker alone, and an audit head alone', async () => {
    // Sealed by a first start, nothing written yet: the marker names the field key.
    const sealed = await freshSchema(requirePgTestConnection());
    const keyFiles = keyFolder();
    await (await start(sealed, keyFiles).opening).close();
    rmSync(keyFiles.fieldKeyFile);
    expect(await refusal(start(sealed, keyFiles).opening)).toContain(
      `Fichier de clé introuvable : ${keyFiles.fieldKeyFile}`,
    );
    expect(existsSync(keyFiles.fieldKeyFile)).toBe(false);

    // A database in clear (no marker) whose audit trail was started: the audit key signed it.
    const clear = await freshSchema(requirePgTestConnection());
    await (await openPgStore({ connection: clear, log: silentLogger, migrations: dmpMigrations })).close();
    await sql(clear, "INSERT INTO audit_head (id, count, last_hash) VALUES (1, 0, 'x')");
    const fresh = keyFolder();
    expect(await refusal(start(clear, fresh).opening)).toContain(
      `Fichier de clé introuvable : ${fresh.auditKeyFile}. C’est la clé du journal d’audit`,
    );
    expect(existsSync(fresh.auditKeyFile)).toBe(false);
    expect(existsSync(fresh.fieldKeyFile)).toBe(false);
  });
});

describe('seal-existing on a database created in clear', () => {
  it('creates the field key the host refused to create, seals, and the host then starts; never beside a sealed database', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const keyFiles = keyFolder();
    // An earlier build's database: no field key, an audit trail under the deployment's audit key.
    const auditKeys = deriveAuditKeys(loadOrCreateKeyFile(keyFiles.auditKeyFile, silentLogger).key.key);
    const clear = await openPgStore({ connection, log: silentLogger, migrations: dmpMigrations });
    const { insKey } = await new DmpService({
      store: clear,
      log: silentLogger,
      audit: { keys: auditKeys },
    }).importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    await clear.close();

    expect(await refusal(start(connection, keyFiles).opening)).toContain(
      `Fichier de clé introuvable : ${keyFiles.fieldKeyFile}`,
    );
    const config = writeHostConfigFile({
      storage: { kind: 'postgres', connectionString: connectionString(connection), ...keyFiles },
    });
    const out: string[] = [];
    const err: string[] = [];
    expect(
      await sealExistingCommand(
        ['--config', config],
        (s) => out.push(s),
        (s) => err.push(s),
      ),
    ).toBe(0);
    expect(out.join('\n')).toContain(`Clé de champ créée : ${keyFiles.fieldKeyFile}`);
    expect(statSync(keyFiles.fieldKeyFile).mode & 0o777).toBe(0o600);

    const host = await start(connection, keyFiles).opening;
    try {
      const doctor = actor(professional());
      await host.dmp.authorize(doctor, insKey);
      expect(await host.dmp.listDocuments(doctor, insKey)).toHaveLength(1);
      expect(await host.auditCheck()).toMatchObject({ ok: true });
    } finally {
      await host.close();
    }

    // Sealed now: a lost field key is not replaced by seal-existing either.
    rmSync(keyFiles.fieldKeyFile);
    expect(
      await sealExistingCommand(
        ['--config', config],
        (s) => out.push(s),
        (s) => err.push(s),
      ),
    ).toBe(1);
    expect(err.join('\n')).toContain(`Fichier de clé introuvable : ${keyFiles.fieldKeyFile}`);
    expect(existsSync(keyFiles.fieldKeyFile)).toBe(false);
  });

  it('keeps the field key it created when a run fails after sealing some values with it, and a second run finishes with it', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const keyFiles = keyFolder();
    const auditKeys = deriveAuditKeys(loadOrCreateKeyFile(keyFiles.auditKeyFile, silentLogger).key.key);
    const clear = await openPgStore({ connection, log: silentLogger, migrations: dmpMigrations });
    const { insKey } = await new DmpService({
      store: clear,
      log: silentLogger,
      audit: { keys: auditKeys },
    }).importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    await clear.close();
    // A document title in the old sealed format under a key this run does not have: the dossiers
    // (sealed first) are committed, then the documents' batch fails.
    const [document] = await rows<{ id: string; title: string }>(
      connection,
      'SELECT id, title FROM documents',
    );
    await sql(connection, 'UPDATE documents SET title = $1 WHERE id = $2', [
      `enc:v1:${randomBytes(48).toString('base64')}`,
      document!.id,
    ]);
    const config = writeHostConfigFile({
      storage: { kind: 'postgres', connectionString: connectionString(connection), ...keyFiles },
    });
    const out: string[] = [];
    const err: string[] = [];
    const run = () =>
      sealExistingCommand(
        ['--config', config],
        (s) => out.push(s),
        (s) => err.push(s),
      );
    expect(await run()).toBe(1);
    expect((await rows(connection, "SELECT 1 FROM dossiers WHERE birth_name LIKE 'enc:v2:%'")).length).toBe(
      1,
    );
    // Values are sealed with it now: removing the file would lose them for good.
    expect(existsSync(keyFiles.fieldKeyFile)).toBe(true);
    expect(err.join('\n')).toContain(`Clé de champ conservée : ${keyFiles.fieldKeyFile}`);

    // The administrator repairs the old value; the second run carries on with the same key.
    await sql(connection, 'UPDATE documents SET title = $1 WHERE id = $2', [document!.title, document!.id]);
    expect(await run()).toBe(0);
    const host = await start(connection, keyFiles).opening;
    try {
      const doctor = actor(professional());
      await host.dmp.authorize(doctor, insKey);
      expect(await host.dmp.listDocuments(doctor, insKey)).toHaveLength(1);
    } finally {
      await host.close();
    }
  });
});

async function rows<R extends object>(connection: pg.PoolConfig, text: string): Promise<R[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<R & pg.QueryResultRow>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('audit check at host start on PostgreSQL', () => {
  async function populated() {
    const connection = await freshSchema(requirePgTestConnection());
    const keyFiles = keyFolder();
    const host = await start(connection, keyFiles).opening;
    const doctor = actor(professional());
    await host.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    await host.dmp.authorize(doctor, testInsKey);
    await host.dmp.openDossier(doctor, testInsKey);
    await host.dmp.getSummary(doctor, testInsKey);
    await host.close();
    return { connection, keyFiles };
  }

  it('checks before listening only from the last signed checkpoint; the whole chain afterwards reports a row edited earlier', async () => {
    const { connection, keyFiles } = await populated();
    // A superuser rewrites the first entry: behind every checkpoint of this host.
    await sql(connection, 'DROP FUNCTION audit_log_append_only() CASCADE');
    await sql(connection, "UPDATE audit_log SET target = 'réécrit' WHERE seq = 1");

    const started = start(connection, keyFiles);
    const host = await started.opening;
    try {
      // Started without reading the whole chain: nothing reported yet.
      expect(started.stderr.join('\n')).not.toMatch(/altéré/);
      const verdict = await host.auditCheck();
      expect(verdict).toMatchObject({ ok: false, firstBadSeq: 1, problem: 'edited' });
      expect(started.stderr.join('\n')).toMatch(/Journal d’audit altéré : entrée n° 1 /);
    } finally {
      await host.close();
    }
  });

  it('reports a cut tail before listening (the last checkpoint names an entry the chain no longer holds)', async () => {
    const { connection, keyFiles } = await populated();
    await cutAuditTail(connection, 2);
    const started = start(connection, keyFiles);
    const host = await started.opening;
    try {
      expect(started.stderr.join('\n')).toMatch(
        /Journal d’audit altéré : .*des entrées ont été supprimées à la fin/,
      );
      expect(await host.auditCheck()).toMatchObject({ ok: false, problem: 'truncated' });
    } finally {
      await host.close();
    }
  });

  it('an intact chain: nothing printed, the full check says so', async () => {
    const { connection, keyFiles } = await populated();
    const started = start(connection, keyFiles);
    const host = await started.opening;
    try {
      expect(await host.auditCheck()).toMatchObject({ ok: true });
      expect(started.stderr.join('\n')).not.toMatch(/altéré/);
    } finally {
      await host.close();
    }
  });
});
