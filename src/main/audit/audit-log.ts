import type { AccessMode, AuditAction } from '../../shared/contract';
import type { SqlValue, Statement, Store, StoreReader } from '../store/types';
import { sql, type Insertable, type Selectable } from 'kysely';
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

/**
 * The head row as stored (count and last hash). Without parameters (the id is a literal): inside a
 * chained write the PostgreSQL store sends it in one round trip with the lock (pg-store.ts).
 */
async function readHead(q: DmpSql, reader: StoreReader): Promise<AuditAnchor> {
  const row = await q.first(
    reader,
    q.db.selectFrom('audit_head').select(['count', 'last_hash']).where('id', '=', sql.lit(1)),
  );
  return row ? { count: Number(row.count), lastHash: row.last_hash } : { count: 0, lastHash: GENESIS_HASH };
}

/**
 * At most this many entries in one transaction: 14 parameters each, far below either engine's limit
 * on the parameters of one statement, and a bounded wait for the first caller of a group.
 */
const maxGroupedEntries = 500;

interface WaitingAppend {
  events: AuditEvent[];
  resolve(entries: AuditEntry[]): void;
  reject(err: unknown): void;
}

/**
 * The entry rows as one multi-row INSERT per `maxGroupedEntries`, then the head. On PostgreSQL the
 * head update rides in the last INSERT's statement (a data-modifying CTE, always run to completion):
 * one round trip under the chain lock for the whole append.
 */
