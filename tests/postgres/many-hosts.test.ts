import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/main/audit/audit-log';
import type { AuditEvent } from '../../src/main/audit/audit-entry';
import { ephemeralAuditKeys } from '../../src/main/audit/audit-keys';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import { openPgStore, writeLockClass } from '../../src/main/store/pg/pg-store';
import type { Store, StoreReader } from '../../src/main/store/types';
import { freshSchema, requirePgTestConnection } from '../support/test-store';

/** Several hosts = several stores (own connection pools) on one database schema. */
async function hosts(count: number): Promise<{ connection: pg.PoolConfig; stores: Store[] }> {
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
  return { connection, stores };
}

function event(host: number, n: number, action: AuditEvent['action'] = 'dossier.read'): AuditEvent {
  return {
    at: '2026-03-01T09:00:00.000Z',
    actorId: `81000000000${host}`,
    actorName: `Hôte ${host}`,
    cardSerial: null,
    profession: '10',
    mode: 'normal',
    reason: null,
    action,
    insKey: null,
    target: `h${host}-${n}`,
  };
}

/** A change with a row of its own: a request claim standing in for a deposit (large payload included). */
function change(host: number, n: number) {
  return {
    sql: 'INSERT INTO host_requests (request_id, method, applied_at, outcome) VALUES ($1, $2, $3, $4)',
    params: [`deposit-h${host}-${n}`, 'depositDocument', '2026-03-01T09:00:00.000Z', 'x'.repeat(200_000)],
  };
}

describe('many hosts, one PostgreSQL database', () => {
  it('audit appends made at once by several hosts form one unbroken chain, each host’s in its order', async () => {
    const { stores } = await hosts(4);
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

  it('writes a change before taking the chain lock: both writers hold their table while they wait for it', async () => {
    const { connection, stores } = await hosts(2);
    const keys = ephemeralAuditKeys();
    const logs = await Promise.all(stores.map((s) => AuditLog.open(s, { keys })));
    const holder = new pg.Client(connection);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [writeLockClass]);
      const writes = logs.map((log, h) => log.record([event(h, 1, 'document.deposit')], [change(h, 1)]));
      writes.forEach((w) => w.catch(() => undefined));
      let waiting: number[] = [];
      while (waiting.length < 2) {
        await new Promise((r) => setTimeout(r, 20));
        const { rows } = await holder.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = hashtext(current_schema())::oid",
        );
        waiting = rows.map((r) => r.pid);
      }
      // Each waiter has already inserted its row: it holds the table's RowExclusiveLock.
      const { rows } = await holder.query<{ n: string }>(
        `SELECT count(DISTINCT pid) AS n FROM pg_locks
          WHERE relation = 'host_requests'::regclass AND mode = 'RowExclusiveLock' AND granted AND pid = ANY($1)`,
        [waiting],
      );
      expect(Number(rows[0]?.n)).toBe(2);
      await holder.query('COMMIT');
      await Promise.all(writes);
    } finally {
      await holder.end();
    }
    expect(await logs[0]!.verify()).toEqual({ ok: true, count: 2 });
    await Promise.all(stores.map((s) => s.close()));
  });

  it('reads grouped and deposits made at once on two hosts form one unbroken chain, each entry with its change', async () => {
    const { stores } = await hosts(2);
    const keys = ephemeralAuditKeys();
    const logs = await Promise.all(stores.map((s) => AuditLog.open(s, { keys })));
    const reads = 40;
    const deposits = 4;
    await Promise.all(
      logs.flatMap((log, h) => [
        // Reads all at once (as a host's workstations would make them)…
        ...Array.from({ length: reads }, (_, n) => log.record([event(h, n)])),
        // …while the same host deposits one document after another.
        (async () => {
          for (let n = 0; n < deposits; n++)
            await log.record([event(h, n, 'document.deposit')], [change(h, n)]);
        })(),
      ]),
    );
    const total = 2 * (reads + deposits);
    const entries = await logs[0]!.entries();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(await logs[1]!.verify()).toEqual({ ok: true, count: total });
    // Each deposit's entry was committed by the transaction that wrote its change.
    const [deposited] = await stores[0]!.all<{ n: number; same: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE r.xmin = a.xmin) AS same
         FROM host_requests r JOIN audit_log a ON a.target = substr(r.request_id, 9)
        WHERE a.action = 'document.deposit'`,
    );
    expect(deposited).toEqual({ n: 2 * deposits, same: 2 * deposits });
    // The reads were grouped: far fewer transactions than reads (each host: the first read alone,
    // the rest in groups committed while another was in flight).
    const [readTx] = await stores[0]!.all<{ n: number }>(
      "SELECT count(DISTINCT xmin::text) AS n FROM audit_log WHERE action = 'dossier.read'",
    );
    expect(readTx!.n).toBeLessThan(reads);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('verifies entries and head from one snapshot, while another host appends between the two reads', async () => {
    const { stores } = await hosts(2);
    const keys = ephemeralAuditKeys();
    const other = await AuditLog.open(stores[1]!, { keys });
    for (let n = 0; n < 3; n++) await other.record([event(1, n)]);
    // The verifying host: right after it read the entries, the other host appends one more.
    let appended = false;
    const afterEntries = (reader: StoreReader): StoreReader => ({
      async all<T extends object>(sql: string, params?: Parameters<StoreReader['all']>[1]): Promise<T[]> {
        const rows = await reader.all<T>(sql, params);
        if (!appended && /from "audit_log"/.test(sql)) {
          appended = true;
          await other.record([event(1, 3)]);
        }
        return rows;
      },
    });
    const base = stores[0]!;
    const verifying: Store = {
      ...base,
      all: afterEntries(base).all,
      readSnapshot: (read) => base.readSnapshot((tx) => read(afterEntries(tx))),
    };
    const log = await AuditLog.open(verifying, { keys });
    expect(await log.verify()).toEqual({ ok: true, count: 3 });
    expect(appended).toBe(true);
    expect(await log.verify()).toEqual({ ok: true, count: 4 });
    await Promise.all(stores.map((s) => s.close()));
  });
});
