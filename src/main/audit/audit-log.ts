import { SerialQueue } from '../concurrency/serial-queue';
import type { AccessMode, AuditAction } from '../../shared/contract';
import type { Statement, Store, StoreReader } from '../store/types';
import type { Insertable, Selectable } from 'kysely';
import type { AuditLogTable } from '../db/database';
import { tableColumns } from '../db/dialect';
import { sqlFor, type DmpSql } from '../db/query-builder';
import { GENESIS_HASH, hashAuditEntry, type AuditEntry, type AuditEvent } from './audit-entry';
import { ephemeralAuditKeys, macAuditHash, type AuditKeys } from './audit-keys';
import { verifyAuditChain, type AuditAnchor, type AuditChainVerdict } from './verify';
import { checkpointContradiction, type AuditCheckpoint } from './checkpoints';

/** Told the new head after each durable append (checkpoints.ts signs it into a file outside the store). */
export interface AuditHeadWitness {
  note(head: AuditAnchor): void;
  /**
   * When present, `verify` also checks the chain against the heads this witness attested (signed
   * checkpoints kept outside the store): entries cut off the end together with the head row — which
   * leave the stored chain self-consistent — then show.
   */
  attested?: () => AuditCheckpoint[];
}

export interface AuditLogOptions {
  /** Defaults to keys that live only in this process (memory stores, unit tests). */
  keys?: AuditKeys;
  witness?: AuditHeadWitness;
}

const chainColumns = [
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
] as const;

type AuditRow = Pick<Selectable<AuditLogTable>, (typeof chainColumns)[number]> & { mac?: string | null };

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

function toRow(entry: AuditEntry): Insertable<AuditLogTable> {
  return {
    seq: entry.seq,
    at: entry.at,
    actor_id: entry.actorId,
    actor_name: entry.actorName,
    card_serial: entry.cardSerial,
    profession: entry.profession,
    mode: entry.mode,
    reason: entry.reason,
    action: entry.action,
    ins_key: entry.insKey,
    target: entry.target,
    prev_hash: entry.prevHash,
    hash: entry.hash,
    mac: entry.mac,
  };
}

function headStatement(q: DmpSql, head: AuditAnchor): Statement {
  return q.statement(
    q.db
      .insertInto('audit_head')
      .values({ id: 1, count: head.count, last_hash: head.lastHash })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          count: eb.ref('excluded.count'),
          last_hash: eb.ref('excluded.last_hash'),
        })),
      ),
  );
}

/** The head row as stored (count and last hash). */
async function readHead(q: DmpSql, reader: StoreReader): Promise<AuditAnchor> {
  const row = await q.first(
    reader,
    q.db.selectFrom('audit_head').select(['count', 'last_hash']).where('id', '=', 1),
  );
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
    private readonly q: DmpSql,
    private head: AuditAnchor,
    private readonly keys: AuditKeys,
    private readonly witness: AuditHeadWitness | null,
    /** False on a store opened read-only before the `mac` column was added (no migration there). */
    private readonly hasMacColumn: boolean,
  ) {}

  /** Loads the head (last hash and count) once, at start, and has the witness record it. */
  static async open(store: Store, options: AuditLogOptions = {}): Promise<AuditLog> {
    const q = sqlFor(store);
    const head = await readHead(q, store);
    const columns = await tableColumns(q, store, 'audit_log');
    const log = new AuditLog(
      store,
      q,
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
        head = await readHead(this.q, tx);
        entries = [];
        for (const event of events) {
          const unhashed = { ...event, seq: head.count + 1, prevHash: head.lastHash };
          const hash = hashAuditEntry(unhashed);
          const entry: AuditEntry = { ...unhashed, hash, mac: macAuditHash(this.keys, hash) };
          entries.push(entry);
          head = { count: entry.seq, lastHash: entry.hash };
        }
        return [
          ...statements,
          ...entries.map((e) => this.q.insert('audit_log', toRow(e))),
          headStatement(this.q, head),
        ];
      });
      this.head = head;
      // Only once durable: a checkpoint may lag the chain after a crash, never run ahead of it.
      if (entries.length > 0) this.witness?.note(head);
      return entries;
    };
    return this.queue.run(run);
  }

  /** Entries with their MAC, unless the store predates the column (read-only, not migrated). */
  private selectEntries() {
    return this.q.db
      .selectFrom('audit_log')
      .select(chainColumns)
      .$if(this.hasMacColumn, (qb) => qb.select('mac'));
  }

  async entries(): Promise<AuditEntry[]> {
    const rows = await this.q.rows(this.store, this.selectEntries().orderBy('seq'));
    return rows.map(fromRow);
  }

  async entriesForDossier(insKey: string): Promise<AuditEntry[]> {
    const rows = await this.q.rows(
      this.store,
      this.selectEntries().where('ins_key', '=', insKey).orderBy('seq', 'desc'),
    );
    return rows.map(fromRow);
  }

  /** The head row as stored (count and last hash), re-read rather than taken from memory. */
  async storedHead(): Promise<AuditAnchor> {
    return readHead(this.q, this.store);
  }

  /** Verifies the stored rows against the stored head and each entry's HMAC under this log's keys. */
  async verify(): Promise<AuditChainVerdict> {
    // Checkpoints first: each is written only after its entries committed, so every checkpoint read
    // now names an entry the chain read next must hold, whatever other hosts append meanwhile.
    const attested = this.witness?.attested?.() ?? null;
    const entries = await this.entries();
    const verdict = verifyAuditChain(entries, await this.storedHead(), this.keys);
    if (!verdict.ok || attested === null) return verdict;
    const found = checkpointContradiction(entries, attested);
    if (!found) return verdict;
    const seq = found.checkpoint.seq;
    return found.problem === 'truncated'
      ? { ok: false, count: entries.length, firstBadSeq: entries.length + 1, problem: 'truncated' }
      : { ok: false, count: entries.length, firstBadSeq: seq, problem: 'edited' };
  }
}
