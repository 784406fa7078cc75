import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { startPgCluster } from '../../support/pg-cluster';
import {
  buildHost,
  hostStatus,
  postgresStorage,
  startHost,
  writeHostConfig,
  writeHostTlsFiles,
} from './support';

let pki: HostTestPki;
let dir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  pki = await createHostTestPki();
  dir = mkdtempSync(join(tmpdir(), 'host-health-'));
  writeHostTlsFiles(dir, pki);
  await buildHost();
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A port free now (the health listener must have a fixed port for `status` to find it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('npm run host: health answer and status', () => {
  it('answers 200 on PostgreSQL, then 503 once the database is stopped; status says so in French (exit 0, then 1)', async () => {
    const cluster = await startPgCluster();
    try {
      const db = await cluster.createDatabase('dmp_health');
      const healthPort = await freePort();
      const config = writeHostConfig(join(dir, 'host-health.json'), {
        storage: postgresStorage(db),
        health: { listen: { host: '127.0.0.1', port: healthPort }, databaseTimeoutMs: 3_000 },
      });
      const host = startHost(['--config', config]);
      running.push(host.child);
      expect(await host.listening, host.output().stderr).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(host.output().stdout).toContain(
        `Santé (équilibreur de charge, supervision) : http://127.0.0.1:${healthPort}/health/ready`,
      );
      const ready = `http://127.0.0.1:${healthPort}/health/ready`;
      // The full audit check runs after listening: pending first, then its verdict.
      await expect
        .poll(async () => ((await (await fetch(ready)).json()) as { audit: { state: string } }).audit.state, {
          timeout: 60_000,
        })
        .toBe('ok');
      const up = await fetch(ready);
      expect(up.status).toBe(200);
      expect(await up.json()).toMatchObject({
        status: 'ready',
        version: '0.1.0',
        database: { ok: true },
        audit: { state: 'ok', summary: expect.stringMatching(/^Journal d’audit intègre/) },
        revocation: { configured: false },
        professionalSessions: 0,
      });
      const fine = await hostStatus(config);
      expect(fine.code, fine.stderr).toBe(0);
      expect(fine.stdout).toMatch(/^Serveur DMP : prêt — version 0\.1\.0/m);
      expect(fine.stdout).toMatch(/^Base de données : répond \(\d+ ms\)$/m);
      expect(fine.stdout).toMatch(/^Journal d’audit : intègre — Journal d’audit intègre/m);

      // The database goes away under the running host (stopped by its PID).
      await cluster.stop();
      const down = await fetch(ready);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'not-ready',
        database: { ok: false, latencyMs: null },
      });
      // Liveness: the process still answers.
      expect((await fetch(`http://127.0.0.1:${healthPort}/health/live`)).status).toBe(200);
      const failing = await hostStatus(config);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toMatch(/^Serveur DMP : NON PRÊT/m);
      expect(failing.stdout).toMatch(/^Base de données : NE RÉPOND PAS — /m);

      // It still stops cleanly, the database gone.
      host.child.kill('SIGTERM');
      expect(await host.exited).toBe(0);
      const stopped = await hostStatus(config);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(
        /Serveur DMP injoignable sur http:\/\/127\.0\.0\.1:\d+\/health\/ready : aucun serveur à l’écoute/,
      );
    } finally {
      await cluster.stop();
    }
  });

  it('refuses a health listener off loopback without allowRemote (exit 1), and status without a health section', async () => {
    const open = writeHostConfig(join(dir, 'open.json'), {
      storage: { kind: 'embedded', dataDir: 'data' },
      health: { listen: { host: '0.0.0.0', port: 8081 } },
    });
    const refused = startHost(['--config', open]);
    running.push(refused.child);
    expect(await refused.exited).toBe(1);
    expect(refused.output().stderr).toMatch(
      /health\.listen\.host « 0\.0\.0\.0 » n’est pas une adresse de bouclage/,
    );

    const none = writeHostConfig(join(dir, 'none.json'), { storage: { kind: 'embedded', dataDir: 'data' } });
    const noHealth = await hostStatus(none);
    expect(noHealth.code).toBe(1);
    expect(noHealth.stderr).toMatch(/Aucune interface de santé à interroger/);
    expect((await hostStatus('')).code).toBe(2);
  });
});
