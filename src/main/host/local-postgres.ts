import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../log/logger';
import { acquireDirectoryLock, LockHeldError } from '../store/dir-lock';
import {
  clusterOwner,
  initCluster,
  LocalClusterError,
  postgresBinDir,
  postmasterLeftover,
  startPostmaster,
  stopLeftoverPostmaster,
  type ClusterOwner,
  type PgConnection,
} from '../store/pg/local-cluster';
import { HostConfigError, type HostConfig } from './config';

export type LocalPostgresStorage = Extract<HostConfig['storage'], { kind: 'local-postgres' }>;

/** The database the host's DMP lives in, in its local cluster. */
export const localDatabase = 'dmp';

export interface RunningLocalPostgres {
  /** Connection settings of the DMP's database (Unix socket). */
  connection: PgConnection;
  pid: number;
  /** Fast shutdown of the cluster, waits for it to exit, releases the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The quick-start cluster of the DMP host, in `storage.clusterDir`:
 *
 *   data/             PGDATA (initdb --locale=C, fsync on: this is the DMP's data)
 *   .s.PGSQL.<port>   the socket (no TCP listener; pg_hba: local trust, host reject)
 *   postgres.log      the server's output
 *   ready             written once the cluster and its database `dmp` exist: without it, a
 *                     `data/` is an interrupted first start, holding no DMP data, and is created again
 *   host-started      the pid of the server this host started, removed when the host stops it:
 *                     with it, a server still running at the next start was left by a host killed
 *                     with -9 and is stopped and started again; without it, it is someone else's
 *   LOCK              one host per cluster (src/main/store/dir-lock.ts)
 *
 * As root, the server runs as the `postgres` system user (PostgreSQL refuses root; Debian's own
 * clusters run as it): `clusterDir` is handed to it, and its parent folder lets the `postgres` group
 * through (mode g+x), nothing more.
 */
export async function startLocalPostgres(
  storage: LocalPostgresStorage,
  log: Logger,
  notice: (french: string) => void,
): Promise<RunningLocalPostgres> {
  const bin = postgresBinDir();
  const owner = clusterOwner();
  const dir = storage.clusterDir;
  const release = lockHostFolder(
    dir,
    (pid) =>
      `Le cluster PostgreSQL ${dir} est déjà utilisé par un autre serveur DMP${pid ? ` (processus ${pid})` : ''}.`,
  );
  try {
    if (owner) handOver(dir, owner);
    const dataDir = join(dir, 'data');
    const readyFile = join(dir, 'ready');
    const startedFile = join(dir, 'host-started');
    const first = !existsSync(readyFile);
    if (first) {
      if (existsSync(dataDir)) {
        notice(`Initialisation précédente du cluster PostgreSQL interrompue (${dataDir}) : il est recréé.`);
        log.warn('interrupted cluster initialisation: recreating', { dataDir });
        rmSync(dataDir, { recursive: true, force: true });
      }
      log.info('initdb', { dataDir });
      initCluster({ bin, dataDir, owner, sync: true });
    } else {
      await clearLeftover(dataDir, startedFile, log, notice);
    }
    const server = await startPostmaster({
      bin,
      dataDir,
      socketDir: dir,
      port: storage.port,
      logFile: join(dir, 'postgres.log'),
      owner,
      detached: true,
    });
    writeFileSync(startedFile, `${server.pid}\n`, { mode: 0o600 });
    log.info('local postgres started', { pid: server.pid, first });
    try {
      if (first) {
        await createDatabase(server.connection());
        writeFileSync(readyFile, `${new Date().toISOString()}\n`, { mode: 0o600 });
      }
    } catch (err) {
      await server.stop();
      throw err;
    }
    let stopping: Promise<void> | null = null;
    return {
      connection: server.connection(localDatabase),
      pid: server.pid,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await server.stop();
            rmSync(startedFile, { force: true });
            log.info('local postgres stopped', { pid: server.pid });
          } finally {
            release();
          }
        })()),
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * Creates `dir` (0700) if needed and takes its lock (src/main/store/dir-lock.ts: a lock left by a
 * killed process is taken over); when a live process holds it, refuses with `whenHeld`'s sentence.
 */
export function lockHostFolder(dir: string, whenHeld: (pid: number | undefined) => string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    return acquireDirectoryLock(dir);
  } catch (err) {
    if (err instanceof LockHeldError) throw new HostConfigError(whenHeld(err.holder?.pid));
    throw err;
  }
}

