import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowsSystemCalls,
  createTestPki,
  issueCardCertificate,
  issueHostCertificate,
  issueWorkstationCertificate,
  isWorkstationCertificate,
  openTestPki,
  type TestPki,
} from '../../../src/main/pki';

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('test PKI modelled on IGC-Santé', () => {
  let dir: string;
  let pki: TestPki;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poste-dmp-pki-'));
    pki = await createTestPki(join(dir, 'pki'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the root and both authorities, private keys owner-only', () => {
    for (const key of ['root-ca.key', 'ac-personnes.key', 'ac-organisations.key']) {
      expect(mode(join(pki.dir, key))).toBe(0o600);
      expect(readFileSync(join(pki.dir, key), 'utf8')).toContain('BEGIN PRIVATE KEY');
    }
    expect(mode(pki.dir)).toBe(0o700);
    expect(readFileSync(pki.caPath, 'utf8').trim()).toBe(pki.root.certificatePem.trim());
    // OpenSSL, independently of the library that wrote them, accepts both authorities under the root.
    for (const authority of ['ac-personnes.crt', 'ac-organisations.crt']) {
      expect(openssl('verify', '-CAfile', pki.caPath, join(pki.dir, authority))).toContain(': OK');
    }
    expect(openssl('x509', '-in', join(pki.dir, 'ac-personnes.crt'), '-noout', '-subject')).toContain(
      'CN = TEST POSTE-DMP AC PERSONNES',
    );
  });

  it('refuses to overwrite an existing PKI, and opens it again with the same authorities', async () => {
    await expect(createTestPki(pki.dir)).rejects.toThrow(/already exists/);
    const reopened = await openTestPki(pki.dir);
    expect(reopened.persons.certificatePem).toBe(pki.persons.certificatePem);
    const card = await issueCardCertificate(reopened, {
      cardSerial: '0010000099',
      holder: {
        kind: 'cps',
        nationalId: '899700100099',
        lastName: 'TEST',
        firstName: 'Réouverture',
        professionCode: '10',
      },
    });
    expect(
      await card.certificate.verify({ publicKey: pki.persons.certificate.publicKey, signatureOnly: true }),
    ).toBe(true);
  });

  it('issues a card certificate whose subject carries the IDNPS, the names and the profession', async () => {
    const card = await issueCardCertificate(pki, {
      cardSerial: '0010000001',
      holder: {
        kind: 'cps',
        nationalId: '899700100017',
        lastName: 'BONNEFOY',
        firstName: 'Claire',
        professionCode: '10',
      },
    });
    expect(card.keyPath).toBeDefined();
    expect(mode(card.keyPath ?? '')).toBe(0o600);
    expect(
      openssl(
        'verify',
        '-CAfile',
        pki.caPath,
        '-untrusted',
        join(pki.dir, 'ac-personnes.crt'),
        card.certPath,
      ),
    ).toContain(': OK');
    // The organisations' authority did not issue it: OpenSSL refuses that chain.
    expect(() =>
      openssl(
        'verify',
        '-CAfile',
        pki.caPath,
        '-untrusted',
        join(pki.dir, 'ac-organisations.crt'),
        card.certPath,
      ),
    ).toThrow();
    const text = openssl(
      'x509',
      '-in',
      card.certPath,
      '-noout',
      '-subject',
      '-ext',
      'keyUsage,extendedKeyUsage',
      '-nameopt',
      'oneline,utf8',
    );
    expect(text).toContain('serialNumber = 899700100017');
    expect(text).toContain('SN = BONNEFOY');
    expect(text).toContain('GN = Claire');
    expect(text).toContain('title = 10');
    expect(text).toContain('OU = CPS');
    expect(text).toContain('CN = 899700100017/0010000001');
    expect(text).toMatch(/critical\s+Digital Signature\s/);
    expect(text).toContain('TLS Web Client Authentication');
  });

  it('refuses a holder that no card could carry', async () => {
    await expect(
      issueCardCertificate(pki, {
        cardSerial: '0010000002',
        holder: { kind: 'cps', nationalId: '12345', lastName: 'X', firstName: 'Y', professionCode: '10' },
      }),
    ).rejects.toThrow(/national id/);
    await expect(
      issueCardCertificate(pki, {
        cardSerial: '../evil',
        holder: {
          kind: 'cpe',
          nationalId: '899700100041',
          lastName: 'X',
          firstName: 'Y',
          professionCode: '',
        },
      }),
    ).rejects.toThrow(/Unsafe/);
  });

  it('issues host and workstation certificates that complete a TLS 1.3 mutual handshake', async () => {
    const host = await issueHostCertificate(pki, {
      name: 'dmp-host',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const station = await issueWorkstationCertificate(pki, { name: 'poste-a' });
    const importer = await issueWorkstationCertificate(pki, { name: 'poste-import', systemCalls: true });
    expect(allowsSystemCalls(station.certificatePem)).toBe(false);
    expect(allowsSystemCalls(importer.certificatePem)).toBe(true);
    expect(isWorkstationCertificate(station.certificatePem)).toBe(true);
    expect(isWorkstationCertificate(Uint8Array.from(Buffer.from(importer.certificate.rawData)))).toBe(true);
    expect(isWorkstationCertificate(host.certificatePem)).toBe(false);
    const card = await issueCardCertificate(pki, {
      cardSerial: '0010000003',
      holder: {
        kind: 'cps',
        nationalId: '899700100033',
        lastName: 'CARTE',
        firstName: 'Pas un poste',
        professionCode: '21',
      },
    });
    expect(isWorkstationCertificate(card.certificatePem)).toBe(false);
    expect(allowsSystemCalls(card.certificatePem)).toBe(false);
    expect(mode(host.keyPath ?? '')).toBe(0o600);

    const server = tls.createServer({
      cert: readFileSync(host.certPath),
      key: readFileSync(host.keyPath ?? ''),
      ca: pki.caPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    });
    const peers: string[] = [];
    server.on('secureConnection', (socket) => {
      peers.push(String(socket.getPeerCertificate().subject.CN));
      socket.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const socket = tls.connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: pki.caPem,
        cert: readFileSync(station.certPath),
        key: readFileSync(station.keyPath ?? ''),
        minVersion: 'TLSv1.3',
      });
      await once(socket, 'secureConnect');
      expect(socket.authorized).toBe(true);
      expect(socket.getProtocol()).toBe('TLSv1.3');
      socket.on('data', () => undefined);
      await once(socket, 'end');
      expect(peers).toEqual(['poste-a']);
    } finally {
      server.close();
    }
  });
});
