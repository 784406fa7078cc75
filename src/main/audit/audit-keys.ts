import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { labelledKeyFingerprint } from '../store/key';

/**
 * The audit trail's own secrets, kept apart from the store key: whoever can decrypt the store (and
 * rewrite it, recomputing every SHA-256 link) still cannot produce an entry's HMAC or sign a
 * checkpoint. Both keys derive from one random 32-byte audit secret (HKDF-SHA-256, distinct
 * labels), so hosts store and wrap it exactly like the store key: a 0600 file `audit.key` for the
 * browser host and the CLI, the OS keyring in the desktop app.
 */
export interface AuditKeys {
  /** HMAC-SHA-256 key authenticating each entry. */
  readonly macKey: Buffer;
  /** Ed25519 key signing checkpoints of the chain's head. */
  readonly signingKey: KeyObject;
  readonly publicKey: KeyObject;
}

const macLabel = 'poste-dmp/audit/entry-hmac/v1';
const signingLabel = 'poste-dmp/audit/checkpoint-ed25519/v1';
/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): fixed prefix + 32 bytes. */
const ed25519Pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveAuditKeys(secret: Uint8Array): AuditKeys {
  if (secret.length !== 32) throw new Error(`audit secret has ${secret.length} bytes, expected 32`);
  const derive = (label: string): Buffer =>
    Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), label, 32));
  const seed = derive(signingLabel);
  const signingKey = createPrivateKey({
    key: Buffer.concat([ed25519Pkcs8Prefix, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  seed.fill(0);
  return { macKey: derive(macLabel), signingKey, publicKey: createPublicKey(signingKey) };
}

/**
 * Keys that live only in this process: for in-memory stores and unit tests, where nothing outside
 * the process will ever verify the entries. Real hosts pass keys loaded from `audit.key`.
 */
export function ephemeralAuditKeys(): AuditKeys {
  return deriveAuditKeys(randomBytes(32));
}

/** HMAC of an entry's hash; the hash covers every field and the previous hash, so this covers them too. */
export function macAuditHash(keys: AuditKeys, hash: string): string {
  return createHmac('sha256', keys.macKey).update(`${macLabel}\n${hash}`, 'utf8').digest('hex');
}

export function auditMacMatches(keys: AuditKeys, hash: string, mac: string): boolean {
  const expected = Buffer.from(macAuditHash(keys, hash), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The audit key's public fingerprint: an HMAC of a fixed label under K_mac (derived from the audit
 * secret), never the secret. A shared database keeps it as its audit key marker (`audit-key-marker.ts`)
 * so that every host writing the chain uses the one key. The label differs from the entries' prefix
 * (`macLabel` + newline + a hash), so no entry's MAC equals it.
 */
export function auditKeyFingerprint(keys: Pick<AuditKeys, 'macKey'>): string {
  return labelledKeyFingerprint(keys.macKey, 'poste-dmp/audit/key-fingerprint/v1');
}

/** The checkpoint verification key, for an auditor: PEM (SPKI). */
export function exportAuditPublicKey(keys: Pick<AuditKeys, 'publicKey'>): string {
  return keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
