import { ApiError, type ApiErrorCode } from '../../shared/contract/api-error';

/** Why the store refused to open or to run an operation. Stable: tests and the UI switch on it. */
export type StoreErrorReason =
  | 'WRONG_KEY'
  | 'FOREIGN_FILE'
  | 'UNSUPPORTED_VERSION'
  | 'CORRUPT_SNAPSHOT'
  | 'CORRUPT_JOURNAL'
  | 'MISSING_FILE'
  | 'TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'REPLAY_FAILED'
  | 'SQL'
  | 'READ_ONLY_VIOLATION'
  | 'IO'
  | 'LOCKED'
  | 'CLOSED'
  | 'WORKER_FAILED'
  | 'KEY_INVALID'
  | 'KEY_MISSING'
  | 'NO_STORE'
  | 'NOT_A_DATA_FOLDER'
  | 'KEY_UNWRAP_FAILED';

const apiCodeFor: Record<StoreErrorReason, ApiErrorCode> = {
  WRONG_KEY: 'CORRUPT_DATA',
  FOREIGN_FILE: 'CORRUPT_DATA',
  UNSUPPORTED_VERSION: 'UNSUPPORTED',
  CORRUPT_SNAPSHOT: 'CORRUPT_DATA',
  CORRUPT_JOURNAL: 'CORRUPT_DATA',
  MISSING_FILE: 'CORRUPT_DATA',
  TOO_NEW: 'UNSUPPORTED',
  MIGRATION_FAILED: 'INTERNAL',
  REPLAY_FAILED: 'CORRUPT_DATA',
  SQL: 'INTERNAL',
  READ_ONLY_VIOLATION: 'INTERNAL',
  IO: 'UNAVAILABLE',
  LOCKED: 'LOCKED',
  CLOSED: 'UNAVAILABLE',
  WORKER_FAILED: 'UNAVAILABLE',
  KEY_INVALID: 'CORRUPT_DATA',
  KEY_MISSING: 'CORRUPT_DATA',
  NO_STORE: 'NOT_FOUND',
  NOT_A_DATA_FOLDER: 'INVALID_INPUT',
  KEY_UNWRAP_FAILED: 'CORRUPT_DATA',
};

/**
 * A store failure the user must be told about. `message` is French and shown as is; `detail` is
 * precise, English and log-safe (file names, offsets, SQLite messages — never patient data).
 */
export class StoreError extends ApiError {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    readonly detail?: string,
  ) {
    super(apiCodeFor[reason], message, detail);
    this.name = 'StoreError';
  }
}

/** The form in which a StoreError crosses the worker boundary (class identity does not survive it). */
export interface SerializedStoreError {
  reason: StoreErrorReason;
  message: string;
  detail?: string;
}

export function serializeError(err: unknown): SerializedStoreError {
  if (err instanceof StoreError) return { reason: err.reason, message: err.message, detail: err.detail };
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { reason: 'IO', message: 'Erreur inattendue du stockage local.', detail };
}

export function deserializeError(e: SerializedStoreError): StoreError {
  return new StoreError(e.reason, e.message, e.detail);
}

/** Where to point the user when the store cannot be opened as is. */
export const manualRestoreHint =
  'Restauration manuelle : fermez l’application, conservez une copie du dossier de données, ' +
  'puis remplacez le fichier « snapshot » par « snapshot.prev » (ou par une sauvegarde) et relancez.';
