import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveAuditKeys, type AuditKeys } from '../../src/main/audit/audit-keys';
import { CheckpointLog } from '../../src/main/audit/checkpoints';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { silentLogger } from '../../src/main/log/logger';
import { openPgStore } from '../../src/main/store/pg/pg-store';
import type { Store } from '../../src/main/store/types';
import { cutAuditTail, freshSchema, requirePgTestConnection } from '../support/test-store';
import { actor, fixture, professional, testInsKey } from '../unit/dmp/helpers';

/**
 * A DBA (superuser) deletes the last audit rows and rewrites `audit_head` to match: the chain left in
 * the database is self-consistent (links, HMACs, head), so a check of the database alone passes. The
 * host's signed checkpoints, kept in a file outside the database, still name the deleted entries.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function checkpointFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-pg-checkpoints-'));
  dirs.push(dir);
  return join(dir, 'audit-checkpoints.log');
}

async function host(connection: pg.PoolConfig, keys: AuditKeys, file: string | null) {
  const store: Store = await openPgStore({ connection, log: silentLogger, migrations: dmpMigrations });
  const witness = file ? new CheckpointLog(file, keys, { checkOnVerify: true }) : null;
  const dmp = new DmpService({
    store,
    log: silentLogger,
    audit: witness ? { keys, witness } : { keys },
  });
  return {
    dmp,
    async close() {
      await witness?.flush();
      await store.close();
    },
  };
}

describe('audit tail cut by a DBA on PostgreSQL', () => {
  it('passes a database-only check, and is reported by the host holding signed checkpoints outside the database', async () => {
    const connection = await freshSchema(requirePgTestConnection());
    const keys = deriveAuditKeys(randomBytes(32));
    const fileA = checkpointFile();
    const fileB = checkpointFile();

    // Two hosts share the database, each keeps its own checkpoint file.
    const a = await host(connection, keys, fileA);
    await a.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
    const b = await host(connection, keys, fileB);
    const doctor = actor(professional());
    await b.dmp.authorize(doctor, testInsKey);
    await b.dmp.openDossier(doctor, testInsKey);
    await b.dmp.getSummary(doctor, testInsKey);
    expect(await b.dmp.verifyAudit()).toMatchObject({ ok: true });
    await a.close();
    await b.close();

    // The doctor's two reads disappear.
    await cutAuditTail(connection, 2);

    // Without checkpoints outside the database (what the host did before), nothing shows.
    const blind = await host(connection, keys, null);
    expect(await blind.dmp.verifyAudit()).toMatchObject({ ok: true });
    await blind.close();

    // Host B restarts on its file: the chain is behind what it signed.
    const restarted = await host(connection, keys, fileB);
    const verdict = await restarted.dmp.verifyAudit();
    expect(verdict).toMatchObject({ ok: false, problem: 'truncated' });
    // New entries after the cut do not hide it: the seqs it signed now hold other hashes, or none.
    await restarted.dmp.openDossier(doctor, testInsKey);
    expect(await restarted.dmp.verifyAudit()).toMatchObject({ ok: false });
    await restarted.close();

    // Host A wrote and saw nothing past the cut: its own file cannot tell (run the check on every
    // host, or on the checkpoints of all hosts together).
    const other = await host(connection, keys, fileA);
    expect(await other.dmp.verifyAudit()).toMatchObject({ ok: true });
    await other.close();
  });
});
