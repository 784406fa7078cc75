import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../../src/main/host/config';

function configFile(extra: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'host-config-cda-')), 'host.json');
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

describe('host configuration: CDA parsing pool', () => {
  it('defaults the queue and the time budget, leaves the worker count to the machine', () => {
    expect(loadHostConfig(configFile({}), {}).cdaParsing).toEqual({ maxQueued: 64, timeoutSeconds: 30 });
    expect(
      loadHostConfig(configFile({ cdaParsing: { workers: 3, timeoutSeconds: 10 } }), {}).cdaParsing,
    ).toEqual({ workers: 3, maxQueued: 64, timeoutSeconds: 10 });
  });

  it('refuses no worker, a fraction, or an unknown field, in French', () => {
    for (const cdaParsing of [{ workers: 0 }, { workers: 1.5 }, { timeoutSeconds: 0 }, { worker: 2 }])
      expect(() => loadHostConfig(configFile({ cdaParsing }), {})).toThrow(
        /Configuration du serveur DMP invalide/,
      );
  });
});
