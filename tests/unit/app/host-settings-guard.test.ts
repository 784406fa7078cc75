import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, BuildOptions } from '../../../src/main/app/composition';
import { dataLayout } from '../../../src/main/app/paths';
import { AuditLog } from '../../../src/main/audit/audit-log';
import type { AuditEntry } from '../../../src/main/audit/audit-entry';
import { deriveAuditKeys } from '../../../src/main/audit/audit-keys';
import { checkAuditTrail } from '../../../src/main/cli/audit-trail';
import { createLogger, silentLogger } from '../../../src/main/log/logger';
import { openStore, readKeyFile } from '../../../src/main/store';
import type { HostStatus, SessionState } from '../../../src/shared/contract';
import { authenticate, call, startApp } from '../../integration/support/app-harness';

/**
 * The auditor's finding on « Paramètres » (issue 13): which DMP host the workstation talks to, with
 * which certificate files, is changed only by an authenticated professional, never when IT manages
 * the settings, and every change or refused attempt is logged and in the local audit chain.
 */

let root: string;
let dataDir: string;
let managedFile: string;
let tls: { ca: string; cert: string; key: string };
let logLines: string[];
const apps: App[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'poste-dmp-settings-guard-'));
  dataDir = join(root, 'data');
  managedFile = join(root, 'etc', 'host-settings.json');
  mkdirSync(join(root, 'tls'));
  mkdirSync(join(root, 'etc'));
  tls = {
    ca: join(root, 'tls', 'ca.pem'),
    cert: join(root, 'tls', 'poste.pem'),
    key: join(root, 'tls', 'poste.key'),
  };
  writeFileSync(tls.ca, 'CA PEM');
  writeFileSync(tls.cert, 'POSTE CERT PEM');
  writeFileSync(tls.key, 'POSTE KEY PEM');
  logLines = [];
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function start(extra: Partial<BuildOptions> = {}): Promise<App> {
  const { app } = await startApp({
    dataDir,
    log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
    seedFiles: [],
    managedHostSettingsFile: managedFile,
    ...extra,
  });
  apps.push(app);
  return app;
}

async function stop(app: App): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
}

/** Card + PIN (and the practice situation when the card asks for one). */
async function signIn(app: App): Promise<SessionState> {
  await authenticate(app, 'cps-medecin-generaliste');
  const state = await call<SessionState>(app, 'session.get');
  expect(state.status).toBe('authenticated');
  return state;
}

const remote = () => ({
  url: 'https://dmp.chu.test:8443',
  caFile: tls.ca,
  certFile: tls.cert,
  keyFile: tls.key,
});

const refusal = (app: App, settings: unknown) =>
  call(app, 'settings.saveHost', { settings }).then(
    () => {
      throw new Error('saved');
    },
    (err: Error & { code: string }) => ({ code: err.code, message: err.message }),
  );

/** The `settings.host` entries of the data folder's audit chain (read after the app is closed). */
async function settingsEntries(): Promise<AuditEntry[]> {
  const layout = dataLayout(dataDir);
  const secret = readKeyFile(layout.auditKeyFile);
  const keys = deriveAuditKeys(secret.key);
  const store = await openStore({
    dir: layout.storeDir,
    key: readKeyFile(layout.keyFile),
    migrations: [],
    log: silentLogger,
    readOnly: true,
  });
  try {
    const entries = await (await AuditLog.open(store, { keys })).entries();
    return entries.filter((e) => e.action === 'settings.host');
  } finally {
    await store.close();
  }
}

