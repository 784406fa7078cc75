import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import { writeFileDurably } from './durable-fs';
import { StoreError } from './errors';

export const keyLength = 32;

/** The data key (DEK) the store encrypts with. Wrapping it is the host's business. */
export interface StoreKey {
  kind: 'raw';
  key: Uint8Array;
}

export function rawStoreKey(key: Uint8Array): StoreKey {
  if (key.length !== keyLength) {
    throw new StoreError(
      'KEY_INVALID',
      'La clé de chiffrement des données est invalide.',
      `key has ${key.length} bytes, expected ${keyLength}`,
    );
  }
  return { kind: 'raw', key: new Uint8Array(key) };
}

export function generateStoreKey(): StoreKey {
  return { kind: 'raw', key: new Uint8Array(randomBytes(keyLength)) };
}

/**
 * A non-secret fingerprint written in every file header, so a wrong key is told apart from a
 * corrupt file before any decryption is attempted.
 */
export function keyFingerprint(key: StoreKey): Buffer {
  return createHmac('sha256', key.key).update('poste-dmp/store/key-fingerprint/v1').digest().subarray(0, 8);
}

export const plainKeyFileWarning =
  'Clé de chiffrement stockée en clair dans un fichier : protégez ce poste (session verrouillée, ' +
  'disque chiffré) ou utilisez l’application de bureau, qui protège la clé par le trousseau du système.';

export interface KeyFileResult {
  key: StoreKey;
  path: string;
  created: boolean;
  /** Always set: a key in a plain file is only as safe as the machine. Show it to the user. */
  warning: string;
}

const keyFileName = 'store.key';

/**
 * Key for the browser host, the CLI and tests: a random DEK kept in a mode-0600 file, base64.
 * `location` is either the key file itself or a directory that holds `store.key`.
 */
export function loadOrCreateKeyFile(location: string, log: Logger): KeyFileResult {
  const path =
    existsSync(location) && statSync(location).isDirectory() ? join(location, keyFileName) : location;
  let created = false;
  let key: StoreKey;
  if (existsSync(path)) {
    key = parseKeyText(readFileSync(path, 'utf8'), path);
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) log.warn('key file readable by other users', { path, mode: mode.toString(8) });
  } else {
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    key = generateStoreKey();
    writeFileDurably(path, Buffer.from(`${Buffer.from(key.key).toString('base64')}\n`, 'utf8'));
    created = true;
  }
  log.warn('store key kept in a plain file, not protected by an OS keyring', { path, created });
  return { key, path, created, warning: plainKeyFileWarning };
}

function parseKeyText(text: string, origin: string): StoreKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== keyLength) {
    throw new StoreError(
      'KEY_INVALID',
      'Le fichier de clé de chiffrement est illisible ou endommagé.',
      `invalid key text in ${origin}`,
    );
  }
  return rawStoreKey(bytes);
}

/**
 * What the Electron shell passes in: `safeStorage` behind two functions, plus what it knows about
 * the backend. The store never imports Electron.
 */
export interface KeyWrapBackend {
  /** e.g. `gnome_libsecret`, `kwallet6`, `keychain`, `dpapi`, `basic_text`. */
  name: string;
  /** False when the "protection" is not an OS keyring (Linux `basic_text`). */
  secure: boolean;
  wrap(keyBase64: string): Buffer;
  unwrap(blob: Buffer): string;
}

export type WrappedKeyResult =
  | { ok: true; key: StoreKey; created: boolean; backend: string; backendChanged: boolean }
  /** Nothing was created or read: the shell must ask the user, or fall back deliberately. */
  | { ok: false; reason: 'insecure-backend'; backend: string; message: string };

interface WrappedKeyFile {
  format: 'poste-dmp-wrapped-key';
  version: 1;
  backend: string;
  wrapped: string;
}

/**
 * DEK wrapped by an OS keyring, persisted as an opaque blob. Records the backend so a keyring
 * change (which makes the blob unreadable) gets a precise message instead of "corrupt database".
 */
export function loadOrCreateWrappedKey(
  path: string,
  backend: KeyWrapBackend,
  log: Logger,
  options: { allowInsecure?: boolean } = {},
): WrappedKeyResult {
  if (!backend.secure && !options.allowInsecure) {
    log.warn('refusing insecure key wrap backend', { backend: backend.name });
    return {
      ok: false,
      reason: 'insecure-backend',
      backend: backend.name,
      message:
        'Aucun trousseau sécurisé du système n’est disponible pour protéger la clé de chiffrement. ' +
        'Déverrouillez ou installez un trousseau (GNOME Keyring, KWallet), ou confirmez explicitement le mode dégradé.',
    };
  }
  if (!existsSync(path)) {
    const key = generateStoreKey();
    const file: WrappedKeyFile = {
      format: 'poste-dmp-wrapped-key',
      version: 1,
      backend: backend.name,
      wrapped: backend.wrap(Buffer.from(key.key).toString('base64')).toString('base64'),
    };
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileDurably(path, Buffer.from(JSON.stringify(file), 'utf8'));
    log.info('wrapped store key created', { backend: backend.name });
    return { ok: true, key, created: true, backend: backend.name, backendChanged: false };
  }
  const file = parseWrappedKeyFile(readFileSync(path, 'utf8'));
  const backendChanged = file.backend !== backend.name;
  if (backendChanged) log.warn('key wrap backend changed', { recorded: file.backend, current: backend.name });
  let keyText: string;
  try {
    keyText = backend.unwrap(Buffer.from(file.wrapped, 'base64'));
  } catch (err) {
    throw new StoreError(
      'KEY_UNWRAP_FAILED',
      backendChanged
        ? `La clé de chiffrement a été protégée par le trousseau « ${file.backend} », qui n’est plus celui utilisé (« ${backend.name} »). ` +
            'Relancez avec le même trousseau ou utilisez la copie de secours de la clé.'
        : 'Le trousseau du système n’a pas pu déchiffrer la clé des données. Utilisez la copie de secours de la clé.',
      `unwrap failed (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return {
    ok: true,
    key: parseKeyText(keyText, path),
    created: false,
    backend: backend.name,
    backendChanged,
  };
}

function parseWrappedKeyFile(text: string): WrappedKeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const v = value as Partial<WrappedKeyFile> | null;
  if (
    !v ||
    v.format !== 'poste-dmp-wrapped-key' ||
    v.version !== 1 ||
    typeof v.backend !== 'string' ||
    typeof v.wrapped !== 'string'
  ) {
    throw new StoreError(
      'KEY_INVALID',
      'Le fichier de clé protégée est illisible ou endommagé.',
      'wrapped key file does not parse',
    );
  }
  return v as WrappedKeyFile;
}

/**
 * Administrator recovery copy of the DEK, meant to be printed or kept offline: the only way back
 * when the OS keyring is lost. Groups of 4 characters so it can be typed.
 */
export function formatRecoveryKey(key: StoreKey): string {
  const hex = Buffer.from(key.key).toString('hex').toUpperCase();
  return hex.match(/.{1,4}/g)?.join('-') ?? hex;
}

export function parseRecoveryKey(text: string): StoreKey {
  const hex = text.replace(/[\s-]/g, '');
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) {
    throw new StoreError(
      'KEY_INVALID',
      'La clé de secours saisie est invalide (64 caractères hexadécimaux attendus).',
      'bad recovery key text',
    );
  }
  return rawStoreKey(Buffer.from(hex, 'hex'));
}
