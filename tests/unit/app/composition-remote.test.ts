import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App, type BuildOptions } from '../../../src/main/app/composition';
import { writeHostSettings } from '../../../src/main/app/host-settings';
import { resourcesDir } from '../../../src/main/app/paths';
import { createLogger } from '../../../src/main/log/logger';
import { connectLocalImport } from '../../../src/main/local-import/client';
import { ApiError, type HostStatus, type SessionState } from '../../../src/shared/contract';
import { call, nextEvent, sessionWhere } from '../../integration/support/app-calls';
import { FakeHost } from './fake-host';

const CPS_READER = 'Lecteur simulé CPS';
const MODULE = '/usr/lib/softhsm/libsofthsm2.so';

let root: string;
let dataDir: string;
let tls: { ca: string; cert: string; key: string };
let host: FakeHost;
let logLines: string[];
const apps: App[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'poste-dmp-remote-'));
  dataDir = join(root, 'data');
  mkdirSync(join(root, 'tls'));
  tls = {
    ca: join(root, 'tls', 'ca.pem'),
    cert: join(root, 'tls', 'poste.pem'),
    key: join(root, 'tls', 'poste.key'),
  };
  writeFileSync(tls.ca, 'CA PEM');
  writeFileSync(tls.cert, 'POSTE CERT PEM');
  writeFileSync(tls.key, 'POSTE KEY PEM');
  host = new FakeHost();
  logLines = [];
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function start(extra: Partial<BuildOptions> = {}): Promise<App> {
  const app = await buildApp({
    host: 'web',
    dataDir,
    simulation: true,
    production: false,
    key: { kind: 'file', path: join(dataDir, 'store.key') },
    log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
    seedFiles: [join(resourcesDir(), 'demo', 'VSM_1.4_2022.01.xml')],
    identitySeedFiles: [join(resourcesDir(), 'identity', 'demo-identities.json')],
    hostSeams: host,
    env: {},
    ...extra,
  });
  apps.push(app);
  return app;
}

const remoteOptions = (): BuildOptions['hostOptions'] => ({
  dmp: 'https://dmp.example.test:8443',
  hostCa: tls.ca,
  workstationCert: tls.cert,
  workstationKey: tls.key,
  pkcs11Module: MODULE,
});