describe('« Paramètres »: saving the shared host settings requires a professional card and PIN', () => {
  it('refuses in French while nobody is authenticated, writes nothing, and records the refused attempt', async () => {
    const app = await start();
    // Reading stays open: the card bar and the screen explain the state to anyone.
    expect(await call(app, 'settings.getHost')).toEqual({
      saved: null,
      file: dataLayout(dataDir).hostSettingsFile,
      managed: false,
    });
    expect(await refusal(app, remote())).toEqual({
      code: 'LOCKED',
      message:
        'Modifier le serveur DMP du poste exige une carte professionnelle authentifiée : insérez votre carte et saisissez votre code.',
    });
    expect(existsSync(dataLayout(dataDir).hostSettingsFile)).toBe(false);
    await stop(app);

    const entries = await settingsEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: 'workstation:local',
      cardSerial: null,
      insKey: null,
      mode: null,
      target: 'outcome=refused cause=not-authenticated old=embedded new=https://dmp.chu.test:8443',
    });
    const log = logLines.join('\n');
    expect(log).toContain('host settings change refused');
    expect(log).toContain('"cause":"not-authenticated"');
    expect((await checkAuditTrail(dataDir, silentLogger)).ok).toBe(true);
  });

  it('saves for the next start once the professional is authenticated, naming them, the old and the new host (no file path)', async () => {
    const app = await start();
    const state = await signIn(app);
    const nationalId = state.professional!.holder.nationalId;
    const answer = await call(app, 'settings.saveHost', { settings: remote() });
    expect(answer).toEqual({
      saved: remote(),
      file: dataLayout(dataDir).hostSettingsFile,
      appliesAtRestart: true,
    });
    // Applies at restart only, as before.
    expect(await call<HostStatus>(app, 'host.status')).toEqual({ mode: 'embedded' });
    // Back to the embedded DMP: a second change, old and new swapped.
    await call(app, 'settings.saveHost', { settings: null });
    await stop(app);

    const entries = await settingsEntries();
    expect(entries.map((e) => [e.actorId, e.cardSerial, e.insKey, e.target])).toEqual([
      [
        nationalId,
        state.professional!.serial,
        null,
        'outcome=saved cause=- old=embedded new=https://dmp.chu.test:8443',
      ],
      [
        nationalId,
        state.professional!.serial,
        null,
        'outcome=saved cause=- old=https://dmp.chu.test:8443 new=embedded',
      ],
    ]);
    for (const e of entries) expect(e.target).not.toContain(root);
    const log = logLines.join('\n');
    expect(log).toContain('host settings saved for the next start');
    expect(log).toContain(`"actor":"${nationalId}"`);
    expect(log).not.toContain('1234');
    expect(log).not.toContain(tls.key);
    expect((await checkAuditTrail(dataDir, silentLogger)).ok).toBe(true);
  });

  it('an invalid change is still refused on its own terms, after authentication', async () => {
    const app = await start();
    await signIn(app);
    const err = await refusal(app, { ...remote(), certFile: join(root, 'absent.pem') });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('introuvable');
    expect(existsSync(dataLayout(dataDir).hostSettingsFile)).toBe(false);
  });
});

describe('« Paramètres »: settings managed by IT', () => {
  const managed = (host: unknown): void =>
    writeFileSync(managedFile, `${JSON.stringify({ version: 1, host }, null, 2)}\n`);

  it('are read from the managed file, shown as managed, and a change is refused even to an authenticated professional', async () => {
    managed(null);
    const app = await start();
    expect(await call(app, 'settings.getHost')).toEqual({ saved: null, file: managedFile, managed: true });
    const state = await signIn(app);
    expect(await refusal(app, remote())).toEqual({
      code: 'FORBIDDEN',
      message:
        'Ces réglages sont gérés par votre service informatique : ils ne peuvent pas être modifiés depuis ce poste.',
    });
    expect(existsSync(dataLayout(dataDir).hostSettingsFile)).toBe(false);
    expect(readFileSync(managedFile, 'utf8')).toContain('"host": null');
    await stop(app);

    const entries = await settingsEntries();
    expect(entries.map((e) => [e.actorId, e.target])).toEqual([
      [
        state.professional!.holder.nationalId,
        'outcome=refused cause=managed old=embedded new=https://dmp.chu.test:8443',
      ],
    ]);
    expect(logLines.join('\n')).toContain('"cause":"managed"');
  });

  it('win over what the settings screen saved in the data folder', async () => {
    const app = await start();
    await signIn(app);
    await call(app, 'settings.saveHost', { settings: remote() });
    await stop(app);

    // IT now manages this workstation: embedded DMP, whatever the data folder says.
    managed(null);
    const again = await start();
    expect(await call<HostStatus>(again, 'host.status')).toEqual({ mode: 'embedded' });
    expect(await call(again, 'settings.getHost')).toEqual({ saved: null, file: managedFile, managed: true });
  });

  it('refuse host options on the command line instead of letting them go round the lock', async () => {
    managed(null);
    await expect(
      start({
        hostOptions: {
          dmp: 'https://ailleurs.test:8443',
          hostCa: tls.ca,
          workstationCert: tls.cert,
          workstationKey: tls.key,
        },
      }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('gérés par votre service informatique'),
    });
  });

  it('a damaged managed file stops the start with a French message for IT, not a silent fallback', async () => {
    writeFileSync(managedFile, '{ not json');
    await expect(start()).rejects.toMatchObject({
      code: 'CORRUPT_DATA',
      message: expect.stringContaining('gérés par votre service informatique invalides'),
    });
  });
});

