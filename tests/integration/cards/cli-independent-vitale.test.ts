import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PcscliteTransport } from '../../../src/main/cards/transport/pcsclite-transport';
import { startPcscd, type PcscdHandle } from '../support/pcscd';
import { EventRecorder } from '../support/wait';

/**
 * The `cards` CLI against a Vitale emulated by an independent Python script (not our emulator),
 * through the real pcscd + vpcd: proves our decoder reads a card someone else built from the
 * public layout.
 */

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(ROOT, 'scripts/independent-vitale.py');
const CLI = join(ROOT, 'src/main/cli/index.ts');
const SLOT1 = 'Virtual PCD 00 01';

let pcscd: PcscdHandle | null = null;
let vitale: ChildProcess | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-cli-cards-'));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'cards', ...args, '--store', dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

function startIndependentVitale(port: number, beneficiaries: string[]): Promise<ChildProcess> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(
      'python3',
      [SCRIPT, '--port', String(port), ...beneficiaries.flatMap((b) => ['--beneficiary', b])],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('connected')) resolveStart(child);
    });
    child.once('exit', (code) => reject(new Error(`independent-vitale.py exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  pcscd = await startPcscd();
  // Watch with our own transport until pcscd has polled the card in (vpcd checks every 400 ms).
  const watcher = new PcscliteTransport();
  const recorder = new EventRecorder(watcher);
  await watcher.start();
  vitale = await startIndependentVitale(35964, [
    'MARTIN;CLAIRE;19790300;279035121518989',
    'MARTIN;LEO;20120715;279035121518989',
  ]);
  await recorder.waitFor((e) => e.type === 'card-inserted' && e.reader === SLOT1, {
    what: 'independent Vitale in slot 1',
  });
  recorder.dispose();
  await watcher.stop();
});

afterAll(async () => {
  if (vitale && vitale.exitCode === null) {
    const exited = new Promise((r) => vitale?.once('exit', r));
    vitale.kill('SIGTERM');
    await exited;
  }
  await pcscd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cards CLI with an independently emulated Vitale', () => {
  it('prints the readers and the decoded beneficiaries as JSON', async () => {
    const { code, stdout, stderr } = await runCli(['--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as unknown;
    expect(report).toEqual({
      readers: [
        { name: 'Virtual PCD 00 00', card: null },
        {
          name: SLOT1,
          card: {
            kind: 'vitale',
            atr: '3B 75 13 00 00 47 09 EA 90 00',
            status: expect.any(String) as unknown,
            beneficiaries: [
              {
                lastName: 'MARTIN',
                firstName: 'CLAIRE',
                birthDate: '1979-03-00',
                nir: '279035121518989',
                nirKeyValid: true,
              },
              {
                lastName: 'MARTIN',
                firstName: 'LEO',
                birthDate: '2012-07-15',
                nir: '279035121518989',
                nirKeyValid: true,
              },
            ],
          },
        },
      ],
    });
  });

  it('prints a readable French table without --json', async () => {
    const { code, stdout } = await runCli([]);
    expect(code).toBe(0);
    expect(stdout).toContain('Lecteur « Virtual PCD 00 00 »');
    expect(stdout).toContain('(aucune carte)');
    expect(stdout).toContain('Carte Vitale — ATR 3B 75 13 00 00 47 09 EA 90 00');
    expect(stdout).toMatch(/MARTIN\s+CLAIRE\s+1979-03-00\s+279035121518989\s+valide/);
  });

  it('says pcscd is not running and exits with 2 once it is stopped', async () => {
    await pcscd?.stop();
    pcscd = null;
    const { code, stdout } = await runCli(['--json']);
    expect(code).toBe(2);
    expect(stdout).toContain('Le service des cartes à puce (pcscd) ne fonctionne pas');
  });
});
