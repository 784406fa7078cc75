import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ApiError, hostSettingsSchema, type HostSettings } from '../../shared/contract';
import { isErrno, writeFileDurably } from '../store/durable-fs';
import { dataLayout } from './paths';

/**
 * `host-settings.json` in the data folder: the shared DMP host the settings screen chose. It holds
 * paths, never key material, but is still written 0600 like everything else of the data folder.
 * A file that does not parse is an error, never "no host": a workstation configured for the shared
 * host must not quietly start on its own local dossiers instead.
 */
const settingsFileSchema = z.strictObject({
  version: z.literal(1),
  host: hostSettingsSchema.nullable(),
});

/** The saved settings; null when the file is absent or says "embedded". Throws (French) on a damaged file. */
export function readHostSettings(dataDir: string): HostSettings | null {
  const file = dataLayout(dataDir).hostSettingsFile;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw new ApiError(
      'UNAVAILABLE',
      `Réglages du serveur DMP illisibles (${file}) : corrigez les droits du fichier ou supprimez-le.`,
      `host settings unreadable: ${err instanceof Error ? err.message : 'unknown'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(file, 'not JSON');
  }
  const parsed = settingsFileSchema.safeParse(json);
  if (!parsed.success)
    throw damaged(file, parsed.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', '));
  return parsed.data.host;
}

function damaged(file: string, detail: string): ApiError {
  return new ApiError(
    'CORRUPT_DATA',
    `Réglages du serveur DMP invalides (${file}) : corrigez-les dans l’écran « Paramètres » d’un poste, ` +
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
