/**
 * The parts of the shared-host e2e set-up that need the project's own PKI, SoftHSM2 and host-client
 * code. Run as a child process (`node --import tsx tests/e2e/support/deployment-tool.ts …`) so that
 * the Playwright worker never loads the PKCS#11 library nor points SOFTHSM2_CONF anywhere.
 *
 *   foreign <deployment dir> <out dir> <card profile id>
 *     A second test PKI (same authority names, other keys: a CA the deployment does not trust), a
 *     workstation certificate from it, and the card's SoftHSM2 token in the deployment replaced by
 *     one whose key is certified by that foreign PKI. Prints `{ workstationCert, workstationKey }`.
 *
 *   identities <host url> <deployment dir> <reference file>
 *     Loads the identity reference file into the host, as the system workstation (`poste-import`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCardProfiles } from '../../../src/main/cards/emulator';
import { emulatedCardIdentity, provisionCardToken } from '../../../src/main/cards/pkcs11/softhsm';
import { connectToHost } from '../../../src/main/host-client';
import { readReferenceFile } from '../../../src/main/identity/reference-file';
import { createLogger } from '../../../src/main/log/logger';
import type { TestDeployment } from '../../../src/main/pki/test-deployment';
import { createTestPki, issueWorkstationCertificate } from '../../../src/main/pki/test-pki';

const cardProfilesDir = join(import.meta.dirname, '../../../resources/cards');

function manifest(dir: string): TestDeployment {
  return JSON.parse(readFileSync(join(dir, 'deployment.json'), 'utf8')) as TestDeployment;
}

async function foreign(deploymentDir: string, outDir: string, profileId: string): Promise<void> {
  const deployment = manifest(deploymentDir);
  const pki = await createTestPki(join(outDir, 'pki'));
  const workstation = await issueWorkstationCertificate(pki, { name: 'poste-etranger' });

  const profile = loadCardProfiles(cardProfilesDir).find((candidate) => candidate.id === profileId);
  if (profile === undefined) throw new Error(`no card profile ${profileId}`);
  const identity = await emulatedCardIdentity(profile);
  const { confPath, modulePath } = deployment.softhsm;
  // The deployment gave this card a token certified by its own AC PERSONNES: swap it for a token
  // whose key the foreign PKI certified (same label = card serial, same PIN).
  execFileSync('softhsm2-util', ['--delete-token', '--token', identity.serial], {
    env: { ...process.env, SOFTHSM2_CONF: confPath },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await provisionCardToken(
    { confPath, tokenDir: join(dirname(confPath), 'tokens'), modulePath },
    { pki, cardSerial: identity.serial, pin: identity.pin, holder: identity.holder },
  );
  process.stdout.write(
    `${JSON.stringify({ workstationCert: workstation.certPath, workstationKey: workstation.keyPath })}\n`,
  );
}

async function identities(url: string, deploymentDir: string, referenceFile: string): Promise<void> {
  const deployment = manifest(deploymentDir);
  const gateway = deployment.workstations.find((w) => w.systemCalls);
  if (gateway === undefined) throw new Error('the deployment has no system workstation');
  const client = await connectToHost({
    url,
    caPem: readFileSync(deployment.caPath, 'utf8'),
    certPem: readFileSync(gateway.certPath, 'utf8'),
    keyPem: readFileSync(gateway.keyPath, 'utf8'),
    log: createLogger({ sink: () => undefined }),
  });
  try {
    if (client.status().state !== 'connected')
      throw new Error(`host not connected: ${client.status().message}`);
    await client.identities.register(await readReferenceFile(referenceFile));
  } finally {
    await client.close();
  }
}

const [command, ...args] = process.argv.slice(2);
const run =
  command === 'foreign' && args.length === 3
    ? foreign(args[0]!, args[1]!, args[2]!)
    : command === 'identities' && args.length === 3
      ? identities(args[0]!, args[1]!, args[2]!)
      : Promise.reject(new Error(`usage: deployment-tool.ts foreign|identities …`));
run.catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
