import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../../src/main/host/config';
import { defaultHostLimits } from '../../../src/main/host/rate-limit';

function configFile(extra: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'host-config-'));
  const file = join(dir, 'host.json');
  writeFileSync(
    file,
    JSON.stringify({
      tls: { ca: 'ca.pem', cert: 'host.crt', key: 'host.key' },
      storage: { kind: 'embedded', dataDir: 'data' },
      ...extra,
    }),
  );
  return file;
}

describe('host configuration: revocation, limits, audit checkpoints', () => {
  it('defaults the limits, leaves revocation off, resolves CRL and checkpoint paths from the file', () => {
    const plain = loadHostConfig(configFile({}), {});
    expect(plain.limits).toEqual(defaultHostLimits);
    expect(plain.revocation).toBeUndefined();
    const file = configFile({
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
    expect(() => loadHostConfig(configFile({ limits: { requestsPerMinute: 5 } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
    expect(() => loadHostConfig(configFile({ limits: { maxConcurrentStreams: 0 } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
    expect(() => loadHostConfig(configFile({ revocation: { crlFiles: [] } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
  });
});