describe('saveHostSettingsAs: a change nobody could trace is not kept', () => {
  it('puts the previous file back and refuses in French when the audit entry cannot be written', async () => {
    const { saveHostSettingsAs } = await import('../../../src/main/app/host-settings-change');
    const { writeHostSettings } = await import('../../../src/main/app/host-settings');
    const { doctor } = await import('../renderer/support/fixtures');
    writeHostSettings(dataDir, remote());
    const before = readFileSync(dataLayout(dataDir).hostSettingsFile, 'utf8');
    const professional = doctor();
    const err = await saveHostSettingsAs(
      {
        source: { dataDir, managedFile },
        session: {
          get: () => ({ status: 'authenticated', professional, pin: null, patient: null }),
          actor: () => ({ professional, mode: 'normal' }),
        },
        trail: { whose: 'workstation', record: () => Promise.reject(new Error('disk full')) },
        log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
      },
      null,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('le journal d’audit du poste n’a pas pu les tracer'),
    });
    expect(readFileSync(dataLayout(dataDir).hostSettingsFile, 'utf8')).toBe(before);
    expect(logLines.join('\n')).toContain('host settings audit entry not written');
  });

  it('refuses in French, changing nothing, when the current settings file cannot be read to be kept aside', async () => {
    const { saveHostSettingsAs } = await import('../../../src/main/app/host-settings-change');
    const { doctor } = await import('../renderer/support/fixtures');
    // Something that exists but cannot be read as a file (root ignores permission bits).
    mkdirSync(dataLayout(dataDir).hostSettingsFile, { recursive: true });
    const professional = doctor();
    const recorded: unknown[] = [];
    const err = await saveHostSettingsAs(
      {
        source: { dataDir, managedFile },
        session: {
          get: () => ({ status: 'authenticated', professional, pin: null, patient: null }),
          actor: () => ({ professional, mode: 'normal' }),
        },
        trail: { whose: 'workstation', record: (change) => Promise.resolve(void recorded.push(change)) },
        log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
      },
      remote(),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('le fichier des réglages actuels ne peut pas être lu'),
    });
    expect(recorded).toEqual([]);
    expect(logLines.join('\n')).toContain('current settings file unreadable');
  });

  it('two saves at once: one that cannot be traced does not put back a file over the other, traced one', async () => {
    const { saveHostSettingsAs } = await import('../../../src/main/app/host-settings-change');
    const { readHostSettings } = await import('../../../src/main/app/host-settings');
    const { doctor } = await import('../renderer/support/fixtures');
    const professional = doctor();
    const saved: string[] = [];
    let calls = 0;
    const deps = {
      source: { dataDir, managedFile },
      session: {
        get: () => ({ status: 'authenticated' as const, professional, pin: null, patient: null }),
        actor: () => ({ professional, mode: 'normal' as const }),
      },
      trail: {
        whose: 'workstation' as const,
        // The first change's entry fails late, after the second change has been asked for.
        record: (change: { newUrl: string | null }) =>
          ++calls === 1
            ? new Promise<void>((_, reject) => setTimeout(() => reject(new Error('disk full')), 200))
            : Promise.resolve(void saved.push(change.newUrl ?? 'embedded')),
      },
      log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
    };
    const first = saveHostSettingsAs(deps, { ...remote(), url: 'https://dmp-a.hopital.example:8443' });
    const second = saveHostSettingsAs(deps, { ...remote(), url: 'https://dmp-b.hopital.example:8443' });
    await expect(first).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(second).resolves.toMatchObject({ saved: { url: 'https://dmp-b.hopital.example:8443' } });
    // What the audit trail says was saved is what the file holds.
    expect(saved).toEqual(['https://dmp-b.hopital.example:8443']);
    expect(readHostSettings(dataDir)?.url).toBe('https://dmp-b.hopital.example:8443');
  });

  it('a refused change names, as the old host, the one IT’s managed file puts in effect', async () => {
    const { saveHostSettingsAs } = await import('../../../src/main/app/host-settings-change');
    const { writeHostSettings } = await import('../../../src/main/app/host-settings');
    const { doctor } = await import('../renderer/support/fixtures');
    // The screen once saved another host in the data folder; IT's file now decides.
    writeHostSettings(dataDir, { ...remote(), url: 'https://ancien.hopital.example:8443' });
    writeFileSync(
      managedFile,
      `${JSON.stringify({ version: 1, host: { ...remote(), url: 'https://dmp-geree.hopital.example:8443' } })}\n`,
    );
    const professional = doctor();
    const recorded: { oldUrl: string | null }[] = [];
    await saveHostSettingsAs(
      {
        source: { dataDir, managedFile },
        session: {
          get: () => ({ status: 'authenticated', professional, pin: null, patient: null }),
          actor: () => ({ professional, mode: 'normal' }),
        },
        trail: { whose: 'workstation', record: (change) => Promise.resolve(void recorded.push(change)) },
        log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
      },
      null,
    ).catch(() => undefined);
    expect(recorded).toMatchObject([
      { outcome: 'refused', cause: 'managed', oldUrl: 'https://dmp-geree.hopital.example:8443' },
    ]);
  });
});
