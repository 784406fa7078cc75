import { AsyncLocalStorage } from 'node:async_hooks';
import { ApiError } from '../../shared/contract/api-error';
import { migration } from '../db/migration';
import { sqlFor } from '../db/query-builder';
import type { Migration, Statement, Store } from './types';

/**
 * Write requests made at most once, whichever host receives them and however often they are retried.
 *
 * A workstation sends each write request with a request id and sends the same id again when it
 * retries (timeout, lost answer, another host after a failover). The host runs the request inside
 * `runAsHostRequest`; the store it gave the DMP service is wrapped by `claimingStore`, whose first
 * write transaction during that request also inserts the id into `host_requests`, as its first
 * statement. The table's primary key, not a lock, decides: of two deliveries of one request — even
 * on two hosts at once — exactly one writes; the other gets `RequestAlreadyApplied` and nothing of
 * it is written.
 *
 * Before running a request the host may ask `findAppliedRequest` and answer a retry from what it
 * recorded with `recordRequestOutcome` (never a one-time code or document content: the table is
 * readable by the database administrator). The host does not record outcomes today: the outcome
 * (a document id…) is known only once the DMP operation returned, after its transaction committed,
 * so it would cost a second transaction (a plain `write`, outside the audit chain's lock).
 */
export function hostRequestsMigration(version: number): Migration {
  return migration(version, 'host-requests', (db) => [
    db.schema
      .createTable('host_requests')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text'),
  ]);
}

export interface HostRequest {
  /** Chosen by the workstation, the same on every retry (a UUID). */
  requestId: string;
  /** The host method name, for the administrator reading the table. */
  method: string;
}

export interface AppliedRequest extends HostRequest {
  appliedAt: string;
  outcome: string | null;
}

/** A retried write request whose first delivery was already applied; nothing of this one was written. */
export class RequestAlreadyApplied extends ApiError {
  readonly requestId: string;

  constructor(
    /** What the first delivery recorded. */
    readonly applied: AppliedRequest,
  ) {
    super('CONFLICT', 'Cette demande a déjà été enregistrée.', 'host request already applied');
    this.name = 'RequestAlreadyApplied';
    this.requestId = applied.requestId;
  }
}

interface Claim extends HostRequest {
  claimed: boolean;
}

const currentRequest = new AsyncLocalStorage<Claim>();

const requestIdPattern = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * Runs `work` as the handling of one write request: refused at once when its id was already
 * applied (the domain's own checks would otherwise answer a retry with a misleading refusal), else
 * the wrapped store's first write during `work` claims the id.
 */
export async function runAsHostRequest<T>(
  store: Store,
  request: HostRequest,
  work: () => Promise<T>,
): Promise<T> {
  if (!requestIdPattern.test(request.requestId))
    throw new ApiError('INVALID_INPUT', 'Identifiant de demande invalide.', 'bad request id');
  const applied = await readApplied(store, request.requestId);
  if (applied) throw new RequestAlreadyApplied(applied);
  return currentRequest.run({ ...request, claimed: false }, work);
}

/** The store with request claiming: outside `runAsHostRequest` it behaves exactly as `store`. */
export function claimingStore(store: Store, now: () => Date = () => new Date()): Store {
  const pending = (): Claim | null => {
    const claim = currentRequest.getStore();
    return claim && !claim.claimed ? claim : null;
  };
  /**
   * Runs `write` with the calling request's claim as its first statement, if the request has not
   * claimed yet. The primary key on `request_id` decides between two deliveries: the second one's
   * INSERT waits for the first's transaction and fails once it commits (whichever host each runs
   * on), so nothing of it is written; it is then answered from what the first recorded.
   */
  const claiming = async (write: (claim: Statement[]) => Promise<void>): Promise<void> => {
    const claim = pending();
    if (!claim) return write([]);
    try {
      await write([
        sqlFor(store).insert('host_requests', {
          request_id: claim.requestId,
          method: claim.method,
          applied_at: now().toISOString(),
        }),
      ]);
    } catch (err) {
      const applied = await readApplied(store, claim.requestId).catch(() => null);
      if (applied) throw new RequestAlreadyApplied(applied);
      throw err;
    }
    claim.claimed = true;
  };
  return {
    dialect: store.dialect,
    // The store's plugins go with it: the queries built for this wrapper (sqlFor) must seal at rest
    // exactly as those built for the store.
    ...(store.queryPlugins ? { queryPlugins: store.queryPlugins } : {}),
    all: (sql, params) => store.all(sql, params),
    write: (statements) => claiming((claim) => store.write([...claim, ...statements])),
    writeChained: (write) =>
      claiming((claim) =>
        store.writeChained({ statements: [...claim, ...write.statements], chain: write.chain }),
      ),
    readSnapshot: (read) => store.readSnapshot(read),
    writeCarriesContext: () => pending() !== null,
    close: () => store.close(),
  };
}

/** What a request id already did, or null when it was never applied. */
export async function findAppliedRequest(store: Store, requestId: string): Promise<AppliedRequest | null> {
  return readApplied(store, requestId);
}

/** Keeps a short, non-identifying answer for retries of an applied request (e.g. a document id). */
export async function recordRequestOutcome(store: Store, requestId: string, outcome: string): Promise<void> {
  const q = sqlFor(store);
  await store.write([
    q.statement(q.db.updateTable('host_requests').set({ outcome }).where('request_id', '=', requestId)),
  ]);
}

async function readApplied(store: Store, requestId: string): Promise<AppliedRequest | null> {
  const q = sqlFor(store);
  const row = await q.first(
    store,
    q.db
      .selectFrom('host_requests')
      .select(['request_id', 'method', 'applied_at', 'outcome'])
      .where('request_id', '=', requestId),
  );
  return row
    ? { requestId: row.request_id, method: row.method, appliedAt: row.applied_at, outcome: row.outcome }
    : null;
}
