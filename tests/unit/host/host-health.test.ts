import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedProfessional } from '../../../src/main/host/professional-sessions';
import { loadHostConfig } from '../../../src/main/host/config';
import {
  auditHealth,
  healthReportSchema,
  startHealthServer,
  type HealthSources,
} from '../../../src/main/host/health';
import { noRevocation, revocationFreshness } from '../../../src/main/host/host-revocation';
import { formatHealthReport } from '../../../src/main/host/status-command';
import { createLogger } from '../../../src/main/log/logger';
import { createHostTestPki, testCards, type HostTestPki } from '../../support/host-test-pki';
import { fixture } from '../dmp/helpers';
import { startTestHost } from '../../support/host-harness';
import { writeHostConfigFile } from '../../support/host-config-file';

const doctorCard: VerifiedProfessional = testCards.doctor;
const secretaryCard: VerifiedProfessional = testCards.secretary;

async function get(url: string, method = 'GET'): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method });
  return { status: res.status, text: await res.text() };
}

const silent = createLogger({ sink: () => undefined });

function sources(overrides: Partial<HealthSources> = {}): HealthSources {
  return {
    version: '9.9.9',
    startedAt: Date.now() - 3_725_000,
    ping: async () => undefined,
    databaseTimeoutMs: 500,
    audit: () => ({ state: 'pending', summary: null }),
    revocation: () => noRevocation,
    openProfessionalSessions: () => 0,
    stopping: () => false,
    ...overrides,
  };
}

describe('host health answer (in-process host, real TLS API beside it)', () => {
  let pki: HostTestPki;
  let host: Awaited<ReturnType<typeof startTestHost>>;
  beforeAll(async () => {
    pki = await createHostTestPki();
    host = await startTestHost(pki, { health: {} });
  }, 120_000);
  afterAll(async () => host?.close());

  it('answers 200 with the state and counts, and nothing about patients or professionals', async () => {
    const desk = await host.client();
    await desk.authenticateProfessional(pki.card(secretaryCard));
    const surgery = await host.client();
    await surgery.authenticateProfessional(pki.card(doctorCard));
    // A patient on the host (a CDA imported by the import gateway): none of it may show.
    const gateway = await host.client(pki.systemWorkstation);
    const imported = await gateway.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), {
      create: true,
      depositor: 'system',
    });
    const patient = (await gateway.dmp.getSummary({ system: 'test' }, imported.insKey)).dossier.identity;

    const ready = await get(`${host.healthUrl!}/health/ready`);
    expect(ready.status).toBe(200);
    const report = healthReportSchema.parse(JSON.parse(ready.text));
    expect(report).toMatchObject({
      status: 'ready',
      version: 'test',
      database: { ok: true, problem: null },
      audit: { state: 'pending' },
      revocation: { configured: false },
      professionalSessions: 2,
    });
    expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
    for (const secret of [
      imported.insKey,
      imported.insKey.split('@')[0]!,
      patient.birthName,
      patient.firstNames,
      doctorCard.nationalId,
      doctorCard.lastName,
      secretaryCard.nationalId,
      secretaryCard.lastName,
      secretaryCard.firstName,
    ])
      expect(ready.text).not.toContain(secret);

    expect((await get(`${host.healthUrl!}/health/live`)).status).toBe(200);
    expect((await get(`${host.healthUrl!}/health`)).status).toBe(200);
    expect((await get(`${host.healthUrl!}/api/v1/host.hello`)).status).toBe(404);
    expect((await get(`${host.healthUrl!}/health/ready`, 'POST')).status).toBe(405);

    // A professional whose connection closes no longer counts.
    await surgery.close();
    await expect
      .poll(
        async () =>
          (
            JSON.parse((await get(`${host.healthUrl!}/health/ready`)).text) as {
              professionalSessions: number;
            }
          ).professionalSessions,
      )
      .toBe(1);
  });
});

