import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastCheckpoint, readCheckpointFile, signCheckpoint } from '../../../src/main/audit/checkpoints';
import fc from 'fast-check';
import { AuditLog } from '../../../src/main/audit/audit-log';
import {
  GENESIS_HASH,
  hashAuditEntry,
  type AuditEntry,
  type AuditEvent,
} from '../../../src/main/audit/audit-entry';
import { describeAuditVerdict, verifyAuditChain } from '../../../src/main/audit/verify';
import { auditMacMigration, auditSchemaMigration } from '../../../src/main/audit/schema';
import { tableColumns } from '../../../src/main/db/dialect';
import { sqlFor } from '../../../src/main/db/query-builder';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import { dropAuditTriggers, errorText, openTestStore } from '../../support/test-store';
import type { Store } from '../../../src/main/store/types';
import { ephemeralAuditKeys, macAuditHash } from '../../../src/main/audit/audit-keys';

function event(n: number): AuditEvent {
  return {
    at: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    actorId: '810001234567',
    actorName: 'Jean Médecin',
    cardSerial: '0123456789',
    profession: 'Médecin',
    mode: 'normal',
    reason: null,
    action: 'dossier.read',
    insKey: '279035121518989@1.2.250.1.213.1.4.10',
    target: `t${n}`,
  };
}

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= length; i++) {
    const unhashed = { ...event(i), seq: i, prevHash };
    const entry = { ...unhashed, hash: hashAuditEntry(unhashed), mac: null };
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

describe('verifyAuditChain', () => {
  it('accepts an intact chain and the empty chain', () => {
    expect(verifyAuditChain(chain(5))).toEqual({ ok: true, count: 5 });
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0 });
  });

  it('reports an edited field at the edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...(entries[2] as AuditEntry), action: 'document.read' };
    expect(verifyAuditChain(entries)).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'edited' });
  });

  it('reports an edit whose hash was recomputed, at the rewritten entry', () => {
    const entries = chain(5);
    const forged = { ...(entries[1] as AuditEntry), actorName: 'Quelqu’un d’autre' };
    entries[1] = { ...forged, hash: hashAuditEntry(forged) };
    expect(verifyAuditChain(entries)).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'edited' });
  });

  it('reports a deleted entry in the middle and at the start', () => {
    const entries = chain(5);
    expect(verifyAuditChain([...entries.slice(0, 2), ...entries.slice(3)])).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: 'deleted',
    });
    expect(verifyAuditChain(entries.slice(1))).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      problem: 'deleted',
    });
  });

  it('reports entries whose seqs were swapped as reordered', () => {
    const entries = chain(5);
    const second = entries[1] as AuditEntry;
    const third = entries[2] as AuditEntry;
    entries[1] = { ...third, seq: 2 };
    entries[2] = { ...second, seq: 3 };
    expect(verifyAuditChain(entries)).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'reordered' });
  });

  it('reports rows cut off the end when an anchor is given', () => {
    const entries = chain(5);
    const anchor = { count: 5, lastHash: (entries[4] as AuditEntry).hash };
    expect(verifyAuditChain(entries, anchor)).toEqual({ ok: true, count: 5 });
    expect(verifyAuditChain(entries.slice(0, 4), anchor)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      problem: 'truncated',
    });
  });

  it('detects any single-field change anywhere in the chain', () => {
    const fields = [
      'at',
      'actorId',
      'actorName',
      'cardSerial',
      'profession',
      'reason',
      'insKey',
      'target',
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom(...fields),
        fc.string({ minLength: 1 }),
        (index, field, value) => {
          const entries = chain(8);
          const original = entries[index] as AuditEntry;
          fc.pre(original[field] !== value);
          entries[index] = { ...original, [field]: value };
          const verdict = verifyAuditChain(entries);
          expect(verdict.ok).toBe(false);
          if (!verdict.ok) expect(verdict.firstBadSeq).toBe(index + 1);
        },
      ),
    );
  });

  it('names the first bad entry in French', () => {
    expect(describeAuditVerdict({ ok: false, count: 4, firstBadSeq: 3, problem: 'deleted' })).toMatch(
      /entrée n° 3.*supprimées/,
    );
    expect(describeAuditVerdict({ ok: true, count: 4 })).toMatch(/intègre/);
  });
});

