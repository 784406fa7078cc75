import { randomInt } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  clusterOwner,
  initCluster,
  postgresBinDir,
  startPostmaster,
  type PgConnection,
  type Postmaster,
} from '../../src/main/store/pg/local-cluster';

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, the postmaster
 * listening only on a Unix socket in that folder (no TCP port to collide with), stopped by its PID.
 * The programs are found and run by src/main/store/pg/local-cluster.ts, as for the DMP host's
 * quick-start cluster: as root (CI) they run as the `postgres` system user and the folder is handed
 * to that user.
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

export type { PgConnection };

export interface StartPgClusterOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

export { postgresBinDir };

export async function startPgCluster(options: StartPgClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  const owner = clusterOwner();
  // Short path: a Unix socket path must fit in ~107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  let server: Postmaster;
  try {
    initCluster({ bin, dataDir, owner, sync: false });
    server = await startPostmaster({
      bin,
      dataDir,
      socketDir: dir,
      port: randomInt(20_000, 60_000),
      logFile: join(dir, 'postgres.log'),
      owner,
      detached: false,
      settings: {
        max_connections: '300',
        // A test cluster dies with its folder: skipping fsync spares the shared disk. Durability
        // against a killed *client* (what the tests check) does not depend on it.
        fsync: 'off',
        full_page_writes: 'off',
        ...options.settings,
      },
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const { connection } = server;
  let counter = 0;
  let stopped = false;
  return {
    dir,
    socketDir: dir,
    port: connection().port,
    pid: server.pid,
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
      await server.stop({ killAfterMs: 30_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
