import { SerialQueue } from '../concurrency/serial-queue';
import { tableColumns } from '../db/dialect';
import { sqlFor } from '../db/query-builder';
import type { AccessMode, AuditAction } from '../../shared/contract';
import type { Statement, Store, StoreReader } from '../store/types';
import {
  auditFieldValues,
  GENESIS_HASH,
  hashAuditEntry,
  type AuditEntry,
  type AuditEvent,
} from './audit-entry';
import { ephemeralAuditKeys, macAuditHash, type AuditKeys } from './audit-keys';
import { verifyAuditChain, type AuditAnchor, type AuditChainVerdict } from './verify';

/** Told the new head after each durable append (checkpoints.ts signs it into a file outside the store). */
export interface AuditHeadWitness {
  note(head: AuditAnchor): void;
}

export interface AuditLogOptions {
  /** Defaults to keys that live only in this process (memory stores, unit tests). */
  keys?: AuditKeys;
  witness?: AuditHeadWitness;
}

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  card_serial: string | null;
  profession: string;
  mode: string | null;
  reason: string | null;
  action: string;
  ins_key: string | null;
  target: string | null;
  prev_hash: string;
  hash: string;
  mac?: string | null;
}

const chainColumns =
  'seq, at, actor_id, actor_name, card_serial, profession, mode, reason, action, ins_key, target, prev_hash, hash';
const selectColumns = `${chainColumns}, mac`;

function fromRow(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    cardSerial: row.card_serial,
    profession: row.profession,
    mode: row.mode as AccessMode | null,
    reason: row.reason,
    action: row.action as AuditAction,
    insKey: row.ins_key,
    target: row.target,
    prevHash: row.prev_hash,
    hash: row.hash,
    mac: row.mac ?? null,
  };
}

function insertStatement(entry: AuditEntry): Statement {
  return {
    sql: `INSERT INTO audit_log (${selectColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [...auditFieldValues(entry), entry.hash, entry.mac],
  };
}

function headStatement(head: AuditAnchor): Statement {
  return {
    sql: 'INSERT INTO audit_head (id, count, last_hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET count = excluded.count, last_hash = excluded.last_hash',
    params: [head.count, head.lastHash],
  };
}

/** The head row as stored (count and last hash). */
async function readHead(reader: StoreReader): Promise<AuditAnchor> {
  const rows = await reader.all<{ count: number; last_hash: string }>(
    'SELECT count, last_hash FROM audit_head WHERE id = 1',
  );
  const row = rows[0];
  return row ? { count: Number(row.count), lastHash: row.last_hash } : { count: 0, lastHash: GENESIS_HASH };
}

/**
 * Appends to the hash-chained audit log. Every append is written in the same transaction as the
 * change it records, and appends are serialised so two concurrent requests cannot both claim the
 * same seq or chain onto the same predecessor.
 */
export class AuditLog {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly store: Store,
    private head: AuditAnchor,
    private readonly keys: AuditKeys,
    private readonly witness: AuditHeadWitness | null,
    /** False on a store opened read-only before the `mac` column was added (no migration there). */
    private readonly hasMacColumn: boolean,
  ) {}

  /** Loads the head (last hash and count) once, at start, and has the witness record it. */
  static async open(store: Store, options: AuditLogOptions = {}): Promise<AuditLog> {
    const head = await readHead(store);
    const columns = await tableColumns(sqlFor(store), store, 'audit_log');
    const log = new AuditLog(
      store,
      head,
      options.keys ?? ephemeralAuditKeys(),
      options.witness ?? null,
      columns.includes('mac'),
    );
    if (head.count > 0) log.witness?.note(head);
    return log;
  }

  /** The head as this process last wrote or loaded it. */
  currentHead(): AuditAnchor {
    return { ...this.head };
  }

  /**
   * Writes `statements` and one audit entry per event as a single transaction. If the write fails,
   * nothing is recorded and the in-memory head is left as it was.
   */
  record(events: AuditEvent[], statements: Statement[] = []): Promise<AuditEntry[]> {
    const run = async (): Promise<AuditEntry[]> => {
      let entries: AuditEntry[] = [];
      let head = this.head;
      // The head is read inside the transaction: on a database shared by several hosts, another
      // host may have appended since this process last wrote, and the store keeps every other
      // write out between this read and the write.
      await this.store.transaction(async (tx) => {
        head = await readHead(tx);
        entries = [];
        for (const event of events) {
          const unhashed = { ...event, seq: head.count + 1, prevHash: head.lastHash };
          const hash = hashAuditEntry(unhashed);
          const entry: AuditEntry = { ...unhashed, hash, mac: macAuditHash(this.keys, hash) };
          entries.push(entry);
          head = { count: entry.seq, lastHash: entry.hash };
        }
        return [...statements, ...entries.map(insertStatement), headStatement(head)];
      });
      this.head = head;
      // Only once durable: a checkpoint may lag the chain after a crash, never run ahead of it.
      if (entries.length > 0) this.witness?.note(head);
      return entries;
    };
    return this.queue.run(run);
  }

  async entries(): Promise<AuditEntry[]> {
    const rows = await this.store.all<AuditRow>(
      `SELECT ${this.hasMacColumn ? selectColumns : chainColumns} FROM audit_log ORDER BY seq`,
    );
    return rows.map(fromRow);
  }

  async entriesForDossier(insKey: string): Promise<AuditEntry[]> {
    const rows = await this.store.all<AuditRow>(
      `SELECT ${this.hasMacColumn ? selectColumns : chainColumns} FROM audit_log WHERE ins_key = ? ORDER BY seq DESC`,
      [insKey],
    );
    return rows.map(fromRow);
  }

  /** The head row as stored (count and last hash), re-read rather than taken from memory. */
  async storedHead(): Promise<AuditAnchor> {
    return readHead(this.store);
  }

  /** Verifies the stored rows against the stored head and each entry's HMAC under this log's keys. */
  async verify(): Promise<AuditChainVerdict> {
    return verifyAuditChain(await this.entries(), await this.storedHead(), this.keys);
  }
}
