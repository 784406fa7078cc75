import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDmpHost, type RunningDmpHost } from '../../src/main/host/dmp-host';
import { openPostgres } from '../../src/main/host/open-postgres';
import { connectToHost, type HostClient } from '../../src/main/host-client';
import { silentLogger } from '../../src/main/log/logger';
import { createHostTestPki, testCards, type HostTestPki } from '../support/host-test-pki';
import { freshSchema, requirePgTestConnection } from '../support/test-store';

/**
 * Issue 13 on the real storage of `npm run host` with PostgreSQL: the storage opened by
 * open-postgres.ts (key files, claiming store, audit chain, security trail) behind the real TLS
 * endpoint, wired as host/main.ts does, and the real host client proving a card. A workstation
 * without a local store records its host settings change: the entry is a row of the host's chain
 * in PostgreSQL, its request id claimed there (a resend to any host of the database is applied
 * once: tests/unit/host/host-request-retry.test.ts, in this project on PostgreSQL too).
 */
let pki: HostTestPki;
let keyDir: string;
let connection: pg.PoolConfig;
let opened: Awaited<ReturnType<typeof openPostgres>>;
let host: RunningDmpHost;
let client: HostClient;

beforeAll(async () => {
  pki = await createHostTestPki();
  keyDir = mkdtempSync(join(tmpdir(), 'poste-dmp-host-settings-'));
  connection = await freshSchema(requirePgTestConnection());
  opened = await openPostgres({
    connection,
    keyFiles: { auditKeyFile: join(keyDir, 'audit.key'), fieldKeyFile: join(keyDir, 'field.key') },
    log: silentLogger,
    stderr: () => undefined,
    describe: 'test',
  });
  host = await startDmpHost({
    dmp: opened.dmp,
    identities: opened.identities,
    tls: { caPem: pki.caPem, certPem: pki.host.certPem, keyPem: pki.host.keyPem },
    verifyProof: pki.verifyProof,
    log: silentLogger,
    host: '127.0.0.1',
    port: 0,
    professionalIdleMs: 15 * 60 * 1000,
    version: 'test',
    security: opened.security,
    ...(opened.requests ? { requests: opened.requests } : {}),
  });
  client = await connectToHost({
    url: `https://localhost:${host.port}`,
    caPem: pki.caPem,
    certPem: pki.workstation.certPem,
    keyPem: pki.workstation.keyPem,
    log: silentLogger,
  });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await host?.close();
  await opened?.close();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
}, 60_000);

async function rows<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const db = new pg.Client(connection);
  await db.connect();
  try {
    return (await db.query<T>(text)).rows;
  } finally {
    await db.end();
  }
}

describe('a shared-host workstation’s « Paramètres » change on a PostgreSQL-backed host', () => {
  it('is one settings.host row of the host’s chain, under the proven card, its request id claimed; the chain verifies', async () => {
    await client.authenticateProfessional(pki.card(testCards.doctor));
    await client.recordHostSettingsChange({
      outcome: 'saved',
      oldUrl: 'https://dmp.example.test:8443',
      newUrl: 'https://autre.example.test:8443',
    });
    const serial = new X509Certificate(pki.workstation.certPem).serialNumber.toUpperCase();
    const entries = await rows<{
      actor_id: string;
      card_serial: string | null;
      ins_key: string | null;
      target: string;
    }>("SELECT actor_id, card_serial, ins_key, target FROM audit_log WHERE action = 'settings.host'");
    expect(entries).toEqual([
      {
        actor_id: testCards.doctor.nationalId,
        card_serial: null,
        ins_key: null,
        target: `outcome=saved cause=- old=https://dmp.example.test:8443 new=https://autre.example.test:8443 serial=${serial}`,
      },
    ]);
    // Claimed in the entry's own transaction: another host of this database would not append it again.
    expect(await rows('SELECT method FROM host_requests')).toEqual([{ method: 'settings.recordHostChange' }]);
    expect(await opened.dmp.verifyAudit()).toMatchObject({ ok: true });
  });
});
