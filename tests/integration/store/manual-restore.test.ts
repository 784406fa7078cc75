import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeySource, openAuditTrail, type AuditTrailSetup } from '../../../src/main/app/audit-trail';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { generateStoreKey, openStore, type OpenedStore, type StoreKey } from '../../../src/main/store';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';
import { buildCli, repoRoot } from '../cli/support';

/**
 * Follows the manual restore procedure of src/main/store/README.md AS WRITTEN: its shell blocks are
 * read from the README and run with bash, in the order the steps give.
 */
const readme = readFileSync(join(repoRoot, 'src/main/store/README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Manual restore'),
  readme.indexOf('\n## ', readme.indexOf('## Manual restore') + 1),
);
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
  (m[1] as string).replace(/^ {3}/gm, '').trim(),
);
const [copyAside, fromPrevious, fromBackup, startAgain, setJournalsAside] = blocks as [
  string,
  string,
  string,
  string,
  string,
];

const root = mkdtempSync(join(tmpdir(), 'poste-dmp-restore-'));
const fixtures = sharedCdaFixturesDir();
const documents = ['VSM_1.4_2022.01.xml', 'VAC_2023.01.xml', 'CNAM-HR_2021.01.xml'].map(
  (f) => new Uint8Array(readFileSync(join(fixtures, f))),
);

beforeAll(buildCli, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function step(
  script: string,
  env: Record<string, string>,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-euc', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A data folder as the browser host leaves it: key file beside `store/`. */
function dataFolder(name: string): { data: string; key: StoreKey; open: () => Promise<OpenedStore> } {
  const data = join(root, name);
  mkdirSync(data, { mode: 0o700 });
  const key = generateStoreKey();
  writeFileSync(join(data, 'store.key'), `${Buffer.from(key.key).toString('base64')}\n`, { mode: 0o600 });
  return {
    data,
    key,
    open: () => openStore({ dir: join(data, 'store'), key, migrations: dmpMigrations, log: silentLogger }),
  };
}

/** The audit trail as the browser host keeps it: `audit.key` apart from `store.key`, signed checkpoints. */
function auditTrail(data: string): Promise<AuditTrailSetup> {
  return openAuditTrail(
    auditKeySource({ kind: 'file', path: join(data, 'store.key') }, data),
    data,
    silentLogger,
  );
}

async function importDoc(store: OpenedStore, bytes: Uint8Array, trail: AuditTrailSetup): Promise<void> {
  const dmp = new DmpService({
    store,
    log: silentLogger,
    audit: { keys: trail.keys, witness: trail.checkpoints },
  });
  await dmp.importCda(bytes, { create: true, depositor: 'system' });
  await trail.checkpoints.flush();
}

async function documentCount(open: () => Promise<OpenedStore>): Promise<number> {
  const store = await open();
  try {
    return (await store.all<{ n: number }>('SELECT count(*) AS n FROM documents'))[0]?.n ?? -1;
  } finally {
    await store.close();
  }
}

describe('manual restore procedure, as written in the store README', () => {
  it('has the five shell blocks the steps describe', () => {
    expect(blocks).toHaveLength(5);
    expect(startAgain).toMatch(/^npm run cli -- /);
  });

  it('restores from snapshot.prev when the current snapshot was overwritten, losing nothing', async () => {
    const { data, open } = dataFolder('from-previous');
    const trail = await auditTrail(data);
    const store = await open();
    await importDoc(store, documents[0] as Uint8Array, trail);
    await store.compact();
    await importDoc(store, documents[1] as Uint8Array, trail);
    await store.compact();
    await importDoc(store, documents[2] as Uint8Array, trail);
    await store.close();
    // Not damage the store can fall back from on its own: a foreign file in place of the snapshot.
    writeFileSync(join(data, 'store', 'snapshot'), 'SQLite format 3\0 copied over by mistake');
    const refused = step(startAgain, { DATA: data });
    expect(refused.code).toBe(1);

    expect(step(copyAside, { DATA: data }).code).toBe(0);
    expect(existsSync(`${data}.before-restore/store/journal.0000000002`)).toBe(true);
    expect(step(fromPrevious, { DATA: data }).code).toBe(0);
    const restored = step(startAgain, { DATA: data });
    expect(restored.stdout).toMatch(/Journal d’audit intègre/);
    expect(restored.code).toBe(0);
    expect(await documentCount(open)).toBe(3);
  });

  it('restores an older backup of the snapshot: refused with MISSING_FILE, then opens alone once the journals are set aside', async () => {
    const { data, open } = dataFolder('from-backup');
    const backup = join(root, 'snapshot-backup');
    const trail = await auditTrail(data);
    const store = await open();
    await importDoc(store, documents[0] as Uint8Array, trail);
    await store.compact();
    copyFileSync(join(data, 'store', 'snapshot'), backup);
    await importDoc(store, documents[1] as Uint8Array, trail);
    await store.compact();
    await importDoc(store, documents[2] as Uint8Array, trail);
    await store.compact();
    await store.close();
    rmSync(join(data, 'store', 'snapshot'));
    rmSync(join(data, 'store', 'snapshot.prev'));

    expect(step(copyAside, { DATA: data }).code).toBe(0);
    expect(step(fromBackup, { DATA: data, BACKUP: backup }).code).toBe(0);
    const gap = step(startAgain, { DATA: data });
    expect(gap.code).toBe(1);
    expect(gap.stderr).toMatch(
      /Une partie du journal des données est introuvable|Le journal des données le plus récent est introuvable/,
    );

    expect(step(setJournalsAside, { DATA: data }).code).toBe(0);
    expect(readdirSync(join(data, 'store')).filter((f) => f.startsWith('journal.'))).toEqual([]);
    const alone = step(startAgain, { DATA: data });
    expect(alone.stderr).toMatch(
      /Récupération : Les données ont été ouvertes à partir du seul fichier principal, sans journal/,
    );
    // Everything after the backup is missing, and the signed checkpoints say so: verify fails, as it must.
    expect(alone.stderr).toMatch(/Journal d’audit en retard sur ses points de contrôle/);
    expect(alone.code).toBe(1);
    expect(await documentCount(open)).toBe(1);
  });
});
