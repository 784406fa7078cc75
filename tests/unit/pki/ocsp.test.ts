import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  SingleResponse,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extension, Name } from '@peculiar/asn1-x509';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log/logger';
import {
  createTestPki,
  issueOcspResponderCertificate,
  issueWorkstationCertificate,
  writeOcspIndex,
  type IssuedCertificate,
  type TestPki,
} from '../../../src/main/pki';
import { rsaAlgorithm, subtle } from '../../../src/main/pki/keys';
import { OcspClient } from '../../../src/main/pki/ocsp';
import { startOcspResponder, type OcspResponder } from '../../support/ocsp-responder';

/**
 * The host's OCSP client against a real responder (`openssl ocsp`) answering from the test PKI's
 * OpenSSL index: good, revoked, unknown, unreachable, and answers signed by a key that is not the
 * authority's nor a responder it delegated.
 */
let dir: string;
let pki: TestPki;
let impostor: TestPki;
let good: IssuedCertificate;
let revoked: IssuedCertificate;
let unlisted: IssuedCertificate;
let index: string;
let responder: OcspResponder;
const responders: OcspResponder[] = [];
const lines: string[] = [];
const log = createLogger({ sink: (l) => lines.push(l) });

const client = (url: string, options: { maxCacheMs?: number } = {}): OcspClient =>
  new OcspClient({ url, timeoutMs: 10_000, maxCacheMs: options.maxCacheMs ?? 5 * 60_000, log });

async function start(signer: { certPath: string; keyPath?: string }, nextUpdateMinutes = 5) {
  const started = await startOcspResponder({
    indexPath: index,
    caPath: join(pki.dir, 'ac-organisations.crt'),
    signerCertPath: signer.certPath,
    signerKeyPath: signer.keyPath ?? '',
    nextUpdateMinutes,
  });
  responders.push(started);
  return started;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poste-dmp-ocsp-'));
  pki = await createTestPki(join(dir, 'pki'));
  impostor = await createTestPki(join(dir, 'impostor'));
  good = await issueWorkstationCertificate(pki, { name: 'poste-ok' });
  revoked = await issueWorkstationCertificate(pki, { name: 'poste-revoque' });
  unlisted = await issueWorkstationCertificate(pki, { name: 'poste-inconnu' });
  index = writeOcspIndex(pki, 'organisations', {
    valid: [good.certificate],
    revoked: [revoked.certificate],
  });
  responder = await start(await issueOcspResponderCertificate(pki, 'organisations'));
}, 120_000);