describe('AuditLog', () => {
  const migrations = [auditSchemaMigration(1), auditMacMigration(2)];

  it('chains appends, survives a reopen and refuses UPDATE/DELETE through the triggers', async () => {
    const store = await openTestStore(migrations);
    const keys = ephemeralAuditKeys();
    const log = await AuditLog.open(store, { keys });
    await log.record([event(1)]);
    await log.record([event(2), event(3)]);
    const reopened = await AuditLog.open(store, { keys });
    await reopened.record([event(4)]);
    const entries = await reopened.entries();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(await reopened.verify()).toEqual({ ok: true, count: 4 });
    const refusal = (sql: string) => store.write([{ sql }]).then(() => 'written', errorText);
    expect(await refusal("UPDATE audit_log SET target = 'x' WHERE seq = 1")).toMatch(/append-only/);
    expect(await refusal('DELETE FROM audit_log WHERE seq = 1')).toMatch(/append-only/);
  });

  it('authenticates each entry with the audit key: another key, a forged or a missing MAC fail', async () => {
    const store = await openTestStore(migrations);
    const keys = ephemeralAuditKeys();
    const log = await AuditLog.open(store, { keys });
    await log.record([event(1), event(2), event(3)]);
    const entries = await log.entries();
    expect(entries.every((e) => e.mac === macAuditHash(keys, e.hash))).toBe(true);
    const anchor = await log.storedHead();
    expect(verifyAuditChain(entries, anchor, keys)).toEqual({ ok: true, count: 3 });
    expect(verifyAuditChain(entries, anchor, ephemeralAuditKeys())).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      problem: 'unauthenticated',
    });
    // Rewritten with a recomputed hash but without the key: the old MAC no longer fits.
    const forged = { ...(entries[1] as AuditEntry), reason: 'autre motif' };
    const rehashed = [entries[0] as AuditEntry, { ...forged, hash: hashAuditEntry(forged) }];
    expect(verifyAuditChain(rehashed, undefined, keys)).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      problem: 'unauthenticated',
    });
    // A MAC missing after one that is present is not a pre-upgrade entry.
    const stripped = entries.map((e, i) => (i === 2 ? { ...e, mac: null } : e));
    expect(verifyAuditChain(stripped, anchor, keys)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: 'unauthenticated',
    });
    // Entries written before MACs existed (a prefix) are accepted and counted.
    const legacy = entries.map((e, i) => (i === 0 ? { ...e, mac: null } : e));
    expect(verifyAuditChain(legacy, anchor, keys)).toEqual({ ok: true, count: 3, unauthenticatedPrefix: 1 });
  });

  it('verifies from a checkpoint: the entries after it and the head, not the ones before', async () => {
    const store = await openTestStore(migrations);
    const keys = ephemeralAuditKeys();
    const log = await AuditLog.open(store, { keys });
    await log.record(Array.from({ length: 10 }, (_, i) => event(i + 1)));
    const entries = await log.entries();
    const at = (seq: number) => ({ seq, head: (entries[seq - 1] as AuditEntry).hash });
    expect(await log.verifySince(at(5))).toEqual({ ok: true, count: 10 });
    // No checkpoint: the last entry against the head.
    expect(await log.verifySince(null)).toEqual({ ok: true, count: 10 });
    // A checkpoint the chain does not hold any more, or holds with another hash.
    expect(await log.verifySince({ seq: 12, head: 'x' })).toMatchObject({
      ok: false,
      firstBadSeq: 12,
      problem: 'truncated',
    });
    expect(await log.verifySince({ seq: 5, head: (entries[4] as AuditEntry).prevHash })).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      problem: 'edited',
    });
    await store.write(dropAuditTriggers(store));
    await store.write([{ sql: "UPDATE audit_log SET target = 'x' WHERE seq = 3" }]);
    // Before the checkpoint: the full check's to find.
    expect(await log.verifySince(at(5))).toEqual({ ok: true, count: 10 });
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
    // Many entries after the checkpoint: the last ones read, and the checkpoint's own entry.
    await store.write([{ sql: "UPDATE audit_log SET target = 'x' WHERE seq = 6" }]);
    expect(await log.verifySince(at(2), 3)).toEqual({ ok: true, count: 10 });
    expect(await log.verifySince(at(3), 3)).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'edited' });
    expect(await log.verifySince(at(5))).toMatchObject({ ok: false, firstBadSeq: 6, problem: 'edited' });
    await store.write([{ sql: "UPDATE audit_log SET target = 'x' WHERE seq = 9" }]);
    expect(await log.verifySince(at(2), 3)).toMatchObject({ ok: false, firstBadSeq: 9, problem: 'edited' });
  });

  it('from a checkpoint or the head: an entry without HMAC after one that has one is refused, even when the entries read all lack one', async () => {
    const store = await openTestStore(migrations);
    const keys = ephemeralAuditKeys();
    const log = await AuditLog.open(store, { keys });
    await log.record(Array.from({ length: 10 }, (_, i) => event(i + 1)));
    const entries = await log.entries();
    const at = (seq: number) => ({ seq, head: (entries[seq - 1] as AuditEntry).hash });
    // Written without the audit key: the chain links, the HMAC is missing (the hash does not cover it).
    await store.write(dropAuditTriggers(store));
    await store.write([{ sql: 'UPDATE audit_log SET mac = NULL WHERE seq >= 9' }]);
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 9, problem: 'unauthenticated' });
    // No checkpoint (a host's first start): the last entry alone is read.
    expect(await log.verifySince(null)).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      problem: 'unauthenticated',
    });
    // A checkpoint further back than the entries read: the last two alone.
    expect(await log.verifySince(at(2), 2)).toMatchObject({
      ok: false,
      firstBadSeq: 9,
      problem: 'unauthenticated',
    });
    expect(await log.verifySince(at(5))).toMatchObject({
      ok: false,
      firstBadSeq: 9,
      problem: 'unauthenticated',
    });
  });

  it('from the head of a chain written before HMACs existed: its entries without HMAC are still a prefix', async () => {
    const store = await openTestStore(migrations);
    const keys = ephemeralAuditKeys();
    const log = await AuditLog.open(store, { keys });
    await log.record(Array.from({ length: 4 }, (_, i) => event(i + 1)));
    await store.write(dropAuditTriggers(store));
    await store.write([{ sql: 'UPDATE audit_log SET mac = NULL' }]);
    expect(await log.verifySince(null)).toEqual({ ok: true, count: 4, unauthenticatedPrefix: 1 });
    expect(await log.verify()).toEqual({ ok: true, count: 4, unauthenticatedPrefix: 4 });
  });

  it('reads the highest validly signed checkpoint among the last lines of the file only', () => {
    const keys = ephemeralAuditKeys();
    const file = join(mkdtempSync(join(tmpdir(), 'poste-dmp-checkpoints-')), 'audit-checkpoints.log');
    const line = (seq: number, k = keys) =>
      `${JSON.stringify(signCheckpoint(k, { count: seq, lastHash: 'h'.repeat(64) }, '2026-01-01T00:00:00.000Z'))}\n`;
    expect(lastCheckpoint(file, keys.publicKey)).toBeNull();
    // Seq 5000 far back (outside the end read), then 1000 lines, one of them higher than its neighbours,
    // one signed with another key, and a torn last line.
    const lines = [line(5000)];
    for (let seq = 1; seq <= 1000; seq++) lines.push(line(seq === 900 ? 1500 : seq));
    lines.push(line(4000, ephemeralAuditKeys()), '{"v":1,"seq":4500');
    writeFileSync(file, lines.join(''));
    expect(lastCheckpoint(file, keys.publicKey)).toMatchObject({ seq: 1500 });
    // The whole file, as the full verification reads it, still has the one far back.
    expect(Math.max(...readCheckpointFile(file, keys.publicKey).checkpoints.map((c) => c.seq))).toBe(5000);
  });

  it('reads a store whose audit_log predates the mac column (opened read-only, never migrated)', async () => {
    const store = await openMemoryStore(migrations);
    await (await AuditLog.open(store)).record([event(1), event(2)]);
    expect(await tableColumns(sqlFor(store), store, 'audit_log')).toContain('mac');
    await store.write([{ sql: 'ALTER TABLE audit_log DROP COLUMN mac' }]);
    expect(await tableColumns(sqlFor(store), store, 'audit_log')).toEqual([
      'seq',
      'at',
      'actor_id',
      'actor_name',
      'card_serial',
      'profession',
      'mode',
      'reason',
      'action',
      'ins_key',
      'target',
      'prev_hash',
      'hash',
    ]);
    const old = await AuditLog.open(store);
    expect((await old.entries()).map((e) => [e.seq, e.mac])).toEqual([
      [1, null],
      [2, null],
    ]);
    expect((await old.entriesForDossier('x')).length).toBe(0);
  });

  it('serialises concurrent appends into one unbroken chain', async () => {
    const store = await openTestStore(migrations);
    const log = await AuditLog.open(store);
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.record([event(i)])));
    expect(await log.verify()).toEqual({ ok: true, count: 20 });
  });

  it('leaves the head untouched when the transaction fails', async () => {
    const store = await openTestStore(migrations);
    const log = await AuditLog.open(store);
    await log.record([event(1)]);
    await expect(log.record([event(2)], [{ sql: 'INSERT INTO no_such_table VALUES (1)' }])).rejects.toThrow();
    await log.record([event(3)]);
    expect((await log.entries()).map((e) => e.target)).toEqual(['t1', 't3']);
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('commits appends made at once in one transaction after the one in flight, each caller getting its own entries', async () => {
    const store = await openTestStore(migrations);
    let transactions = 0;
    const counted: Store = {
      ...store,
      writeChained: (write) => {
        transactions++;
        return store.writeChained(write);
      },
    };
    const log = await AuditLog.open(counted);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => log.record([event(i)])));
    // The first goes alone; the 19 that arrive while it commits share the next transaction.
    expect(transactions).toBeLessThanOrEqual(2);
    expect(results.map((entries) => entries.map((e) => e.target))).toEqual(
      Array.from({ length: 20 }, (_, i) => [`t${i}`]),
    );
    expect(await log.verify()).toEqual({ ok: true, count: 20 });
    expect(log.currentHead().count).toBe(20);
  });

  it('rejects every caller of a group whose transaction fails, and writes none of their entries', async () => {
    const store = await openTestStore(migrations);
    let transactions = 0;
    const breakable: Store = {
      ...store,
      // The second transaction sends its entries, then fails: nothing of it may remain.
      writeChained: (write) => {
        const failing = ++transactions === 2;
        return store.writeChained({
          statements: write.statements,
          chain: async (tx) => [
            ...(await write.chain(tx)),
            ...(failing ? [{ sql: 'INSERT INTO no_such_table VALUES (1)' }] : []),
          ],
        });
      },
    };
    const log = await AuditLog.open(breakable);
    const first = log.record([event(1)]);
    // These arrive while the first commits: one group, the second transaction.
    const group = [2, 3, 4].map((n) => log.record([event(n)]));
    await first;
    const settled = await Promise.allSettled(group);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reasons = settled.map((r) => (r.status === 'rejected' ? r.reason : null));
    expect(new Set(reasons).size).toBe(1);
    expect(transactions).toBe(2);
    await log.record([event(5)]);
    expect((await log.entries()).map((e) => [e.seq, e.target])).toEqual([
      [1, 't1'],
      [2, 't5'],
    ]);
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });
});
