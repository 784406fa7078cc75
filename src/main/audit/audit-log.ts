import type { AccessMode, AuditAction } from '../../shared/contract';
import type { Statement, Store } from '../store/types';
import {
  auditFieldValues,
  GENESIS_HASH,
  hashAuditEntry,
  type AuditEntry,
  type AuditEvent,
} from './audit-entry';
import { verifyAuditChain, type AuditAnchor, type AuditChainVerdict } from './verify';

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
}

const selectColumns =
  'seq, at, actor_id, actor_name, card_serial, profession, mode, reason, action, ins_key, target, prev_hash, hash';

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
  };
}

function insertStatement(entry: AuditEntry): Statement {
  return {
    sql: `INSERT INTO audit_log (${selectColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [...auditFieldValues(entry), entry.hash],
  };
}

function headStatement(head: AuditAnchor): Statement {
  return {
    sql: 'INSERT INTO audit_head (id, count, last_hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET count = excluded.count, last_hash = excluded.last_hash',
    params: [head.count, head.lastHash],
  };
}

/**
 * Appends to the hash-chained audit log. Every append is written in the same transaction as the
 * change it records, and appends are serialised so two concurrent requests cannot both claim the
 * same seq or chain onto the same predecessor.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private head: AuditAnchor,
  ) {}

  /** Loads the head (last hash and count) once, at start. */
  static async open(store: Store): Promise<AuditLog> {
    const rows = await store.all<{ count: number; last_hash: string }>(
      'SELECT count, last_hash FROM audit_head WHERE id = 1',
    );
    const row = rows[0];
    return new AuditLog(
      store,
      row ? { count: Number(row.count), lastHash: row.last_hash } : { count: 0, lastHash: GENESIS_HASH },
    );
  }

  /**
   * Writes `statements` and one audit entry per event as a single transaction. If the write fails,
   * nothing is recorded and the in-memory head is left as it was.
   */
  record(events: AuditEvent[], statements: Statement[] = []): Promise<AuditEntry[]> {
    const run = async (): Promise<AuditEntry[]> => {
      let head = this.head;
      const entries: AuditEntry[] = [];
      for (const event of events) {
        const unhashed = { ...event, seq: head.count + 1, prevHash: head.lastHash };
        const entry: AuditEntry = { ...unhashed, hash: hashAuditEntry(unhashed) };
        entries.push(entry);
        head = { count: entry.seq, lastHash: entry.hash };
      }
      await this.store.write([...statements, ...entries.map(insertStatement), headStatement(head)]);
      this.head = head;
      return entries;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async entries(): Promise<AuditEntry[]> {
    const rows = await this.store.all<AuditRow>(`SELECT ${selectColumns} FROM audit_log ORDER BY seq`);
    return rows.map(fromRow);
  }

  async entriesForDossier(insKey: string): Promise<AuditEntry[]> {
    const rows = await this.store.all<AuditRow>(
      `SELECT ${selectColumns} FROM audit_log WHERE ins_key = ? ORDER BY seq DESC`,
      [insKey],
    );
    return rows.map(fromRow);
  }

  /** Verifies the stored rows against the stored head. */
  async verify(): Promise<AuditChainVerdict> {
    const heads = await this.store.all<{ count: number; last_hash: string }>(
      'SELECT count, last_hash FROM audit_head WHERE id = 1',
    );
    const head = heads[0];
    return verifyAuditChain(
      await this.entries(),
      head ? { count: Number(head.count), lastHash: head.last_hash } : { count: 0, lastHash: GENESIS_HASH },
    );
  }
}
