import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestDeployment } from '../../../src/main/pki/test-deployment';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { stopChild, track, waitForLine } from './processes';
import { startWebHost, type WebHost } from './web-host';

/**
 * The issue-13 deployment for an end-to-end test, all of it real and started here: a throwaway
 * PostgreSQL cluster, a test deployment made by `npm run host:test-deployment` (test PKI, workstation
 * certificates, one SoftHSM2 token per simulated CPS/CPE), the DMP host process on that database,
 * and browser hosts pointed at it. Everything is stopped by PID in `stop()`, in reverse order.
 */

const repoRoot = join(import.meta.dirname, '../../..');
const hostScript = join(repoRoot, 'scripts', 'host.mjs');
const tool = join(import.meta.dirname, 'deployment-tool.ts');
const run = promisify(execFile);

/** The card whose token the set-up swaps for one certified by a CA the deployment does not know. */
export const FOREIGN_CARD_PROFILE = 'cps-pharmacien';

export interface SharedHost {
  /** `https://localhost:<port>`: the name the host's certificate carries. */
  url: string;
  deployment: TestDeployment;
  /** A workstation certificate and key from a foreign PKI (same authority names, other keys). */
  foreignWorkstation: { cert: string; key: string };
  /** A browser host for this workstation (`poste-a`, `poste-b`), or with the foreign certificate. */
  workstation(name: string | 'foreign'): Promise<WebHost>;
  /** Stops browser hosts, the DMP host and PostgreSQL (by PID), then deletes every folder. */
  stop(): Promise<void>;
}

export async function startSharedHost(): Promise<SharedHost> {
  const root = mkdtempSync(join(tmpdir(), 'poste-dmp-shared-'));
  const stops: (() => Promise<void>)[] = [
    () => Promise.resolve(rmSync(root, { recursive: true, force: true })),
  ];
  const stop = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const step of stops.splice(0).reverse()) await step().catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw errors[0];
  };
  try {
    const cluster: PgCluster = await startPgCluster();
    stops.push(() => cluster.stop());
    const db = await cluster.createDatabase('dmp_host');

    const dir = join(root, 'deployment');
    await run(process.execPath, [hostScript, 'test-deployment', dir], { cwd: repoRoot, timeout: 180_000 });
    const deployment = JSON.parse(readFileSync(join(dir, 'deployment.json'), 'utf8')) as TestDeployment;
    const foreign = JSON.parse(
      (
        await run(
          process.execPath,
          ['--import', 'tsx', tool, 'foreign', dir, join(root, 'foreign'), FOREIGN_CARD_PROFILE],
          { cwd: repoRoot, timeout: 180_000 },
        )
      ).stdout,
    ) as { workstationCert: string; workstationKey: string };

    // The deployment's own host.json keeps an embedded folder: this one puts the DMP in PostgreSQL.
    const config = join(dir, 'host-postgres.json');
    writeFileSync(
      config,
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        tls: { ca: deployment.caPath, cert: deployment.host.certPath, key: deployment.host.keyPath },
        professionalRoots: [deployment.cardTrustPath],
        storage: {
          kind: 'postgres',
          connectionString: `postgresql://${db.user}@/${db.database}?host=${encodeURIComponent(db.host)}&port=${db.port}`,
          auditKeyFile: join(dir, 'audit.key'),
          fieldKeyFile: join(dir, 'field.key'),
        },
      }),
      { mode: 0o600 },
    );
    const host = spawn(process.execPath, [hostScript, '--config', config], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(host);
    let hostStderr = '';
    host.stderr.on('data', (chunk: Buffer) => (hostStderr += chunk.toString()));
    stops.push(() => stopChild(host));
    // Generous: the host bundle may be rebuilt first, and migrations run on a fresh database.
    const listening = await waitForLine(
      host,
      /à l’écoute : https:\/\/127\.0\.0\.1:(\d+)/,
      'DMP host',
      180_000,
      () => hostStderr,
    );
    const url = `https://localhost:${listening[1]}`;

    // The patients' identities the workstations look up (INSi stand-in), loaded by the import gateway.
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        tool,
        'identities',
        url,
        dir,
        join(repoRoot, 'resources', 'identity', 'demo-identities.json'),
      ],
      { cwd: repoRoot, timeout: 180_000 },
    );

    const certOf = (name: string): { cert: string; key: string } => {
      const found = deployment.workstations.find((w) => w.name === name);
      if (found === undefined) throw new Error(`no workstation ${name} in the deployment`);
      return { cert: found.certPath, key: found.keyPath };
    };
    const foreignWorkstation = { cert: foreign.workstationCert, key: foreign.workstationKey };
    return {
      url,
      deployment,
      foreignWorkstation,
      async workstation(name) {
        const { cert, key } = name === 'foreign' ? foreignWorkstation : certOf(name);
        const web = await startWebHost(
          [
            '--dmp',
            url,
            '--host-ca',
            deployment.caPath,
            '--workstation-cert',
            cert,
            '--workstation-key',
            key,
            '--pkcs11-module',
            deployment.softhsm.modulePath,
          ],
          { env: { SOFTHSM2_CONF: deployment.softhsm.confPath }, startTimeoutMs: 120_000 },
        );
        stops.push(() => web.stop());
        return web;
      },
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
