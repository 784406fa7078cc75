/**
 * Why the store refused to open or to run an operation. Stable: code switches on it, and the
 * boundaries (bridge dispatcher, CLI, browser host, app start-up) turn it into the French message
 * the user reads through the one table in `src/main/app/user-messages.ts`. The store itself carries
 * no user text: only the reason, log-safe facts, and an English detail for the log.
 */
export const storeErrorReasons = [
  'WRONG_KEY',
  'FOREIGN_FILE',
  'UNSUPPORTED_VERSION',
  'CORRUPT_SNAPSHOT',
  'CORRUPT_JOURNAL',
  'MISSING_FILE',
  'TOO_NEW',
  'MIGRATION_FAILED',
  'REPLAY_FAILED',
  'SQL',
  'READ_ONLY_VIOLATION',
  'IO',
  'LOCKED',
  'CLOSED',
  'WORKER_FAILED',
  'KEY_INVALID',
  'KEY_MISSING',
  'NO_STORE',
  'NOT_A_DATA_FOLDER',
  'KEY_UNWRAP_FAILED',
  /** The shared database holds values written before it was sealed (clear text, version 1): `seal-existing` first. */
  'NOT_SEALED',
] as const;
export type StoreErrorReason = (typeof storeErrorReasons)[number];

/**
 * What the message for a reason may need to say, beyond the reason itself. Log-safe by
 * construction: file names, process ids, keyring names — never patient data.
 */
export interface StoreErrorFacts {
  /** Which file or input the reason is about, where one reason covers several. */
  subject?:
    | 'snapshot'
    | 'journal'
    | 'latest-journal'
    | 'journal-part'
    | 'store'
    | 'key'
    | 'key-file'
    | 'wrapped-key-file'
    | 'recovery-key'
    | 'read'
    | 'write'
    | 'request'
    | 'read-only-store'
    | 'migration-list'
    /** The shared PostgreSQL database (closed, unreachable). */
    | 'database'
    /** A field sealed by the PostgreSQL engine that does not open with this key. */
    | 'sealed-field'
    /** The host's field key against the database's sealing marker (`field_sealing`). */
    | 'field-key'
    /** The audit secret (HMAC and checkpoint signing key), not the store's key. */
    | 'audit-key';
  /** A file or folder the user must look at (lock file, key file, data folder). */
  path?: string;
  /** The data folder the user probably meant (NOT_A_DATA_FOLDER). */
  suggestedPath?: string;
  /** Holder of a lock. */
  pid?: number;
  host?: string;
  /** KEY_UNWRAP_FAILED after a keyring change: recorded and current backends. */
  recordedBackend?: string;
  currentBackend?: string;
}

/**
 * A store failure. `reason` and `facts` say what happened; `detail` is precise, English and
 * log-safe (file names, offsets, SQLite messages). `message` is technical too: reach the user
 * through `userMessage` / `toApiError` (user-messages.ts), never with `message`.
 */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    readonly detail?: string,
    readonly facts: StoreErrorFacts = {},
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'StoreError';
  }
}

/** The form in which a StoreError crosses the worker boundary (class identity does not survive it). */
export interface SerializedStoreError {
  reason: StoreErrorReason;
  detail?: string;
  facts?: StoreErrorFacts;
}

export function serializeError(err: unknown): SerializedStoreError {
  if (err instanceof StoreError) return { reason: err.reason, detail: err.detail, facts: err.facts };
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { reason: 'IO', detail };
}

export function deserializeError(e: SerializedStoreError): StoreError {
  return new StoreError(e.reason, e.detail, e.facts);
}

/** Recovery events of an open, for the user (see `StoreRecovery.notices`); worded at the boundary. */
export type StoreNotice =
  | { kind: 'previous-snapshot-used'; quarantined: string | null }
  | { kind: 'snapshot-without-journal' }
  | { kind: 'journal-tail-dropped' };