/** Everything in the data folder (recursively), so a store, key or audit file created anywhere shows. */
function dataFolderContents(): string[] {
  try {
    return readdirSync(dataDir, { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

async function insertCps(app: App): Promise<void> {
  const asked = sessionWhere(app, (s) => s.status === 'pin_required');
  await call(app, 'simulator.insert', { reader: CPS_READER, profileId: 'cps-medecin-generaliste' });
  await asked;
}

describe('composition: the shared DMP host instead of the embedded store', () => {
  it('with --dmp, never opens or creates the local store, key or audit trail, and asks the host', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    expect(host.connections).toHaveLength(1);
    expect(host.connections[0]).toMatchObject({
      url: 'https://dmp.example.test:8443',
      caPem: 'CA PEM',
      certPem: 'POSTE CERT PEM',
      keyPem: 'POSTE KEY PEM',
    });
    expect(await call<HostStatus>(app, 'host.status')).toMatchObject({
      mode: 'remote',
      url: 'https://dmp.example.test:8443',
      state: 'connected',
    });
    // The demo seeding is the host's business: nothing imported, nothing registered from here.
    expect(host.dmpCalls.map((c) => c.method)).toEqual([]);
    // The import socket is there only to tell `cli import`, in French, that there is no local store.
    expect(dataFolderContents()).toEqual(['LOCK', 'import.sock']);
    await expect(connectLocalImport(join(dataDir, 'import.sock'))).rejects.toThrow(
      /serveur DMP partagé : il n’a pas de base locale/,
    );
    await app.close();
    apps.pop();
    expect(dataFolderContents()).toEqual([]);
  });

  it('is chosen by host-settings.json when no option is given', async () => {
    writeHostSettings(dataDir, {
      url: 'https://dmp.example.test:8443',
      caFile: tls.ca,
      certFile: tls.cert,
      keyFile: tls.key,
    });
    const app = await start();
    expect((await call<HostStatus>(app, 'host.status')).mode).toBe('remote');
    expect(await call(app, 'settings.getHost')).toEqual({
      saved: { url: 'https://dmp.example.test:8443', caFile: tls.ca, certFile: tls.cert, keyFile: tls.key },
      file: join(dataDir, 'host-settings.json'),
      managed: false,
    });
    expect(dataFolderContents()).toEqual(['LOCK', 'host-settings.json', 'import.sock']);
  });

  it('is chosen by the file IT manages, over the data folder; the screen cannot change it', async () => {
    writeHostSettings(dataDir, null);
    const managedFile = join(root, 'managed-host-settings.json');
    const host = {
      url: 'https://dmp.example.test:8443',
      caFile: tls.ca,
      certFile: tls.cert,
      keyFile: tls.key,
    };
    writeFileSync(managedFile, JSON.stringify({ version: 1, host }));
    const app = await start({ managedHostSettingsFile: managedFile });
    expect((await call<HostStatus>(app, 'host.status')).mode).toBe('remote');
    expect(await call(app, 'settings.getHost')).toEqual({ saved: host, file: managedFile, managed: true });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    await expect(call(app, 'settings.saveHost', { settings: null })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('a change on a shared-host workstation (no local store) goes to the host’s audit chain and its log, naming the professional', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    const state = await call<SessionState>(app, 'session.get');
    if (state.status === 'situation_required') await call(app, 'session.selectSituation', { index: 0 });
    await call(app, 'settings.saveHost', { settings: null });
    const line = logLines.find((l) => l.includes('host settings saved for the next start'));
    expect(line).toContain(`"actor":"${state.professional!.holder.nationalId}"`);
    expect(line).toContain('"to":"embedded"');
    // Only outcome, cause and the two origins are sent: the host names the professional itself.
    expect(host.dmpCalls.filter((c) => c.method === 'recordHostSettingsChange')).toEqual([
      {
        method: 'recordHostSettingsChange',
        args: [{ outcome: 'saved', oldUrl: null, newUrl: null }],
      },
    ]);
    // Still no local store created for it.
    expect(dataFolderContents()).toEqual(['LOCK', 'host-settings.json', 'import.sock']);
  });

  it('a change the host cannot record is undone and refused in French, naming the shared host’s audit trail', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    const state = await call<SessionState>(app, 'session.get');
    if (state.status === 'situation_required') await call(app, 'session.selectSituation', { index: 0 });
    const before = await call(app, 'settings.getHost');
    host.recordError = new ApiError('UNAVAILABLE', 'Serveur DMP injoignable.');
    const other = {
      url: 'https://autre.example.test:8443',
      caFile: tls.ca,
      certFile: tls.cert,
      keyFile: tls.key,
    };
    await expect(call(app, 'settings.saveHost', { settings: other })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message:
        'Réglages du serveur DMP non enregistrés : le serveur DMP partagé n’a pas pu les tracer dans son journal d’audit. Vérifiez la connexion au serveur DMP et réessayez.',
    });
    expect(await call(app, 'settings.getHost')).toEqual(before);
    expect(host.dmpCalls.filter((c) => c.method === 'recordHostSettingsChange')).toEqual([
      {
        method: 'recordHostSettingsChange',
        args: [{ outcome: 'saved', oldUrl: null, newUrl: 'https://autre.example.test:8443' }],
      },
    ]);
    expect(logLines.some((l) => l.includes('host settings saved for the next start'))).toBe(false);
  });

  it('without host settings, opens the embedded store as before (what the other tests rule out)', async () => {
    const app = await start({ seedFiles: [], identitySeedFiles: [] });
    expect(await call<HostStatus>(app, 'host.status')).toEqual({ mode: 'embedded' });
    expect(dataFolderContents()).toEqual(expect.arrayContaining(['store', 'store.key', 'audit.key']));
    expect(host.connections).toHaveLength(0);
  });

  it('refuses to start on damaged host settings, creating nothing', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'host-settings.json'), '{"version":1,"host":{"url":"http://x"}}');
    await expect(start()).rejects.toThrow(/Réglages du serveur DMP invalides/);
    expect(dataFolderContents()).toEqual(['host-settings.json']);
  });

  it('refuses to start when a workstation certificate file cannot be read, in French', async () => {
    await expect(
      start({ hostOptions: { ...remoteOptions(), workstationKey: join(root, 'absent.key') } }),
    ).rejects.toThrow(/clé privée du poste illisible/);
    expect(dataFolderContents()).toEqual([]);
  });

  it('refuses to start when the host client rejects the settings (unusable certificate), in French', async () => {
    host.connectError = new Error(
      'Connexion au serveur DMP impossible : le certificat du poste, sa clé ou l’autorité du déploiement est illisible (PEM).',
    );
    await expect(start({ hostOptions: remoteOptions() })).rejects.toThrow(
      /le certificat du poste, sa clé ou l’autorité du déploiement est illisible/,
    );
    expect(dataFolderContents()).toEqual([]);
  });

  it('host unreachable at start: a French state, every patient request refused, no local data', async () => {
    host.current = {
      state: 'unreachable',
      message: 'Serveur DMP injoignable — aucune donnée affichée.',
      since: '2026-12-02T07:00:00.000Z',
    };
    const app = await start({ hostOptions: remoteOptions() });
    expect(await call<HostStatus>(app, 'host.status')).toMatchObject({
      mode: 'remote',
      state: 'unreachable',
      message: 'Serveur DMP injoignable — aucune donnée affichée.',
    });
    await insertCps(app);
    // The card accepts the PIN, but the host cannot verify the card: no access.
    await expect(call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Serveur DMP injoignable — aucune donnée affichée.',
    });
    expect((await call<SessionState>(app, 'session.get')).status).toBe('pin_required');
    expect(dataFolderContents()).toEqual(['LOCK', 'import.sock']);
  });

  it('passes the host status changes on to the renderer as host.changed', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    const event = nextEvent<HostStatus>(
      app,
      'host.changed',
      (s) => s.mode === 'remote' && s.state === 'refused',
    );
    host.setStatus({
      state: 'refused',
      message: 'Certificat du poste refusé par le serveur.',
      since: '2026-12-02T08:00:00.000Z',
    });
    expect(await event).toEqual({
      mode: 'remote',
      url: 'https://dmp.example.test:8443',
      state: 'refused',
      message: 'Certificat du poste refusé par le serveur.',
      since: '2026-12-02T08:00:00.000Z',
    });
  });
});