async function createDatabase(connection: PgConnection): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    // The cluster's locale is C (initCluster): the DMP's bytewise name comparisons hold.
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(localDatabase)}`);
  } finally {
    await client.end();
  }
}

/** A `postmaster.pid` left in the data folder: a dead server's is removed, a live one's stopped if this host's. */
async function clearLeftover(
  dataDir: string,
  startedFile: string,
  log: Logger,
  notice: (french: string) => void,
): Promise<void> {
  const leftover = postmasterLeftover(dataDir);
  if (leftover.state === 'none') return;
  if (leftover.state === 'stale') {
    // PostgreSQL would itself ignore a dead pid, but refuse one reused by another process.
    notice(`Fichier postmaster.pid périmé (processus ${leftover.pid} disparu) dans ${dataDir} : ignoré.`);
    log.warn('stale postmaster.pid removed', { pid: leftover.pid });
    unlinkSync(join(dataDir, 'postmaster.pid'));
    return;
  }
  const startedByHost = readPid(startedFile);
  if (startedByHost !== leftover.pid)
    throw new LocalClusterError(
      'DATA_IN_USE',
      `postgres ${leftover.pid} not started by a DMP host runs on ${dataDir}`,
      {
        path: dataDir,
        pid: leftover.pid,
      },
    );
  notice(
    `Le cluster PostgreSQL (processus ${leftover.pid}) tournait encore, laissé par un serveur DMP arrêté brutalement : ` +
      'il est arrêté proprement puis redémarré.',
  );
  log.warn('postgres left running by a killed host: stopping it', { pid: leftover.pid });
  if (!(await stopLeftoverPostmaster(leftover.pid, dataDir, 120_000)))
    throw new LocalClusterError('DATA_IN_USE', `postgres ${leftover.pid} did not stop within 120 s`, {
      path: dataDir,
      pid: leftover.pid,
    });
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * As root: the cluster folder to the `postgres` user, and its parent (the data folder) passable by
 * the `postgres` group. Folders further up are the administrator's: refused, not changed, when the
 * `postgres` user cannot pass them.
 */
function handOver(dir: string, owner: NonNullable<ClusterOwner>): void {
  const passable = (path: string): boolean => {
    const stat = statSync(path);
    return (
      (stat.mode & 0o001) !== 0 ||
      ((stat.mode & 0o010) !== 0 && stat.gid === owner.gid) ||
      ((stat.mode & 0o100) !== 0 && stat.uid === owner.uid)
    );
  };
  const parent = dirname(dir);
  for (let above = dirname(parent); ; above = dirname(above)) {
    if (!passable(above))
      throw new LocalClusterError('NOT_REACHABLE', `the postgres user cannot pass ${above}`, { path: above });
    if (above === dirname(above)) break;
  }
  chownSync(dir, owner.uid, owner.gid);
  if (passable(parent)) return;
  const stat = statSync(parent);
  chownSync(parent, stat.uid, owner.gid);
  chmodSync(parent, (stat.mode & 0o7777) | 0o010);
}

/** The French sentence for a local cluster failure (the boundary's table for LocalClusterError). */
export function localPostgresMessage(err: LocalClusterError, clusterDir: string): string {
  const dataDir = join(clusterDir, 'data');
  switch (err.reason) {
    case 'BINARIES_MISSING':
      return (
        'PostgreSQL introuvable : installez le paquet postgresql (Debian : apt install postgresql), ' +
        'ou indiquez le dossier de ses programmes dans POSTE_DMP_PG_BIN.'
      );
    case 'NO_POSTGRES_USER':
      return (
        'Lancé en root, le serveur DMP fait tourner PostgreSQL sous l’utilisateur système « postgres », ' +
        'qui n’existe pas : installez le paquet postgresql, ou lancez le serveur sous un utilisateur ordinaire.'
      );
    case 'INITDB_FAILED':
      return `Création du cluster PostgreSQL impossible dans ${dataDir} : ${firstLine(err.message)}`;
    case 'SOCKET_IN_USE':
      return (
        `Le port PostgreSQL ${err.facts.port ?? ''} est déjà utilisé dans ${clusterDir}` +
        `${err.facts.pid ? ` par un autre serveur PostgreSQL (processus ${err.facts.pid})` : ''} : ` +
        'arrêtez ce serveur, ou changez storage.port dans la configuration (host.json).'
      );
    case 'DATA_IN_USE':
      return (
        `Un serveur PostgreSQL${err.facts.pid ? ` (processus ${err.facts.pid})` : ''} que ce serveur DMP n’a pas démarré ` +
        `tourne déjà sur ${dataDir} : arrêtez-le (pg_ctl stop -D ${dataDir}) puis relancez le serveur DMP.`
      );
    case 'SOCKET_PATH_TOO_LONG':
      return `Chemin trop long pour la socket PostgreSQL (${clusterDir}) : choisissez un dossier de données au chemin plus court.`;
    case 'NOT_REACHABLE':
      return (
        `Lancé en root, le serveur DMP fait tourner PostgreSQL sous l’utilisateur système « postgres », ` +
        `qui ne peut pas traverser ${err.facts.path ?? ''} : choisissez un dossier de données ailleurs ` +
        '(par exemple sous /var/lib), ou lancez le serveur sous un utilisateur ordinaire.'
      );
    case 'START_FAILED':
      return `PostgreSQL n’a pas démarré : voir son journal ${join(clusterDir, 'postgres.log')}.`;
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() && !l.startsWith('initdb failed')) ?? text;
}
