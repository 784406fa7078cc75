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
 * A retry is answered with that refusal, not with the first delivery's result: the workstation
 * draws a new id for every call and resends a write only once, on a new connection when the first
 * delivery got no answer (host-client `send`), so the user is told the request was already
 * recorded; recording the result itself (a document id…, known only after the write committed)
 * would cost every write a second transaction. The `outcome` column of the migration is therefore
 * never written (a migration is not changed once shipped). One exception, decided by the host's
 * routing: a write that returns nothing and whose refusal would mislead the workstation (a host
 * settings change it would undo though recorded) is answered as done (`retryAnsweredAsDone`).
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
   * on), so nothing of it is written; it is then refused as already applied.
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

async function readApplied(store: Store, requestId: string): Promise<AppliedRequest | null> {
  const q = sqlFor(store);
  const row = await q.first(
    store,
    q.db
      .selectFrom('host_requests')
      .select(['request_id', 'method', 'applied_at'])
      .where('request_id', '=', requestId),
  );
  return row ? { requestId: row.request_id, method: row.method, appliedAt: row.applied_at } : null;
}
