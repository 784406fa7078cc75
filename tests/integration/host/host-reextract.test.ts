import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHostTestPki } from '../../support/host-test-pki';
import { startPgCluster } from '../../support/pg-cluster';
import { buildHost, postgresStorage, startHost, writeHostConfig, writeHostTlsFiles } from './support';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'host-reextract-'));
  writeHostTlsFiles(dir, await createHostTestPki());
  await buildHost();
});

describe('npm run host -- reextract', () => {
  it('re-reads the host’s storage (nothing to do on a new database, exit 0); storage it cannot open: said in French, exit 1', async () => {
    const cluster = await startPgCluster();
    try {
      const db = await cluster.createDatabase('dmp_reextract');
      const config = writeHostConfig(join(dir, 'host.json'), { storage: postgresStorage(db) });
      const first = startHost(['reextract', '--config', config]);
      expect(await first.exited, first.output().stderr).toBe(0);
      expect(first.output().stdout).toMatch(
        /^Tous les documents sont à jour \(règles d’extraction version \d+\) : rien à faire\.$/m,
      );

      // Its audit key gone beside a database that holds its trail: the storage is not opened.
      const auditKey = join(dir, 'pg-audit.key');
      rmSync(auditKey);
      const keyless = startHost(['reextract', '--config', config]);
      expect(await keyless.exited).toBe(1);
      expect(keyless.output().stderr).toContain(`Fichier de clé introuvable : ${auditKey}`);
      expect(keyless.output().stdout).toBe('');
      // And precisely in the log (on stderr with PostgreSQL storage), as when the server starts.
      expect(keyless.output().stderr).toMatch(/"msg":"DMP host could not open its storage"/);
    } finally {
      await cluster.stop();
    }
  });
});
