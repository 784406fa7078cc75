import { createHash, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, Extension, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { Logger } from '../log/logger';
import type { RevocationCheck, RevocationStatus } from './revocation';
import * as x509 from './x509';

/**
 * OCSP (RFC 6960) for end-entity certificates — workstations' and cards' — beside or instead of CRLs
 * (IGC-Santé publishes both). Authorities themselves stay covered by the root's CRL: an OCSP
 * responder answers for the leaves of the authority that signs (or delegates) it.
 *
 * - The request: one CertID (SHA-1, as RFC 5019 responders expect) and a fresh nonce, POSTed to the
 *   configured URL or, without one, to the certificate's AIA `id-ad-ocsp` URL.
 * - The answer is believed only if: status successful, basic response; signed by the issuer itself,
 *   or by a delegated responder certificate the issuer signed, with `id-kp-OCSPSigning`, within its
 *   dates; the SingleResponse is about this very CertID; `thisUpdate` is not in the future and
 *   `nextUpdate` not past (`clockSkewMs` of tolerance either way); without `nextUpdate`, `thisUpdate`
 *   is not older than `maxCacheMs`; a nonce in the answer equals the one sent (a responder that
 *   serves pre-signed answers leaves it out, which the dates then bound).
 * - **Fail closed**: unreachable, timeout, an answer that does not verify, `unknown` → the status is
 *   `unknown` and the host refuses, with the reason in the log. No soft-fail option, by design.
 * - **Cache**: a verified answer is kept until its `nextUpdate` (`maxCacheMs` without one), never longer than `maxCacheMs`
 *   (so a revocation reaches the host within that time even from a responder that announces long
 *   validity), at most `maxEntries` certificates (the oldest dropped first). Checks of one
 *   certificate running at the same time share one request.
 */
export interface OcspOptions {
  /** The responder for every certificate; absent: each certificate's AIA OCSP URL. */
  url?: string;
  timeoutMs: number;
  maxCacheMs: number;
  log: Logger;
  now?: () => Date;
  clockSkewMs?: number;
  maxEntries?: number;
}

interface Cached {
  verdict: Exclude<RevocationStatus, { status: 'unknown' }>;
  until: number;
  /** When the answer was received (the health answer shows the oldest one's age). */
  at: number;
}

const sha1 = 'sha1';
const sha1Oid = '1.3.14.3.2.26';
const maxResponseBytes = 64 * 1024;

/** Signature algorithms of OCSP answers, as Node's `crypto.verify` takes them (RSA PKCS#1 v1.5, ECDSA). */
const signatureHashes: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** Why an answer was not believed (English, for the log). */
class BadResponse extends Error {}

function hash(data: ArrayBuffer | Uint8Array): Buffer {
  return createHash(sha1)
    .update(data instanceof Uint8Array ? data : new Uint8Array(data))
    .digest();
}

function same(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(
    Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)),
  );
}

function isAuthority(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

/** The certificate's AIA OCSP URL (http or https), if it names one. */
export function ocspUrlOf(certificate: x509.X509Certificate): string | null {
  const aia = certificate.getExtension(x509.AuthorityInfoAccessExtension);
  const url = aia?.ocsp.find((name) => name.type === 'url' && /^https?:\/\//i.test(name.value));
  return url?.value ?? null;
}

/** The CertID of `certificate` (RFC 6960 §4.1.1): SHA-1 of the issuer's name and key, the serial as encoded. */
function certIdOf(certificate: x509.X509Certificate, issuer: x509.X509Certificate): CertID {
  const spki = AsnConvert.parse(issuer.publicKey.rawData, SubjectPublicKeyInfo);
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: sha1Oid, parameters: null }),
    issuerNameHash: new OctetString(hash(issuer.subjectName.toArrayBuffer())),
    issuerKeyHash: new OctetString(hash(spki.subjectPublicKey)),
    serialNumber: AsnConvert.parse(certificate.rawData, Certificate).tbsCertificate.serialNumber,
  });
}

function sameCertId(a: CertID, b: CertID): boolean {
  return (
    a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
    same(a.issuerNameHash.buffer, b.issuerNameHash.buffer) &&
    same(a.issuerKeyHash.buffer, b.issuerKeyHash.buffer) &&
    same(a.serialNumber, b.serialNumber)
  );
}

export function buildOcspRequest(certId: CertID, nonce: Uint8Array): ArrayBuffer {
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({
      requestList: [new Request({ reqCert: certId })],
      requestExtensions: [
        new Extension({
          extnID: id_pkix_ocsp_nonce,
          critical: false,
          extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))),
        }),
      ],
    }),
  });
  return AsnConvert.serialize(request);
}

