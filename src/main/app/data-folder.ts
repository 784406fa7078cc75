import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger';
import { acquireDirectoryLock, acquireDirectoryLockWaiting, type LockHolder } from '../store/dir-lock';
import { StoreError } from '../store/errors';
import type { StoreKey } from '../store/key';
import { storeHasData } from '../store/store-files';
import { dataLayout, type DataLayout } from './paths';
import { resolveStoreKey, type KeySource } from './store-key';

export interface ClaimedDataFolder {
  layout: DataLayout;
  key: StoreKey;
  /** French sentences for the user (key kept in a plain file, keyring changed…). */
  warnings: string[];
  /** Releases the data-folder lock; call after the store is closed. */
  release(): void;
}

export interface ClaimOptions {
  key: KeySource;
  log: Logger;
  /** Read-only use (summary, audit verify): refuse a folder without a store rather than create one. */
  mustExist?: boolean;
  /** Queue behind another instance for up to this long instead of failing at once. */
  waitMs?: number;
  onWait?: (holder: LockHolder | null) => void;
}

/**
 * Refuses, before anything is created or locked, a store folder given in place of its data folder,
 * and (for read-only use) a folder without a store.
 */
export function checkDataFolder(dataDir: string, options: { mustExist: boolean }): void {
  const layout = dataLayout(dataDir);
  if (storeHasData(dataDir)) {
    throw new StoreError('NOT_A_DATA_FOLDER', `store files found directly in data folder ${dataDir}`, {
      path: dataDir,
      suggestedPath: dirname(dataDir),
    });
  }
  if (options.mustExist && !storeHasData(layout.storeDir)) {
    throw new StoreError('NO_STORE', `no store in ${layout.storeDir}`, { path: dataDir });
  }
}

/**
 * Takes a data folder for this process: refuses a store folder given by mistake, takes the
 * data-folder lock (queueing if asked), then — under that lock, so concurrent first starts agree on
 * one key — resolves the key, creating it only when no store exists yet.
 */
export async function claimDataFolder(dataDir: string, options: ClaimOptions): Promise<ClaimedDataFolder> {
  const layout = dataLayout(dataDir);
  checkDataFolder(dataDir, { mustExist: options.mustExist ?? false });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const release =
    options.waitMs && options.waitMs > 0
      ? await acquireDirectoryLockWaiting(dataDir, options.waitMs, options.onWait)
      : acquireDirectoryLock(dataDir);
  try {
    const { key, warnings } = await resolveStoreKey(options.key, options.log, {
      mayCreate: !storeHasData(layout.storeDir),
    });
    return { layout, key, warnings, release };
  } catch (err) {
    release();
    throw err;
  }
}