afterAll(async () => {
  await Promise.all(responders.map((r) => r.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('OCSP client (host side) with openssl ocsp as the responder', () => {
  const issuer = (): IssuedCertificate['certificate'] => pki.organisations.certificate;

  it('says good for a valid certificate, revoked (with its date) for a revoked one', async () => {
    const ocsp = client(responder.url);
    expect(ocsp.freshness()).toEqual({ cachedAnswers: 0, oldestAnswerAt: null });
    const before = Date.now();
    expect(await ocsp.status(good.certificate, issuer())).toEqual({ status: 'good', covered: true });
    const verdict = await ocsp.status(revoked.certificate, issuer());
    expect(verdict).toMatchObject({ status: 'revoked', source: responder.url });
    if (verdict.status === 'revoked') expect(verdict.revokedAt.getTime()).toBeLessThan(Date.now());
    // What the host's health answer shows: the verified answers kept, and when the oldest came.
    const fresh = ocsp.freshness();
    expect(fresh.cachedAnswers).toBe(2);
    expect(fresh.oldestAnswerAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(fresh.oldestAnswerAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('fails closed on a certificate the responder does not know', async () => {
    expect(await client(responder.url).status(unlisted.certificate, issuer())).toMatchObject({
      status: 'unknown',
      why: 'ocsp-unknown',
    });
  });

  it('accepts answers signed by the authority itself', async () => {
    const byIssuer = await start({
      certPath: join(pki.dir, 'ac-organisations.crt'),
      keyPath: join(pki.dir, 'ac-organisations.key'),
    });
    expect(await client(byIssuer.url).status(good.certificate, issuer())).toEqual({
      status: 'good',
      covered: true,
    });
  });

  it('refuses an answer signed by another PKI’s responder of the same name (forged)', async () => {
    const forger = await start(await issueOcspResponderCertificate(impostor, 'organisations'));
    expect(await client(forger.url).status(good.certificate, issuer())).toMatchObject({
      status: 'unknown',
      why: 'ocsp-bad-response',
    });
    expect(lines.join('\n')).toMatch(/not signed by the issuer.*OCSP answer refused/);
  });

  it('refuses an answer signed by a certificate of the authority that is not an OCSP responder', async () => {
    const notResponder = await start(good);
    expect(await client(notResponder.url).status(good.certificate, issuer())).toMatchObject({
      status: 'unknown',
      why: 'ocsp-bad-response',
    });
    expect(lines.join('\n')).toMatch(/lacks id-kp-OCSPSigning/);
  });

  it('fails closed when the responder is down and nothing fresh is cached; a cached answer serves until nextUpdate', async () => {
    const shortLived = await start(
      await issueOcspResponderCertificate(pki, 'organisations', { name: 'bref' }),
    );
    const ocsp = client(shortLived.url);
    expect(await ocsp.status(good.certificate, issuer())).toMatchObject({ status: 'good' });
    await shortLived.stop();
    // Same client: the answer is still fresh (nextUpdate 5 minutes away).
    expect(await ocsp.status(good.certificate, issuer())).toMatchObject({ status: 'good' });
    // Nothing cached: refused, with the responder and the error in the log.
    expect(await client(shortLived.url).status(good.certificate, issuer())).toMatchObject({
      status: 'unknown',
      why: 'ocsp-unreachable',
    });
    expect(lines.join('\n')).toMatch(/OCSP responder unreachable/);
  });

  it('asks the responder the certificate names (AIA) when none is configured', async () => {
    const named = await issueWorkstationCertificate(pki, { name: 'poste-aia', ocspUrl: responder.url });
    writeOcspIndex(pki, 'organisations', {
      valid: [good.certificate, named.certificate],
      revoked: [revoked.certificate],
    });
    await responder.restart();
    const ocsp = new OcspClient({ timeoutMs: 10_000, maxCacheMs: 60_000, log });
    expect(await ocsp.status(named.certificate, issuer())).toEqual({ status: 'good', covered: true });
    expect(await ocsp.status(good.certificate, issuer())).toMatchObject({
      status: 'unknown',
      why: 'ocsp-no-url',
    });
  });

  it('leaves authorities to the CRLs', async () => {
    expect(await client(responder.url).status(pki.organisations.certificate, pki.root.certificate)).toEqual({
      status: 'good',
      covered: false,
    });
  });
});

/**
 * Answers no real responder gives on demand: a responder of our own (node:http) that signs with the
 * authority's key what the test asks — a control answer (accepted), then each with one fault.
 */
describe('OCSP client: nonce, dates and the certificate answered about', () => {
  type Fault = 'none' | 'wrong-nonce' | 'stale' | 'future' | 'other-serial';
  let fault: Fault = 'none';
  let server: Server;
  let url: string;

  async function answer(request: OCSPRequest): Promise<ArrayBuffer> {
    const asked = request.tbsRequest.requestList[0]!.reqCert;
    const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
    const now = Date.now();
    const certID = new CertID({
      ...asked,
      serialNumber: fault === 'other-serial' ? new Uint8Array([0x01, 0x02]).buffer : asked.serialNumber,
    });
    const echoed =
      nonce && fault === 'wrong-nonce'
        ? new Extension({
            extnID: id_pkix_ocsp_nonce,
            extnValue: new OctetString(AsnConvert.serialize(new OctetString(new Uint8Array(16)))),
          })
        : nonce;
    const tbs = new ResponseData({
      responderID: new ResponderID({
        byName: AsnConvert.parse(pki.organisations.certificate.subjectName.toArrayBuffer(), Name),
      }),
      producedAt: new Date(now),
      responses: [
        new SingleResponse({
          certID,
          certStatus: new CertStatus({ good: null }),
          thisUpdate: new Date(fault === 'future' ? now + 60 * 60_000 : now - 60_000),
          nextUpdate: new Date(fault === 'stale' ? now - 60 * 60_000 : now + 5 * 60_000),
        }),
      ],
      ...(echoed ? { responseExtensions: [echoed] } : {}),
    });
    const signed = AsnConvert.serialize(tbs);
    const basic = new BasicOCSPResponse({
      tbsResponseData: tbs,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null }),
      signature: await subtle.sign(rsaAlgorithm, pki.organisations.privateKey, signed),
    });
    return AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({
          responseType: id_pkix_ocsp_basic,
          response: new OctetString(AsnConvert.serialize(basic)),
        }),
      }),
    );
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        answer(AsnConvert.parse(Buffer.concat(chunks), OCSPRequest)).then(
          (body) => {
            res.writeHead(200, { 'content-type': 'application/ocsp-response' });
            res.end(Buffer.from(body));
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts the control answer (signed by the authority, fresh, right nonce and certificate)', async () => {
    fault = 'none';
    expect(await client(url).status(good.certificate, pki.organisations.certificate)).toEqual({
      status: 'good',
      covered: true,
    });
  });

  it.each([
    ['wrong-nonce', /nonce differs/],
    ['stale', /stale answer/],
    ['future', /in the future/],
    ['other-serial', /no answer about the certificate asked for/],
  ] as const)('refuses an answer with %s', async (which, logged) => {
    fault = which;
    expect(await client(url).status(good.certificate, pki.organisations.certificate)).toMatchObject({
      status: 'unknown',
      why: 'ocsp-bad-response',
    });
    expect(lines.at(-1)).toMatch(logged);
  });
});
