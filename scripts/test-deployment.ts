// `npm run pki:test-deployment -- DIR [--host NAME]...`: a test deployment of the shared DMP host in DIR
// (test PKI modelled on IGC-Santé, host and workstation certificates, one SoftHSM2 token per simulated
// CPS/CPE). See src/main/pki/test-deployment.ts and docs/cards.md §9–10. Runs under tsx.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDeployment } from '../src/main/pki/test-deployment';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { host: { type: 'string', multiple: true }, address: { type: 'string', multiple: true } },
  });
  const [target] = positionals;
  if (target === undefined || positionals.length !== 1) {
    console.error('Usage : npm run pki:test-deployment -- DOSSIER [--host NOM]... [--address IP]...');
    process.exitCode = 2;
    return;
  }
  const dir = resolve(target);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    console.error(
      `Le dossier ${dir} n’est pas vide : choisissez un dossier neuf pour le déploiement de test.`,
    );
    process.exitCode = 1;
    return;
  }
  const deployment = await createTestDeployment({
    dir,
    hostNames: values.host,
    hostAddresses: values.address,
    cardProfilesDir: join(root, 'resources', 'cards'),
  });
  console.log(`Déploiement de test créé dans ${deployment.dir}`);
  console.log(`  autorité racine (à faire confiance)  ${deployment.caPath}`);
  console.log(`  cartes : confiance du serveur DMP    ${deployment.cardTrustPath}`);
  console.log(`  serveur DMP                          ${deployment.host.certPath}`);
  for (const station of deployment.workstations) {
    console.log(
      `  poste ${station.name.padEnd(31)}${station.certPath}${station.systemCalls ? ' (appels système)' : ''}`,
    );
  }
  console.log(`  SoftHSM2 (SOFTHSM2_CONF)             ${deployment.softhsm.confPath}`);
  for (const card of deployment.cards) console.log(`  jeton ${card.serial}  ${card.profileId}`);
  console.log(`  récapitulatif                        ${deployment.manifestPath}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
