import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditTrail, auditKeySource } from '../../../src/main/app/audit-trail';
import { dataLayout } from '../../../src/main/app/paths';
import { GENESIS_HASH, hashAuditEntry, type AuditEntry } from '../../../src/main/audit/audit-entry';
import { verifyAuditChain } from '../../../src/main/audit/verify';
import { auditCommand } from '../../../src/main/cli/commands/audit';
import type { CliContext } from '../../../src/main/cli/cli-context';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { journalFileName } from '../../../src/main/store/journal';
import { openStore, readKeyFile, type OpenedStore } from '../../../src/main/store';
import { openSnapshotFile, writeSnapshotFile } from '../../../src/main/store/snapshot-file';
import { actor, fixture, professional, testInsKey } from '../../unit/dmp/helpers';

/**
 * Attacks on the files of a data folder (store, journal, checkpoints) by someone who can read and
 * write them, and — for the rewrite — holds the store key but not the audit key. `audit verify`
 * must fail every time, naming the cause, and must leave the files as it found them.
 */
const root = mkdtempSync(join(tmpdir(), 'poste-dmp-tamper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Opened {
  dmp: DmpService;
  store: OpenedStore;
  close(): Promise<void>;
  /** Waits for the signed checkpoint of the last write. */
  settle(): Promise<void>;
}

async function openData(dataDir: string): Promise<Opened> {
  const layout = dataLayout(dataDir);
  const source = auditKeySource({ kind: 'file', path: layout.keyFile }, dataDir);
  const audit = await openAuditTrail(source, dataDir, silentLogger);
  const storeKey = readKeyFileOrCreate(layout.keyFile);
  const store = await openStore({
    dir: layout.storeDir,
    key: storeKey,
    migrations: dmpMigrations,
    log: silentLogger,
  });
  const dmp = new DmpService({
    store,
    log: silentLogger,
    audit: { keys: audit.keys, witness: audit.checkpoints },
  });
  return {
    dmp,
    store,
    settle: () => audit.checkpoints.flush(),
    async close() {
      await audit.checkpoints.flush();
      await store.close();
    },
  };
}

function readKeyFileOrCreate(path: string): ReturnType<typeof readKeyFile> {
  try {
    return readKeyFile(path);
  } catch {
    writeFileSync(path, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    return readKeyFile(path);
  }
}

const doctor = professional({ lastName: 'URGENTISTE' });

/** A data folder with a dossier, a bris de glace with its reason, and a few reads: closed cleanly. */
async function buildDataFolder(dataDir: string): Promise<void> {
  const opened = await openData(dataDir);
  await opened.dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
  await opened.dmp.openDossier(
    actor(doctor, 'bris_de_glace', 'Patient inconscient, détresse respiratoire'),
    testInsKey,
  );
  await opened.dmp.getSummary({ system: 'cli' }, testInsKey);
  // Closing compacts only when due: make the snapshot the attacks below edit.
  await opened.store.compact();
  await opened.close();
}

function context(): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    open: () => Promise.reject(new Error('audit verify must not open the service')),
    defaultDataDir: '/nonexistent/poste-dmp-default',
  };
}

async function verify(dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ctx = context();
  const code = await auditCommand(['verify', '--data', dataDir], ctx);
  return { code, stdout: ctx.stdout.join('\n'), stderr: ctx.stderr.join('\n') };
}

/** Every file of the folder with its size and content hash, to show verification writes nothing. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(path).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

let pristine: string;
let counter = 0;
function copyOfPristine(): string {
  const dir = join(root, `case-${++counter}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

/**
 * A copy of the folder taken while the store is still open, after two more acknowledged writes:
 * the journal holds records, as it does on a running workstation.
 */
async function copyWithJournalRecords(): Promise<string> {
  const live = copyOfPristine();
  const opened = await openData(live);
  await opened.dmp.getSummary({ system: 'cli' }, testInsKey);
  await opened.dmp.getSummary({ system: 'cli' }, testInsKey);
  await opened.settle();
  const dir = join(root, `case-${++counter}`);
  cpSync(live, dir, { recursive: true });
  rmSync(join(dir, 'store', 'LOCK'), { force: true });
  await opened.close();
  return dir;
}

