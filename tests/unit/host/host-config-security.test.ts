import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../../src/main/host/config';
import { writeHostConfigFile } from '../../support/host-config-file';
import { openRevocation } from '../../../src/main/host/host-revocation';
import { createLogger } from '../../../src/main/log/logger';
import { createTestPki, issueWorkstationCertificate, publishCrl } from '../../../src/main/pki';
import { defaultHostLimits } from '../../../src/main/host/rate-limit';

describe('host configuration: revocation, limits, audit checkpoints', () => {
  it('defaults the limits, leaves revocation off, resolves CRL and checkpoint paths from the file', () => {
    const plain = loadHostConfig(writeHostConfigFile({}), {});
    expect(plain.limits).toEqual(defaultHostLimits);
    expect(plain.revocation).toBeUndefined();
    const file = writeHostConfigFile({
      revocation: { crlFiles: ['pki/crl/organisations.crl', '/etc/pki/persons.crl'] },
      limits: { burst: 10 },
      auditCheckpointFile: 'state/checkpoints.log',
    });
    const config = loadHostConfig(file, {});
    const dir = join(file, '..');
    expect(config.revocation?.crlFiles).toEqual([
      join(dir, 'pki/crl/organisations.crl'),
      '/etc/pki/persons.crl',
    ]);
    expect(config.limits).toEqual({ ...defaultHostLimits, burst: 10 });
    expect(config.auditCheckpointFile).toBe(join(dir, 'state/checkpoints.log'));
  });

  it('refuses unknown or out-of-range limit fields, in French', () => {
    expect(() => loadHostConfig(writeHostConfigFile({ limits: { requestsPerMinute: 5 } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
    expect(() => loadHostConfig(writeHostConfigFile({ limits: { maxConcurrentStreams: 0 } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
    expect(() => loadHostConfig(writeHostConfigFile({ revocation: { crlFiles: [] } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
  });

  it('reads revocation.ocsp (defaults, http(s) only, with or without CRLs) and refuses an empty revocation', () => {
    const ocsp = loadHostConfig(writeHostConfigFile({ revocation: { ocsp: {} } }), {});
    expect(ocsp.revocation).toEqual({ ocsp: { timeoutMs: 5_000, maxCacheSeconds: 300 } });
    const both = loadHostConfig(
      writeHostConfigFile({
        revocation: { crlFiles: ['root.crl'], ocsp: { url: 'http://ocsp.example.fr/', timeoutMs: 2_000 } },
      }),
      {},
    );
    expect(both.revocation?.ocsp).toEqual({
      url: 'http://ocsp.example.fr/',
      timeoutMs: 2_000,
      maxCacheSeconds: 300,
    });
    expect(both.revocation?.crlFiles).toEqual([join(dirname(both.tls.ca), 'root.crl')]);
    for (const revocation of [
      {},
      { ocsp: { url: 'ftp://ocsp.example.fr/' } },
      { ocsp: { softFail: true } },
    ]) {
      expect(() => loadHostConfig(writeHostConfigFile({ revocation }), {})).toThrow(
        /Configuration du serveur DMP invalide/,
      );
    }
  });

  it('opens CRLs and OCSP together: the CRL is asked first, then the responder (unreachable → unknown)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-revocation-'));
    const pki = await createTestPki(join(dir, 'pki'));
    const desk = await issueWorkstationCertificate(pki, { name: 'poste' });
    const revokedDesk = await issueWorkstationCertificate(pki, { name: 'poste-vole' });
    const crl = await publishCrl(pki, 'organisations', { revoked: [revokedDesk.certificate] });
    const lines: string[] = [];
    const revocation = openRevocation(
      // Port 9 (discard) on loopback: nothing answers HTTP there.
      { crlFiles: [crl.path], ocsp: { url: 'http://127.0.0.1:9/', timeoutMs: 5_000, maxCacheSeconds: 60 } },
      createLogger({ sink: (l) => lines.push(l) }),
    );
    const issuer = pki.organisations.certificate;
    expect(await revocation?.status(revokedDesk.certificate, issuer)).toMatchObject({
      status: 'revoked',
      source: crl.path,
    });
    expect(await revocation?.status(desk.certificate, issuer)).toMatchObject({
      status: 'unknown',
      why: 'ocsp-unreachable',
    });
    expect(lines.join('\n')).toMatch(/OCSP responder unreachable/);
    // The health answer's part: the CRL's age and validity (no answer cached: the responder never answered).
    expect(revocation?.freshness()).toMatchObject({
      configured: true,
      crls: [
        {
          issuer: crl.crl.issuer,
          thisUpdate: crl.crl.thisUpdate.toISOString(),
          nextUpdate: crl.crl.nextUpdate!.toISOString(),
          expired: false,
        },
      ],
      ocsp: { cachedAnswers: 0, oldestAnswerAgeSeconds: null },
    });
    expect(revocation!.freshness().crls[0]!.ageSeconds).toBeGreaterThanOrEqual(0);
    // A CRL past its nextUpdate, put in place of the file: reloaded, shown expired.
    await publishCrl(pki, 'organisations', {
      now: new Date(Date.now() - 3 * 86_400_000),
      nextUpdate: new Date(Date.now() - 86_400_000),
    });
    expect(revocation?.freshness().crls).toMatchObject([{ expired: true }]);
    expect(openRevocation(undefined, createLogger({ sink: () => undefined }))).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});
