import { ApiError } from '../../shared/contract/api-error';
import type { Logger } from '../log/logger';
import { insecureKeyringMessage, plainKeyFileWarning } from './user-messages';
import { loadOrCreateKeyFile, loadOrCreateWrappedKey, type KeyCreation, type StoreKey } from '../store/key';

/**
 * Where the store's data key comes from. The desktop app wraps it with the OS keyring (Electron
 * `safeStorage`, passed in as two functions); the browser host, the CLI and tests keep it in a
 * mode-0600 file and say so loudly.
 */
export type KeySource =
  | { kind: 'file'; path: string }
  | {
      kind: 'wrapped';
      path: string;
      /** Electron's `getSelectedStorageBackend()` on Linux, `os` elsewhere. */
      backend: string;
      available: boolean;
      /** Set only after the administrator accepted running without an OS keyring. */
      allowInsecure?: boolean;
      wrap(secret: string): Buffer;
      unwrap(blob: Buffer): string;
    };

/**
 * Call under the data-folder lock (see data-folder.ts). A key is created only when `creation`
 * allows it: never beside an existing store.
 */
export async function resolveStoreKey(
  source: KeySource,
  log: Logger,
  creation: KeyCreation,
): Promise<{ key: StoreKey; warnings: string[] }> {
  if (source.kind === 'file') {
    const result = loadOrCreateKeyFile(source.path, log.child('key'), creation);
    return { key: result.key, warnings: [plainKeyFileWarning] };
  }
  const secure = source.available && source.backend !== 'basic_text' && source.backend !== 'unknown';
  const result = loadOrCreateWrappedKey(
    source.path,
    { name: source.backend, secure, wrap: source.wrap, unwrap: source.unwrap },
    log.child('key'),
    {
      allowInsecure: source.allowInsecure ?? false,
      mayCreate: creation.mayCreate,
      ...(creation.subject ? { subject: creation.subject } : {}),
    },
  );
  if (!result.ok)
    throw new ApiError('UNAVAILABLE', insecureKeyringMessage, `key backend ${result.backend} refused`);
  const warnings = result.backendChanged
    ? [
        'Le trousseau du système a changé depuis la création de la clé : faites vérifier la copie de secours de la clé.',
      ]
    : [];
  if (!secure)
    warnings.push('Mode dégradé : la clé des données n’est pas protégée par un trousseau du système.');
  return { key: result.key, warnings };
}