function lastJournal(dataDir: string): string {
  const storeDir = dataLayout(dataDir).storeDir;
  const names = readdirSync(storeDir)
    .filter((n) => /^journal\.\d{10}$/.test(n))
    .sort();
  return join(storeDir, names.at(-1) as string);
}

beforeAll(async () => {
  pristine = join(root, 'pristine');
  await buildDataFolder(pristine);
});

describe('audit verify against tampered data folders (finding 7)', () => {
  it('verifies a clean folder, read-only: no file is created, changed or removed', async () => {
    const dir = await copyWithJournalRecords();
    const before = fingerprint(dir);
    const result = await verify(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Journal d’audit intègre : \d+ entrée\(s\) vérifiée\(s\)\. Dernier point de contrôle signé/,
    );
    expect(fingerprint(dir)).toEqual(before);
  });

  it('fails when the journal is cut at a record boundary (no torn record left to notice)', async () => {
    const dir = await copyWithJournalRecords();
    const journal = lastJournal(dir);
    // Find the start of the last record: records are `length | seq | iv | ct | tag`.
    const bytes = readFileSync(journal);
    const starts: number[] = [];
    for (let offset = 24; offset < bytes.length; offset += 4 + 4 + 12 + bytes.readUInt32BE(offset) + 16)
      starts.push(offset);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    truncateSync(journal, starts.at(-1) as number);
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/en retard sur ses points de contrôle.*des entrées ont disparu/);
  });

  it('fails when the journal is truncated in the middle of a record', async () => {
    const dir = await copyWithJournalRecords();
    const journal = lastJournal(dir);
    truncateSync(journal, statSync(journal).size - 7);
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/fin du journal des données est illisible/);
    expect(result.stderr).toMatch(/Récupération : La dernière modification/);
  });

  it('fails when one byte of the journal is flipped', async () => {
    const dir = await copyWithJournalRecords();
    const journal = lastJournal(dir);
    const bytes = readFileSync(journal);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] as number) ^ 0x01;
    writeFileSync(journal, bytes);
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/fin du journal des données est illisible/);
  });

  it('fails when one byte of the snapshot is flipped (the previous snapshot would be used)', async () => {
    const dir = copyOfPristine();
    const snapshot = join(dataLayout(dir).storeDir, 'snapshot');
    const bytes = readFileSync(snapshot);
    bytes[200] = (bytes[200] as number) ^ 0x80;
    writeFileSync(snapshot, bytes);
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/copie précédente|endommagé/);
    // Read-only: the damaged snapshot was not renamed away.
    expect(readdirSync(dataLayout(dir).storeDir).some((n) => n.startsWith('snapshot.corrupt-'))).toBe(false);
  });

  it('fails when an older copy of the store is put back (the chain is behind its last checkpoint)', async () => {
    const dir = copyOfPristine();
    const older = join(root, `older-${counter}`);
    cpSync(dataLayout(dir).storeDir, older, { recursive: true });
    const opened = await openData(dir);
    await opened.dmp.getSummary({ system: 'cli' }, testInsKey);
    await opened.close();
    expect((await verify(dir)).code).toBe(0);
    rmSync(dataLayout(dir).storeDir, { recursive: true });
    cpSync(older, dataLayout(dir).storeDir, { recursive: true });
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/en retard sur ses points de contrôle/);
  });

  /**
   * The attacker holds the store key (not the audit key): decrypts the snapshot, edits a bris de
   * glace reason with sql.js, recomputes every hash after it and the head, re-encrypts.
   */
  async function rewriteReason(dir: string, options: { stripMacs: boolean }): Promise<void> {
    const layout = dataLayout(dir);
    const key = readKeyFile(layout.keyFile);
    const snapshotPath = join(layout.storeDir, 'snapshot');
    const { generation, plaintext } = openSnapshotFile(snapshotPath, key, 'whole');
    // A cleanly closed store keeps everything in the snapshot; its journal is empty.
    expect(statSync(join(layout.storeDir, journalFileName(generation))).size).toBe(24);
    const SQL = await initSqlJs();
    const db = new SQL.Database(plaintext);
    db.run('DROP TRIGGER audit_log_no_update');
    const rows = db.exec(
      'SELECT seq, at, actor_id, actor_name, card_serial, profession, mode, reason, action, ins_key, target, prev_hash, hash, mac FROM audit_log ORDER BY seq',
    )[0]!.values;
    const entries: AuditEntry[] = rows.map((r) => ({
      seq: Number(r[0]),
      at: String(r[1]),
      actorId: String(r[2]),
      actorName: String(r[3]),
      cardSerial: r[4] === null ? null : String(r[4]),
      profession: String(r[5]),
      mode: r[6] as AuditEntry['mode'],
      reason: r[7] === null ? null : String(r[7]),
      action: r[8] as AuditEntry['action'],
      insKey: r[9] === null ? null : String(r[9]),
      target: r[10] === null ? null : String(r[10]),
      prevHash: String(r[11]),
      hash: String(r[12]),
      mac: r[13] === null ? null : String(r[13]),
    }));
    const victim = entries.findIndex((e) => e.reason?.includes('inconscient'));
    expect(victim).toBeGreaterThan(0);
    let prevHash = victim === 0 ? GENESIS_HASH : (entries[victim - 1] as AuditEntry).hash;
    for (let i = victim; i < entries.length; i++) {
      const e = entries[i] as AuditEntry;
      const edited = { ...e, prevHash, ...(i === victim ? { reason: 'Consultation programmée' } : {}) };
      const hash = hashAuditEntry(edited);
      entries[i] = { ...edited, hash, mac: options.stripMacs ? null : e.mac };
      db.run('UPDATE audit_log SET reason = ?, prev_hash = ?, hash = ?, mac = ? WHERE seq = ?', [
        edited.reason,
        prevHash,
        hash,
        options.stripMacs ? null : e.mac,
        e.seq,
      ]);
      prevHash = hash;
    }
    if (options.stripMacs) db.run('UPDATE audit_log SET mac = NULL');
    db.run('UPDATE audit_head SET last_hash = ? WHERE id = 1', [prevHash]);
    // The forged chain is self-consistent: without the audit key nothing in the store betrays it.
    expect(
      verifyAuditChain(options.stripMacs ? entries.map((e) => ({ ...e, mac: null })) : entries, {
        count: entries.length,
        lastHash: prevHash,
      }),
    ).toMatchObject({ ok: true });
    await writeSnapshotFile(snapshotPath, db.export(), generation, key);
    db.close();
  }

  it('fails when a reason is rewritten with the store key and every hash recomputed (HMAC does not verify)', async () => {
    const dir = copyOfPristine();
    await rewriteReason(dir, { stripMacs: false });
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/entrée n° \d+ — son authentification \(HMAC\) ne correspond pas/);
  });

  it('fails when the rewrite also strips every HMAC (the signed checkpoints no longer match)', async () => {
    const dir = copyOfPristine();
    await rewriteReason(dir, { stripMacs: true });
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/la chaîne a été réécrite/);
  });

  it('fails when a checkpoint line is forged, or the checkpoint file removed', async () => {
    const dir = copyOfPristine();
    const file = dataLayout(dir).auditCheckpointsFile;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const last = JSON.parse(lines.at(-1) as string) as { seq: number };
    writeFileSync(
      file,
      `${[...lines.slice(0, -1), JSON.stringify({ ...last, seq: last.seq - 1 })].join('\n')}\n`,
    );
    const forged = await verify(dir);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/signature invalide/);
    rmSync(file);
    const removed = await verify(dir);
    expect(removed.code).toBe(1);
    expect(removed.stderr).toMatch(/points de contrôle signés .* est absent/);
  });

  it('refuses without the audit key and exports the checkpoints with their public key', async () => {
    const dir = copyOfPristine();
    const ctx = context();
    expect(await auditCommand(['export-checkpoints', '--data', dir], ctx)).toBe(0);
    const exported = JSON.parse(ctx.stdout.join('\n')) as {
      publicKey: string;
      checkpoints: { seq: number; sig: string }[];
    };
    expect(exported.publicKey).toMatch(/BEGIN PUBLIC KEY/);
    expect(exported.checkpoints.length).toBeGreaterThan(0);
    rmSync(dataLayout(dir).auditKeyFile);
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/audit\.key.*introuvable/);
  });
});