/** A GET with a chosen Host header (fetch cannot set one). */
function getWithHost(url: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/health/ready`, { headers: { host } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('host health answer: who may ask', () => {
  it('on loopback, refuses a request naming another host (DNS rebinding from a web page); with allowRemote, any name', async () => {
    const local = await startHealthServer({ host: '127.0.0.1', port: 0, log: silent, sources: sources() });
    const remote = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      log: silent,
      sources: sources(),
      anyHostHeader: true,
    });
    try {
      const rebound = await getWithHost(local.url, `attacker.example:${local.port}`);
      expect(rebound.status).toBe(403);
      expect(rebound.text).not.toContain('9.9.9');
      expect(JSON.parse(rebound.text)).toEqual({
        error: 'En-tête Host refusé : interrogez l’interface de santé à son adresse de bouclage.',
      });
      expect((await getWithHost(local.url, `127.0.0.1:${local.port}`)).status).toBe(200);
      expect((await getWithHost(local.url, `LOCALHOST:${local.port}`)).status).toBe(200);
      expect((await getWithHost(remote.url, `lb-probe.hopital.example:${remote.port}`)).status).toBe(200);
    } finally {
      await local.close();
      await remote.close();
    }
  });
});

describe('host health answer: readiness rules', () => {
  it('a database that fails or does not answer within the bound is 503, in French, without its error text', async () => {
    let ping: HealthSources['ping'] = () =>
      Promise.reject(new Error('connect ENOENT /secret/.s.PGSQL.5432 user=dmp'));
    const server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      log: silent,
      sources: sources({ ping: () => ping() }),
    });
    try {
      const failed = await get(`${server.url}/health/ready`);
      expect(failed.status).toBe(503);
      expect(failed.text).not.toContain('/secret');
      expect(JSON.parse(failed.text)).toMatchObject({
        status: 'not-ready',
        database: { ok: false, latencyMs: null, problem: expect.stringMatching(/ne répond pas/) },
      });
      // Liveness is the process, not the database.
      expect((await get(`${server.url}/health/live`)).status).toBe(200);
      ping = () => new Promise(() => undefined);
      const slow = await get(`${server.url}/health/ready`);
      expect(slow.status).toBe(503);
      expect(JSON.parse(slow.text)).toMatchObject({
        database: { ok: false, problem: 'La base de données n’a pas répondu en 500 ms.' },
      });
    } finally {
      await server.close();
    }
  });

  it('stopping is 503 for readiness and liveness; a failed audit chain or an expired CRL is degraded (200)', async () => {
    let stopping = false;
    let audit = auditHealth({ ok: true, count: 3 });
    let crlExpired = false;
    let crlForged = false;
    const server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      log: silent,
      sources: sources({
        stopping: () => stopping,
        audit: () => audit,
        // One instant for "now" and the fake CRL's dates: two clock reads a
        // millisecond apart made the age 1 h 59 min 59.999 s now and then.
        revocation: () => {
          const now = Date.now();
          return revocationFreshness(
            {
              freshness: () => [
                {
                  issuer: 'CN=TEST AC ORGANISATIONS',
                  thisUpdate: new Date(now - 7_200_000),
                  nextUpdate: new Date(now + (crlExpired ? -1 : 1) * 3_600_000),
                  expired: crlExpired,
                  signatureRejected: crlForged,
                },
              ],
            },
            null,
            new Date(now),
          );
        },
      }),
    });
    try {
      const ok = JSON.parse((await get(`${server.url}/health/ready`)).text) as unknown;
      expect(ok).toMatchObject({
        status: 'ready',
        audit: { state: 'ok', summary: 'Journal d’audit intègre : 3 entrée(s) vérifiée(s).' },
        revocation: { configured: true, crls: [{ issuer: 'CN=TEST AC ORGANISATIONS', expired: false }] },
      });
      expect(formatHealthReport(healthReportSchema.parse(ok))).toEqual([
        expect.stringMatching(/^Serveur DMP : prêt — version 9\.9\.9, en service depuis 1 h 02 min$/),
        expect.stringMatching(/^Base de données : répond \(\d+ ms\)$/),
        'Journal d’audit : intègre — Journal d’audit intègre : 3 entrée(s) vérifiée(s).',
        expect.stringMatching(
          /^Révocation, CRL de CN=TEST AC ORGANISATIONS : publiée il y a 2 h 00 min, prochaine mise à jour /,
        ),
        'Sessions professionnelles ouvertes : 0',
      ]);

      audit = auditHealth({ ok: false, problem: 'edited', firstBadSeq: 2, count: 3 });
      const tampered = await get(`${server.url}/health/ready`);
      expect(tampered.status).toBe(200);
      expect(JSON.parse(tampered.text)).toMatchObject({
        status: 'degraded',
        audit: { state: 'failed', summary: expect.stringMatching(/^Journal d’audit altéré : entrée n° 2/) },
      });
      audit = auditHealth(null);
      crlExpired = true;
      const expired = await get(`${server.url}/health/ready`);
      expect(expired.status).toBe(200);
      expect(JSON.parse(expired.text)).toMatchObject({ status: 'degraded', audit: { state: 'unavailable' } });

      crlExpired = false;
      crlForged = true;
      const forged = await get(`${server.url}/health/ready`);
      expect(forged.status).toBe(200);
      const forgedReport = healthReportSchema.parse(JSON.parse(forged.text));
      expect(forgedReport).toMatchObject({
        status: 'degraded',
        revocation: { crls: [{ signatureRejected: true }] },
      });
      expect(formatHealthReport(forgedReport)).toContainEqual(
        expect.stringMatching(/CRL de CN=TEST AC ORGANISATIONS : .* — SIGNATURE REFUSÉE/),
      );

      stopping = true;
      expect((await get(`${server.url}/health/ready`)).status).toBe(503);
      expect((await get(`${server.url}/health/live`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});

describe('host configuration: health', () => {
  it('is off by default; on loopback with defaults when given', () => {
    expect(loadHostConfig(writeHostConfigFile({}), {}).health).toBeUndefined();
    expect(loadHostConfig(writeHostConfigFile({ health: { listen: { port: 8081 } } }), {}).health).toEqual({
      listen: { host: '127.0.0.1', port: 8081 },
      allowRemote: false,
      databaseTimeoutMs: 2_000,
    });
    expect(
      loadHostConfig(writeHostConfigFile({ health: { listen: { host: '::1', port: 8081 } } }), {}).health
        ?.listen.host,
    ).toBe('::1');
  });

  it('POSTE_DMP_HOST_HEALTH_PORT turns it on (loopback) or moves it; a bad value is refused', () => {
    expect(
      loadHostConfig(writeHostConfigFile({}), { POSTE_DMP_HOST_HEALTH_PORT: '9100' }).health?.listen,
    ).toEqual({
      host: '127.0.0.1',
      port: 9100,
    });
    expect(
      loadHostConfig(writeHostConfigFile({ health: { listen: { host: '::1', port: 8081 } } }), {
        POSTE_DMP_HOST_HEALTH_PORT: '9100',
      }).health?.listen,
    ).toEqual({ host: '::1', port: 9100 });
    expect(() => loadHostConfig(writeHostConfigFile({}), { POSTE_DMP_HOST_HEALTH_PORT: 'http' })).toThrow(
      'Variable POSTE_DMP_HOST_HEALTH_PORT : numéro de port attendu (0 à 65535).',
    );
  });

  it('refuses a non-loopback address without allowRemote, the API port, unknown fields, in French', () => {
    expect(() =>
      loadHostConfig(writeHostConfigFile({ health: { listen: { host: '0.0.0.0', port: 8081 } } }), {}),
    ).toThrow(/health\.listen\.host « 0\.0\.0\.0 » n’est pas une adresse de bouclage.*"allowRemote": true/);
    expect(
      loadHostConfig(
        writeHostConfigFile({ health: { listen: { host: '10.0.0.5', port: 8081 }, allowRemote: true } }),
        {},
      ).health?.allowRemote,
    ).toBe(true);
    expect(() =>
      loadHostConfig(writeHostConfigFile({ listen: { port: 8443 }, health: { listen: { port: 8443 } } }), {}),
    ).toThrow(/health\.listen\.port 8443 est déjà le port de l’API des postes/);
    // The IPv6 wildcard takes the port on every address, IPv4 included (dual stack), as 0.0.0.0 does.
    expect(() =>
      loadHostConfig(
        writeHostConfigFile({
          listen: { host: '::', port: 8443 },
          health: { listen: { host: '::1', port: 8443 } },
        }),
        {},
      ),
    ).toThrow(/health\.listen\.port 8443 est déjà le port de l’API des postes/);
    expect(() =>
      loadHostConfig(writeHostConfigFile({ health: { listen: { port: 8081 }, token: 'x' } }), {}),
    ).toThrow(/Configuration du serveur DMP invalide .*champ\(s\) non autorisé\(s\) « token »/);
    expect(() => loadHostConfig(writeHostConfigFile({ health: { listen: { port: 70000 } } }), {})).toThrow(
      /Configuration du serveur DMP invalide/,
    );
    expect(() =>
      loadHostConfig(writeHostConfigFile({ health: { listen: { port: 8081 }, databaseTimeoutMs: 5 } }), {}),
    ).toThrow(/Configuration du serveur DMP invalide/);
  });
});
