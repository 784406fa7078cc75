export {
  openStore,
  resolveWorkerEntry,
  type OpenStoreOptions,
  type OpenedStore,
  type WorkerEntry,
} from './open-store';
export { StoreError, manualRestoreHint, type StoreErrorReason } from './errors';
export type { CompactionPolicy, StoreRecovery, StoreStats } from './engine';
export { storeHasData } from './store-files';
export {
  formatRecoveryKey,
  generateStoreKey,
  loadOrCreateKeyFile,
  loadOrCreateWrappedKey,
  parseRecoveryKey,
  plainKeyFileWarning,
  rawStoreKey,
  readKeyFile,
  type KeyCreation,
  type KeyFileResult,
  type KeyWrapBackend,
  type StoreKey,
  type WrappedKeyResult,
} from './key';
export { openMemoryStore } from './memory-store';
export { migrationScripts } from './migration-scripts';
export type {
  Migration,
  MigrationScript,
  Row,
  SqlDialect,
  SqlParams,
  SqlValue,
  Statement,
  Store,
  StoreReader,
} from './types';
