import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../src/main/app/composition';
import { openCardSigner } from '../../../src/main/cards/pkcs11';
import { connectToHost } from '../../../src/main/host-client';
import { createLogger } from '../../../src/main/log/logger';
import type { SessionState } from '../../../src/shared/contract';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';
import { createSoftHsmCards, type SoftHsmCards } from '../../support/softhsm';
import { authenticate, call, CPS_READER, nextEvent } from '../../integration/support/app-harness';

const MINUTE = 60_000;

/**
 * The whole chain with nothing doubled: a real DMP host whose clock the test moves, the real host
 * client (its ping cycle shortened), the card's SoftHSM2 token signing the proof after the PIN, the
 * composition root and its SessionService. The host ends the professional's session after
 * inactivity; with no clinician action, the workstation locks and says why.
 */
describe('a professional session ended on the shared DMP host locks the workstation', () => {
  let pki: HostTestPki;
  let tokens: SoftHsmCards;
  let host: Awaited<ReturnType<typeof startTestHost>>;
  let root: string;
  let clock = Date.parse('2026-03-01T09:00:00Z');
  const apps: App[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'poste-dmp-host-end-'));
    pki = await createHostTestPki();
    // Before any signer is opened in this process: sets SOFTHSM2_CONF for it.
    tokens = await createSoftHsmCards({ pki: pki.deployment!, cards: ['cps-medecin-generaliste'] });
    host = await startTestHost(pki, { idleMs: 15 * MINUTE, now: () => clock });
    writeFileSync(join(root, 'ca.pem'), pki.caPem);
    writeFileSync(join(root, 'poste.pem'), pki.workstation.certPem);
    writeFileSync(join(root, 'poste.key'), pki.workstation.keyPem);
  }, 120_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await host?.close();
    tokens?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  }, 60_000);

  async function startApp(dataDir: string): Promise<App> {
    const app = await buildApp({
      host: 'web',
      dataDir,
      simulation: true,
      production: false,
      key: { kind: 'file', path: join(root, 'data', 'store.key') },
      log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
      hostOptions: {
        dmp: host.url,
        hostCa: join(root, 'ca.pem'),
        workstationCert: join(root, 'poste.pem'),
        workstationKey: join(root, 'poste.key'),
        pkcs11Module: tokens.modulePath,
      },
      // The real client and signer; only the ping period is shortened so the test need not wait 30 s.
      hostSeams: {
        connectToHost: (options) => connectToHost({ ...options, pingEveryMs: 50 }),
        openCardSigner,
      },
      env: {},
    });
    apps.push(app);
    return app;
  }

  it('inactivity on the host: locked without a clinician action, the host’s reason in session.get and session.changed', async () => {
    const app = await startApp(join(root, 'data'));
    await authenticate(app, 'cps-medecin-generaliste');
    expect(await call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' })).toEqual([]);

    // Generous bound: on a loaded machine the 50 ms ping may run late, never wrongly.
    const locked = nextEvent<SessionState>(app, 'session.changed', (s) => s.status === 'locked', 30_000);
    clock += 16 * MINUTE;
    const message = 'Session du professionnel terminée après inactivité : présentez à nouveau votre carte.';
    const event = await locked;
    expect(event).toMatchObject({
      status: 'locked',
      patient: null,
      endedByHost: { cause: 'inactivity', message },
    });
    expect(await call<SessionState>(app, 'session.get')).toMatchObject({
      status: 'locked',
      endedByHost: { cause: 'inactivity', message },
    });
    await expect(
      call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' }),
    ).rejects.toMatchObject({ code: 'LOCKED' });
    expect(logLines.join('\n')).toMatch(/session locked: professional session ended by the DMP host/);
    expect(logLines.join('\n')).not.toContain('1234');

    // The PIN resumes it: the card proves itself to the host again and patient requests are served.
    expect(
      (await call<{ success: boolean }>(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' }))
        .success,
    ).toBe(true);
    expect((await call<SessionState>(app, 'session.get')).endedByHost).toBeUndefined();
    expect(await call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' })).toEqual([]);
    expect(host.lines.filter((l) => l.includes('professional session started'))).toHaveLength(2);
  }, 60_000);

  it('a host settings change on this workstation is in the HOST’s audit chain, under the professional the card proved', async () => {
    const app = await startApp(join(root, 'data-settings'));
    await authenticate(app, 'cps-medecin-generaliste');
    const state = await call<SessionState>(app, 'session.get');
    const nationalId = state.professional!.holder.nationalId;
    const other = {
      url: 'https://autre.example.test:8443',
      caFile: join(root, 'ca.pem'),
      certFile: join(root, 'poste.pem'),
      keyFile: join(root, 'poste.key'),
    };
    await call(app, 'settings.saveHost', { settings: other });
    const entries = (await host.auditEntries()).filter((e) => e.action === 'settings.host');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: nationalId,
      cardSerial: null,
      insKey: null,
    });
    // Outcome and origins as the workstation sent them; the workstation certificate as the host read it.
    expect(entries[0]!.target).toMatch(
      /^outcome=saved cause=- old=embedded new=https:\/\/autre\.example\.test:8443 serial=[0-9A-F]+$/,
    );
    expect(host.lines.join('\n')).toMatch(/workstation host settings change recorded/);
  }, 60_000);

  it('the host refuses to record a settings change for a connection without a proven card', async () => {
    const before = (await host.auditEntries()).filter((e) => e.action === 'settings.host').length;
    const client = await host.client();
    await expect(
      client.recordHostSettingsChange({
        outcome: 'saved',
        oldUrl: null,
        newUrl: 'https://ailleurs.test:8443',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await host.auditEntries()).filter((e) => e.action === 'settings.host')).toHaveLength(before);
  }, 60_000);
});
