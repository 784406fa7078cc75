import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectToHost } from '../../../src/main/host-client';
import { createLogger } from '../../../src/main/log/logger';
import {
  clusterOwner,
  postgresBinDir,
  startPostmaster,
  type Postmaster,
} from '../../../src/main/store/pg/local-cluster';
import { startPgCluster } from '../../support/pg-cluster';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';
import { buildHost, hostStatus, startHost } from './support';

/**
 * `npm run host -- --data DIR`: the quick start creates a test deployment and a PostgreSQL cluster
 * in DIR on first start, reuses both afterwards, and stops the cluster it started. Real processes:
 * the host (scripts/host.mjs), initdb, postgres; the cluster is checked by its pid.
 */

let dir: string;
const running: ChildProcess[] = [];
const extraServers: Postmaster[] = [];

beforeAll(async () => {
  // Short: the cluster's Unix socket lives in DIR/postgres.
  const parent = mkdtempSync(join(tmpdir(), 'qs-'));
  // As root the cluster runs as `postgres`, which must pass every folder above DIR.
  chmodSync(parent, 0o711);
  dir = join(parent, 'dmp');
  await buildHost();
});

// A test that failed half-way leaves no host behind for the next one (its cluster stops with it).
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of extraServers) await server.stop({ killAfterMs: 30_000 });
  const pid = hostStartedPid();
  if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dirname(dir), { recursive: true, force: true });
});

/** The process runs (a zombie left to a container's init does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The cluster pid the host recorded (postgres/host-started), null once it stopped it. */
function hostStartedPid(): number | null {
  const file = join(dir, 'postgres', 'host-started');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
}

async function quickStart(env: NodeJS.ProcessEnv = {}) {
  const host = startHost(['--data', dir], { POSTE_DMP_HOST_PORT: '0', ...env });
  running.push(host.child);
  const url = await host.listening;
  return { ...host, url };
}

/** The import workstation of the deployment (system calls), connected to `url`. */
function gateway(url: string) {
  const pki = join(dir, 'pki');
  return connectToHost({
    url: url.replace('127.0.0.1', 'localhost'),
    caPem: readFileSync(join(pki, 'ca.pem'), 'utf8'),
    certPem: readFileSync(join(pki, 'workstations', 'poste-import.crt'), 'utf8'),
    keyPem: readFileSync(join(pki, 'workstations', 'poste-import.key'), 'utf8'),
    log: createLogger({ sink: () => undefined }),
  });
}

const cdaFile = (): Uint8Array =>
  new Uint8Array(readFileSync(join(sharedCdaFixturesDir(), 'VSM_1.4_2022.01.xml')));

