import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseJournalFileName } from './journal';

/** File names of a store directory (see README.md). Kept apart from the engine so the main thread can look without loading sql.js. */
export const snapshotName = 'snapshot';
export const previousName = 'snapshot.prev';
/** Blocks changed since `snapshot`, for on-demand opens (snapshot-overlay.ts). */
export const overlayName = 'snapshot.overlay';

/**
 * Whether `dir` holds store data (a snapshot or a journal): what must never be opened with a new
 * key, and what tells a store folder passed by mistake from a data folder.
 */
export function storeHasData(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return (
    existsSync(join(dir, snapshotName)) ||
    existsSync(join(dir, previousName)) ||
    readdirSync(dir).some((name) => parseJournalFileName(name) !== null)
  );
}
