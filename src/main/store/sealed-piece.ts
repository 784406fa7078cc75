import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StoreKey } from './key';

/**
 * A sealed piece: `IV (12) | AES-256-GCM ciphertext | tag (16)`, each with a fresh IV and bound to
 * its place by additional data. The unit in which snapshot blocks (snapshot-file.ts) and the
 * overlay's heads and blocks (snapshot-overlay.ts) are stored.
 */
export const ivLength = 12;
export const tagLength = 16;
/** What sealing adds to a plaintext's length. */
export const sealOverhead = ivLength + tagLength;

/** `plain` sealed, as pieces to write one after the other (no copy into one buffer), and its tag. */
export function sealPiece(key: StoreKey, plain: Uint8Array, aad: Buffer): { pieces: Buffer[]; tag: Buffer } {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: tagLength });
  cipher.setAAD(aad);
  const body = cipher.update(plain);
  const rest = cipher.final();
  const tag = cipher.getAuthTag();
  return { pieces: [iv, body, rest, tag], tag };
}

/** The plaintext of the sealed piece `sealed`, or null when it fails its tag. */
export function openPiece(key: StoreKey, sealed: Uint8Array, aad: Buffer): Buffer | null {
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, ivLength), {
    authTagLength: tagLength,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
  const body = decipher.update(sealed.subarray(ivLength, sealed.length - tagLength));
  try {
    // GCM gives everything from `update`: no copy into a second buffer for an empty `final`.
    const rest = decipher.final();
    return rest.length > 0 ? Buffer.concat([body, rest]) : body;
  } catch {
    return null;
  }
}
