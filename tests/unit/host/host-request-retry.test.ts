import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { IdentityReference } from '../../../src/main/identity/identity-reference';
import { hostMethods } from '../../../src/main/host-api/methods';
import { createHostRouter, type HostConnection } from '../../../src/main/host/routing';
import { ProfessionalSessions } from '../../../src/main/host/professional-sessions';
import { createLogger } from '../../../src/main/log/logger';
import { claimingStore } from '../../../src/main/store/host-requests';
import type { Store } from '../../../src/main/store/types';
import { AuditLog } from '../../../src/main/audit/audit-log';
import { ephemeralAuditKeys, type AuditKeys } from '../../../src/main/audit/audit-keys';
import { auditLogSecurityTrail } from '../../../src/main/audit/security-events';
import { openTestStore } from '../../support/test-store';
import { testCards } from '../../support/host-test-pki';
import { fixture } from '../dmp/helpers';

const log = createLogger({ sink: () => undefined });

const importer: HostConnection = {
  id: 'c1',
  workstation: 'poste-import',
  fingerprint: 'F',
  certificate: { name: 'poste-import', subject: 'CN=poste-import', serial: '01', fingerprint: 'F' },
  systemCalls: true,
  exportKeyingMaterial: () => Buffer.alloc(32),
};

/** One DMP host process, as `npm run host` builds it on a database other hosts may share. */
function hostOn(store: Store) {
  return createHostRouter({
    dmp: new DmpService({ store: claimingStore(store), log }),
    identities: new IdentityReference(store),
    sessions: new ProfessionalSessions({ verify: null, idleMs: 60_000, log }),
    log,
    version: 't',
    requests: store,
  });
}

async function count(store: Store, table: 'documents' | 'audit_log'): Promise<number> {
  const [row] = await store.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n);
}

describe('a write request retried on another host sharing the database', () => {
  it('is applied once: the retry is answered « déjà enregistrée » and writes nothing, not even a refusal', async () => {
    const store = await openTestStore(dmpMigrations);
    const hostA = hostOn(store);
    const hostB = hostOn(store);
    const body = {
      args: hostMethods['dmp.importCda'].args.encode([
        fixture('VSM_1.4_2022.01.xml'),
        { create: true, depositor: 'system' },
      ]),
      requestId: randomUUID(),
    };
    const first = await hostA('dmp.importCda', body, importer);
    expect(first.ok).toBe(true);
    const documents = await count(store, 'documents');
    const audit = await count(store, 'audit_log');

    // The answer to the first delivery was lost: the workstation retries, and another host gets it.
    const retry = await hostB('dmp.importCda', body, importer);
    expect(retry.ok).toBe(false);
    if (!retry.ok) expect(retry.error.message).toMatch(/déjà été enregistrée/);
    expect(await count(store, 'documents')).toBe(documents);
    // Without the claim, host B would have run the import again and audited a refused duplicate.
    expect(await count(store, 'audit_log')).toBe(audit);
    await store.close();
  });
});

/**
 * One DMP host process wired as open-postgres.ts does: the service and the audit chain on the
 * claiming store, the security trail on that same chain, request ids claimed in `store`. The card
 * proof is taken as verified (the doctor's card): the proof itself is card-proof-softhsm's subject.
 */
function provingHostOn(store: Store, keys: AuditKeys) {
  const requestStore = claimingStore(store);
  const auditLog = AuditLog.open(requestStore, { keys });
  const sessions = new ProfessionalSessions({ verify: async () => testCards.doctor, idleMs: 60_000, log });
  const route = createHostRouter({
    dmp: new DmpService({ store: requestStore, log, auditLog }),
    identities: new IdentityReference(store),
    sessions,
    log,
    version: 't',
    requests: store,
    security: auditLogSecurityTrail(auditLog),
  });
  return { route, sessions, entries: async () => (await auditLog).entries() };
}

/** A desk's connection (no system calls) with the doctor's card proven on it. */
async function provenDesk(host: ReturnType<typeof provingHostOn>, id: string): Promise<HostConnection> {
  const conn: HostConnection = {
    id,
    workstation: 'poste-accueil',
    fingerprint: 'D',
    certificate: { name: 'poste-accueil', subject: 'CN=poste-accueil', serial: '0A', fingerprint: 'D' },
    systemCalls: false,
    exportKeyingMaterial: () => Buffer.alloc(32),
  };
  const nonce = host.sessions.challenge(conn);
  await host.sessions.prove(conn, { nonce, certificatePem: 'x', signature: new Uint8Array(1) });
  return conn;
}

describe('a host settings change resent with the same request id (the answer was lost)', () => {
  it('is one settings.host entry, and every delivery is answered as recorded — same host or another', async () => {
    const store = await openTestStore(dmpMigrations);
    const keys = ephemeralAuditKeys();
    const hostA = provingHostOn(store, keys);
    const hostB = provingHostOn(store, keys);
    const body = {
      args: hostMethods['settings.recordHostChange'].args.encode([
        { outcome: 'saved', oldUrl: null, newUrl: 'https://dmp.example.test:8443' },
      ]),
      requestId: randomUUID(),
    };
    const settingsEntries = async () => (await hostA.entries()).filter((e) => e.action === 'settings.host');

    expect(await hostA.route('settings.recordHostChange', body, await provenDesk(hostA, 'a1'))).toEqual({
      ok: true,
    });
    // The client resends on a new connection (proving the card again), to the same host…
    expect(await hostA.route('settings.recordHostChange', body, await provenDesk(hostA, 'a2'))).toEqual({
      ok: true,
    });
    // …or, through a failover, to another host sharing the database: the entry is there, so the
    // answer is « recorded » (a refusal would make the workstation undo a change the chain holds).
    expect(await hostB.route('settings.recordHostChange', body, await provenDesk(hostB, 'b1'))).toEqual({
      ok: true,
    });
    const entries = await settingsEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: testCards.doctor.nationalId });
    expect(entries[0]!.target).toContain('new=https://dmp.example.test:8443');
    expect(await store.all('SELECT method FROM host_requests')).toEqual([
      { method: 'settings.recordHostChange' },
    ]);

    // Another request id is another change.
    const again = { ...body, requestId: randomUUID() };
    expect(await hostB.route('settings.recordHostChange', again, await provenDesk(hostB, 'b2'))).toEqual({
      ok: true,
    });
    expect(await settingsEntries()).toHaveLength(2);
    // A write without a request id is refused, as every write: it could not be made idempotent.
    const bare = { args: body.args };
    expect(await hostA.route('settings.recordHostChange', bare, await provenDesk(hostA, 'a3'))).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_INPUT' },
      },
    );
    expect(await settingsEntries()).toHaveLength(2);
    await store.close();
  });
});
