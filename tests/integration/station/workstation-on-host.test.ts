import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../src/main/app/composition';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { createLogger } from '../../../src/main/log/logger';
import { openPgStore } from '../../../src/main/store/pg/pg-store';
import type { HostStatus, SessionState } from '../../../src/shared/contract';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { createSoftHsmCards, type SoftHsmCards } from '../../support/softhsm';
import { authenticate, call, CPS_READER, nextEvent, sessionWhere } from '../support/app-harness';

/** The card whose SoftHSM2 token holds a key certified by an authority the deployment does not trust. */
const FOREIGN_CARD = 'cps-pharmacien';

/**
 * A browser-host workstation built by the composition root on a real DMP host (TLS 1.3, workstation
 * certificates from the project's test PKI) through the real client, with the real card signer: after
 * the PIN, the simulated card's SoftHSM2 token (label = card serial, PIN = code porteur) signs the
 * host's challenge through PKCS#11, and the host checks it with verifyProfessionalProof. The host
 * keeps the DMP in a throwaway PostgreSQL cluster, stopped by PID after the file.
 */
describe('workstation as a client of a real DMP host', () => {
  let pki: HostTestPki;
  let tokens: SoftHsmCards;
  let cluster: PgCluster;
  let host: Awaited<ReturnType<typeof startTestHost>>;
  let root: string;
  const apps: App[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'poste-dmp-station-'));
    pki = await createHostTestPki();
    const deploymentPki = pki.deployment!;
    const otherPki = pki.foreign!;
    // Before any signer is opened in this process: sets SOFTHSM2_CONF for it.
    tokens = await createSoftHsmCards({
      pki: deploymentPki,
      cards: ['cps-medecin-generaliste', { profileId: FOREIGN_CARD, pki: otherPki }],
    });
    cluster = await startPgCluster();
    const store = await openPgStore({
      connection: await cluster.createDatabase('dmp_station'),
      log: createLogger({ sink: () => undefined }),
      migrations: dmpMigrations,
    });
    host = await startTestHost(pki, { store });
    writeFileSync(join(root, 'ca.pem'), pki.caPem);
    writeFileSync(join(root, 'poste.pem'), pki.workstation.certPem);
    writeFileSync(join(root, 'poste.key'), pki.workstation.keyPem);
    writeFileSync(join(root, 'foreign.pem'), pki.foreignWorkstation.certPem);
    writeFileSync(join(root, 'foreign.key'), pki.foreignWorkstation.keyPem);
  }, 180_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await host?.close();
    await cluster?.stop();
    tokens?.cleanup();
    rmSync(root, { recursive: true, force: true });
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  }, 60_000);

  async function workstation(name: string, cert = 'poste'): Promise<{ app: App; dataDir: string }> {
    const dataDir = join(root, name);
    const app = await buildApp({
      host: 'web',
      dataDir,
      simulation: true,
      production: false,
      key: { kind: 'file', path: join(dataDir, 'store.key') },
      log: createLogger({ sink: () => undefined }),
      hostOptions: {
        dmp: host.url,
        hostCa: join(root, 'ca.pem'),
        workstationCert: join(root, `${cert}.pem`),
        workstationKey: join(root, `${cert}.key`),
        pkcs11Module: tokens.modulePath,
      },
    });
    apps.push(app);
    return { app, dataDir };
  }

  it('connects, proves the card after the PIN, answers patient requests from the host, and keeps no local store', async () => {
    const { app, dataDir } = await workstation('a');
    expect(await call<HostStatus>(app, 'host.status')).toMatchObject({ mode: 'remote', state: 'connected' });
    await authenticate(app, 'cps-medecin-generaliste');
    expect(host.lines.join('\n')).toContain('professional session started');
    expect(await call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' })).toEqual([]);
    // No store, no key, no audit files: only the folder lock and the import socket, which on a
    // workstation of the shared host refuses CLI imports in French (src/main/local-import).
    expect(readdirSync(dataDir).sort()).toEqual(['LOCK', 'import.sock']);
  });

  it('a card whose token holds a certificate from another CA: French refusal after the PIN, no access', async () => {
    const { app } = await workstation('b');
    const asked = sessionWhere(app, (s) => s.status === 'pin_required');
    await call(app, 'simulator.insert', { reader: CPS_READER, profileId: FOREIGN_CARD });
    await asked;
    const refusal = await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' }).catch(
      (err: { code: string; message: string }) => err,
    );
    expect(refusal).toMatchObject({
      code: 'FORBIDDEN',
      message:
        'Authentification refusée : le certificat de la carte n’a pas été émis par l’autorité des cartes de professionnels reconnue par le serveur DMP.',
    });
    expect((await call<SessionState>(app, 'session.get')).status).not.toBe('authenticated');
    await expect(
      call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' }),
    ).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('a workstation certificate from another CA is refused by the host: the status says so in French', async () => {
    const { app } = await workstation('c', 'foreign');
    const status = await call<HostStatus>(app, 'host.status');
    expect(status).toMatchObject({ mode: 'remote', state: 'refused' });
    expect(status.mode === 'remote' && status.message).toMatch(/certificat/);
  });

  it('the host going away turns the status to unreachable (host.changed)', async () => {
    const { app } = await workstation('d');
    expect((await call<HostStatus>(app, 'host.status')).mode).toBe('remote');
    const down = nextEvent<HostStatus>(
      app,
      'host.changed',
      (s) => s.mode === 'remote' && s.state === 'unreachable',
      60_000,
    );
    await host.close();
    expect((await down).mode).toBe('remote');
  });
});
