import { mkdtempSync, rmSync } from 'node:fs';
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
    expect(await ocsp.status(good.certificate, issuer())).toEqual({ status: 'good', covered: true });
    const verdict = await ocsp.status(revoked.certificate, issuer());
    expect(verdict).toMatchObject({ status: 'revoked', source: responder.url });
    if (verdict.status === 'revoked') expect(verdict.revokedAt.getTime()).toBeLessThan(Date.now());
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
