import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL cluster on this machine, driven by its own programs (`initdb`, `postgres`): the
 * throwaway clusters of the tests (tests/support/pg-cluster.ts) and the quick-start cluster the DMP
 * host keeps in its data folder (src/main/host/local-postgres.ts). Only a Unix socket, in a folder
 * of the caller's: no TCP port, nothing reachable from another machine.
 *
 * PostgreSQL refuses to run as root. As root, every PostgreSQL program runs as the `postgres`
 * system user (spawned with its uid/gid), as Debian's own clusters do; the caller hands it the
 * cluster's folder (`chown`).
 *
 * Errors carry a stable `reason` and an English detail; the boundary says it in French.
 */
export type LocalClusterErrorReason =
  /** No `initdb`/`postgres` found. */
  | 'BINARIES_MISSING'
  /** Running as root without a `postgres` system user to run the server as. */
  | 'NO_POSTGRES_USER'
  | 'INITDB_FAILED'
  /** Another postmaster holds the socket `.s.PGSQL.<port>` in the socket folder. */
  | 'SOCKET_IN_USE'
  /** Another postmaster runs on the data folder (`postmaster.pid` of a live server). */
  | 'DATA_IN_USE'
  /** The socket path is longer than a Unix socket address allows. */
  | 'SOCKET_PATH_TOO_LONG'
  /** As root: a folder on the way to the cluster does not let the `postgres` user through. */
  | 'NOT_REACHABLE'
  | 'START_FAILED';

export class LocalClusterError extends Error {
  constructor(
    readonly reason: LocalClusterErrorReason,
    message: string,
    /** Log-safe facts: paths, pid, port. */
    readonly facts: { path?: string; pid?: number; port?: number; log?: string } = {},
  ) {
    super(message);
    this.name = 'LocalClusterError';
  }
}

/** The database superuser every local cluster is created with. */
export const clusterSuperuser = 'postgres';

/**
 * Where `initdb` and `postgres` live: `$POSTE_DMP_PG_BIN`, else Debian's newest
 * `/usr/lib/postgresql/N/bin`, else `pg_config --bindir`.
 */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const hasPrograms = (dir: string): boolean =>
    existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const fromEnv = env.POSTE_DMP_PG_BIN;
  if (fromEnv) {
    if (hasPrograms(fromEnv)) return fromEnv;
    throw new LocalClusterError('BINARIES_MISSING', `POSTE_DMP_PG_BIN=${fromEnv} holds no initdb/postgres`, {
      path: fromEnv,
    });
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v) && hasPrograms(join(debianRoot, v, 'bin')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debianRoot, versions[0], 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = pgConfig.status === 0 ? pgConfig.stdout.trim() : '';
  if (dir && hasPrograms(dir)) return dir;
  throw new LocalClusterError(
    'BINARIES_MISSING',
    'PostgreSQL binaries not found (initdb, postgres): install the Debian package `postgresql` or set POSTE_DMP_PG_BIN',
  );
}

/** Whom PostgreSQL programs run as: null = this process's user; as root, the `postgres` system user. */
export type ClusterOwner = { uid: number; gid: number } | null;

