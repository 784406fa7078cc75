import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Beneficiary, ReferenceIdentity } from '../../src/shared/contract';
import { matriculeKey } from '../../src/shared/identity/ins';
import { ephemeralAuditKeys } from '../../src/main/audit/audit-keys';
import { DmpService, type CreateDossierInput } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import {
  claimingStore,
  findAppliedRequest,
  RequestAlreadyApplied,
  runAsHostRequest,
} from '../../src/main/store/host-requests';
import { openPgStore, writeLockClass } from '../../src/main/store/pg/pg-store';
import type { Store } from '../../src/main/store/types';
import { freshSchema, requirePgTestConnection } from '../support/test-store';
import { actor, fixture, professional } from '../unit/dmp/helpers';

const nir = (body13: string): string => `${body13}${String(matriculeKey(body13)).padStart(2, '0')}`;
const paulNir = nir('1790375123456');
const paul: Beneficiary = {
  index: 0,
  lastName: 'MARTIN',
  firstName: 'Paul',
  birthDate: '1979-03-28',
  nir: paulNir,
  nirKeyValid: true,
};

function creation(oid: ReferenceIdentity['oid']): CreateDossierInput {
  const identity: ReferenceIdentity = {
    matricule: paulNir,
    oid,
    birthName: 'MARTIN',
    firstNames: 'Paul',
    birthDate: '1979-03-28',
    sex: 'M',
    birthPlaceCode: '75123',
  };
  return {
    beneficiary: paul,
    identity,
    identityDocumentChecked: true,
    legalRepresentatives: [],
    consent: { brisDeGlaceOpposition: false, centre15Opposition: false, givenBy: 'patient' },
  };
}

/** Two hosts: two stores (own pools) on one schema, each with its own DMP service. */
async function twoHosts() {
  const connection = await freshSchema(requirePgTestConnection());
  const open = () => openPgStore({ connection, log: silentLogger, migrations: dmpMigrations, poolSize: 3 });
  const stores: Store[] = [await open(), await open()];
  const services = stores.map((store) => new DmpService({ store, log: silentLogger }));
  return { connection, stores, services };
}

/**
 * Holds the hosts' audit-chain lock from a third connection until both hosts are waiting — the
 * first for that lock, having written its change; the second for the first's uncommitted row of the
 * same key (the chain lock is taken after the change: pg-store.ts) — so both have passed their
 * duplicate checks (reads, outside any transaction) before either commits.
 */
async function withWritesHeld<T>(
  connection: pg.ClientConfig,
  waiters: number,
  start: () => Promise<T>,
): Promise<T> {
  const holder = new pg.Client(connection);
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [writeLockClass]);
    const running = start();
    running.catch(() => undefined);
    for (;;) {
      const { rows } = await holder.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype IN ('advisory', 'transactionid') AND NOT granted",
      );
      if (Number(rows[0]?.n) >= waiters) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await holder.query('COMMIT');
    return await running;
  } finally {
    await holder.end();
  }
}

describe('many hosts, one PostgreSQL database: the DMP', () => {
  it('two hosts creating the same patient at once (same INS) make one dossier; the other gets CONFLICT', async () => {
    const { connection, stores, services } = await twoHosts();
    const secretary = actor(professional({ nationalId: '0123456789', cardKind: 'cpe', lastName: 'ACCUEIL' }));
    const results = await withWritesHeld(connection, 2, () =>
      Promise.allSettled(
        services.map((dmp) => dmp.createDossier(secretary, creation('1.2.250.1.213.1.4.8'))),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toMatchObject({ code: 'CONFLICT' });
    expect(await stores[0]!.all('SELECT ins_key FROM dossiers')).toHaveLength(1);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('two hosts creating the same patient at once under two OIDs (same matricule) make one dossier', async () => {
    const { connection, stores, services } = await twoHosts();
    const secretary = actor(professional({ nationalId: '0123456789', cardKind: 'cpe', lastName: 'ACCUEIL' }));
    const oids = ['1.2.250.1.213.1.4.8', '1.2.250.1.213.1.4.10'] as const;
    const results = await withWritesHeld(connection, 2, () =>
      Promise.allSettled(services.map((dmp, i) => dmp.createDossier(secretary, creation(oids[i]!)))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toMatchObject({ code: 'CONFLICT' });
    expect(await stores[0]!.all('SELECT ins_key FROM dossiers')).toHaveLength(1);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('a write request delivered twice — to two hosts at once, then retried — is applied once', async () => {
    const { connection, stores } = await twoHosts();
    // Hosts of one deployment share the audit key (each entry's MAC is checked by any of them).
    const keys = ephemeralAuditKeys();
    const hosts = stores.map(
      (store) => new DmpService({ store: claimingStore(store), log: silentLogger, audit: { keys } }),
    );
    const request = { requestId: 'req-0001-deposit', method: 'importCda' };
    const deposit = (dmp: DmpService, i: number) =>
      runAsHostRequest(stores[i]!, request, () =>
        dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' }),
      );
    const results = await withWritesHeld(connection, 2, () => Promise.allSettled(hosts.map(deposit)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toBeInstanceOf(RequestAlreadyApplied);
    // A later retry on either host: refused the same way, and the host can see it was applied.
    await expect(deposit(hosts[1]!, 1)).rejects.toBeInstanceOf(RequestAlreadyApplied);
    expect(await findAppliedRequest(stores[1]!, request.requestId)).toMatchObject({ method: 'importCda' });
    expect(await stores[0]!.all('SELECT id FROM documents')).toHaveLength(1);
    expect(await stores[0]!.all('SELECT request_id FROM host_requests')).toHaveLength(1);
    // The audit trail records one import, not two.
    expect(await hosts[0]!.verifyAudit()).toEqual({ ok: true, count: 2 });
    expect(await stores[1]!.all('SELECT action FROM audit_log ORDER BY seq')).toEqual([
      { action: 'dossier.create' },
      { action: 'document.deposit' },
    ]);
    // Another request id is another request.
    await expect(
      runAsHostRequest(stores[0]!, { requestId: 'req-0002-deposit', method: 'importCda' }, () =>
        hosts[0]!.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' }),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await Promise.all(stores.map((s) => s.close()));
  });
});
