export {
  openStore,
  resolveWorkerEntry,
  type OpenStoreOptions,
  type OpenedStore,
  type WorkerEntry,
} from './open-store';
export { StoreError, manualRestoreHint, type StoreErrorReason } from './errors';
export type { CompactionPolicy, StoreRecovery, StoreStats } from './engine';
export {
  formatRecoveryKey,
  generateStoreKey,
  loadOrCreateKeyFile,
  loadOrCreateWrappedKey,
  parseRecoveryKey,
  plainKeyFileWarning,
  rawStoreKey,
  type KeyFileResult,
  type KeyWrapBackend,
  type StoreKey,
  type WrappedKeyResult,
} from './key';
export { openMemoryStore } from './memory-store';
export type { Migration, Row, SqlParams, SqlValue, Statement, Store } from './types';