export function clusterOwner(): ClusterOwner {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number => {
    const r = spawnSync('id', [flag, clusterSuperuser], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new LocalClusterError(
        'NO_POSTGRES_USER',
        `running as root needs the "${clusterSuperuser}" system user (installed with postgresql)`,
      );
    return Number(r.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

function spawnOptions(cwd: string, owner: ClusterOwner) {
  return { cwd, ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };
}

export interface InitClusterOptions {
  bin: string;
  /** The cluster's data folder (PGDATA): must not exist or be empty; its parent belongs to `owner`. */
  dataDir: string;
  owner: ClusterOwner;
  /**
   * false for a throwaway cluster: initdb does not fsync its files (the test clusters). A cluster
   * that holds data keeps the default.
   */
  sync: boolean;
}

/**
 * `initdb`: UTF-8, locale C (the DMP's searches compare normalised names bytewise), superuser
 * `postgres`; connections only through the Unix socket (`local … trust`), TCP refused by pg_hba.
 * Trust on the socket is what the folder's permissions allow: the socket sits in a folder only the
 * cluster's owner (and root) can enter.
 */
export function initCluster(options: InitClusterOptions): void {
  const init = spawnSync(
    join(options.bin, 'initdb'),
    [
      '-D',
      options.dataDir,
      '-U',
      clusterSuperuser,
      '--auth-local=trust',
      '--auth-host=reject',
      '--encoding=UTF8',
      '--locale=C',
      ...(options.sync ? [] : ['--no-sync']),
    ],
    { ...spawnOptions(dirname(options.dataDir), options.owner), encoding: 'utf8' },
  );
  if (init.status !== 0)
    throw new LocalClusterError(
      'INITDB_FAILED',
      `initdb failed (${init.status}): ${init.stderr || init.stdout}`,
      {
        path: options.dataDir,
      },
    );
}

/** Longest Unix socket path (sun_path is 108 bytes with its NUL). */
const maxSocketPath = 107;

export function socketPath(socketDir: string, port: number): string {
  return join(socketDir, `.s.PGSQL.${port}`);
}

export interface StartPostmasterOptions {
  bin: string;
  dataDir: string;
  /** Where the socket is created; `host` of the connections. */
  socketDir: string;
  /** Names the socket (`.s.PGSQL.<port>`); no TCP listener. */
  port: number;
  /** The server's stdout/stderr. */
  logFile: string;
  owner: ClusterOwner;
  /** Extra `-c name=value` settings (fsync off for a throwaway cluster…). */
  settings?: Record<string, string>;
  /**
   * In its own session, so a Ctrl+C in the terminal reaches the caller only, which closes its
   * connections before it stops the server. The server then outlives a caller killed with -9.
   */
  detached: boolean;
}

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface Postmaster {
  readonly pid: number;
  /** Connection settings for `pg` to `database` (default `postgres`) as the superuser. */
  connection(database?: string): PgConnection;
  hasExited(): boolean;
  /**
   * Fast shutdown (SIGINT: sessions ended, checkpoint written), resolved once the server exited.
   * With `killAfterMs`, SIGKILL if it has not exited by then. Safe to call twice.
   */
  stop(options?: { killAfterMs?: number }): Promise<void>;
}

/** Starts `postgres` on `dataDir` and resolves once it accepts connections. */
export async function startPostmaster(options: StartPostmasterOptions): Promise<Postmaster> {
  const socket = socketPath(options.socketDir, options.port);
  if (Buffer.byteLength(socket) > maxSocketPath)
    throw new LocalClusterError(
      'SOCKET_PATH_TOO_LONG',
      `socket path ${socket} is longer than ${maxSocketPath} bytes`,
      { path: options.socketDir },
    );
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: options.socketDir,
    unix_socket_permissions: '0700',
    port: String(options.port),
    logging_collector: 'off',
    ...options.settings,
  };
  const args = ['-D', options.dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const logFd = openSync(options.logFile, 'a');
  const logStart = existsSync(options.logFile) ? readFileSync(options.logFile).length : 0;
  const child = spawn(join(options.bin, 'postgres'), args, {
    ...spawnOptions(options.socketDir, options.owner),
    stdio: ['ignore', logFd, logFd],
    detached: options.detached,
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new LocalClusterError('START_FAILED', 'could not spawn postgres');
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const connection = (database = 'postgres'): PgConnection => ({
    host: options.socketDir,
    port: options.port,
    user: clusterSuperuser,
    database,
  });
  const serverLog = (): string => {
    try {
      return readFileSync(options.logFile).subarray(logStart).toString('utf8');
    } catch {
      return '';
    }
  };
  await waitUntilReady(connection(), () => exited, serverLog, options);

  let stopping: Promise<void> | null = null;
  return {
    pid,
    connection,
    hasExited: () => exited,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        if (exited) return;
        process.kill(pid, 'SIGINT');
        const killTimer =
          stopOptions.killAfterMs === undefined
            ? undefined
            : setTimeout(() => {
                if (!exited) process.kill(pid, 'SIGKILL');
              }, stopOptions.killAfterMs);
        await exitedPromise;
        clearTimeout(killTimer);
      })();
      return stopping;
    },
  };
}

async function waitUntilReady(
  connection: PgConnection,
  exited: () => boolean,
  serverLog: () => string,
  options: StartPostmasterOptions,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited()) throw startFailure(serverLog(), options);
    const client = new pg.Client(connection);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline)
        throw new LocalClusterError(
          'START_FAILED',
          `postgres did not accept connections within 120 s (${String(err)}):\n${serverLog()}`,
          { log: options.logFile },
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Why the server exited during its start, from what it wrote (its messages are in English: LC_ALL=C). */
function startFailure(log: string, options: StartPostmasterOptions): LocalClusterError {
  const otherPid = (re: RegExp): number | undefined => {
    const m = re.exec(log);
    return m?.[1] ? Number(m[1]) : undefined;
  };
  if (
    /could not create lock file ".*\.s\.PGSQL\.\d+\.lock"|Is another postmaster .* using socket file/.test(
      log,
    )
  ) {
    const pid = otherPid(/Is another postmaster \(PID (\d+)\) using socket file/);
    return new LocalClusterError(
      'SOCKET_IN_USE',
      `socket ${socketPath(options.socketDir, options.port)} in use:\n${log}`,
      {
        port: options.port,
        path: options.socketDir,
        ...(pid !== undefined ? { pid } : {}),
      },
    );
  }
  if (/Is another postmaster .* running in data directory/.test(log)) {
    const pid = otherPid(/Is another postmaster \(PID (\d+)\) running in data directory/);
    return new LocalClusterError('DATA_IN_USE', `data folder ${options.dataDir} in use:\n${log}`, {
      path: options.dataDir,
      ...(pid !== undefined ? { pid } : {}),
    });
  }
  return new LocalClusterError('START_FAILED', `postgres exited during start:\n${log}`, {
    log: options.logFile,
  });
}

/** What `postmaster.pid` of a data folder says, and whether that server still runs. */
export type PostmasterLeftover =
  | { state: 'none' }
  /** The file names a process that is gone, or no longer a server of this folder (pid reused). */
  | { state: 'stale'; pid: number }
  | { state: 'running'; pid: number };

export function postmasterLeftover(dataDir: string): PostmasterLeftover {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return { state: 'none' };
  }
  const pid = Number(text.split('\n')[0]);
  if (!Number.isInteger(pid) || pid < 1) return { state: 'stale', pid: 0 };
  return { state: serverOfFolder(pid, dataDir) ? 'running' : 'stale', pid };
}

/** The postmaster works in its data folder (it chdirs there): a live pid elsewhere is a reused one. */
function serverOfFolder(pid: number, dataDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EPERM') return false;
  }
  // No /proc: a live pid is taken for the server, as PostgreSQL itself does.
  if (!existsSync('/proc/self')) return true;
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dataDir);
  } catch (err) {
    // Not allowed to look: taken for the server. Gone (or a zombie, which has no cwd): not a server.
    const code = (err as { code?: string }).code;
    return code === 'EACCES' || code === 'EPERM';
  }
}

/** Stops a server this process did not start (left running by a killed one): SIGINT, then waits. */
export async function stopLeftoverPostmaster(pid: number, dataDir: string, waitMs: number): Promise<boolean> {
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + waitMs;
  while (serverOfFolder(pid, dataDir)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
