import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCardSigner } from '../../../src/main/cards/pkcs11';
import { connectToHost } from '../../../src/main/host-client';
import { createLogger, silentLogger } from '../../../src/main/log/logger';
import { loadOrCreateKeyFile } from '../../../src/main/store/key';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import {
  buildHost,
  hostStatus,
  postgresStorage,
  startHost,
  writeHostConfig,
  writeHostTlsFiles,
} from './support';
import { startPgCluster } from '../../support/pg-cluster';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';

let pki: HostTestPki;
let dir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  pki = await createHostTestPki();
  dir = mkdtempSync(join(tmpdir(), 'host-process-'));
  writeHostTlsFiles(dir, pki);
  await buildHost();
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `npm run host:test-deployment -- DIR` without npm. */
function runTestDeployment(target: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startHost(['test-deployment', target]);
  return run.exited.then((code) => ({ code, ...run.output() }));
}

describe('npm run host', () => {
  it('a test deployment (project test PKI) starts, and connectToHost works against it with its workstation certificates', async () => {
    const deployment = join(dir, 'deployment');
    const made = await runTestDeployment(deployment);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/Déploiement de TEST créé/);
    const again = await runTestDeployment(deployment);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/n’est pas vide/);

    // The environment overrides the file: any free port.
    const host = startHost(['--config', join(deployment, 'host.json')], { POSTE_DMP_HOST_PORT: '0' });
    running.push(host.child);
    const url = await host.listening;
    expect(url, host.output().stderr).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // `status` answers against the deployment's own host.json: its health listener is configured.
    const status = await hostStatus(join(deployment, 'host.json'));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^Serveur DMP : prêt — version /);
    expect(made.stdout).toContain(`npm run host -- status --config ${join(deployment, 'host.json')}`);
    const caPem = readFileSync(join(deployment, 'pki', 'ca.pem'), 'utf8');
    const station = (name: string) =>
      connectToHost({
        url: url!.replace('127.0.0.1', 'localhost'),
        caPem,
        certPem: readFileSync(join(deployment, 'pki', 'workstations', `${name}.crt`), 'utf8'),
        keyPem: readFileSync(join(deployment, 'pki', 'workstations', `${name}.key`), 'utf8'),
        log: createLogger({ sink: () => undefined }),
      });
    const desk = await station('poste-a');
    const gateway = await station('poste-import');
    try {
      expect(desk.status().state).toBe('connected');
      expect(gateway.status().state).toBe('connected');
      // Reachable, but no professional proven on this connection: refused, in French.
      await expect(desk.dmp.professionals('279035121518989@1.2.250.1.213.1.4.10')).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/présentez votre carte/),
      });
      // System calls: only the certificate marked for them.
      await expect(desk.dmp.verifyAudit()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(gateway.dmp.verifyAudit()).resolves.toMatchObject({ ok: true });

      // The real card path: the GP's SoftHSM2 token (PKCS#11) signs the host's challenge, the host
      // checks it with verifyProfessionalProof against the deployment's card trust.
      const manifest = JSON.parse(readFileSync(join(deployment, 'deployment.json'), 'utf8')) as {
        softhsm: { confPath: string; modulePath: string };
        cards: { profileId: string; serial: string; nationalId: string }[];
      };
      const gp = manifest.cards.find((c) => c.profileId === 'cps-medecin-generaliste')!;
      process.env.SOFTHSM2_CONF = manifest.softhsm.confPath;
      const signer = await openCardSigner({
        modulePath: manifest.softhsm.modulePath,
        token: gp.serial,
        pin: '1234',
        log: createLogger({ sink: () => undefined }),
      });
      try {
        await desk.authenticateProfessional(signer);
        const actor = {
          mode: 'normal' as const,
          professional: {
            reader: 'Lecteur CPS',
            cardKind: 'cps' as const,
            serial: gp.serial,
            holder: {
              nationalId: gp.nationalId,
              nationalIdType: 'RPPS' as const,
              lastName: 'X',
              firstName: 'Y',
              professionCode: '10',
              professionLabel: 'Médecin',
              situations: [],
            },
          },
        };
        await expect(
          desk.dmp.searchDossiersAs(actor, { insKey: '279035121518989@1.2.250.1.213.1.4.10' }),
        ).resolves.toEqual([]);
        const other = {
          ...actor,
          professional: {
            ...actor.professional,
            holder: { ...actor.professional.holder, nationalId: '810009999999' },
          },
        };
        await expect(
          desk.dmp.openDossier(other, '279035121518989@1.2.250.1.213.1.4.10'),
        ).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
      } finally {
        await signer.close();
      }

      // The deployment's authority revokes poste-b: the running host reads the new CRL file and
      // refuses it at its first request (the host answers in French; this client reports « refused »),
      // while poste-a goes on.
      const { openTestPki, publishCrl } = await import('../../../src/main/pki');
      const { X509Certificate } = await import('node:crypto');
      const posteB = new X509Certificate(
        readFileSync(join(deployment, 'pki', 'workstations', 'poste-b.crt'), 'utf8'),
      );
      await publishCrl(await openTestPki(join(deployment, 'pki')), 'organisations', {
        revoked: [posteB.serialNumber],
      });
      const revoked = await station('poste-b');
      try {
        expect(revoked.status().state).toBe('refused');
        await expect(gateway.dmp.verifyAudit()).resolves.toMatchObject({ ok: true });
      } finally {
        await revoked.close();
      }
    } finally {
      await desk.close();
      await gateway.close();
    }
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    // Written by the time the host has stopped (the log is flushed on exit).
    const logs = join(deployment, 'data', 'logs');
    const hostLog = readdirSync(logs)
      .map((f) => readFileSync(join(logs, f), 'utf8'))
      .join('\n');
    expect(hostLog).toMatch(/CRL reloaded/);
    expect(hostLog).toMatch(/workstation refused: certificate revoked/);
  });

  it('refuses a configuration with an unknown field or a missing certificate, in French (exit 1)', async () => {
    const typo = writeHostConfig(join(dir, 'typo.json'), {
      listen: { host: '127.0.0.1', prot: 8443 },
      storage: { kind: 'embedded', dataDir: 'data' },
    });
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

  it('runs on PostgreSQL: a system workstation imports a CDA and reads the summary back', async () => {
    const cluster = await startPgCluster();
    try {
      const db = await cluster.createDatabase('dmp_host');
      const config = writeHostConfig(join(dir, 'host-pg.json'), { storage: postgresStorage(db) });
      const host = startHost(['--config', config]);
      running.push(host.child);
      const url = await host.listening;
      expect(url, host.output().stderr).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const gateway = await connectToHost({
        url: url!.replace('127.0.0.1', 'localhost'),
        caPem: pki.caPem,
        certPem: pki.systemWorkstation.certPem,
        keyPem: pki.systemWorkstation.keyPem,
        log: createLogger({ sink: () => undefined }),
      });
      try {
        const cda = new Uint8Array(readFileSync(join(sharedCdaFixturesDir(), 'VSM_1.4_2022.01.xml')));
        const imported = await gateway.dmp.importCda(cda, { create: true, depositor: 'system' });
        expect(imported.created).toBe(true);
        const summary = await gateway.dmp.getSummary({ system: 'test' }, imported.insKey);
        expect(summary.dossier.insKey).toBe(imported.insKey);
        expect(
          summary.allergies.length + summary.problems.length + summary.medications.length,
        ).toBeGreaterThan(0);
        await expect(gateway.dmp.verifyAudit()).resolves.toMatchObject({ ok: true });
      } finally {
        await gateway.close();
      }
      host.child.kill('SIGTERM');
      expect(await host.exited).toBe(0);
      // The CDA was parsed by the pool's worker, started from its file beside the bundle (logs on
      // stderr with PostgreSQL storage), and the SIGTERM above stopped it with the host.
      expect(host.output().stderr).toMatch(/cda parser worker started/);
      expect(host.output().stderr).not.toMatch(/cda parser worker (failed to start|crashed)/);
      // The whole audit chain was checked after listening, its verdict logged.
      expect(host.output().stderr).toMatch(/audit chain verified in full/);

      // A key file lost beside a database holding data: refused, naming it, and no new key.
      const auditKey = join(dir, 'pg-audit.key');
      rmSync(auditKey);
      const keyless = startHost(['--config', config]);
      running.push(keyless.child);
      expect(await keyless.exited).toBe(1);
      expect(keyless.output().stderr).toContain(`Fichier de clé introuvable : ${auditKey}`);
      expect(existsSync(auditKey)).toBe(false);

      // Another audit key in its place (another host's, or a new one): refused in French, exit 1.
      loadOrCreateKeyFile(auditKey, silentLogger, { mayCreate: true });
      const foreign = startHost(['--config', config]);
      running.push(foreign.child);
      expect(await foreign.exited).toBe(1);
      expect(foreign.output().stderr).toContain(
        `Impossible d’ouvrir les données du serveur DMP : Clé du journal d’audit différente de celle de la base : ${auditKey}.`,
      );
    } finally {
      await cluster.stop();
    }
  });
});
