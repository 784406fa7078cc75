import { resolve } from 'node:path';
import { ApiError, hostSettingsSchema, type HostSettings } from '../../shared/contract';

/**
 * Where this workstation's dossiers are: its own embedded store, or the shared DMP host. Chosen once
 * at start; command-line options win over `host-settings.json` (the settings screen). The PKCS#11
 * module, when neither names it, is found by the card layer (resolvePkcs11Module) at PIN time.
 */
export type DmpLocation =
  { mode: 'embedded' } | { mode: 'remote'; source: 'options' | 'settings'; settings: HostSettings };

/** `--dmp URL --host-ca F --workstation-cert F --workstation-key F [--pkcs11-module F]`. */
export interface HostOptions {
  dmp?: string | undefined;
  hostCa?: string | undefined;
  workstationCert?: string | undefined;
  workstationKey?: string | undefined;
  pkcs11Module?: string | undefined;
}

/** The option names, shared by the browser host's parseArgs and the Electron shell's switches. */
export const hostOptionNames = {
  dmp: 'dmp',
  hostCa: 'host-ca',
  workstationCert: 'workstation-cert',
  workstationKey: 'workstation-key',
  pkcs11Module: 'pkcs11-module',
} as const satisfies Record<keyof HostOptions, string>;

/**
 * `managed`: IT manages the host settings (paths.ts, `managedHostSettingsFile`); then they are the
 * only source, and host options on the command line are refused rather than allowed to go round them.
 */
export function resolveDmpLocation(
  options: HostOptions,
  saved: () => HostSettings | null,
  { cwd = process.cwd(), managed = () => false }: { cwd?: string; managed?: () => boolean } = {},
): DmpLocation {
  const file = (path: string | undefined): string | undefined => (path ? resolve(cwd, path) : undefined);
  const given = (Object.keys(hostOptionNames) as (keyof HostOptions)[]).filter(
    (k) => options[k] !== undefined,
  );
  if (given.length > 0 && managed())
    throw new ApiError(
      'FORBIDDEN',
      `Serveur DMP : les réglages de ce poste sont gérés par votre service informatique ; ` +
        `option(s) refusée(s) : ${given.map((k) => `--${hostOptionNames[k]}`).join(', ')}.`,
    );
  if (given.some((k) => k !== 'pkcs11Module')) {
    const missing = (['dmp', 'hostCa', 'workstationCert', 'workstationKey'] as const).filter(
      (k) => options[k] === undefined,
    );
    if (missing.length > 0)
      throw new ApiError(
        'INVALID_INPUT',
        `Serveur DMP partagé : ${missing.map((k) => `--${hostOptionNames[k]}`).join(', ')} manquant(s) ` +
          `(--dmp https://serveur:port exige --host-ca, --workstation-cert et --workstation-key).`,
      );
    const pkcs11Module = file(options.pkcs11Module);
    const parsed = hostSettingsSchema.safeParse({
      url: options.dmp,
      caFile: file(options.hostCa),
      certFile: file(options.workstationCert),
      keyFile: file(options.workstationKey),
      ...(pkcs11Module ? { pkcs11Module } : {}),
    });
    if (!parsed.success)
      throw new ApiError(
        'INVALID_INPUT',
        `Serveur DMP partagé : ${parsed.error.issues.map((i) => `${optionOf(i.path[0])} — ${i.message}`).join(' ; ')}.`,
      );
    return { mode: 'remote', source: 'options', settings: parsed.data };
  }
  const settings = saved();
  if (!settings) return { mode: 'embedded' };
  return { mode: 'remote', source: 'settings', settings };
}

const optionOfField: Record<string, string> = {
  url: '--dmp',
  caFile: '--host-ca',
  certFile: '--workstation-cert',
  keyFile: '--workstation-key',
  pkcs11Module: '--pkcs11-module',
};
const optionOf = (field: PropertyKey | undefined): string =>
  optionOfField[String(field)] ?? String(field ?? 'option');

/**
 * The same options from a raw command line (`--dmp=URL` or `--dmp URL`), for the Electron shell,
 * whose argv also carries Chromium's own switches: only our names are read, anything else ignored.
 */
export function hostOptionsFromArgv(argv: readonly string[]): HostOptions {
  const options: HostOptions = {};
  for (const [field, name] of Object.entries(hostOptionNames) as [keyof HostOptions, string][]) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (arg.startsWith(`--${name}=`)) options[field] = arg.slice(name.length + 3);
      else if (arg === `--${name}` && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--'))
        options[field] = argv[i + 1];
    }
  }
  return options;
}
