import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A minimal host.json (TLS files and an embedded store, paths relative to it) with `extra` merged
 * at the top level, in a fresh temporary folder: for tests of `loadHostConfig`.
 */
export function writeHostConfigFile(extra: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'host-config-')), 'host.json');
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