function verifies(
  signed: ArrayBuffer,
  signature: ArrayBuffer,
  algorithm: string,
  spki: ArrayBuffer,
): boolean {
  const digest = signatureHashes[algorithm];
  if (!digest) throw new BadResponse(`unsupported signature algorithm ${algorithm}`);
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  return verifySignature(digest, Buffer.from(signed), key, Buffer.from(signature));
}

/**
 * Who signed the answer: the issuer itself, or a certificate of `certs` the issuer signed, with
 * id-kp-OCSPSigning, valid at `now` (RFC 6960 §4.2.2.2). Anything else is refused.
 */
async function responderKey(
  basic: BasicOCSPResponse,
  issuer: x509.X509Certificate,
  now: Date,
): Promise<ArrayBuffer> {
  const id = basic.tbsResponseData.responderID;
  const issuerSpki = AsnConvert.parse(issuer.publicKey.rawData, SubjectPublicKeyInfo);
  const names = (candidate: x509.X509Certificate): boolean => {
    if (id.byKey) {
      const spki = AsnConvert.parse(candidate.publicKey.rawData, SubjectPublicKeyInfo);
      return same(hash(spki.subjectPublicKey), id.byKey.buffer);
    }
    if (id.byName) return same(AsnConvert.serialize(id.byName), candidate.subjectName.toArrayBuffer());
    return false;
  };
  if (names(issuer)) return AsnConvert.serialize(issuerSpki);
  for (const raw of basic.certs ?? []) {
    const candidate = new x509.X509Certificate(AsnConvert.serialize(raw));
    if (!names(candidate)) continue;
    if (candidate.issuer !== issuer.subject)
      throw new BadResponse('responder certificate not issued by the issuer');
    let signedByIssuer = false;
    try {
      signedByIssuer = await candidate.verify({ publicKey: issuer.publicKey, signatureOnly: true });
    } catch {
      signedByIssuer = false;
    }
    if (!signedByIssuer) throw new BadResponse('responder certificate not signed by the issuer');
    const usages = candidate.getExtension(x509.ExtendedKeyUsageExtension)?.usages.map(String) ?? [];
    if (!usages.includes(id_kp_OCSPSigning))
      throw new BadResponse('responder certificate lacks id-kp-OCSPSigning');
    if (now < candidate.notBefore || now > candidate.notAfter)
      throw new BadResponse('responder certificate outside its validity');
    return candidate.publicKey.rawData;
  }
  throw new BadResponse('answer signed neither by the issuer nor by a responder it delegated');
}