function appendStatements(q: DmpSql, entries: AuditEntry[], head: AuditAnchor): Statement[] {
  if (entries.length === 0) return [];
  const inserts: Statement[] = [];
  for (let i = 0; i < entries.length; i += maxGroupedEntries)
    inserts.push(
      q.statement(q.db.insertInto('audit_log').values(entries.slice(i, i + maxGroupedEntries).map(toRow))),
    );
  const headUpdate = headStatement(q, head);
  if (q.dialect === 'sqlite') return [...inserts, headUpdate];
  const last = inserts.pop()!;
  const lastParams = positional(last);
  // The head statement's own $1, $2… follow the INSERT's parameters.
  const headSql = headUpdate.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + lastParams.length}`);
  return [
    ...inserts,
    { sql: `with appended as (${last.sql}) ${headSql}`, params: [...lastParams, ...positional(headUpdate)] },
  ];
}

function positional(statement: Statement): SqlValue[] {
  if (!Array.isArray(statement.params)) throw new TypeError('expected positional parameters');
  return statement.params;
}

/**
 * Appends to the hash-chained audit log. Every append is written in the same transaction as the
 * change it records; the store's chained write (`Store.writeChained`) keeps every other append out
 * between the head read and the commit, so two requests — in this process or on another host
 * sharing the database — cannot claim the same seq or chain onto the same predecessor.
 *
 * Group commit: appends that record no change (reads: opening a dossier, a summary, a search…)
 * and arrive while one is being committed wait and are written together in the next transaction —
 * one lock and one commit for all of them. That transaction is all or nothing: if it fails, every
 * caller of the group is rejected with its error and none of their entries is written (a failure
 * at COMMIT may leave the outcome unknown, so nothing is retried here). One `AuditLog` per store
 * and process, so that all its reads group together.
 */
export class AuditLog {
  private grouped: WaitingAppend[] = [];
  private flushing = false;
  /** The highest head handed to the witness: concurrent appends may complete out of order. */
  private noted: number;

  private constructor(
    private readonly store: Store,
    private readonly q: DmpSql,
    private head: AuditAnchor,
    private readonly keys: AuditKeys,
    private readonly witness: AuditHeadWitness | null,
    /** False on a store opened read-only before the `mac` column was added (no migration there). */
    private readonly hasMacColumn: boolean,
  ) {
    this.noted = head.count;
  }

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

  /** The newest head this process wrote or loaded. */
  currentHead(): AuditAnchor {
    return { ...this.head };
  }

  /**
   * Writes `statements` and one audit entry per event as a single transaction. If the write fails,
   * nothing is recorded. Without statements the entries may share their transaction with other
   * callers' (group commit, see the class).
   */
  record(events: AuditEvent[], statements: Statement[] = []): Promise<AuditEntry[]> {
    if (statements.length > 0 || events.length === 0 || this.store.writeCarriesContext?.())
      return this.append(events, statements);
    return new Promise<AuditEntry[]>((resolve, reject) => {
      this.grouped.push({ events, resolve, reject });
      if (!this.flushing) void this.flushGroups();
    });
  }

  /** Commits the waiting appends, a group per transaction, until none is left. */
  private async flushGroups(): Promise<void> {
    this.flushing = true;
    try {
      while (this.grouped.length > 0) {
        let count = 0;
        let take = 0;
        while (
          take < this.grouped.length &&
          (take === 0 || count + this.grouped[take]!.events.length <= maxGroupedEntries)
        )
          count += this.grouped[take++]!.events.length;
        const group = this.grouped.splice(0, take);
        try {
          const entries = await this.append(
            group.flatMap((w) => w.events),
            [],
          );
          let at = 0;
          for (const waiting of group) {
            waiting.resolve(entries.slice(at, at + waiting.events.length));
            at += waiting.events.length;
          }
        } catch (err) {
          for (const waiting of group) waiting.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** One chained write: `statements`, then the entries chained onto the head read under the store's chain lock. */
  private async append(events: AuditEvent[], statements: Statement[]): Promise<AuditEntry[]> {
    let entries: AuditEntry[] = [];
    let head = this.head;
    await this.store.writeChained({
      statements,
      // The head is read inside the transaction: on a database shared by several hosts, another
      // host may have appended since this process last wrote.
      chain: async (tx) => {
        head = await readHead(this.q, tx);
        entries = [];
        for (const event of events) {
          const unhashed = { ...event, seq: head.count + 1, prevHash: head.lastHash };
          const hash = hashAuditEntry(unhashed);
          const entry: AuditEntry = { ...unhashed, hash, mac: macAuditHash(this.keys, hash) };
          entries.push(entry);
          head = { count: entry.seq, lastHash: entry.hash };
        }
        return appendStatements(this.q, entries, head);
      },
    });
    if (head.count > this.head.count) this.head = head;
    // Only once durable: a checkpoint may lag the chain after a crash, never run ahead of it.
    if (entries.length > 0 && head.count > this.noted) {
      this.noted = head.count;
      this.witness?.note(head);
    }
    return entries;
  }

  /** Entries with their MAC, unless the store predates the column (read-only, not migrated). */
  private selectEntries() {
    return this.q.db
      .selectFrom('audit_log')
      .select(chainColumns)
      .$if(this.hasMacColumn, (qb) => qb.select('mac'));
  }

  async entries(reader: StoreReader = this.store): Promise<AuditEntry[]> {
    const rows = await this.q.rows(reader, this.selectEntries().orderBy('seq'));
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

  /**
   * Verifies only the end of the chain, from a checkpoint this host signed (the host's start): the
   * entry it names must still be there with the same hash, and the entries after it must be intact,
   * linked, authenticated and end at the stored head — at most the last `maxEntries` of them (other
   * hosts may have appended many since this one's checkpoint; the start must not grow with that
   * either). Without a checkpoint, the last entry against the head. What lies before the entries
   * read is `verify`'s to find.
   */
  async verifySince(
    checkpoint: Pick<AuditCheckpoint, 'seq' | 'head'> | null,
    maxEntries = 10_000,
  ): Promise<AuditChainVerdict> {
    const { pinned, tail, head, macBefore } = await this.store.readSnapshot(async (tx) => {
      const stored = await readHead(this.q, tx);
      const from = Math.max(1, checkpoint?.seq ?? stored.count, stored.count - Math.max(1, maxEntries) + 1);
      const rows = await this.q.rows(tx, this.selectEntries().where('seq', '>=', from).orderBy('seq'));
      const named =
        checkpoint && checkpoint.seq < from
          ? await this.q.rows(tx, this.selectEntries().where('seq', '=', checkpoint.seq))
          : rows.filter((r) => Number(r.seq) === checkpoint?.seq);
      const tail = rows.map(fromRow);
      // Entries without an HMAC are a pre-upgrade prefix only if none before them has one: when the
      // entries read start without one, whether an earlier entry has one. Read backwards by seq, it
      // stops at the first with an HMAC: only a chain none of whose entries has one is read through
      // (a database from before the HMACs, until its first entry written since).
      const macBefore =
        this.hasMacColumn && tail[0]?.mac === null && from > 1
          ? (
              await this.q.rows(
                tx,
                this.q.db
                  .selectFrom('audit_log')
                  .select('seq')
                  .where('seq', '<', from)
                  .where('mac', 'is not', null)
                  .orderBy('seq', 'desc')
                  .limit(1),
              )
            ).length > 0
          : false;
      return { pinned: named.map(fromRow)[0], tail, head: stored, macBefore };
    });
    if (checkpoint) {
      if (!pinned)
        return {
          ok: false,
          count: head.count,
          firstBadSeq: checkpoint.seq,
          problem: head.count < checkpoint.seq ? 'truncated' : 'deleted',
        };
      if (pinned.hash !== checkpoint.head || hashAuditEntry(pinned) !== pinned.hash)
        return { ok: false, count: head.count, firstBadSeq: checkpoint.seq, problem: 'edited' };
    }
    const first = tail[0];
    if (!first) return verifyAuditChain([], head, this.keys);
    const verdict = verifyAuditChain(tail, head, this.keys, {
      count: first.seq - 1,
      lastHash: first.prevHash,
    });
    // Read alone, entries written without the audit key after authenticated ones would pass for the
    // pre-upgrade prefix (a host's first start reads the last entry only).
    if (verdict.ok && verdict.unauthenticatedPrefix && macBefore)
      return { ok: false, count: verdict.count, firstBadSeq: first.seq, problem: 'unauthenticated' };
    return verdict;
  }

  /** Verifies the stored rows against the stored head and each entry's HMAC under this log's keys. */
  async verify(): Promise<AuditChainVerdict> {
    // Checkpoints first: each is written only after its entries committed, so every checkpoint read
    // now names an entry the chain read next must hold, whatever other hosts append meanwhile.
    const attested = this.witness?.attested?.() ?? null;
    // Entries and head from one snapshot: another host appending between the two reads would
    // otherwise show as a head that does not match the chain.
    const { entries, head } = await this.store.readSnapshot(async (tx) => ({
      entries: await this.entries(tx),
      head: await readHead(this.q, tx),
    }));
    const verdict = verifyAuditChain(entries, head, this.keys);
    if (!verdict.ok || attested === null) return verdict;
    const found = checkpointContradiction(entries, attested);
    if (!found) return verdict;
    const seq = found.checkpoint.seq;
    return found.problem === 'truncated'
      ? { ok: false, count: entries.length, firstBadSeq: entries.length + 1, problem: 'truncated' }
      : { ok: false, count: entries.length, firstBadSeq: seq, problem: 'edited' };
  }
}
