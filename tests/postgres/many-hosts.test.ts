import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/main/audit/audit-log';
import type { AuditEvent } from '../../src/main/audit/audit-entry';
import { ephemeralAuditKeys } from '../../src/main/audit/audit-keys';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import type { Store } from '../../src/main/store/types';
import { freshSchema, requirePgTestConnection } from '../support/test-store';

/** Several hosts = several stores (own connection pools) on one database schema. */
async function hosts(count: number): Promise<Store[]> {
  const connection = await freshSchema(requirePgTestConnection());
  const stores: Store[] = [];
  // Opened one after another is not needed: concurrent opens must also apply the migrations once.
  stores.push(
    ...(await Promise.all(
      Array.from({ length: count }, () =>
        openPgStore({ connection, log: silentLogger, migrations: dmpMigrations, poolSize: 3 }),
      ),
    )),
  );
  return stores;
}

function event(host: number, n: number): AuditEvent {
  return {
    at: '2026-03-01T09:00:00.000Z',
    actorId: `81000000000${host}`,
    actorName: `Hôte ${host}`,
    cardSerial: null,
    profession: '10',
    mode: 'normal',
    reason: null,
    action: 'dossier.read',
    insKey: null,
    target: `h${host}-${n}`,
  };
}

describe('many hosts, one PostgreSQL database', () => {
  it('audit appends made at once by several hosts form one unbroken chain, each host’s in its order', async () => {
    const stores = await hosts(4);
    const keys = ephemeralAuditKeys();
    const logs = await Promise.all(stores.map((s) => AuditLog.open(s, { keys })));
    const perHost = 12;
    await Promise.all(
      logs.map(async (log, h) => {
        // Each host appends its entries one after another (as its requests would), all hosts at once.
        for (let n = 0; n < perHost; n++) await log.record([event(h, n)]);
      }),
    );
    const entries = await logs[0]!.entries();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 4 * perHost }, (_, i) => i + 1));
    expect(await logs[1]!.verify()).toEqual({ ok: true, count: 4 * perHost });
    for (let h = 0; h < 4; h++) {
      const mine = entries.filter((e) => e.actorId === `81000000000${h}`).map((e) => e.target);
      expect(mine).toEqual(Array.from({ length: perHost }, (_, n) => `h${h}-${n}`));
    }
    await Promise.all(stores.map((s) => s.close()));
  });
});
