import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { StoreEngine } from '../../../src/main/store/engine';
import { migrationSource } from '../../../src/main/store/migration-scripts';
import { rawStoreKey } from '../../../src/main/store/key';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';
import { buildCli, lockContentFor, runCli } from './support';

/** The CLI as an administrator runs it: a real process on the bundle, real data folders. */
const root = mkdtempSync(join(tmpdir(), 'poste-dmp-cli-process-'));
const fixtures = sharedCdaFixturesDir();
const vsm = join(fixtures, 'VSM_1.4_2022.01.xml');
const vac = join(fixtures, 'VAC_2023.01.xml');
const cnam = join(fixtures, 'CNAM-HR_2021.01.xml');
let counter = 0;
const freshDir = (): string => join(root, `data-${++counter}`);

beforeAll(buildCli, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function importedDataFolder(): Promise<string> {
  const data = freshDir();
  const run = await runCli(['import', vsm, '--create', '--data', data]);
  expect(run.stderr).toMatch(/Attention : Clé de chiffrement stockée en clair/);
  expect(run.code).toBe(0);
  return data;
}

describe('CLI processes', () => {
  it('read-only commands refuse a folder without a store and create nothing there', async () => {
    const missing = freshDir();
    const summary = await runCli(['summary', '279035121518989', '--data', missing]);
    expect(summary.code).toBe(1);
    expect(summary.stderr).toContain(`Aucune donnée Poste DMP dans ${missing}`);
    expect(existsSync(missing)).toBe(false);

    const empty = freshDir();
    mkdirSync(empty);
    const audit = await runCli(['audit', 'verify', '--data', empty]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).not.toMatch(/intègre/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('recognises the store folder passed in place of the data folder, and creates nothing inside it', async () => {
    const data = await importedDataFolder();
    const before = readdirSync(join(data, 'store')).sort();
    for (const args of [
      ['audit', 'verify', '--data', join(data, 'store')],
      ['import', vac, '--data', join(data, 'store')],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Indiquez le dossier qui le contient : --data ${data}`);
    }
    expect(readdirSync(join(data, 'store')).sort()).toEqual(before);
  });

  it('refuses to replace a missing key file beside an existing store', async () => {
    const data = await importedDataFolder();
    rmSync(join(data, 'store.key'));
    const run = await runCli(['import', vac, '--data', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Fichier de clé introuvable : ${join(data, 'store.key')}`);
    expect(existsSync(join(data, 'store.key'))).toBe(false);
  });

  it('refuses to replace a missing audit key beside an audit trail (the first import above created it)', async () => {
    const data = await importedDataFolder();
    const auditKey = join(data, 'audit.key');
    const keyBefore = readFileSync(auditKey, 'utf8');
    rmSync(auditKey);
    const run = await runCli(['import', vac, '--data', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Fichier de clé introuvable : ${auditKey}. C’est la clé du journal d’audit`);
    expect(existsSync(auditKey)).toBe(false);
    // Put back, the trail verifies: nothing was signed with another key meanwhile.
    writeFileSync(auditKey, keyBefore, { mode: 0o600 });
    const verify = await runCli(['audit', 'verify', '--data', data]);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  });

  it('refuses --store with a hint towards --data, and answers usage errors in French with exit code 2', async () => {
    const store = await runCli(['summary', '279035121518989', '--store', freshDir()]);
    expect(store.code).toBe(2);
    expect(store.stderr).toMatch(
      /L’option --store n’existe plus : indiquez le dossier de données avec --data DOSSIER/,
    );
    for (const args of [
      ['generate', '--patients', '3', '--bogus'],
      ['generate', '--patients'],
      ['import', '--data', freshDir()],
      ['audit', 'check'],
      ['summary'],
      ['cards', '--bogus'],
      ['generate', '--patients', '3', '--reference-date', '2026-02-30'],
    ]) {
      const run = await runCli(args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(/^(Option|Aucun|Sous-commande|Indiquez|Argument)/);
      expect(run.stderr).not.toMatch(/Unknown|option|argument missing|TypeError/);
    }
  });

  it('fails at once when another instance holds the data folder, naming the lock file; --wait queues behind it', async () => {
    const data = await importedDataFolder();
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    await new Promise((resolve) => holder.once('spawn', resolve));
    try {
      writeFileSync(join(data, 'LOCK'), lockContentFor(holder.pid as number));
      const refused = await runCli(['import', vac, '--data', data]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`processus ${holder.pid}`);
      expect(refused.stderr).toContain(`Fichier de verrou : ${join(data, 'LOCK')}`);
      expect(refused.stderr).toContain('relancez avec --wait');

      // Once the CLI says it waits, the other instance ends (killed: its lock is left behind, stale).
      const run = await runCli(['import', vac, '--data', data, '--wait', '120'], (text) => {
        if (/attente de sa libération/.test(text)) holder.kill('SIGKILL');
      });
      expect(run.stderr).toMatch(/attente de sa libération/);
      expect(run.stdout).toMatch(/^OK VAC_2023\.01\.xml/);
      expect(run.code).toBe(0);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('shows store recovery notices on stderr', async () => {
    const data = await importedDataFolder();
    const journals = readdirSync(join(data, 'store')).filter((f) => f.startsWith('journal.'));
    appendFileSync(join(data, 'store', journals.sort().at(-1) as string), Buffer.from([0, 0, 0]));
    // A read command repairs nothing it must not and still says what recovery did; `audit verify`
    // goes further and fails on a dropped tail (tests/integration/audit/tamper.test.ts).
    const run = await runCli(['summary', '279035121518989', '--data', data]);
    expect(run.stderr).toMatch(
      /Récupération : La dernière modification, interrompue avant d’avoir été confirmée, a été annulée\./,
    );
    expect(run.code).toBe(0);
  });

  it('several processes started together on a new folder end with one key that opens the store', async () => {
    for (let round = 0; round < 2; round++) {
      const data = freshDir();
      const runs = await Promise.all(
        [vsm, vac, cnam].map((file) => runCli(['import', file, '--create', '--data', data, '--wait', '120'])),
      );
      for (const run of runs)
        expect({
          code: run.code,
          stderr: run.stderr.replace(
            /(Attention : |Le dossier de données est utilisé par une autre instance).*\n/g,
            '',
          ),
        }).toEqual({ code: 0, stderr: '' });
      const verify = await runCli(['audit', 'verify', '--data', data]);
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/intègre/);
    }
  }, 400_000);

  it('generate: the same seed gives the same population, dated from the documented reference date', async () => {
    const byDefault = freshDir();
    const explicit = freshDir();
    expect((await runCli(['generate', '--patients', '4', '--seed', 's1', '--data', byDefault])).code).toBe(0);
    expect(
      (
        await runCli([
          'generate',
          '--patients',
          '4',
          '--seed',
          's1',
          '--reference-date',
          '2026-01-01',
          '--data',
          explicit,
        ])
      ).code,
    ).toBe(0);
    expect(await dump(byDefault)).toEqual(await dump(explicit));
  });
});

async function dump(data: string): Promise<unknown[]> {
  const key = rawStoreKey(Buffer.from(readFileSync(join(data, 'store.key'), 'utf8').trim(), 'base64'));
  const engine = await StoreEngine.open({
    dir: join(data, 'store'),
    key,
    migrations: migrationSource(dmpMigrations, 'sqlite'),
    log: silentLogger,
  });
  try {
    return ['dossiers', 'documents', 'clinical_entries'].map((table) =>
      engine.all(`SELECT * FROM ${table} ORDER BY 1`),
    );
  } finally {
    await engine.close();
  }
}
