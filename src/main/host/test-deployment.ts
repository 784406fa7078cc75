import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createTestPki, issueHostCertificate, issueWorkstationCertificate } from '../pki';

export interface TestDeployment {
  dir: string;
  configPath: string;
  caPath: string;
  workstations: { name: string; certPath: string; keyPath: string; systemCalls: boolean }[];
}

/** The workstations of a test deployment: two desks, and the hospital's import gateway (system calls). */
const workstationNames = [
  { name: 'poste-1', systemCalls: false },
  { name: 'poste-2', systemCalls: false },
  { name: 'passerelle-import', systemCalls: true },
] as const;

/**
 * `npm run host:test-deployment -- DIR`: a complete TEST deployment in an empty folder — the
 * project's test PKI (i13-card, src/main/pki), a host certificate for localhost/127.0.0.1,
 * workstation certificates, and `host.json` for `npm run host -- --config DIR/host.json` with an
 * embedded data folder `DIR/data`. Never for production: the CA keys lie beside the certificates.
 */
export async function createTestDeployment(
  dir: string,
  options: { port?: number } = {},
): Promise<TestDeployment> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(
      `Le dossier ${dir} n’est pas vide : indiquez un dossier nouveau ou vide pour le déploiement de test.`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pkiDir = join(dir, 'pki');
  const pki = await createTestPki(pkiDir);
  const host = await issueHostCertificate(pki, {
    name: 'serveur-dmp',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const workstations: TestDeployment['workstations'] = [];
  for (const { name, systemCalls } of workstationNames) {
    const issued = await issueWorkstationCertificate(pki, { name, systemCalls });
    workstations.push({ name, certPath: issued.certPath, keyPath: issued.keyPath!, systemCalls });
  }
  const configPath = join(dir, 'host.json');
  const config = {
    listen: { host: '127.0.0.1', port: options.port ?? 8443 },
    tls: {
      ca: relative(dir, pki.caPath),
      cert: relative(dir, host.certPath),
      key: relative(dir, host.keyPath!),
    },
    storage: { kind: 'embedded', dataDir: 'data' },
    professionalIdleMinutes: 15,
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return { dir, configPath, caPath: pki.caPath, workstations };
}