describe('npm run host -- --data DIR (quick start on a local PostgreSQL cluster)', () => {
  let insKey: string;

  it('first start creates the deployment and the cluster, prints how to point a workstation, and SIGTERM stops the cluster', async () => {
    const host = await quickStart();
    expect(host.url, host.output().stderr).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = host.output();
    expect(stdout).toMatch(/déploiement de TEST créé dans/);
    expect(stdout).toMatch(/cluster PostgreSQL local/);
    // No workstation advice on a server (« utilisez l’application de bureau… » for its key files).
    expect(host.output().stderr).not.toMatch(/application de bureau/);
    const port = new URL(host.url!).port;
    expect(stdout).toContain(
      `npm run web -- --dmp https://localhost:${port} --host-ca ${join(dir, 'pki', 'ca.pem')} ` +
        `--workstation-cert ${join(dir, 'pki', 'workstations', 'poste-a.crt')} ` +
        `--workstation-key ${join(dir, 'pki', 'workstations', 'poste-a.key')} --pkcs11-module `,
    );
    const config = JSON.parse(readFileSync(join(dir, 'host.json'), 'utf8')) as {
      storage: { kind: string };
      health?: { listen: { host: string; port: number } };
    };
    expect(config.storage.kind).toBe('local-postgres');
    // The administrator's first check works as it comes: `status` finds a health listener in the
    // folder's host.json (no section to add, no variable), on loopback, on a port of its own.
    const status = await hostStatus(join(dir, 'host.json'));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^Serveur DMP : prêt — version /);
    expect(status.stdout).toMatch(/^Base de données : répond/m);
    expect(config.health?.listen.host).toBe('127.0.0.1');
    const healthPort = config.health!.listen.port;
    expect(healthPort).not.toBe(Number(port));
    expect(stdout).toContain(
      `Santé (équilibreur de charge, supervision) : http://127.0.0.1:${healthPort}/health/ready`,
    );
    expect(stdout).toContain(`npm run host -- status --config ${join(dir, 'host.json')}`);
    for (const key of ['audit.key', 'field.key']) expect(statSync(join(dir, key)).mode & 0o777).toBe(0o600);
    // fsync stays on: this cluster holds data.
    expect(readFileSync(join(dir, 'postgres', 'data', 'postgresql.conf'), 'utf8')).not.toMatch(
      /^fsync\s*=\s*off/m,
    );

    const pgPid = hostStartedPid();
    expect(pgPid).not.toBeNull();
    expect(alive(pgPid!)).toBe(true);

    const station = await gateway(host.url!);
    try {
      const imported = await station.dmp.importCda(cdaFile(), { create: true, depositor: 'system' });
      expect(imported.created).toBe(true);
      insKey = imported.insKey;
      // In the database, the document's title is sealed with the folder's field key.
      const config = JSON.parse(readFileSync(join(dir, 'host.json'), 'utf8')) as {
        storage: { port: number };
      };
      const admin = new pg.Client({
        host: join(dir, 'postgres'),
        port: config.storage.port,
        user: 'postgres',
        database: 'dmp',
      });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ title: string }>('SELECT title FROM documents');
        expect(rows.map((r) => r.title)).toEqual([expect.stringMatching(/^enc:v2:/)]);
      } finally {
        await admin.end();
      }
    } finally {
      await station.close();
    }

    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(alive(pgPid!)).toBe(false);
    expect(hostStartedPid()).toBeNull();
  });

  it('a second start reuses the same deployment and data', async () => {
    const host = await quickStart();
    expect(host.url, host.output().stderr).toMatch(/^https:/);
    expect(host.output().stdout).not.toMatch(/créé/);
    const station = await gateway(host.url!);
    try {
      const summary = await station.dmp.getSummary({ system: 'test' }, insKey);
      expect(summary.dossier.insKey).toBe(insKey);
      await expect(station.dmp.verifyAudit()).resolves.toMatchObject({ ok: true });
    } finally {
      await station.close();
    }
    host.child.kill('SIGINT');
    expect(await host.exited).toBe(0);
  });

  it('after kill -9 of the host, the next start stops the cluster it left running and starts again on the same data', async () => {
    const first = await quickStart();
    expect(first.url, first.output().stderr).toMatch(/^https:/);
    const leftPid = hostStartedPid()!;
    first.child.kill('SIGKILL');
    await first.exited;
    // The cluster runs in its own session: it outlives the killed host.
    expect(alive(leftPid)).toBe(true);

    const second = await quickStart();
    expect(second.url, second.output().stderr).toMatch(/^https:/);
    expect(second.output().stderr).toMatch(
      new RegExp(
        `cluster PostgreSQL \\(processus ${leftPid}\\) tournait encore, laissé par un serveur DMP arrêté brutalement`,
      ),
    );
    expect(alive(leftPid)).toBe(false);
    const newPid = hostStartedPid()!;
    expect(newPid).not.toBe(leftPid);
    const station = await gateway(second.url!);
    try {
      await expect(station.dmp.getSummary({ system: 'test' }, insKey)).resolves.toMatchObject({
        dossier: { insKey },
      });
    } finally {
      await station.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(alive(newPid)).toBe(false);
  });

  it('says in French when PostgreSQL is not installed', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-pg-'));
    const host = await quickStart({ POSTE_DMP_PG_BIN: empty });
    expect(host.url).toBeNull();
    expect(await host.exited).toBe(1);
    expect(host.output().stderr).toMatch(/PostgreSQL introuvable : installez le paquet postgresql/);
    rmSync(empty, { recursive: true, force: true });
  });

  it('says in French when the cluster’s port is taken by another PostgreSQL server', async () => {
    const config = JSON.parse(readFileSync(join(dir, 'host.json'), 'utf8')) as { storage: { port: number } };
    // Another server (a throwaway cluster, same system user) claims this socket's lock file.
    const other = await startPgCluster();
    const lockFile = join(dir, 'postgres', `.s.PGSQL.${config.storage.port}.lock`);
    try {
      writeFileSync(lockFile, `${other.pid}\n${other.dir}\n`);
      const host = await quickStart();
      expect(host.url).toBeNull();
      expect(await host.exited).toBe(1);
      expect(host.output().stderr).toMatch(
        new RegExp(`Le port PostgreSQL ${config.storage.port} est déjà utilisé .*processus ${other.pid}`),
      );
      expect(hostStartedPid()).toBeNull();
    } finally {
      rmSync(lockFile, { force: true });
      await other.stop();
    }
  });

  it('refuses, in French, a PostgreSQL server it did not start running on its cluster', async () => {
    const owner = clusterOwner();
    const foreign = await startPostmaster({
      bin: postgresBinDir(),
      dataDir: join(dir, 'postgres', 'data'),
      socketDir: join(dir, 'postgres'),
      port: 5999,
      logFile: join(dir, 'postgres', 'foreign.log'),
      owner,
      detached: false,
    });
    extraServers.push(foreign);
    const host = await quickStart();
    expect(host.url).toBeNull();
    expect(await host.exited).toBe(1);
    expect(host.output().stderr).toMatch(
      new RegExp(`Un serveur PostgreSQL \\(processus ${foreign.pid}\\) que ce serveur DMP n’a pas démarré`),
    );
    expect(alive(foreign.pid)).toBe(true);
    await foreign.stop();
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, refuses in French a cluster folder the postgres user cannot reach, and changes nothing above it',
    async () => {
      // The quick start's configuration, with its cluster under a folder only root may enter.
      const locked = mkdtempSync(join(tmpdir(), 'qs-locked-'));
      const config = JSON.parse(readFileSync(join(dir, 'host.json'), 'utf8')) as {
        tls: Record<string, string>;
        professionalRoots: string[];
        revocation?: { crlFiles: string[] };
        storage: Record<string, unknown>;
      };
      const absolute = (p: string) => join(dir, p);
      const moved = {
        ...config,
        tls: Object.fromEntries(Object.entries(config.tls).map(([k, v]) => [k, absolute(v)])),
        professionalRoots: config.professionalRoots.map(absolute),
        ...(config.revocation ? { revocation: { crlFiles: config.revocation.crlFiles.map(absolute) } } : {}),
        storage: { ...config.storage, clusterDir: join(locked, 'dmp', 'postgres') },
      };
      const configPath = join(locked, 'host.json');
      writeFileSync(configPath, JSON.stringify(moved));
      const host = startHost(['--config', configPath], { POSTE_DMP_HOST_PORT: '0' });
      running.push(host.child);
      expect(await host.exited).toBe(1);
      expect(host.output().stderr).toMatch(
        new RegExp(`utilisateur système « postgres », qui ne peut pas traverser ${locked} :`),
      );
      expect(statSync(locked).mode & 0o777).toBe(0o700);
      rmSync(locked, { recursive: true, force: true });
    },
  );
});
