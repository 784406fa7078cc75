import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resourcesDir } from '../app/paths';
import { createTestDeployment, type TestDeployment } from '../pki/test-deployment';

/**
 * `npm run host:test-deployment -- DIR`: the test deployment of src/main/pki (PKI, host and workstation
 * certificates, one SoftHSM2 token per simulated card, `deployment.json`) plus `host.json`, the
 * configuration `npm run host -- --config DIR/host.json` starts from, with an embedded data folder
 * `DIR/data`. Never for production: the authorities' keys lie beside the certificates.
 */
export async function createHostTestDeployment(
  dir: string,
  options: { port?: number } = {},
): Promise<TestDeployment & { configPath: string }> {
  const deployment = await createTestDeployment({ dir, cardProfilesDir: join(resourcesDir(), 'cards') });
  const configPath = join(dir, 'host.json');
  const config = {
    listen: { host: '127.0.0.1', port: options.port ?? 8443 },
    tls: {
      ca: relative(dir, deployment.caPath),
      cert: relative(dir, deployment.host.certPath),
      key: relative(dir, deployment.host.keyPath),
    },
    professionalRoots: [relative(dir, deployment.cardTrustPath)],
    revocation: { crlFiles: deployment.crlPaths.map((p) => relative(dir, p)) },
    storage: { kind: 'embedded', dataDir: 'data' },
    professionalIdleMinutes: 15,
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return { ...deployment, configPath };
}
