import { createHash } from 'node:crypto';
import type { Logger } from '../../log/logger';
import * as x509 from '../../pki/x509';
import { CardError, isCardError } from '../errors';
import {
  acquireLibrary,
  describePkcs11Failure,
  pkcs11Code,
  pkcs11Module,
  type LibraryLease,
  type Pkcs11,
  type Pkcs11Handle,
} from './library';

/** What the workstation hands the host client after the PIN: the card's authentication key, by PKCS#11. */
export interface CardSigner {
  /** The card's authentication certificate (PEM, leaf only, as stored on the card). */
  certificatePem(): Promise<string>;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data`, made by the card. */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Logs out, closes the session and, for the last user, finalises the library. Idempotent. */
  close(): Promise<void>;
}

export interface OpenCardSignerOptions {
  /** Path of the PKCS#11 module (ANS CryptoLib, OpenSC, or SoftHSM2 in tests), see docs/cards.md §10. */
  modulePath: string;
  /** Token label = the card's serial number. */
  token: string;
  /** Code porteur. Never logged. */
  pin: string;
  log: Logger;
}

/**
 * DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1). We sign with CKM_RSA_PKCS over
 * DigestInfo‖hash rather than CKM_SHA256_RSA_PKCS: every RSA card middleware offers the raw
 * mechanism (the card itself only ever sees a hash), the result is the same RSASSA-PKCS1-v1_5 signature.
 */
const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const pinMessages = {
  wrong: 'Code porteur incorrect.',
  lastTry: 'Code porteur incorrect. Attention : dernier essai avant le blocage de la carte.',
};

export async function openCardSigner(options: OpenCardSignerOptions): Promise<CardSigner> {
  const log = options.log.child('pkcs11');
  const lease = acquireLibrary(options.modulePath);
  let session: Pkcs11Handle | undefined;
  try {
    const slot = findTokenSlot(lease.pkcs11, options.token);
    session = lease.pkcs11.C_OpenSession(slot, pkcs11Module().CKF_SERIAL_SESSION);
    login(lease.pkcs11, slot, session, options.pin);
    const credential = findAuthenticationCredential(lease.pkcs11, session);
    log.info('card signer opened', { card: options.token });
    return new Pkcs11CardSigner(lease, session, credential, options.token, log);
  } catch (error) {
    if (session !== undefined) closeQuietly(lease.pkcs11, session);
    lease.release();
    const cardError = toCardError(error, 'opening the card signer');
    log.warn('card signer refused', { card: options.token, kind: cardError.kind, detail: cardError.detail });
    throw cardError;
  }
}

interface Credential {
  privateKey: Pkcs11Handle;
  certificatePem: string;
}

class Pkcs11CardSigner implements CardSigner {
  private closed = false;

  constructor(
    private readonly lease: LibraryLease,
    private readonly session: Pkcs11Handle,
    private readonly credential: Credential,
    private readonly card: string,
    private readonly log: Logger,
  ) {}

  certificatePem(): Promise<string> {
    if (this.closed) return Promise.reject(new CardError('closed'));
    return Promise.resolve(this.credential.certificatePem);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new CardError('closed');
    const module = pkcs11Module();
    const digest = createHash('sha256').update(data).digest();
    try {
      this.lease.pkcs11.C_SignInit(
        this.session,
        { mechanism: module.CKM_RSA_PKCS },
        this.credential.privateKey,
      );
      const signature = await this.lease.pkcs11.C_SignAsync(
        this.session,
        Buffer.concat([sha256DigestInfo, digest]),
        Buffer.alloc(512),
      );
      return new Uint8Array(signature);
    } catch (error) {
      const cardError = toCardError(error, 'signing');
      this.log.warn('card signature failed', {
        card: this.card,
        kind: cardError.kind,
        detail: cardError.detail,
      });
      throw cardError;
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    try {
      closeQuietly(this.lease.pkcs11, this.session);
    } finally {
      this.lease.release();
    }
    this.log.info('card signer closed', { card: this.card });
    return Promise.resolve();
  }
}

function closeQuietly(pkcs11: Pkcs11, session: Pkcs11Handle): void {
  try {
    pkcs11.C_Logout(session);
  } catch {
    // not logged in (PIN refused) or card gone: closing the session is what matters
  }
  try {
    pkcs11.C_CloseSession(session);
  } catch {
    // card gone: the library drops the session itself
  }
}

function findTokenSlot(pkcs11: Pkcs11, label: string): Pkcs11Handle {
  for (const slot of pkcs11.C_GetSlotList(true)) {
    if (pkcs11.C_GetTokenInfo(slot).label.trim() === label) return slot;
  }
  throw new CardError('no-card', {
    message: `Carte n° ${label} introuvable par le module PKCS#11 : vérifiez qu’elle est insérée dans le lecteur.`,
    detail: `no token labelled ${label}`,
  });
}