export class OcspClient implements RevocationCheck {
  private readonly cache = new Map<string, Cached>();
  private readonly running = new Map<string, Promise<RevocationStatus>>();
  private readonly now: () => Date;
  private readonly skewMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: OcspOptions) {
    this.now = options.now ?? (() => new Date());
    this.skewMs = options.clockSkewMs ?? 5 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async status(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationStatus> {
    // Authorities: the root's CRL (module comment).
    if (isAuthority(certificate)) return { status: 'good', covered: false };
    const url = this.options.url ?? ocspUrlOf(certificate);
    if (!url) {
      this.options.log.error('OCSP: no responder URL (configuration or certificate AIA): refusing', {
        subject: certificate.subject,
        serial: certificate.serialNumber,
      });
      return { status: 'unknown', why: 'ocsp-no-url', source: '(none)' };
    }
    const certId = certIdOf(certificate, issuer);
    const key = Buffer.from(AsnConvert.serialize(certId)).toString('hex');
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now().getTime()) return cached.verdict;
    if (cached) this.cache.delete(key);
    let pending = this.running.get(key);
    if (!pending) {
      pending = this.ask(url, certId, issuer, certificate).finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    return pending;
  }

  /** Verified answers still usable, and when the oldest was received (null: none): for the health answer. */
  freshness(): { cachedAnswers: number; oldestAnswerAt: Date | null } {
    const now = this.now().getTime();
    const live = [...this.cache.values()].filter((c) => c.until > now);
    const oldest = live.reduce<number | null>((min, c) => (min === null || c.at < min ? c.at : min), null);
    return { cachedAnswers: live.length, oldestAnswerAt: oldest === null ? null : new Date(oldest) };
  }

  private async ask(
    url: string,
    certId: CertID,
    issuer: x509.X509Certificate,
    certificate: x509.X509Certificate,
  ): Promise<RevocationStatus> {
    const nonce = new Uint8Array(randomBytes(16));
    const context = { url, serial: certificate.serialNumber, subject: certificate.subject };
    let body: Uint8Array;
    try {
      body = await this.post(url, buildOcspRequest(certId, nonce));
    } catch (err) {
      this.options.log.error('OCSP responder unreachable: refusing (fail closed)', {
        ...context,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        timeoutMs: this.options.timeoutMs,
      });
      return { status: 'unknown', why: 'ocsp-unreachable', source: url };
    }
    try {
      const answer = await this.read(body, certId, issuer, nonce);
      if (answer.kind === 'unknown') {
        this.options.log.error('OCSP responder does not know the certificate: refusing', context);
        return { status: 'unknown', why: 'ocsp-unknown', source: url };
      }
      const verdict: Cached['verdict'] =
        answer.kind === 'revoked'
          ? { status: 'revoked', revokedAt: answer.revokedAt, source: url }
          : { status: 'good', covered: true };
      const now = this.now().getTime();
      // Without nextUpdate (« newer information is always available »), kept maxCacheMs all the same:
      // otherwise every call of every session would ask the responder.
      const until = Math.min(answer.nextUpdate?.getTime() ?? Infinity, now + this.options.maxCacheMs);
      if (until > now)
        this.remember(Buffer.from(AsnConvert.serialize(certId)).toString('hex'), { verdict, until, at: now });
      if (verdict.status === 'revoked')
        this.options.log.warn('OCSP: certificate revoked', {
          ...context,
          revokedAt: verdict.revokedAt.toISOString(),
        });
      return verdict;
    } catch (err) {
      this.options.log.error('OCSP answer refused: refusing the certificate (fail closed)', {
        ...context,
        why: err instanceof Error ? err.message : String(err),
      });
      return { status: 'unknown', why: 'ocsp-bad-response', source: url };
    }
  }

  private remember(key: string, entry: Cached): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  private async post(url: string, request: ArrayBuffer): Promise<Uint8Array> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      body: request,
      signal: AbortSignal.timeout(this.options.timeoutMs),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.length > maxResponseBytes) throw new Error(`answer of ${body.length} bytes`);
    return body;
  }

  /** The verified answer about `certId`; throws BadResponse when it cannot be believed. */
  private async read(
    body: Uint8Array,
    certId: CertID,
    issuer: x509.X509Certificate,
    nonce: Uint8Array,
  ): Promise<
    { kind: 'good' | 'unknown'; nextUpdate?: Date } | { kind: 'revoked'; revokedAt: Date; nextUpdate?: Date }
  > {
    let response: OCSPResponse;
    let basic: BasicOCSPResponse;
    try {
      response = AsnConvert.parse(body, OCSPResponse);
    } catch (err) {
      throw new BadResponse(`not an OCSP response (${err instanceof Error ? err.message : 'parse'})`);
    }
    if (response.responseStatus !== OCSPResponseStatus.successful)
      throw new BadResponse(
        `responder status ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}`,
      );
    if (response.responseBytes?.responseType !== id_pkix_ocsp_basic)
      throw new BadResponse('not a basic OCSP response');
    try {
      basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
    } catch (err) {
      throw new BadResponse(`basic response unreadable (${err instanceof Error ? err.message : 'parse'})`);
    }
    const now = this.now();
    const signed = basic.tbsResponseDataRaw ?? AsnConvert.serialize(basic.tbsResponseData);
    const key = await responderKey(basic, issuer, now);
    if (!verifies(signed, basic.signature, basic.signatureAlgorithm.algorithm, key))
      throw new BadResponse('signature does not verify');
    const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
    if (echoed && !same(echoed.extnValue.buffer, AsnConvert.serialize(new OctetString(nonce))))
      throw new BadResponse('nonce differs from the request’s (replayed answer?)');
    const single = basic.tbsResponseData.responses.find((r) => sameCertId(r.certID, certId));
    if (!single) throw new BadResponse('no answer about the certificate asked for');
    if (single.thisUpdate.getTime() > now.getTime() + this.skewMs)
      throw new BadResponse(`thisUpdate ${single.thisUpdate.toISOString()} in the future`);
    if (single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - this.skewMs)
      throw new BadResponse(`stale answer: nextUpdate ${single.nextUpdate.toISOString()}`);
    if (
      !single.nextUpdate &&
      !echoed &&
      single.thisUpdate.getTime() < now.getTime() - this.options.maxCacheMs - this.skewMs
    )
      throw new BadResponse(
        `stale answer: thisUpdate ${single.thisUpdate.toISOString()}, no nextUpdate, no nonce`,
      );
    const nextUpdate = single.nextUpdate ? { nextUpdate: single.nextUpdate } : {};
    const status = single.certStatus;
    if (status.revoked) return { kind: 'revoked', revokedAt: status.revoked.revocationTime, ...nextUpdate };
    if (status.unknown !== undefined) return { kind: 'unknown', ...nextUpdate };
    return { kind: 'good', ...nextUpdate };
  }
}
