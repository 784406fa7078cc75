import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, the postmaster
 * listening only on a Unix socket in that folder (no TCP port to collide with), stopped by its PID.
 *
 * CI runs as root and `initdb` refuses root, so as root every PostgreSQL program runs as the
 * `postgres` system user (spawned with its uid/gid) and the folder is handed to that user.
 */
export interface PgCluster {
  /** Folder holding `data/`, the socket and `postgres.log`; deleted by `stop()`. */
  readonly dir: string;
  /** Where the socket is: use as `host` in a pg connection. */
  readonly socketDir: string;
  /** The port number naming the socket (`.s.PGSQL.<port>`); no TCP listener. */
  readonly port: number;
  /** The postmaster's process id. */
  readonly pid: number;
  /** Connection settings for `pg` to `database` (default `postgres`), as the superuser `postgres`. */
  connection(database?: string): PgConnection;
  /** A new empty database; returns its connection settings. */
  createDatabase(name?: string): Promise<PgConnection>;
  /** Fast shutdown (SIGINT to the postmaster), then the folder is deleted. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface StartPgClusterOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

const superuser = 'postgres';

/** Where initdb/postgres live: $POSTE_DMP_PG_BIN, else Debian's newest /usr/lib/postgresql/N/bin, else pg_config. */
export function postgresBinDir(): string {
  const fromEnv = process.env.POSTE_DMP_PG_BIN;
  if (fromEnv) return fromEnv;
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(debianRoot, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debianRoot, versions[0], 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = pgConfig.status === 0 ? pgConfig.stdout.trim() : '';
  if (dir && existsSync(join(dir, 'initdb'))) return dir;
  throw new Error(
    'PostgreSQL binaries not found (initdb): install Debian’s `postgresql` or set POSTE_DMP_PG_BIN',
  );
}

/** As root: the `postgres` system user's ids, so initdb and the server do not run as root. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number => {
    const r = spawnSync('id', [flag, superuser], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`running as root needs the "${superuser}" system user (installed with postgresql)`);
    return Number(r.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPgCluster(options: StartPgClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  const owner = runAs();
  // Short path: a Unix socket path must fit in ~107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  const spawnOptions = { cwd: dir, ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };

  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { ...spawnOptions, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }

  const port = randomInt(20_000, 60_000);
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: dir,
    port: String(port),
    max_connections: '300',
    // A test cluster dies with its folder: skipping fsync spares the shared disk. Durability
    // against a killed *client* (what the tests check) does not depend on it.
    fsync: 'off',
    full_page_writes: 'off',
    logging_collector: 'off',
    ...options.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const logFile = join(dir, 'postgres.log');
  const logFd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(join(bin, 'postgres'), args, {
    ...spawnOptions,
    stdio: ['ignore', logFd, logFd],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start postgres');
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const connection = (database = 'postgres'): PgConnection => ({
    host: dir,
    port,
    user: superuser,
    database,
  });

  const serverLog = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  await waitUntilReady(connection(), () => exited, serverLog);

  let counter = 0;
  let stopped = false;
  return {
    dir,
    socketDir: dir,
    port,
    pid,
    connection,
    async createDatabase(name?: string): Promise<PgConnection> {
      const db = name ?? `test_${process.pid}_${++counter}_${randomInt(1_000_000)}`;
      const client = new pg.Client(connection());
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(db)}`);
      } finally {
        await client.end();
      }
      return connection(db);
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        // SIGINT = fast shutdown: open sessions are ended, no wait for clients to leave.
        process.kill(pid, 'SIGINT');
        const killTimer = setTimeout(() => {
          if (!exited) process.kill(pid, 'SIGKILL');
        }, 30_000);
        await exitedPromise;
        clearTimeout(killTimer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(
  connection: PgConnection,
  exited: () => boolean,
  serverLog: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`postgres exited during start:\n${serverLog()}`);
    const client = new pg.Client(connection);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections within 60 s (${String(err)}):\n${serverLog()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