function login(pkcs11: Pkcs11, slot: Pkcs11Handle, session: Pkcs11Handle, pin: string): void {
  const module = pkcs11Module();
  if (!/^\d{4,8}$/.test(pin)) throw new CardError('pin-format');
  try {
    pkcs11.C_Login(session, module.CKU_USER, pin);
  } catch (error) {
    const code = pkcs11Code(error);
    if (code === module.CKR_USER_ALREADY_LOGGED_IN) return;
    if (code === module.CKR_PIN_INCORRECT) {
      const flags = pkcs11.C_GetTokenInfo(slot).flags;
      if ((flags & module.CKF_USER_PIN_LOCKED) !== 0)
        throw new CardError('pin-blocked', { detail: 'CKR_PIN_INCORRECT, now locked' });
      const lastTry = (flags & module.CKF_USER_PIN_FINAL_TRY) !== 0;
      throw new CardError('pin-wrong', {
        message: lastTry ? pinMessages.lastTry : pinMessages.wrong,
        detail: 'CKR_PIN_INCORRECT',
      });
    }
    if (code === module.CKR_PIN_LOCKED) throw new CardError('pin-blocked', { detail: 'CKR_PIN_LOCKED' });
    if (code === module.CKR_PIN_LEN_RANGE) throw new CardError('pin-format', { detail: 'CKR_PIN_LEN_RANGE' });
    throw error;
  }
}

function findObjects(
  pkcs11: Pkcs11,
  session: Pkcs11Handle,
  template: { type: number; value: number | boolean | Buffer }[],
): Pkcs11Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  try {
    return pkcs11.C_FindObjects(session, 64);
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
}

function attribute(pkcs11: Pkcs11, session: Pkcs11Handle, object: Pkcs11Handle, type: number): Buffer {
  const [found] = pkcs11.C_GetAttributeValue(session, object, [{ type }]);
  const value = found?.value;
  return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
}

/**
 * A real CPS carries two key pairs: authentication and signature (non-repudiation). Proving who the
 * professional is uses the authentication one: the certificate whose key usage has digitalSignature
 * without nonRepudiation, and the private key with the same CKA_ID.
 */
function findAuthenticationCredential(pkcs11: Pkcs11, session: Pkcs11Handle): Credential {
  const module = pkcs11Module();
  const certificates = findObjects(pkcs11, session, [
    { type: module.CKA_CLASS, value: module.CKO_CERTIFICATE },
    { type: module.CKA_CERTIFICATE_TYPE, value: module.CKC_X_509 },
  ]);
  for (const handle of certificates) {
    const der = attribute(pkcs11, session, handle, module.CKA_VALUE);
    let certificate: x509.X509Certificate;
    try {
      certificate = new x509.X509Certificate(Uint8Array.from(der));
    } catch {
      continue;
    }
    const usages = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    const authenticates =
      (usages & x509.KeyUsageFlags.digitalSignature) !== 0 &&
      (usages & x509.KeyUsageFlags.nonRepudiation) === 0;
    if (!authenticates) continue;
    const id = attribute(pkcs11, session, handle, module.CKA_ID);
    const [privateKey] = findObjects(pkcs11, session, [
      { type: module.CKA_CLASS, value: module.CKO_PRIVATE_KEY },
      { type: module.CKA_ID, value: id },
    ]);
    if (privateKey !== undefined) return { privateKey, certificatePem: certificate.toString('pem') };
  }
  throw new CardError('malformed', {
    message: 'La carte ne présente pas de certificat d’authentification utilisable.',
    detail: `no authentication certificate with a matching private key among ${certificates.length} certificate(s)`,
  });
}

function toCardError(error: unknown, during: string): CardError {
  if (isCardError(error)) return error;
  const module = pkcs11Module();
  const code = pkcs11Code(error);
  const detail = `${during}: ${describePkcs11Failure(error)}`;
  if (
    code === module.CKR_DEVICE_REMOVED ||
    code === module.CKR_TOKEN_NOT_PRESENT ||
    code === module.CKR_SESSION_HANDLE_INVALID ||
    code === module.CKR_SESSION_CLOSED
  ) {
    return new CardError('removed', { detail, cause: error });
  }
  return new CardError('io', { message: 'Erreur du module PKCS#11 de la carte.', detail, cause: error });
}
