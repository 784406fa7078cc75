import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log/logger';
import {
  createTestPki,
  issueWorkstationCertificate,
  normalizeSerial,
  publishCrl,
  RevocationLists,
  CrlFileError,
  type IssuedCertificate,
  type TestPki,
} from '../../../src/main/pki';

let dir: string;
let pki: TestPki;
let impostor: TestPki;
let revoked: IssuedCertificate;
let good: IssuedCertificate;
const lines: string[] = [];
const log = createLogger({ sink: (l) => lines.push(l) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poste-dmp-crl-'));
  pki = await createTestPki(join(dir, 'pki'));
  // Same authority names (the test PKI's profile), other keys: a CRL from it names our issuer.
  impostor = await createTestPki(join(dir, 'impostor'));
  revoked = await issueWorkstationCertificate(pki, { name: 'poste-revoque' });
  good = await issueWorkstationCertificate(pki, { name: 'poste-ok' });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CRLs of the test PKI, as the host checks them', () => {
  it('says revoked for a listed serial, good for another, not covered for an issuer without a CRL', async () => {
    const { path } = await publishCrl(pki, 'organisations', { revoked: [revoked.certificate] });
    const lists = RevocationLists.open([path], log);
    const issuer = pki.organisations.certificate;
    expect(await lists.status(revoked.certificate, issuer)).toMatchObject({ status: 'revoked' });
    expect(await lists.status(good.certificate, issuer)).toEqual({ status: 'good', covered: true });
    expect(await lists.status(pki.organisations.certificate, pki.root.certificate)).toEqual({
      status: 'good',
      covered: false,
    });
  });

  it('fails closed on a CRL that names the issuer but is not signed by its key', async () => {
    const { path } = await publishCrl(impostor, 'organisations', { name: 'forged.crl' });
    const lists = RevocationLists.open([path], log);
    expect(lists.freshness()[0]).toMatchObject({ signatureRejected: false });
    expect(await lists.status(good.certificate, pki.organisations.certificate)).toMatchObject({
      status: 'unknown',
      why: 'bad-signature',
    });
    // The health answer must say so: every certificate of that authority is now refused.
    expect(lists.freshness()[0]).toMatchObject({ signatureRejected: true });
    const genuine = RevocationLists.open(
      [(await publishCrl(pki, 'organisations', { name: 'genuine.crl' })).path],
      log,
    );
    await genuine.status(good.certificate, pki.organisations.certificate);
    expect(genuine.freshness()[0]).toMatchObject({ signatureRejected: false });
  });

  it('keeps the last good copy when the file is replaced by garbage, and refuses to start on an unreadable file', async () => {
    const { path } = await publishCrl(pki, 'organisations', {
      revoked: [revoked.certificate],
      name: 'kept.crl',
    });
    const lists = RevocationLists.open([path], log);
    writeFileSync(path, 'not a CRL at all');
    expect(await lists.status(revoked.certificate, pki.organisations.certificate)).toMatchObject({
      status: 'revoked',
    });
    expect(lines.join('\n')).toMatch(/cannot be parsed: keeping the copy loaded before/);
    // Every check and health probe re-reads the file: the same problem is logged once, not each time.
    const logged = (): number => lines.filter((l) => l.includes('cannot be parsed')).length;
    const once = logged();
    lists.freshness();
    await lists.status(revoked.certificate, pki.organisations.certificate);
    expect(logged()).toBe(once);
    expect(() => RevocationLists.open([path], log)).toThrow(CrlFileError);
    expect(() => RevocationLists.open([join(dir, 'missing.crl')], log)).toThrow(/introuvable ou illisible/);
  });

  it('compares serial numbers as numbers', () => {
    expect(normalizeSerial('00AB:CD')).toBe(normalizeSerial('abcd'));
    expect(normalizeSerial('0')).toBe('0');
  });
});
