import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../src/main/app/composition';
import { connectToHost } from '../../../src/main/host-client';
import type { HostSeams } from '../../../src/main/app/host-seams';
import { createLogger } from '../../../src/main/log/logger';
import type { HostStatus, SessionState } from '../../../src/shared/contract';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';
import { call, nextEvent, sessionWhere } from '../support/app-calls';

const CPS_READER = 'Lecteur simulé CPS';

/**
 * A browser-host workstation built by the composition root on a real DMP host (TLS 1.3, workstation
 * certificates) through the real client. The card proof uses the host tests' software card from the
 * same test PKI (the SoftHSM2 path is tests/unit/host/card-proof-softhsm.test.ts); everything else is the real thing.
 */
describe('workstation as a client of a real DMP host', () => {
  let pki: HostTestPki;
  let host: Awaited<ReturnType<typeof startTestHost>>;
  let root: string;
  const apps: App[] = [];

  beforeAll(async () => {
    pki = await createHostTestPki();
    host = await startTestHost(pki);
    root = mkdtempSync(join(tmpdir(), 'poste-dmp-station-'));
    writeFileSync(join(root, 'ca.pem'), pki.caPem);
    writeFileSync(join(root, 'poste.pem'), pki.workstation.certPem);
    writeFileSync(join(root, 'poste.key'), pki.workstation.keyPem);
    writeFileSync(join(root, 'foreign.pem'), pki.foreignWorkstation.certPem);
    writeFileSync(join(root, 'foreign.key'), pki.foreignWorkstation.keyPem);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await host?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  });

  async function workstation(
    name: string,
    cert = 'poste',
    seams?: HostSeams,
  ): Promise<{ app: App; dataDir: string }> {
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
        pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so',
      },
      ...(seams ? { hostSeams: seams } : {}),
    });
    apps.push(app);
    return { app, dataDir };
  }

  it('connects, proves the card after the PIN, answers patient requests from the host, and keeps no local store', async () => {
    let holder: SessionState['professional'] = null;
    const { app, dataDir } = await workstation('a', 'poste', {
      connectToHost,
      // The software card of the test PKI, for the professional on the simulated CPS.
      openCardSigner: async () =>
        pki.card({
          nationalId: holder!.holder.nationalId,
          professionCode: holder!.holder.professionCode,
          lastName: holder!.holder.lastName,
          firstName: holder!.holder.firstName,
          cardKind: 'cps',
        }),
    });
    expect(await call<HostStatus>(app, 'host.status')).toMatchObject({ mode: 'remote', state: 'connected' });
    const asked = sessionWhere(app, (s) => s.status === 'pin_required');
    await call(app, 'simulator.insert', { reader: CPS_READER, profileId: 'cps-medecin-generaliste' });
    holder = (await asked).professional;
    expect(
      (await call<{ success: boolean }>(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' }))
        .success,
    ).toBe(true);
    const state = await call<SessionState>(app, 'session.get');
    if (state.status === 'situation_required') await call(app, 'session.selectSituation', { index: 0 });
    expect(await call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' })).toEqual([]);
    expect(readdirSync(dataDir).sort()).toEqual(['LOCK']);
  });

  it('a card the host does not trust: French refusal after the PIN, no access', async () => {
    let holder: SessionState['professional'] = null;
    const { app } = await workstation('b', 'poste', {
      connectToHost,
      openCardSigner: async () =>
        pki.card(
          {
            nationalId: holder!.holder.nationalId,
            professionCode: holder!.holder.professionCode,
            lastName: holder!.holder.lastName,
            firstName: holder!.holder.firstName,
            cardKind: 'cps',
          },
          { foreign: true },
        ),
    });
    const asked = sessionWhere(app, (s) => s.status === 'pin_required');
    await call(app, 'simulator.insert', { reader: CPS_READER, profileId: 'cps-medecin-generaliste' });
    holder = (await asked).professional;
    const refusal = await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' }).catch(
      (err: { code: string; message: string }) => err,
    );
    expect(refusal).toMatchObject({ code: expect.stringMatching(/FORBIDDEN|UNAVAILABLE|CARD_ERROR/) });
    expect((refusal as { message: string }).message).toMatch(/[éèà]|carte|serveur/i);
    expect((await call<SessionState>(app, 'session.get')).status).not.toBe('authenticated');
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
