import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeErrorMessage } from '../../../src/main/app/user-messages';
import { StoreError } from '../../../src/main/store/errors';
import {
  formatRecoveryKey,
  generateStoreKey,
  loadOrCreateKeyFile,
  loadOrCreateWrappedKey,
  parseRecoveryKey,
  type KeyWrapBackend,
} from '../../../src/main/store/key';
import { captureLog, tempDir } from './helpers';

/** Stand-in for safeStorage: reversible, and detectably not plain base64. */
function fakeBackend(name: string, secure = true): KeyWrapBackend {
  return {
    name,
    secure,
    wrap: (b64) => Buffer.from(`${name}:${b64}`, 'utf8'),
    unwrap: (blob) => {
      const text = blob.toString('utf8');
      if (!text.startsWith(`${name}:`)) throw new Error('cannot decrypt');
      return text.slice(name.length + 1);
    },
  };
}

describe('store keys', () => {
  it('creates a 0600 key file once, then reads the same key, always with the warning', () => {
    const dir = tempDir();
    const { log, lines } = captureLog();
    const first = loadOrCreateKeyFile(dir, log);
    expect(first.created).toBe(true);
    expect(first.path).toBe(join(dir, 'store.key'));
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(first.warning).toBe('plain-key-file');
    const second = loadOrCreateKeyFile(dir, log);
    expect(second.created).toBe(false);
    expect(Buffer.from(second.key.key).equals(Buffer.from(first.key.key))).toBe(true);
    expect(lines.filter((l) => l.lvl === 'warn')).toHaveLength(2);
    // The key never appears in the log.
    expect(JSON.stringify(lines)).not.toContain(Buffer.from(first.key.key).toString('base64'));
  });

  it('never creates a key where it may not (a store exists beside it), naming the missing file', () => {
    const path = join(tempDir(), 'store.key');
    let err: unknown;
    try {
      loadOrCreateKeyFile(path, captureLog().log, { mayCreate: false });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ reason: 'KEY_MISSING', facts: { path } });
    expect(storeErrorMessage(err as StoreError)).toContain(`Fichier de clé introuvable : ${path}`);
    expect(existsSync(path)).toBe(false);
    const wrapped = join(tempDir(), 'store-key.wrapped');
    expect(() =>
      loadOrCreateWrappedKey(wrapped, fakeBackend('kwallet6'), captureLog().log, { mayCreate: false }),
    ).toThrow(expect.objectContaining({ reason: 'KEY_MISSING' }));
    expect(existsSync(wrapped)).toBe(false);
  });

  it('refuses a damaged key file rather than generating a new key over it', () => {
    const path = join(tempDir(), 'k');
    writeFileSync(path, 'not a key');
    expect(() => loadOrCreateKeyFile(path, captureLog().log)).toThrow(StoreError);
    expect(readFileSync(path, 'utf8')).toBe('not a key');
  });

  it('wraps the key through the host backend and records which backend it was', () => {
    const path = join(tempDir(), 'wrapped.json');
    const { log } = captureLog();
    const created = loadOrCreateWrappedKey(path, fakeBackend('gnome_libsecret'), log);
    if (!created.ok) throw new Error('expected ok');
    expect(created.created).toBe(true);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { backend: string; wrapped: string };
    expect(file.backend).toBe('gnome_libsecret');
    expect(file.wrapped).not.toContain(Buffer.from(created.key.key).toString('base64'));
    const again = loadOrCreateWrappedKey(path, fakeBackend('gnome_libsecret'), log);
    if (!again.ok) throw new Error('expected ok');
    expect(Buffer.from(again.key.key).equals(Buffer.from(created.key.key))).toBe(true);
  });

  it('refuses an insecure backend with a flag instead of silently storing the key', () => {
    const path = join(tempDir(), 'wrapped.json');
    const result = loadOrCreateWrappedKey(path, fakeBackend('basic_text', false), captureLog().log);
    expect(result).toMatchObject({ ok: false, reason: 'insecure-backend', backend: 'basic_text' });
    expect(existsSync(path)).toBe(false);
    expect(
      loadOrCreateWrappedKey(path, fakeBackend('basic_text', false), captureLog().log, {
        allowInsecure: true,
      }).ok,
    ).toBe(true);
  });

  it('names the keyring change when the wrapped key can no longer be opened', () => {
    const path = join(tempDir(), 'wrapped.json');
    loadOrCreateWrappedKey(path, fakeBackend('kwallet5'), captureLog().log);
    let err: unknown;
    try {
      loadOrCreateWrappedKey(path, fakeBackend('kwallet6'), captureLog().log);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('KEY_UNWRAP_FAILED');
    expect((err as StoreError).facts).toEqual({ recordedBackend: 'kwallet5', currentBackend: 'kwallet6' });
    expect(storeErrorMessage(err as StoreError)).toMatch(/kwallet5.*kwallet6/);
  });

  it('round-trips the administrator recovery copy', () => {
    const key = generateStoreKey();
    const text = formatRecoveryKey(key);
    expect(text).toMatch(/^([0-9A-F]{4}-){15}[0-9A-F]{4}$/);
    expect(Buffer.from(parseRecoveryKey(text.toLowerCase()).key).equals(Buffer.from(key.key))).toBe(true);
    expect(() => parseRecoveryKey('1234')).toThrow(StoreError);
  });
});
