import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ApiError, hostSettingsSchema, type HostSettings } from '../../shared/contract';
import { isErrno, writeFileDurably } from '../store/durable-fs';
import { dataLayout } from './paths';

/**
 * `host-settings.json` in the data folder: the shared DMP host the settings screen chose (the same
 * format for the file IT manages, see `managedHostSettingsFile`). It holds paths, never key material,
 * but is still written 0600 like everything else of the data folder.
 * A file that does not parse is an error, never "no host": a workstation configured for the shared
 * host must not quietly start on its own local dossiers instead.
 */
const settingsFileSchema = z.strictObject({
  version: z.literal(1),
  host: hostSettingsSchema.nullable(),
});

/**
 * Where the host settings come from: the data folder's `host-settings.json` (the settings screen),
 * unless the deployment manages them (`managedFile` exists: see `managedHostSettingsFile` in paths.ts).
 */
export interface HostSettingsSource {
  dataDir: string;
  /** Null: no managed file designated (tests, the CLI). */
  managedFile: string | null;
}

/** The settings the next start will use, the file they come from, and whether IT manages them. */
export interface HostSettingsInEffect {
  saved: HostSettings | null;
  file: string;
  managed: boolean;
}

/**
 * Whether the managed file is there. Any answer but "absent" counts as managed (a file the process
 * may not even stat is still IT's): the lock fails closed, and reading it then says why.
 */
export function isManaged(source: HostSettingsSource): boolean {
  if (source.managedFile === null) return false;
  try {
    statSync(source.managedFile);
    return true;
  } catch (err) {
    return !isErrno(err, 'ENOENT');
  }
}

/** Throws (French) on a damaged or unreadable file, managed or not. */
export function hostSettingsInEffect(source: HostSettingsSource): HostSettingsInEffect {
  if (source.managedFile !== null && isManaged(source)) {
    const file = source.managedFile;
    return { saved: readSettingsFile(file, 'managed') ?? null, file, managed: true };
  }
  const file = dataLayout(source.dataDir).hostSettingsFile;
  return { saved: readSettingsFile(file, 'screen') ?? null, file, managed: false };
}

/** The saved settings of the data folder; null when the file is absent or says "embedded". Throws (French) on a damaged file. */
export function readHostSettings(dataDir: string): HostSettings | null {
  return readSettingsFile(dataLayout(dataDir).hostSettingsFile, 'screen') ?? null;
}

/** undefined: no such file; null: the file says "embedded". */
function readSettingsFile(file: string, origin: 'screen' | 'managed'): HostSettings | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw new ApiError(
      'UNAVAILABLE',
      origin === 'managed'
        ? `Réglages du serveur DMP gérés par votre service informatique illisibles (${file}) : contactez votre service informatique.`
        : `Réglages du serveur DMP illisibles (${file}) : corrigez les droits du fichier ou supprimez-le.`,
      `host settings unreadable: ${err instanceof Error ? err.message : 'unknown'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(file, origin, 'not JSON');
  }
  const parsed = settingsFileSchema.safeParse(json);
  if (!parsed.success)
    throw damaged(file, origin, parsed.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', '));
  return parsed.data.host;
}

function damaged(file: string, origin: 'screen' | 'managed', detail: string): ApiError {
  return new ApiError(
    'CORRUPT_DATA',
    origin === 'managed'
      ? `Réglages du serveur DMP gérés par votre service informatique invalides (${file}) : contactez votre service informatique. ` +
          `Poste DMP ne démarre pas sur d’autres données à la place.`
      : `Réglages du serveur DMP invalides (${file}) : corrigez-les dans l’écran « Paramètres » d’un poste, ` +
          `ou supprimez le fichier pour revenir au DMP intégré au poste. Poste DMP ne démarre pas sur d’autres données à la place.`,
    `host settings invalid: ${detail}`,
  );
}

/**
 * Checks the settings (schema, then the files they name are readable regular files) and writes them
 * atomically, mode 0600. Null saves "embedded".
 */
export function writeHostSettings(dataDir: string, settings: unknown): HostSettings | null {
  const parsed = hostSettingsSchema.nullable().safeParse(settings);
  if (!parsed.success)
    throw new ApiError(
      'INVALID_INPUT',
      `Réglages du serveur DMP refusés : ${parsed.error.issues.map((i) => `${i.path.join('.') || 'réglages'} — ${i.message}`).join(' ; ')}.`,
    );
  const host = parsed.data;
  if (host) {
    const problems = unreadableFiles(host);
    if (problems.length > 0)
      throw new ApiError('INVALID_INPUT', `Réglages du serveur DMP refusés : ${problems.join(' ; ')}.`);
  }
  const layout = dataLayout(dataDir);
  mkdirSync(layout.dataDir, { recursive: true, mode: 0o700 });
  const content = JSON.stringify({ version: 1, host } satisfies z.input<typeof settingsFileSchema>, null, 2);
  writeFileDurably(layout.hostSettingsFile, new TextEncoder().encode(`${content}\n`));
  return host;
}

const fileLabels = {
  caFile: 'certificat de l’autorité (CA) du déploiement',
  certFile: 'certificat du poste',
  keyFile: 'clé privée du poste',
  pkcs11Module: 'module PKCS#11 de la carte',
} as const satisfies Record<Exclude<keyof HostSettings, 'url'>, string>;

/** French problems with the files the settings name (missing, not a file, not readable by this process). */
export function unreadableFiles(settings: HostSettings): string[] {
  const problems: string[] = [];
  for (const field of Object.keys(fileLabels) as (keyof typeof fileLabels)[]) {
    const path = settings[field];
    if (path === undefined) continue;
    try {
      if (!statSync(path).isFile()) {
        problems.push(`${fileLabels[field]} : ${path} n’est pas un fichier`);
        continue;
      }
      accessSync(path, constants.R_OK);
    } catch (err) {
      problems.push(
        `${fileLabels[field]} : ${path} ${isErrno(err, 'ENOENT') ? 'introuvable' : 'illisible par Poste DMP'}`,
      );
    }
  }
  return problems;
}