describe('composition: the professional proves their card to the host after the PIN', () => {
  it('opens the card signer on the card (token = serial) and keeps it for the session; removal ends the host session and closes it', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    const result = await call<{ success: boolean }>(app, 'session.verifyPin', {
      reader: CPS_READER,
      pin: '1234',
    });
    expect(result.success).toBe(true);
    const state = await call<SessionState>(app, 'session.get');
    expect(['authenticated', 'situation_required']).toContain(state.status);
    const serial = state.professional!.serial;
    expect(host.signers).toEqual([{ modulePath: MODULE, token: serial, pin: '1234' }]);
    expect(host.authenticated).toEqual([`CERT ${serial}`]);
    // The client proves the card again on its own after a reconnection: the signer stays open.
    expect(host.closedSigners).toBe(0);
    expect(logLines.join('\n')).not.toContain('1234');

    // A patient request goes to the host's DMP.
    if (state.status === 'situation_required') await call(app, 'session.selectSituation', { index: 0 });
    await call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' });
    expect(host.dmpCalls.map((c) => c.method)).toContain('searchDossiersAs');

    expect(host.ended).toBe(0);
    const locked = sessionWhere(app, (s) => s.status === 'locked');
    await call(app, 'simulator.remove', { reader: CPS_READER });
    await locked;
    await expect.poll(() => host.ended).toBe(1);
    await expect.poll(() => host.closedSigners).toBe(1);
  });

  it('a manual lock ends the professional session on the host', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    await call(app, 'session.lock');
    await expect.poll(() => host.ended).toBe(1);
    await expect.poll(() => host.closedSigners).toBe(1);
  });

  it('a session the host ends on its side locks the workstation; session.get and session.changed carry the host’s reason', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    const state = await call<SessionState>(app, 'session.get');
    if (state.status === 'situation_required') await call(app, 'session.selectSituation', { index: 0 });
    expect((await call<SessionState>(app, 'session.get')).status).toBe('authenticated');
    const message =
      'Carte du professionnel révoquée : session fermée. Le certificat de cette carte a été révoqué (carte perdue, volée ou remplacée) ; utilisez votre nouvelle carte ou contactez l’autorité qui l’a délivrée.';
    const changed = nextEvent<SessionState>(app, 'session.changed', (s) => s.status === 'locked');
    host.endSessionOnHost({ cause: 'card-revoked', message });
    const event = await changed;
    expect(event).toMatchObject({
      status: 'locked',
      patient: null,
      endedByHost: { cause: 'card-revoked', message },
    });
    expect(await call<SessionState>(app, 'session.get')).toMatchObject({
      status: 'locked',
      patient: null,
      endedByHost: { cause: 'card-revoked', message },
    });
    // Nothing is asked of the host with that card any more: no patient request, no new proof.
    await expect(
      call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' }),
    ).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message,
    });
    expect(host.authenticated).toHaveLength(1);
    // The card's token session is closed, as after a local lock; the log says why, without the PIN.
    await expect.poll(() => host.closedSigners).toBe(1);
    const logs = logLines.join('\n');
    expect(logs).toMatch(/professional session ended by the host/);
    expect(logs).toMatch(/"cause":"card-revoked"/);
    expect(logs).not.toContain('1234');
  });

  it('an inactivity end on the host locks the workstation; the PIN resumes it with a new proof', async () => {
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    const message = 'Session du professionnel terminée après inactivité : présentez à nouveau votre carte.';
    const changed = nextEvent<SessionState>(app, 'session.changed', (s) => s.status === 'locked');
    host.endSessionOnHost({ cause: 'inactivity', message });
    expect((await changed).endedByHost).toEqual({ cause: 'inactivity', message });
    const resumed = await call<{ success: boolean }>(app, 'session.verifyPin', {
      reader: CPS_READER,
      pin: '1234',
    });
    expect(resumed.success).toBe(true);
    expect(host.authenticated).toHaveLength(2);
    expect((await call<SessionState>(app, 'session.get')).endedByHost).toBeUndefined();
  });

  it('a card the host refuses gives a French message and no access', async () => {
    host.authenticateError = new Error('certificate chain does not lead to a trusted root');
    const app = await start({ hostOptions: remoteOptions() });
    await insertCps(app);
    await expect(call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Le serveur DMP a refusé votre carte : accès impossible.',
    });
    expect((await call<SessionState>(app, 'session.get')).status).toBe('pin_required');
    await expect(
      call(app, 'patient.search', { insKey: '279035121518989@1.2.250.1.213.1.4.10' }),
    ).rejects.toMatchObject({
      code: 'LOCKED',
    });
    expect(host.closedSigners).toBe(1);
  });

  it('without a PKCS#11 module configured, finds one like the card layer does (environment, then SoftHSM2 on a test workstation)', async () => {
    const { pkcs11Module: _none, ...withoutModule } = remoteOptions()!;
    const app = await start({
      hostOptions: withoutModule,
      env: { POSTE_DMP_PKCS11_MODULE: '/opt/test/libp11.so' },
    });
    await insertCps(app);
    await call(app, 'session.verifyPin', { reader: CPS_READER, pin: '1234' });
    expect(host.signers.map((s) => s.modulePath)).toEqual(['/opt/test/libp11.so']);
  });
});
