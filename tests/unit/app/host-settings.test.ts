import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, hostSettingsSchema, hostUrlProblem } from '../../../src/shared/contract';
import { readHostSettings, writeHostSettings } from '../../../src/main/app/host-settings';
import { hostOptionsFromArgv, resolveDmpLocation } from '../../../src/main/app/host-config';
import { managedHostSettingsFile, systemManagedHostSettingsFile } from '../../../src/main/app/paths';
import { shellSwitches } from '../../../src/main/electron/switches';

let dir: string;
let pem: { ca: string; cert: string; key: string };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'poste-dmp-host-settings-'));
  const tls = join(dir, 'tls');
  mkdirSync(tls);
  pem = { ca: join(tls, 'ca.pem'), cert: join(tls, 'poste.pem'), key: join(tls, 'poste.key') };
  for (const file of Object.values(pem)) writeFileSync(file, '-----BEGIN TEST-----\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settings = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  url: 'https://dmp.example.test:8443',
  caFile: pem.ca,
  certFile: pem.cert,
  keyFile: pem.key,
  ...extra,
});

const refusal = (run: () => unknown): ApiError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('host settings: what the settings screen may save', () => {
  it('accepts an https origin and stores it in one spelling', () => {
    const parsed = hostSettingsSchema.parse(settings({ url: ' https://DMP.example.test:8443/ ' }));
    expect(parsed.url).toBe('https://dmp.example.test:8443');
  });

  it.each([
    ['http://dmp.example.test:8443', 'https://'],
    ['https://user:pw@dmp.example.test', 'identifiant'],
    ['https://dmp.example.test/api', 'sans chemin'],
    ['https://dmp.example.test/?x=1', 'sans chemin'],
    ['dmp.example.test:8443', 'https'],
    ['pas une adresse', 'invalide'],
  ])('refuses %s with a French reason', (url, words) => {
    expect(hostUrlProblem(url) ?? '').toContain(words);
    expect(hostSettingsSchema.safeParse(settings({ url })).success).toBe(false);
  });

  it('refuses relative paths, unknown fields and missing certificates', () => {
    expect(hostSettingsSchema.safeParse(settings({ caFile: 'ca.pem' })).success).toBe(false);
    expect(hostSettingsSchema.safeParse(settings({ password: 'x' })).success).toBe(false);
    const { keyFile: _unused, ...withoutKey } = settings();
    expect(hostSettingsSchema.safeParse(withoutKey).success).toBe(false);
  });

  it('writes host-settings.json with mode 0600 and reads back the same settings', () => {
    const saved = writeHostSettings(dir, settings({ pkcs11Module: pem.key }));
    const file = join(dir, 'host-settings.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, host: saved });
    expect(readHostSettings(dir)).toEqual(saved);
  });

  it('saves "embedded" as null, and an absent file means embedded', () => {
    expect(readHostSettings(dir)).toBeNull();
    writeHostSettings(dir, settings());
    expect(writeHostSettings(dir, null)).toBeNull();
    expect(readHostSettings(dir)).toBeNull();
  });

  it('refuses to save settings naming files that are missing or are folders, in French', () => {
    const err = refusal(() =>
      writeHostSettings(dir, settings({ certFile: join(dir, 'absent.pem'), keyFile: dir })),
    );
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('certificat du poste');
    expect(err.message).toContain('introuvable');
    expect(err.message).toContain('clé privée du poste');
    expect(err.message).toContain('n’est pas un fichier');
    expect(() => statSync(join(dir, 'host-settings.json'))).toThrow();
  });

  it('treats a damaged file as an error, never as "no host configured"', () => {
    const file = join(dir, 'host-settings.json');
    for (const content of [
      '{ not json',
      JSON.stringify({ version: 1, host: { url: 'http://x' } }),
      JSON.stringify({ version: 2, host: null }),
      JSON.stringify({ version: 1, host: null, extra: true }),
    ]) {
      writeFileSync(file, content);
      const err = refusal(() => readHostSettings(dir));
      expect(err.code).toBe('CORRUPT_DATA');
      expect(err.message).toContain('Réglages du serveur DMP invalides');
      expect(err.message).toContain('ne démarre pas sur d’autres données');
    }
  });
});

describe('where the dossiers are: options, then the settings file', () => {
  const none = (): null => null;

  it('is the embedded store when nothing is configured', () => {
    expect(resolveDmpLocation({}, none)).toEqual({ mode: 'embedded' });
  });

  it('takes the command-line options over the settings file, resolving relative paths', () => {
    const location = resolveDmpLocation(
      {
        dmp: 'https://h:9443',
        hostCa: 'tls/ca.pem',
        workstationCert: pem.cert,
        workstationKey: pem.key,
        pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so',
      },
      () => hostSettingsSchema.parse(settings()),
      { cwd: dir },
    );
    expect(location).toEqual({
      mode: 'remote',
      source: 'options',
      settings: {
        url: 'https://h:9443',
        caFile: pem.ca,
        certFile: pem.cert,
        keyFile: pem.key,
        pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so',
      },
    });
  });

  it('refuses --dmp without the workstation certificate options, naming them', () => {
    const err = refusal(() => resolveDmpLocation({ dmp: 'https://h:9443' }, none));
    expect(err.message).toContain('--host-ca, --workstation-cert, --workstation-key manquant(s)');
    const bad = refusal(() =>
      resolveDmpLocation(
        { dmp: 'http://h', hostCa: pem.ca, workstationCert: pem.cert, workstationKey: pem.key },
        none,
      ),
    );
    expect(bad.message).toContain('--dmp — l’adresse du serveur DMP doit commencer par https://');
  });

  it('refuses every host option when IT manages the settings, without reading them', () => {
    const err = refusal(() =>
      resolveDmpLocation(
        { pkcs11Module: '/opt/cps/libcps.so' },
        () => {
          throw new Error('settings file read');
        },
        { managed: () => true },
      ),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe(
      'Serveur DMP : les réglages de ce poste sont gérés par votre service informatique ; option(s) refusée(s) : --pkcs11-module.',
    );
    // Not managed: --pkcs11-module alone still falls through to the saved settings, as before.
    expect(resolveDmpLocation({ pkcs11Module: '/opt/cps/libcps.so' }, none)).toEqual({ mode: 'embedded' });
  });

  it('uses the saved settings when no option is given', () => {
    const saved = hostSettingsSchema.parse(settings({ pkcs11Module: '/opt/cps/libcps.so' }));
    expect(resolveDmpLocation({}, () => saved)).toEqual({
      mode: 'remote',
      source: 'settings',
      settings: saved,
    });
  });

  it('does not read the settings file at all when options are given (a damaged one does not matter then)', () => {
    const location = resolveDmpLocation(
      { dmp: 'https://h:9443', hostCa: pem.ca, workstationCert: pem.cert, workstationKey: pem.key },
      () => {
        throw new Error('settings file read');
      },
    );
    expect(location.mode).toBe('remote');
  });

  it('reads the Electron command line, ignoring Chromium switches', () => {
    expect(
      hostOptionsFromArgv([
        '/opt/poste-dmp/poste-dmp',
        '--no-sandbox',
        '--dmp=https://h:9443',
        '--host-ca',
        '/etc/ca.pem',
        '--workstation-cert=/etc/poste.pem',
        '--workstation-key',
        '--enable-logging',
      ]),
    ).toEqual({ dmp: 'https://h:9443', hostCa: '/etc/ca.pem', workstationCert: '/etc/poste.pem' });
  });
});

describe('the managed settings file: where IT puts it', () => {
  const env = { POSTE_DMP_MANAGED_HOST_SETTINGS: 'elsewhere/host-settings.json' };

  it('is the system file in a packaged build, whatever the user’s environment says', () => {
    expect(managedHostSettingsFile(env, true)).toBe('/etc/poste-dmp/host-settings.json');
    expect(shellSwitches(env, true).managedHostSettingsFile).toBe(systemManagedHostSettingsFile);
  });

  it('may be named by the environment outside a packaged build (browser host, development, tests)', () => {
    expect(managedHostSettingsFile(env, false)).toBe(join(process.cwd(), 'elsewhere/host-settings.json'));
    expect(shellSwitches(env, false).managedHostSettingsFile).toBe(
      join(process.cwd(), 'elsewhere/host-settings.json'),
    );
    expect(managedHostSettingsFile({}, false)).toBe(systemManagedHostSettingsFile);
  });
});
