import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emergencySummarySchema } from '../../../src/shared/contract';
import { auditCommand } from '../../../src/main/cli/commands/audit';
import { importCommand } from '../../../src/main/cli/commands/import';
import { summaryCommand } from '../../../src/main/cli/commands/summary';
import type { CliContext } from '../../../src/main/cli/cli-context';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { loadOrCreateKeyFile, openStore, readKeyFile } from '../../../src/main/store';
import { dataLayout } from '../../../src/main/app/paths';
import { auditKeySource, openAuditTrail } from '../../../src/main/app/audit-trail';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';

const fixturesDir = sharedCdaFixturesDir();
const fixtures = [
  'VSM_1.4_2022.01.xml',
  'CNAM-HR_2021.01.xml',
  'VAC_2023.01.xml',
  'DOC_NON_STRUCTURE_CDA-R2-N1.xml',
].map((f) => join(fixturesDir, f));
const root = mkdtempSync(join(tmpdir(), 'poste-dmp-cli-'));
/** A data folder in the CLI's layout: `store/`, `store.key`, `audit.key`, `audit-checkpoints.log`. */
const layout = dataLayout(root);

function context(): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    open: async (request) => {
      const dir = request.dataDir;
      const audit = await openAuditTrail(
        auditKeySource({ kind: 'file', path: dataLayout(dir).keyFile }, dir),
        dir,
        silentLogger,
      );
      const key = loadOrCreateKeyFile(dataLayout(dir).keyFile, silentLogger).key;
      const store = await openStore({
        dir: dataLayout(dir).storeDir,
        key,
        migrations: dmpMigrations,
        log: silentLogger,
      });
      const service = new DmpService({
        store,
        log: silentLogger,
        now: () => new Date('2022-06-01T00:00:00Z'),
        audit: { keys: audit.keys, witness: audit.checkpoints },
      });
      return {
        service,
        store,
        close: async () => {
          await audit.checkpoints.flush();
          await store.close();
        },
      };
    },
    defaultDataDir: join(root, 'default-unused'),
  };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('CLI commands on the real encrypted store', () => {
  it('refuses to import into a missing dossier without --create, then imports with it', async () => {
    const refused = context();
    expect(await importCommand([fixtures[0] as string, '--data', root], refused)).toBe(1);
    expect(refused.stderr.join('\n')).toMatch(/ÉCHEC VSM_1\.4_2022\.01\.xml : Aucun DMP.*--create/);

    const ctx = context();
    expect(await importCommand([...fixtures, '--create', '--data', root], ctx)).toBe(0);
    expect(ctx.stdout[0]).toMatch(/^OK VSM_1\.4_2022\.01\.xml : document [0-9a-f]{32} \(dossier créé\)/);
    expect(ctx.stdout.at(-1)).toBe('4 fichier(s) importé(s), 0 échec(s).');

    const again = context();
    expect(await importCommand([fixtures[0] as string, '--data', root], again)).toBe(1);
    expect(again.stderr.join('\n')).toMatch(/déjà été déposé/);
  });

  it('prints the emergency summary as JSON after a reopen, from a bare matricule, audited as the CLI', async () => {
    const ctx = context();
    expect(await summaryCommand(['279035121518989', '--json', '--data', root], ctx)).toBe(0);
    const summary = emergencySummarySchema.parse(JSON.parse(ctx.stdout.join('\n')));
    expect(summary.dossier.insKey).toBe('279035121518989@1.2.250.1.213.1.4.10');
    // The VSM dates from 2020: read today, its open-ended PLAVIX is shown apart, « à vérifier » (issue 10).
    const plavix = summary.otherMedications.find((m) => /plavix/i.test(m.label));
    expect(plavix?.state).toBe('unknown');
    expect(summary.otherMedications.every((m) => m.provenance.documentTitle.length > 0)).toBe(true);

    const history = context();
    await history.open({ dataDir: root, readOnly: true, waitMs: null }).then(async ({ service, close }) => {
      const [latest] = await service.accessHistory({ patient: true }, '279035121518989@1.2.250.1.213.1.4.10');
      await close();
      expect(latest).toMatchObject({ action: 'summary.read', actor: 'Système (cli)' });
    });
  });

  it('reports usage errors with exit code 2 and unknown dossiers with 1', async () => {
    const ctx = context();
    expect(await summaryCommand(['--data', root], ctx)).toBe(2);
    expect(await summaryCommand(['123', '--data', root], ctx)).toBe(1);
    expect(await summaryCommand(['180017512345672', '--data', root], ctx)).toBe(1);
    expect(await importCommand(['--bogus', '--data', root], ctx)).toBe(2);
    expect(await auditCommand(['check', '--data', root], ctx)).toBe(2);
    expect(await auditCommand(['verify', '--store', root], ctx)).toBe(2);
    expect(ctx.stderr.join('\n')).toMatch(
      /--store n’existe plus : indiquez le dossier de données avec --data/,
    );
    expect(ctx.stderr.join('\n')).toMatch(/Aucun DMP/);
  });

  it('verifies the audit chain, then names the first bad entry once a row is tampered with', async () => {
    const ok = context();
    expect(await auditCommand(['verify', '--data', root], ok)).toBe(0);
    expect(ok.stdout.join('')).toMatch(/intègre/);

    const store = await openStore({
      dir: layout.storeDir,
      key: readKeyFile(layout.keyFile),
      migrations: dmpMigrations,
      log: silentLogger,
    });
    await store.write([
      { sql: 'DROP TRIGGER audit_log_no_update' },
      { sql: "UPDATE audit_log SET actor_name = 'Quelqu’un' WHERE seq = 2" },
    ]);
    await store.close();

    const bad = context();
    expect(await auditCommand(['verify', '--data', root], bad)).toBe(1);
    expect(bad.stderr.join('')).toMatch(/entrée n° 2 — son contenu a été modifié/);
  });
});
