import { webcrypto } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import * as x509 from './x509';

/** WebCrypto types from Node (the main process has no DOM library). */
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * RSA 2048 with PKCS#1 v1.5 and SHA-256 everywhere: what CPS3/CPS4 authentication keys are
 * (RSA 2048), what SoftHSM2 and every PKCS#11 card middleware sign with (CKM_SHA256_RSA_PKCS), and
 * what TLS 1.3 accepts in certificates. Real roots use 4096 bits; 2048 keeps test set-up quick.
 */
export const rsaAlgorithm: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

export const subtle = webcrypto.subtle;

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(rsaAlgorithm, true, ['sign', 'verify']);
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return subtle.importKey('pkcs8', der, rsaAlgorithm, true, ['sign']);
}

/** A public RSA key from its PKCS#11 attributes (CKA_MODULUS, CKA_PUBLIC_EXPONENT), big-endian. */
export async function rsaPublicKey(modulus: Uint8Array, exponent: Uint8Array): Promise<CryptoKey> {
  const jwk = {
    kty: 'RSA',
    n: Buffer.from(modulus).toString('base64url'),
    e: Buffer.from(exponent).toString('base64url'),
    ext: true,
  };
  return subtle.importKey('jwk', jwk, rsaAlgorithm, true, ['verify']);
}

/** Secrets are written owner-only (0600), certificates world-readable (0644). */
export function writeSecretFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function writePublicFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o644 });
}
