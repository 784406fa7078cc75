import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { resourcesDir } from '../app/paths';
import { createTestDeployment, type TestDeployment } from '../pki/test-deployment';
import { lockFileName } from '../store/dir-lock';
import { HostConfigError, type HostConfig } from './config';
import { healthUrl } from './health';
import { lockHostFolder } from './local-postgres';

/**
 * The health listener's port of a test deployment, drawn once like the cluster's socket port and kept
 * in host.json: free on loopback when drawn, never the API's, and below Linux's ephemeral range
 * (32768–60999) so that no outgoing connection of the machine takes it between two starts. Drawn
 * rather than fixed: several test deployments (and test runs) on one machine each get their own.
 */
async function drawHealthPort(apiPort: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = randomInt(20_000, 32_768);
    if (port !== apiPort && (await freeOnLoopback(port))) return port;
  }
  throw new HostConfigError(
    'Aucun port libre trouvé sur 127.0.0.1 (20000 à 32767) pour l’interface de santé du déploiement de test.',
  );
}

function freeOnLoopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * `npm run host:test-deployment -- DIR`: the test deployment of src/main/pki (PKI, host and workstation
 * certificates, one SoftHSM2 token per simulated card, `deployment.json`) plus `host.json`, the
 * configuration `npm run host -- --config DIR/host.json` starts from, with an embedded data folder
 * `DIR/data` (or, for the quick start, a local PostgreSQL cluster `DIR/postgres`) and a health
 * listener on loopback for `npm run host -- status`. Never for
 * production: the authorities' keys lie beside the certificates.
 */
export async function createHostTestDeployment(
  dir: string,
  options: { port?: number; storage?: 'embedded' | 'local-postgres' } = {},
): Promise<TestDeployment & { configPath: string; healthUrl: string }> {
  const deployment = await createTestDeployment({ dir, cardProfilesDir: join(resourcesDir(), 'cards') });
  const configPath = join(dir, 'host.json');
  const storage: HostConfig['storage'] =
    options.storage === 'local-postgres'
      ? {
          kind: 'local-postgres',
          clusterDir: 'postgres',
          // Names the cluster's Unix socket only: any number, kept for the life of the folder.
          port: randomInt(20_000, 60_000),
          auditKeyFile: 'audit.key',
          fieldKeyFile: 'field.key',
        }
      : { kind: 'embedded', dataDir: 'data' };
  const listen = { host: '127.0.0.1', port: options.port ?? 8443 };
  // So that `npm run host -- status --config host.json` answers from the first start.
  const health = { listen: { host: '127.0.0.1', port: await drawHealthPort(listen.port) } };
  const config = {
    listen,
    tls: {
      ca: relative(dir, deployment.caPath),
      cert: relative(dir, deployment.host.certPath),
      key: relative(dir, deployment.host.keyPath),
    },
    professionalRoots: [relative(dir, deployment.cardTrustPath)],
    revocation: { crlFiles: deployment.crlPaths.map((p) => relative(dir, p)) },
    storage,
    professionalIdleMinutes: 15,
    health,
  };
  // Written last: a folder with host.json holds a complete deployment.
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return { ...deployment, configPath, healthUrl: healthUrl(health.listen) };
}

/**
 * `npm run host -- --data DIR`: the quick start's folder. The first time (no `DIR/host.json`), a
 * test deployment whose storage is a local PostgreSQL cluster in `DIR/postgres` (created by the
 * host at its first start); afterwards, the same folder as it is. Refuses a folder that holds
 * something else.
 */
export async function ensureQuickStartDeployment(
  dir: string,
): Promise<{ configPath: string; created: boolean }> {
  const configPath = join(dir, 'host.json');
  if (existsSync(configPath)) return { configPath, created: false };
  // Two first starts at once: one creates, the other is refused.
  const release = lockHostFolder(
    dir,
    () => `Le dossier ${dir} est en cours de création par un autre serveur DMP.`,
  );
  try {
    if (existsSync(configPath)) return { configPath, created: false };
    const others = readdirSync(dir).filter((name) => name !== lockFileName);
    if (others.length > 0)
      throw new HostConfigError(
        `Le dossier ${dir} n’est pas vide et ne contient pas de host.json : indiquez un dossier nouveau ou vide ` +
          '(ou un dossier déjà créé par npm run host -- --data).',
      );
    await createHostTestDeployment(dir, { storage: 'local-postgres' });
    return { configPath, created: true };
  } finally {
    release();
  }
}
