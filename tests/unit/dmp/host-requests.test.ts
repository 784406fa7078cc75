import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/main/audit/audit-log';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import {
  claimingStore,
  findAppliedRequest,
  RequestAlreadyApplied,
  runAsHostRequest,
} from '../../../src/main/store/host-requests';
import { fieldSealingPlugin } from '../../../src/main/store/pg/field-sealing';
import { openTestStore } from '../../support/test-store';
import type { Store } from '../../../src/main/store/types';
import { actor, fixture, professional } from './helpers';

async function host() {
  const store = await openTestStore(dmpMigrations);
  const dmp = new DmpService({
    store: claimingStore(store, () => new Date('2026-03-01T09:00:00Z')),
    log: silentLogger,
  });
  return { store, dmp };
}

describe('write requests carrying a request id', () => {
  it('applies a request once: its retry is refused before running, naming what was recorded', async () => {
    const { store, dmp } = await host();
    const request = { requestId: '2b7c0a1e-retry-me', method: 'importCda' };
    const run = () =>
      runAsHostRequest(store, request, () =>
        dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' }),
      );
    await run();
    const retry: unknown = await run().catch((e: unknown) => e);
    expect(retry).toBeInstanceOf(RequestAlreadyApplied);
    expect(retry).toMatchObject({
      code: 'CONFLICT',
      applied: { requestId: request.requestId, method: 'importCda' },
    });
    expect(await findAppliedRequest(store, request.requestId)).toMatchObject({
      appliedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(await store.all('SELECT id FROM documents')).toHaveLength(1);
  });

  it('claims the id with the request’s first write (even an audited refusal), not outside a request, not when the write fails', async () => {
    const { store, dmp } = await host();
    const stranger = actor(professional({ nationalId: '810009999999' }));
    await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    // A refused operation still writes (the refusal is audited): that write claims the id.
    const insKey = (await store.all<{ ins_key: string }>('SELECT ins_key FROM dossiers'))[0]!.ins_key;
    await expect(
      runAsHostRequest(store, { requestId: 'read-attempt-1', method: 'openDossier' }, () =>
        dmp.openDossier(stranger, insKey),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await store.all('SELECT request_id FROM host_requests')).toEqual([
      { request_id: 'read-attempt-1' },
    ]);
    // Outside a request the store behaves as before.
    await dmp
      .importCda(fixture('VSM_1.4_2022.01.xml'), { create: false, depositor: 'system' })
      .catch(() => undefined);
    expect(await store.all('SELECT request_id FROM host_requests')).toHaveLength(1);
    // A failed write leaves the id free for the retry.
    const failing = { requestId: 'failing-write-1', method: 'test' };
    await expect(
      runAsHostRequest(store, failing, () =>
        claimingStore(store).write([{ sql: 'INSERT INTO nowhere VALUES (1)' }]),
      ),
    ).rejects.toThrow();
    expect(await findAppliedRequest(store, failing.requestId)).toBeNull();
    await expect(
      runAsHostRequest(store, { requestId: 'x', method: 'm' }, async () => 1),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('keeps the store’s query plugins: a DMP on the claiming store of a sealing store seals at rest', async () => {
    // The host's DMP runs on claimingStore(pgStore with the field key): without the plugins, every
    // sealed column would be written in clear.
    const raw = await openTestStore(dmpMigrations);
    const sealing = { ...raw, queryPlugins: [fieldSealingPlugin(randomBytes(32))] };
    const dmp = new DmpService({ store: claimingStore(sealing), log: silentLogger });
    const request = { requestId: 'sealed-request-1', method: 'importCda' };
    const { documentId } = await runAsHostRequest(sealing, request, () =>
      dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' }),
    );
    const [row] = await raw.all<{ title: string }>(`SELECT title FROM documents WHERE id = '${documentId}'`);
    expect(row?.title).toMatch(/^enc:v2:/);
    expect(await findAppliedRequest(sealing, request.requestId)).toMatchObject({ method: 'importCda' });
  });

  it('claims the id with an audit-only write even while other callers’ reads are being committed', async () => {
    // Reads are committed together (AuditLog's group commit); a request's first write must not be
    // folded into a group committed from another caller's context, or its claim would be lost.
    const store = await openTestStore(dmpMigrations);
    // The first read's transaction is held until the request's write has been made.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let transactions = 0;
    const gated: Store = {
      ...store,
      writeChained: async (write) => {
        if (++transactions === 1) await gate;
        return store.writeChained(write);
      },
    };
    const log = await AuditLog.open(claimingStore(gated));
    const read = (n: number) => ({
      at: '2026-03-01T09:00:00.000Z',
      actorId: '810001234567',
      actorName: 'Jean Médecin',
      cardSerial: null,
      profession: '10',
      mode: 'normal' as const,
      reason: null,
      action: 'dossier.read' as const,
      insKey: null,
      target: `read-${n}`,
    });
    const inFlight = log.record([read(1)]);
    const refused = runAsHostRequest(store, { requestId: 'audited-refusal-1', method: 'test' }, () => {
      const written = log.record([{ ...read(2), action: 'access.denied' }]);
      release();
      return written;
    });
    await Promise.all([inFlight, refused]);
    expect(await findAppliedRequest(store, 'audited-refusal-1')).toMatchObject({ method: 'test' });
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });
});
