import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToHost } from '../../../src/main/host-client';
import { createLogger } from '../../../src/main/log/logger';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { repoRoot } from '../cli/support';

const hostScript = join(repoRoot, 'scripts', 'host.mjs');

/** `npm run host -- …` without npm; resolves with the process once it printed its URL (or exited). */
function startHost(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [hostScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const listening = new Promise<string | null>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /à l’écoute : (https:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    void exited.then(() => resolve(null));
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

let pki: HostTestPki;
let dir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  pki = createHostTestPki();
  dir = mkdtempSync(join(tmpdir(), 'host-process-'));
  for (const [name, text] of [
    ['ca.pem', pki.caPem],
    ['host.pem', pki.host.certPem],
    ['host.key', pki.host.keyPem],
  ] as const)
    writeFileSync(join(dir, name), text, { mode: 0o600 });
  const { buildHostBundle } = (await import(hostScript)) as { buildHostBundle: () => Promise<void> };
  await buildHostBundle();
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm run host', () => {
  it('starts from its configuration file, and connectToHost works against it', async () => {
    const config = join(dir, 'host.json');
    writeFileSync(
      config,
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        tls: { ca: 'ca.pem', cert: 'host.pem', key: 'host.key' },
        storage: { kind: 'embedded', dataDir: 'data' },
      }),
    );
    const host = startHost(['--config', config]);
    running.push(host.child);
    const url = await host.listening;
    expect(url, host.output().stderr).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = await connectToHost({
      url: url!.replace('127.0.0.1', 'localhost'),
      caPem: pki.caPem,
      certPem: pki.workstation.certPem,
      keyPem: pki.workstation.keyPem,
      log: createLogger({ sink: () => undefined }),
    });
    try {
      expect(client.status().state).toBe('connected');
      // Reachable, but no professional proven on this connection: refused, in French.
      await expect(client.dmp.professionals('279035121518989@1.2.250.1.213.1.4.10')).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/présentez votre carte/),
      });
    } finally {
      await client.close();
    }
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
  });

  it('refuses a configuration with an unknown field or a missing certificate, in French (exit 1)', async () => {
    const typo = join(dir, 'typo.json');
    writeFileSync(
      typo,
      JSON.stringify({
        listen: { host: '127.0.0.1', prot: 8443 },
        tls: { ca: 'ca.pem', cert: 'host.pem', key: 'host.key' },
        storage: { kind: 'embedded', dataDir: 'data' },
      }),
    );
    const bad = startHost(['--config', typo]);
    running.push(bad.child);
    expect(await bad.exited).toBe(1);
    expect(bad.output().stderr).toMatch(
      /Configuration du serveur DMP invalide .*champ\(s\) non autorisé\(s\) « prot »/,
    );

    const missing = join(dir, 'missing.json');
    writeFileSync(
      missing,
      JSON.stringify({
        tls: { ca: 'ca.pem', cert: 'absent.pem', key: 'host.key' },
        storage: { kind: 'embedded', dataDir: 'data' },
      }),
    );
    const noCert = startHost(['--config', missing]);
    running.push(noCert.child);
    expect(await noCert.exited).toBe(1);
    expect(noCert.output().stderr).toMatch(/Certificat du serveur \(tls\.cert\) introuvable/);
  });
});
