import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgConnection } from '../../support/pg-cluster';
import { repoRoot } from '../cli/support';

export const hostScript = join(repoRoot, 'scripts', 'host.mjs');

/** `npm run host -- …` without npm; `listening` resolves with the URL once printed (null if it exited). */
export function startHost(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [hostScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const listening = new Promise<string | null>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /à l’écoute : (https:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    void exited.then(() => resolve(null));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

/** `npm run host -- status --config FILE` without npm: its exit code and output. */
export async function hostStatus(
  config: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startHost(['status', '--config', config], env);
  const code = await run.exited;
  return { code, ...run.output() };
}

/** Builds out/host/ once before the processes start (scripts/host.mjs would otherwise race to rebuild). */
export async function buildHost(): Promise<void> {
  const { buildHostBundle } = (await import(hostScript)) as { buildHostBundle: () => Promise<void> };
  await buildHostBundle();
}

/** The host's TLS files from a test PKI, in `dir` as a host.json names them: `ca.pem`, `host.pem`, `host.key`. */
export function writeHostTlsFiles(
  dir: string,
  pki: { caPem: string; host: { certPem: string; keyPem: string } },
): void {
  for (const [name, text] of [
    ['ca.pem', pki.caPem],
    ['host.pem', pki.host.certPem],
    ['host.key', pki.host.keyPem],
  ] as const)
    writeFileSync(join(dir, name), text, { mode: 0o600 });
}

/**
 * Writes a host.json at `path` and returns `path`: listening on a free loopback port, with the TLS
 * files of `writeHostTlsFiles` beside it, then `fields` (which replace those when they name them).
 */
export function writeHostConfig(path: string, fields: Record<string, unknown>): string {
  writeFileSync(
    path,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      tls: { ca: 'ca.pem', cert: 'host.pem', key: 'host.key' },
      ...fields,
    }),
  );
  return path;
}

/** host.json's `storage` for a throwaway cluster's database, key files named `pg-audit.key`, `pg-field.key`. */
export function postgresStorage(db: PgConnection): Record<string, string> {
  return {
    kind: 'postgres',
    connectionString: `postgresql://${db.user}@/${db.database}?host=${encodeURIComponent(db.host)}&port=${db.port}`,
    auditKeyFile: 'pg-audit.key',
    fieldKeyFile: 'pg-field.key',
  };
}
