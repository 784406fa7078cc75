import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rsaPublicKey, writePublicFile } from '../../pki/keys';
import { issueCardCertificate, type IssuedCertificate, type TestPki } from '../../pki/test-pki';
import type { CardHolder } from '../../pki/profile';
import { readCpxPublic } from '../apps/cpx';
import { createVirtualCard, type CardProfile } from '../emulator';
import { SimulatedTransport, SIMULATED_CPS_READER } from '../transport/simulated-transport';
import { acquireLibrary, libraryUsers, pkcs11Module } from './library';
import { softHsmModulePath } from './module-config';

/**
 * Test and test-deployment tooling: SoftHSM2 tokens standing for CPS/CPE cards, each holding the
 * card's authentication key pair (generated ON the token, never exported) and its certificate from
 * the test PKI. Never used by a production workstation.
 */

export { softHsmModulePath };

export interface SoftHsmStore {
  /** `softhsm2.conf`: point SOFTHSM2_CONF at it before the module is initialised. */
  confPath: string;
  tokenDir: string;
  modulePath: string;
}

/** A SoftHSM2 configuration whose tokens live in `dir/tokens` (folder 0700). */
export function createSoftHsmStore(dir: string, modulePath = softHsmModulePath): SoftHsmStore {
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const confPath = join(dir, 'softhsm2.conf');
  writePublicFile(
    confPath,
    [
      '# SoftHSM2 tokens standing for test CPS/CPE cards (poste-dmp test deployment).',
      `directories.tokendir = ${tokenDir}`,
      'objectstore.backend = file',
      'log.level = ERROR',
      'slots.removable = true',
      '',
    ].join('\n'),
  );
  return { confPath, tokenDir, modulePath };
}

/** The serial, PIN and holder an emulated card profile carries, read the way a workstation reads the card. */
export async function emulatedCardIdentity(
  profile: CardProfile,
): Promise<{ serial: string; pin: string; holder: CardHolder }> {
  const transport = new SimulatedTransport({ readers: [SIMULATED_CPS_READER] });
  transport.insert(SIMULATED_CPS_READER, createVirtualCard(profile));
  const session = await transport.connect(SIMULATED_CPS_READER);
  try {
    const info = await readCpxPublic(session);
    const pin = profile.pin?.value;
    if (pin === undefined) throw new Error(`Card profile ${profile.id} has no PIN`);
    return {
      serial: info.serial,
      pin,
      holder: {
        kind: info.kind,
        nationalId: info.holder.nationalId,
        lastName: info.holder.lastName,
        firstName: info.holder.firstName,
        professionCode: info.holder.professionCode,
      },
    };
  } finally {
    await session.close('leave');
  }
}

export interface CardTokenRequest {
  pki: TestPki;
  cardSerial: string;
  pin: string;
  holder: CardHolder;
  now?: Date;
  notBefore?: Date;
  notAfter?: Date;
}

const authenticationKeyId = Buffer.from('01', 'hex');
const authenticationLabel = 'Authentification CPS (test)';

/**
 * Creates a token labelled with the card serial, PIN = the card's code porteur, generates the
 * authentication key pair on it, has the test PKI certify the public key, and stores the certificate
 * on the token. The module must not be in use in this process (SoftHSM2 only sees tokens created
 * after it was initialised), and SOFTHSM2_CONF is set to the store's configuration.
 */
export async function provisionCardToken(
  store: SoftHsmStore,
  request: CardTokenRequest,
): Promise<IssuedCertificate> {
  if (libraryUsers(store.modulePath) > 0) {
    throw new Error('Provision SoftHSM2 tokens before opening card signers in this process');
  }
  process.env.SOFTHSM2_CONF = store.confPath;
  refuseExistingLabel(store, request.cardSerial);
  // The SO PIN guards re-initialisation only; nobody needs it again.
  const soPin = randomBytes(8).toString('hex');
  await promisify(execFile)(
    'softhsm2-util',
    ['--init-token', '--free', '--label', request.cardSerial, '--pin', request.pin, '--so-pin', soPin],
    { env: { ...process.env, SOFTHSM2_CONF: store.confPath } },
  );
  const module = pkcs11Module();
  const lease = acquireLibrary(store.modulePath);
  try {
    const slot = lease.pkcs11
      .C_GetSlotList(true)
      .find((candidate) => lease.pkcs11.C_GetTokenInfo(candidate).label.trim() === request.cardSerial);
    if (slot === undefined)
      throw new Error(`SoftHSM2 token ${request.cardSerial} not found after initialisation`);
    const session = lease.pkcs11.C_OpenSession(slot, module.CKF_SERIAL_SESSION | module.CKF_RW_SESSION);
    try {
      lease.pkcs11.C_Login(session, module.CKU_USER, request.pin);
      const common = [
        { type: module.CKA_TOKEN, value: true },
        { type: module.CKA_ID, value: authenticationKeyId },
        { type: module.CKA_LABEL, value: authenticationLabel },
      ];
      const keys = lease.pkcs11.C_GenerateKeyPair(
        session,
        { mechanism: module.CKM_RSA_PKCS_KEY_PAIR_GEN },
        [
          ...common,
          { type: module.CKA_VERIFY, value: true },
          { type: module.CKA_MODULUS_BITS, value: 2048 },
          { type: module.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        ],
        [
          ...common,
          { type: module.CKA_PRIVATE, value: true },
          { type: module.CKA_SENSITIVE, value: true },
          { type: module.CKA_EXTRACTABLE, value: false },
          { type: module.CKA_SIGN, value: true },
        ],
      );
      const [modulus, exponent] = lease.pkcs11.C_GetAttributeValue(session, keys.publicKey, [
        { type: module.CKA_MODULUS },
        { type: module.CKA_PUBLIC_EXPONENT },
      ]);
      if (!Buffer.isBuffer(modulus?.value) || !Buffer.isBuffer(exponent?.value)) {
        throw new Error('SoftHSM2 did not return the public key');
      }
      const issued = await issueCardCertificate(request.pki, {
        cardSerial: request.cardSerial,
        holder: request.holder,
        publicKey: await rsaPublicKey(modulus.value, exponent.value),
        now: request.now,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
      });
      lease.pkcs11.C_CreateObject(session, [
        ...common,
        { type: module.CKA_CLASS, value: module.CKO_CERTIFICATE },
        { type: module.CKA_CERTIFICATE_TYPE, value: module.CKC_X_509 },
        { type: module.CKA_PRIVATE, value: false },
        { type: module.CKA_SUBJECT, value: Buffer.from(issued.certificate.subjectName.toArrayBuffer()) },
        { type: module.CKA_VALUE, value: Buffer.from(issued.certificate.rawData) },
      ]);
      lease.pkcs11.C_Logout(session);
      return issued;
    } finally {
      lease.pkcs11.C_CloseSession(session);
    }
  } finally {
    lease.release();
  }
}

/** The signer finds a card by its token label: two tokens with one label would make it pick either. */
function refuseExistingLabel(store: SoftHsmStore, label: string): void {
  const lease = acquireLibrary(store.modulePath);
  try {
    const taken = lease.pkcs11
      .C_GetSlotList(true)
      .some((slot) => lease.pkcs11.C_GetTokenInfo(slot).label.trim() === label);
    if (taken)
      throw new Error(`A SoftHSM2 token labelled ${label} already exists: card serials must be unique`);
  } finally {
    lease.release();
  }
}
