import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../../src/main/cli/commands/import';
import { summaryCommand } from '../../../src/main/cli/commands/summary';
import { auditCommand } from '../../../src/main/cli/commands/audit';
import type { CliContext } from '../../../src/main/cli/cli-context';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { fixturesDir } from './helpers';

/** One memory store shared by every open, as a store directory would be. */
async function context() {
  const store = await openTestStore(dmpMigrations);
  const service = new DmpService({ store, log: silentLogger, now: () => new Date('2022-06-01T00:00:00Z') });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const opened: string[] = [];
  const ctx: CliContext = {
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    open: async (request) => {
      opened.push(request.dataDir);
      return { service, store, close: async () => undefined };
    },
    defaultDataDir: '/default/data',
  };
  return { ctx, stdout, stderr, opened };
}

describe('CLI commands (memory store)', () => {
  it('imports, continues past a bad file, and reports the failure in the exit code', async () => {
    const { ctx, stdout, stderr, opened } = await context();
    const code = await importCommand(
      [`${fixturesDir}/VSM_1.4_2022.01.xml`, '/nonexistent/file.xml', '--create'],
      ctx,
    );
    expect(code).toBe(1);
    expect(opened).toEqual(['/default/data']);
    expect(stdout[0]).toMatch(/^OK VSM_1\.4_2022\.01\.xml : document \w+ \(dossier créé\) — sections=\d+/);
    expect(stderr).toEqual(['ÉCHEC file.xml : fichier introuvable ou illisible.']);
    expect(stdout.at(-1)).toBe('1 fichier(s) importé(s), 1 échec(s).');
  });

  it('prints a readable French summary without --json', async () => {
    const { ctx, stdout } = await context();
    await importCommand([`${fixturesDir}/VSM_1.4_2022.01.xml`, '--create', '--data', '/s'], ctx);
    stdout.length = 0;
    expect(await summaryCommand(['279035121518989@1.2.250.1.213.1.4.10', '--data', '/s'], ctx)).toBe(0);
    const text = stdout.join('\n');
    expect(text).toMatch(/^Synthèse d’urgence — /);
    // The VSM dates from 2020: its open-ended PLAVIX is not asserted as current years later (issue 10).
    expect(text).toMatch(
      /Autres traitements \(terminés, prévus ou à vérifier\) \(\d+\)\n {2}- .*PLAVIX.*à vérifier.*\[source : /i,
    );
    expect(text).toMatch(/^Synthèse du \d{2}\/\d{2}\/\d{4} ; dossier mis à jour le /m);
    expect(text).not.toMatch(/G-A\d+|\bcompleted\b|\bactive\b/);
  });

  it('evaluates the 24-month reimbursement window at the --as-of date', async () => {
    const { ctx, stdout, stderr } = await context();
    await importCommand([`${fixturesDir}/CNAM-HR_2021.01.xml`, '--create', '--data', '/s'], ctx);
    const count = async (extra: string[]): Promise<number> => {
      stdout.length = 0;
      expect(await summaryCommand(['279035121518989', '--json', '--data', '/s', ...extra], ctx)).toBe(0);
      return (JSON.parse(stdout.join('\n')) as { reimbursements: unknown[] }).reimbursements.length;
    };
    // The fixture's reimbursements date from 2019: outside the window in 2022, inside it as of 2020.
    expect(await count([])).toBe(0);
    expect(await count(['--as-of', '2020-06-30'])).toBeGreaterThan(10);
    expect(await summaryCommand(['279035121518989', '--as-of', '30/06/2020', '--data', '/s'], ctx)).toBe(2);
    expect(stderr.join('\n')).toMatch(/AAAA-MM-JJ/);
  });

  it('audit verify reads the data folder only: an empty folder is refused in French and left empty', async () => {
    // The chain itself is verified on real folders in tests/integration/audit/tamper.test.ts.
    const { ctx, stderr, opened } = await context();
    const empty = mkdtempSync(join(tmpdir(), 'poste-dmp-audit-empty-'));
    try {
      expect(await auditCommand(['verify', '--data', empty], ctx)).toBe(1);
      expect(stderr.join('\n')).toMatch(
        /Vérification impossible : Aucune donnée Poste DMP dans .*rien n’a été créé/,
      );
      expect(readdirSync(empty)).toEqual([]);
      expect(opened).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
