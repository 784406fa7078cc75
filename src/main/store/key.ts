import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../log/logger';
import { createFileExclusively } from './durable-fs';
import { StoreError } from './errors';

export const keyLength = 32;

/** The data key (DEK) the store encrypts with. Wrapping it is the host's business. */
export interface StoreKey {
  kind: 'raw';
  key: Uint8Array;
}

export function rawStoreKey(key: Uint8Array): StoreKey {
  if (key.length !== keyLength) {
    throw new StoreError('KEY_INVALID', `key has ${key.length} bytes, expected ${keyLength}`, {
      subject: 'key',
    });
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
  return Buffer.from(labelledKeyFingerprint(key.key, 'poste-dmp/store/key-fingerprint/v1'), 'hex').subarray(
    0,
    8,
  );
}

/**
 * A key's public fingerprint (hex): HMAC-SHA-256 of a fixed label under the key. It tells keys
 * apart and reveals nothing about them, so it may be stored beside the data and logged: the store
 * files' headers (`keyFingerprint`), the field key's and the audit key's markers in a shared
 * database. Each use has its own label, so one key's fingerprints for two uses are unrelated.
 */
export function labelledKeyFingerprint(key: Uint8Array, label: string): string {
  return createHmac('sha256', key).update(label).digest('hex');
}

export interface KeyFileResult {
  key: StoreKey;
  path: string;
  created: boolean;
  /**
   * Always set: a key in a plain file is only as safe as the machine. The caller tells the user
   * (`plainKeyFileWarning` in user-messages.ts).
   */
  warning: 'plain-key-file';
}

const keyFileName = 'store.key';

/** What to do when the key file does not exist. */
export interface KeyCreation {
  /**
   * False when a store already exists beside it: a new random key could never read it, and writing
   * one would hide the real problem (a lost key file) behind "wrong key".
   */
  mayCreate: boolean;
  /** Which key this is when it is not the store's own (the message says what its loss means). */
  subject?: 'audit-key';
}

function missingKey(path: string, subject?: 'audit-key'): StoreError {
  return new StoreError('KEY_MISSING', `key file ${path} missing while the store holds data`, {
    path,
    ...(subject ? { subject } : {}),
  });
}

/**
 * Key for the browser host, the CLI and tests: a random DEK kept in a mode-0600 file, base64.
 * `location` is either the key file itself or a directory that holds `store.key`. Call it under the
 * data-folder lock: the file is created exclusively (a second creator would fail, never overwrite),
 * and only when `creation.mayCreate`.
 */
export function loadOrCreateKeyFile(
  location: string,
  log: Logger,
  creation: KeyCreation = { mayCreate: true },
): KeyFileResult {
  const path =
    existsSync(location) && statSync(location).isDirectory() ? join(location, keyFileName) : location;
  let created = false;
  if (!existsSync(path)) {
    if (!creation.mayCreate) throw missingKey(path, creation.subject);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = generateStoreKey();
    created = createFileExclusively(
      path,
      Buffer.from(`${Buffer.from(key.key).toString('base64')}\n`, 'utf8'),
    );
    if (!created) log.warn('key file appeared while creating it; using the existing one', { path });
  }
  const key = parseKeyText(readFileSync(path, 'utf8'), path);
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) log.warn('key file readable by other users', { path, mode: mode.toString(8) });
  log.warn('store key kept in a plain file, not protected by an OS keyring', { path, created });
  return { key, path, created, warning: 'plain-key-file' };
}

/** Reads an existing key file and never creates one (read-only tools such as `audit verify`). */
export function readKeyFile(path: string): StoreKey {
  if (!existsSync(path))
    throw new StoreError('MISSING_FILE', `no key file at ${path}`, { subject: 'key-file', path });
  return parseKeyText(readFileSync(path, 'utf8'), path);
}

function parseKeyText(text: string, origin: string): StoreKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== keyLength) {
    throw new StoreError('KEY_INVALID', `invalid key text in ${origin}`, { subject: 'key-file' });
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
  | { ok: false; reason: 'insecure-backend'; backend: string };

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
  options: { allowInsecure?: boolean; mayCreate?: boolean; subject?: 'audit-key' } = {},
): WrappedKeyResult {
  if (!backend.secure && !options.allowInsecure) {
    log.warn('refusing insecure key wrap backend', { backend: backend.name });
    return {
      ok: false,
      reason: 'insecure-backend',
      backend: backend.name,
    };
  }
  if (!existsSync(path)) {
    if (options.mayCreate === false) throw missingKey(path, options.subject);
    const key = generateStoreKey();
    const file: WrappedKeyFile = {
      format: 'poste-dmp-wrapped-key',
      version: 1,
      backend: backend.name,
      wrapped: backend.wrap(Buffer.from(key.key).toString('base64')).toString('base64'),
    };
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (createFileExclusively(path, Buffer.from(JSON.stringify(file), 'utf8'))) {
      log.info('wrapped store key created', { backend: backend.name });
      return { ok: true, key, created: true, backend: backend.name, backendChanged: false };
    }
    log.warn('wrapped key file appeared while creating it; using the existing one');
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
      `unwrap failed (${err instanceof Error ? err.message : String(err)})`,
      backendChanged ? { recordedBackend: file.backend, currentBackend: backend.name } : {},
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
    throw new StoreError('KEY_INVALID', 'wrapped key file does not parse', { subject: 'wrapped-key-file' });
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
    throw new StoreError('KEY_INVALID', 'bad recovery key text', { subject: 'recovery-key' });
  }
  return rawStoreKey(Buffer.from(hex, 'hex'));
}
