import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { Logger } from '../log/logger';
import { fsyncDirectory, unlinkIfExists } from './durable-fs';
import { acquireDirectoryLock } from './dir-lock';
import { previousName, snapshotName } from './store-files';
import { compileSqlWasm } from './sql-wasm';
import { StoreError, type StoreNotice } from './errors';
import {
  JournalWriter,
  journalFileName,
  parseJournalFileName,
  readJournal,
  type JournalContents,
  type ReadJournalOptions,
} from './journal';
import type { StoreKey } from './key';
import {
  defaultBlockSize,
  defaultChunkSize,
  openSnapshotFile,
  readSnapshotHeader,
  SnapshotReadError,
  writeSnapshotFile,
  type BlockSourceWrapper,
  type SnapshotReading,
} from './snapshot-file';
import {
  appendOverlaySegment,
  chooseOverlay,
  removeOverlay,
  type AppendPlace,
  type JournalPosition,
  type OverlayUse,
} from './snapshot-overlay';
import { databaseFromImage, type DatabaseImage, type OnDemandImageHandle } from './sql-image';
import { applyTransaction, checkStatements, pragmaNumber, queryRows } from './sql-exec';
import { decodeTransaction, encodeTransaction } from './tx-codec';
import type { MigrationHeading, MigrationScript, MigrationSource, Row, SqlParams, Statement } from './types';

export interface CompactionPolicy {
  /** Compact once the current journal holds this many transactions… */
  records: number;
  /** …or this many bytes, whichever comes first. */
  bytes: number;
  /**
   * Lower thresholds checked on close only: a journal this large is cheaper to fold into the
   * snapshot once than to replay at every open, while a few small transactions (a CLI import) are
   * not worth rewriting the whole snapshot for.
   */
  closeRecords: number;
  closeBytes: number;
}

export const defaultCompactionPolicy: CompactionPolicy = {
  records: 2000,
  bytes: 32 * 1024 * 1024,
  closeRecords: 250,
  closeBytes: 4 * 1024 * 1024,
};

export interface EngineOptions {
  /** Directory that holds `snapshot`, `snapshot.prev`, `journal.*`; created if absent (mode 0700). */
  dir: string;
  key: StoreKey;
  migrations: MigrationSource;
  log: Logger;
  /** When to compact the journal into a new snapshot (defaults: 2000 transactions or 32 MB). */
  snapshotEvery?: Partial<CompactionPolicy>;
  /** Encryption chunk size for snapshots (default 8 MB); tests lower it to exercise the chunking. */
  chunkSize?: number;
  /** Size of a snapshot's sealed blocks (default 64 KB); tests lower it to get many blocks. */
  snapshotBlockSize?: number;
  /**
   * `whole` (default): decrypt and authenticate the whole snapshot at open, so damage is found,
   * and `.prev` used, before anything runs. `on-demand`: decrypt a block when a query first
   * touches it, so an open costs the same whatever the store's size (a one-file CLI import); a
   * damaged block found later makes the engine reload the store whole, as an open would have, and
   * run the query again (`reloadWhole`).
   */
  snapshotReading?: SnapshotReading;
  /** A recovery that happened after the open (a damaged block met by an on-demand read). */
  onNotice?: (notice: StoreNotice) => void;
  /**
   * Inspect without changing anything (audit verification): no lock file, no migration, no
   * compaction, no journal created, resumed or truncated, no damaged file renamed; writes refused.
   * What a normal open would repair is still reported in `recovery`.
   */
  readOnly?: boolean;
}

/** What happened while opening, for the UI: anything but a clean open is reported here. */
export interface StoreRecovery {
  usedPreviousSnapshot: boolean;
  droppedJournalTail: { generation: number; bytes: number; reason: string } | null;
  /** What to tell the user (worded at the boundary, see user-messages.ts); empty after a clean open. */
  notices: StoreNotice[];
}

export interface StoreStats {
  /** Generation of the journal being appended to. */
  generation: number;
  /** Generation of the current snapshot file, null before the first compaction. */
  snapshotGeneration: number | null;
  journalRecords: number;
  journalBytes: number;
  snapshotBytes: number;
  databaseBytes: number;
  compactions: number;
  schemaVersion: number;
  /** Time the last open spent loading the snapshot, replaying the journal and migrating. */
  openMs: number;
}

const tempName = 'snapshot.tmp';

let sqlModule: Promise<SqlJsStatic> | null = null;
function loadSql(compiled?: Promise<WebAssembly.Module>): Promise<SqlJsStatic> {
  sqlModule ??= instantiateSql(compiled ?? compileSqlWasm());
  return sqlModule;
}

/** sql.js on its WebAssembly compiled by sql-wasm.ts (instantiated here, synchronously, once compiled). */
async function instantiateSql(compiled: Promise<WebAssembly.Module>): Promise<SqlJsStatic> {
  const module = await compiled;
  return initSqlJs({
    instantiateWasm(imports, receiveInstance) {
      const instance = new WebAssembly.Instance(module, imports);
      receiveInstance(instance);
      return instance.exports;
    },
  });
}

/**
 * Starts loading sql.js now, on `compiled` when the caller started compiling its WebAssembly already
 * (the CLI, cli/index.ts); a failure surfaces at the open that awaits it.
 */
export function preloadSql(compiled?: Promise<WebAssembly.Module>): void {
  loadSql(compiled).catch(() => undefined);
}

interface BaseImage {
  generation: number;
  plaintext: DatabaseImage | null;
  /** Blocks still read from the snapshot file when touched (on-demand reading). */
  onDemand: OnDemandImageHandle | null;
  snapshotBytes: number;
  previousGeneration: number | null;
}

/**
 * The durable store itself, single-threaded: sql.js in memory, every committed transaction
 * appended to an encrypted journal before it is acknowledged, compaction into an encrypted
 * snapshot. Runs inside the store worker; tests may drive it directly.
 */
export class StoreEngine {
  private compaction: Promise<void> | null = null;
  private compactionScheduled = false;
  private failure: StoreError | null = null;
  private closed = false;
  private compactions = 0;
  private openMs = 0;
  /** Where this session's changed blocks go at close (on-demand opens of a version-2 snapshot). */
  private overlayPlace: AppendPlace | null = null;

  private constructor(
    private readonly options: EngineOptions & { policy: CompactionPolicy },
    private readonly SQL: SqlJsStatic,
    private db: Database,
    private onDemand: OnDemandImageHandle | null,
    /** Null when opened read-only. */
    private journal: JournalWriter | null,
    private readonly replayedGeneration: number,
    private snapshotGeneration: number | null,
    private previousGeneration: number | null,
    private snapshotBytes: number,
    private readonly releaseLock: () => void,
    readonly recovery: StoreRecovery,
  ) {}

  static async open(options: EngineOptions): Promise<StoreEngine> {
    const reading = options.snapshotReading ?? 'whole';
    try {
      return await StoreEngine.openReading(options, reading);
    } catch (err) {
      if (!(err instanceof DamagedOnDemand)) throw err;
      // The journal replay or a migration met a damaged block: open whole, which sets the
      // snapshot aside and starts from `.prev` (or refuses, as any open would).
      options.log.error('snapshot block unreadable on demand while opening, opening whole', {
        detail: err.detail,
      });
      // The damage may be the overlay's: the whole open does without it, and so will the next ones.
      if (!options.readOnly) removeOverlay(options.dir);
      return StoreEngine.openReading(options, 'whole');
    }
  }

  private static async openReading(options: EngineOptions, reading: SnapshotReading): Promise<StoreEngine> {
    const { dir, log } = options;
    const started = performance.now();
    const policy = { ...defaultCompactionPolicy, ...options.snapshotEvery };
    if (options.readOnly) {
      if (!existsSync(dir))
        throw new StoreError('MISSING_FILE', `read-only open of missing ${dir}`, { subject: 'store' });
    } else mkdirSync(dir, { recursive: true, mode: 0o700 });
    const releaseLock = options.readOnly ? () => undefined : acquireDirectoryLock(dir);
    const recovery: StoreRecovery = { usedPreviousSnapshot: false, droppedJournalTail: null, notices: [] };
    let db: Database | null = null;
    let journal: JournalWriter | null = null;
    let base: BaseImage | null = null;
    try {
      if (!options.readOnly && unlinkIfExists(join(dir, tempName)))
        log.info('removed unfinished snapshot left by an interrupted compaction');
      // On demand, the snapshot's overlay (if the journal confirms it) saves replaying the records
      // it already holds; the journal of the snapshot's generation is read once, for both.
      const chosen: { overlay: OverlayUse | null } = { overlay: null };
      const preread = new Map<number, JournalContents>();
      // A session that may write an overlay segment keeps its journal's SHA-256 (the segment's
      // position), computed as the journal is read and appended to.
      const digest = reading === 'on-demand' && !options.readOnly;
      const withOverlay: BlockSourceWrapper = (snapshot, blocks) => {
        chosen.overlay = chooseOverlay(dir, options.key, snapshot, blocks, (prefixes) => {
          const journal = readJournalIfReadable(options, snapshot.generation, { prefixes, digest });
          if (journal) preread.set(snapshot.generation, journal);
          return journal;
        });
        return chosen.overlay.source;
      };
      base = loadBaseImage(options, recovery, reading, reading === 'on-demand' ? withOverlay : undefined);
      // Opened from `.prev` (or whole): the overlay, if one was chosen, is not under this image.
      const used = base.onDemand ? chosen.overlay : null;
      const SQL = await loadSql();
      db = databaseOf(SQL, base);
      const replayed = replayJournals(db, options, base.generation, recovery, {
        skip: used?.position ?? null,
        preread,
        digest,
      });
      journal = replayed.writer;
      const engine = new StoreEngine(
        { ...options, policy },
        SQL,
        db,
        base.onDemand,
        journal,
        replayed.generation,
        base.plaintext || existsSync(join(dir, snapshotName)) ? base.generation : null,
        base.previousGeneration,
        base.snapshotBytes,
        releaseLock,
        recovery,
      );
      engine.overlayPlace = used?.appendAt ?? null;
      if (!options.readOnly) {
        await engine.applyMigrations();
        // A healthy current snapshot replaces the damaged one now rather than at the next compaction.
        if (recovery.usedPreviousSnapshot) await engine.compact();
      }
      engine.openMs = performance.now() - started;
      log.info('store opened', {
        ...engine.statsFields(),
        usedPrevious: recovery.usedPreviousSnapshot,
        replayedRecords: replayed.replayedRecords,
        ...(used ? { overlaySegments: used.segments, journalBytesUnread: replayed.bytesUnread } : {}),
      });
      return engine;
    } catch (err) {
      journal?.close();
      db?.close();
      base?.onDemand?.release();
      releaseLock();
      const damage = base?.onDemand?.damage;
      throw damage ? new DamagedOnDemand(damage) : err;
    }
  }

  all<T extends object = Row>(sql: string, params?: SqlParams): T[] {
    this.assertUsable();
    return this.withReadableBlocks(() => queryRows<T>(this.db, sql, params));
  }

  /** One transaction; durable on disk when this returns. */
  write(statements: Statement[]): void {
    this.writableJournal();
    if (statements.length === 0) return;
    checkStatements(statements);
    const payload = encodeTransaction(statements);
    this.withReadableBlocks(() => applyTransaction(this.db, statements));
    // Taken only now: reloading the store after a damaged block resumes the journal anew.
    const journal = this.writableJournal();
    try {
      journal.append(payload);
    } catch (err) {
      // Memory now holds a transaction the disk may not: refuse everything rather than diverge.
      this.failure = new StoreError(
        'IO',
        `journal append failed: ${err instanceof Error ? err.message : String(err)}`,
        { subject: 'write' },
      );
      this.options.log.error('journal append failed, store disabled', { detail: this.failure.detail });
      throw this.failure;
    }
    this.scheduleCompactionIfDue();
  }

  /** Writes a snapshot and starts a new journal generation. Concurrent calls share one run. */
  compact(): Promise<void> {
    this.writableJournal();
    this.compaction ??= this.runCompaction().finally(() => {
      this.compaction = null;
    });
    return this.compaction;
  }

  stats(): StoreStats {
    return this.withReadableBlocks(() => this.currentStats());
  }

  /** How much of an on-demand snapshot has been read so far (null when it was read whole). */
  snapshotBlocksRead(): { read: number; of: number } | null {
    return this.onDemand ? { read: this.onDemand.loadedBlocks, of: this.onDemand.blocks } : null;
  }

  private currentStats(): StoreStats {
    return {
      generation: this.journal?.generation ?? this.replayedGeneration,
      snapshotGeneration: this.snapshotGeneration,
      journalRecords: this.journal?.records ?? 0,
      journalBytes: this.journal?.bytes ?? 0,
      snapshotBytes: this.snapshotBytes,
      databaseBytes: pragmaNumber(this.db, 'page_count') * pragmaNumber(this.db, 'page_size'),
      compactions: this.compactions,
      schemaVersion: pragmaNumber(this.db, 'user_version'),
      openMs: this.openMs,
    };
  }

  /**
   * Waits for a running compaction, compacts only if the journal reached the policy's close
   * thresholds (so the next open replays at most that much), then releases everything. Not compacting on every close is what keeps a one-document CLI import from
   * rewriting the whole encrypted snapshot.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const { log } = this.options;
    try {
      await this.compaction?.catch(() => undefined);
      if (!this.failure && this.compactionDue('close')) await this.compact();
      else this.saveOverlay();
    } catch (err) {
      // The journal still holds every acknowledged transaction: closing stays safe.
      log.error('compaction on close failed', { detail: err instanceof Error ? err.message : String(err) });
    } finally {
      this.closed = true;
      this.journal?.close();
      this.db.close();
      const blocks = this.snapshotBlocksRead();
      this.onDemand?.release();
      this.releaseLock();
      log.info(
        'store closed',
        blocks ? { snapshotBlocksRead: blocks.read, snapshotBlocks: blocks.of } : undefined,
      );
    }
  }

  /**
   * Appends the blocks this session changed to the snapshot's overlay (snapshot-overlay.ts), so
   * that the next on-demand open starts from them instead of replaying this session's records.
   * Only when every change went through the on-demand image (`headerReadBy`) and the file's
   * length agrees with SQLite's; otherwise, or on any failure, the next open replays the journal,
   * which holds everything anyway.
   */
  private saveOverlay(): void {
    const { onDemand, overlayPlace: place, journal, db } = this;
    const { dir, key, log } = this.options;
    if (!onDemand || !place || !journal || this.failure) return;
    if (journal.generation !== place.snapshot.generation) return;
    const written = onDemand.writtenBlocks();
    if (written.length === 0) return;
    try {
      const { value: length, read } = onDemand.headerReadBy(
        () => pragmaNumber(db, 'page_count') * pragmaNumber(db, 'page_size'),
      );
      if (!read || length !== onDemand.imageLength) {
        log.warn('snapshot overlay not written: the database file left the on-demand image', {
          databaseBytes: length,
          imageBytes: onDemand.imageLength,
          headerRead: read,
        });
        return;
      }
      const count = Math.ceil(length / onDemand.blockSize);
      const blocks = written
        .filter((index) => index < count)
        .map((index): [number, Uint8Array] => [index, onDemand.block(index)]);
      const prefix = journal.prefix;
      // Kept by every session that opened with an overlay place (on demand, writable).
      if (!prefix) return;
      const position: JournalPosition = { generation: journal.generation, ...prefix };
      this.overlayPlace = appendOverlaySegment(dir, key, place, position, length, blocks);
    } catch (err) {
      log.warn('snapshot overlay not written', { detail: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * Runs `work`; if it failed because an on-demand block could not be read, reloads the store
   * whole — as an open would have, so a damaged snapshot is set aside and `.prev` plus the journals
   * used — and runs it once more. Nothing of the failed attempt remains: SQLite rolled it back
   * (sql-image.ts reports the damage as an I/O error) and the journal never received it.
   */
  private withReadableBlocks<T>(work: () => T): T {
    if (!this.onDemand) return work();
    let result: T;
    try {
      result = work();
    } catch (err) {
      const damage = this.onDemand.damage;
      if (!damage) throw err;
      this.reloadWhole(damage);
      return work();
    }
    // SQLite reports an unreadable page as an error; should a statement ever succeed anyway, its
    // result (and, for a write, the database it changed) is not trusted either.
    const damage = this.onDemand.damage;
    if (!damage) return result;
    this.reloadWhole(damage);
    return work();
  }

  private reloadWhole(damage: Error): void {
    const { log } = this.options;
    log.error('snapshot block unreadable on demand, reloading the store whole', {
      detail: damage instanceof StoreError ? damage.detail : damage.message,
    });
    const notices = this.recovery.notices.length;
    let base: BaseImage;
    let db: Database | null = null;
    let replayed: ReturnType<typeof replayJournals>;
    try {
      base = loadBaseImage(this.options, this.recovery, 'whole');
      db = databaseOf(this.SQL, base);
      // The journal being appended to is read again from disk: it holds every acknowledged write.
      this.journal?.close();
      this.journal = null;
      replayed = replayJournals(db, this.options, base.generation, this.recovery);
    } catch (err) {
      db?.close();
      // Neither the snapshot nor `.prev` and the journals give a whole store: refuse from now on.
      this.failure = err instanceof StoreError ? err : new StoreError('REPLAY_FAILED', String(err));
      throw this.failure;
    }
    try {
      this.db.close();
    } catch {
      // The abandoned database is dropped whatever state its failed statement left it in.
    }
    this.onDemand?.release();
    this.onDemand = null;
    // The damage may be the overlay's: the next opens do without it until the next segment.
    if (this.overlayPlace && !this.options.readOnly) removeOverlay(this.options.dir);
    this.overlayPlace = null;
    this.db = db;
    this.journal = replayed.writer;
    this.snapshotGeneration = base.generation;
    this.previousGeneration = base.previousGeneration;
    this.snapshotBytes = base.snapshotBytes;
    for (const notice of this.recovery.notices.slice(notices)) this.options.onNotice?.(notice);
    // As after an open from `.prev`: a healthy current snapshot replaces the damaged one now.
    if (this.recovery.usedPreviousSnapshot && this.journal) {
      this.compact().catch((err: unknown) =>
        log.error('compaction after reload failed', {
          detail: err instanceof Error ? err.message : String(err),
        }),
      );
    }
  }

  private assertUsable(): void {
    if (this.closed) throw new StoreError('CLOSED', 'store used after close');
    if (this.failure) throw this.failure;
  }

  private writableJournal(): JournalWriter {
    this.assertUsable();
    if (!this.journal)
      throw new StoreError('READ_ONLY_VIOLATION', 'write on a read-only store', {
        subject: 'read-only-store',
      });
    return this.journal;
  }

  private statsFields(): Record<string, number | null> {
    const s = this.stats();
    return {
      generation: s.generation,
      snapshotGeneration: s.snapshotGeneration,
      journalRecords: s.journalRecords,
      schemaVersion: s.schemaVersion,
    };
  }

  private compactionDue(when: 'write' | 'close' = 'write'): boolean {
    const { policy } = this.options;
    const records = when === 'close' ? Math.min(policy.records, policy.closeRecords) : policy.records;
    const bytes = when === 'close' ? Math.min(policy.bytes, policy.closeBytes) : policy.bytes;
    // A read-only open has no journal writer: nothing is ever due.
    if (!this.journal) return false;
    return this.journal.records >= records || this.journal.bytes >= bytes;
  }

  private scheduleCompactionIfDue(): void {
    const { log } = this.options;
    if (this.compactionScheduled || this.compaction || !this.compactionDue()) return;
    this.compactionScheduled = true;
    // After the acknowledgement has been sent, not before.
    setImmediate(() => {
      this.compactionScheduled = false;
      if (this.closed || this.failure) return;
      this.compact().catch((err: unknown) => {
        log.error('background compaction failed', {
          detail: err instanceof Error ? err.message : String(err),
        });
      });
    });
  }

  private async runCompaction(): Promise<void> {
    const { dir, key, log } = this.options;
    const started = Date.now();
    // export() is only legal between transactions; the engine never holds one across an await.
    // It reads every block of an on-demand snapshot: a damaged one is met here at the latest.
    const image = this.withReadableBlocks(() => this.db.export());
    const current = this.writableJournal();
    const generation = current.generation + 1;
    log.info('compaction started', { generation, databaseBytes: image.length });
    // The new journal exists before the snapshot that names it: a crash anywhere below leaves
    // either (old snapshot + both journals) or (new snapshot + new journal), each replayed once.
    const next = JournalWriter.create(join(dir, journalFileName(generation)), generation, key);
    fsyncDirectory(dir);
    this.journal = next;
    current.close();

    const temp = join(dir, tempName);
    let size: number;
    try {
      size = await writeSnapshotFile(
        temp,
        image,
        generation,
        key,
        this.options.chunkSize ?? defaultChunkSize,
        this.options.snapshotBlockSize ?? defaultBlockSize,
      );
    } catch (err) {
      unlinkIfExists(temp);
      throw err;
    } finally {
      image.fill(0);
    }
    const currentPath = join(dir, snapshotName);
    const previous = join(dir, previousName);
    let previousGeneration = this.previousGeneration;
    if (existsSync(currentPath)) {
      // link, not rename: `snapshot` never disappears, even for an instant.
      unlinkIfExists(previous);
      linkSync(currentPath, previous);
      previousGeneration = this.snapshotGeneration;
    }
    renameSync(temp, currentPath);
    fsyncDirectory(dir);
    // The overlay belonged to the snapshot just replaced.
    this.overlayPlace = null;
    removeOverlay(dir);
    this.snapshotGeneration = generation;
    this.previousGeneration = previousGeneration;
    this.snapshotBytes = size;
    this.compactions += 1;
    this.removeJournalsBefore(previousGeneration ?? generation);
    log.info('compaction finished', { generation, snapshotBytes: size, ms: Date.now() - started });
    this.scheduleCompactionIfDue();
  }

  /** Journals older than `.prev` can no longer be needed, even to recover from `.prev`. */
  private removeJournalsBefore(generation: number): void {
    for (const name of readdirSync(this.options.dir)) {
      const g = parseJournalFileName(name);
      if (g !== null && g < generation) unlinkIfExists(join(this.options.dir, name));
    }
  }

  private async applyMigrations(): Promise<void> {
    const { migrations, log } = this.options;
    const sorted = [...migrations.headings].sort((a, b) => a.version - b.version);
    sorted.forEach((m, i) => {
      if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && sorted[i - 1]?.version === m.version)) {
        throw new StoreError('MIGRATION_FAILED', `bad migration version ${m.version} (${m.name})`, {
          subject: 'migration-list',
        });
      }
    });
    const current = pragmaNumber(this.db, 'user_version');
    const latest = sorted.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new StoreError('TOO_NEW', `schema version ${current}, this build knows up to ${latest}`);
    }
    const due = sorted.filter((m) => m.version > current);
    if (due.length === 0) return;
    const scripts = await this.dueScripts(due);
    for (const m of scripts) {
      try {
        this.write([...m.statements.map((sql) => ({ sql })), { sql: `PRAGMA user_version = ${m.version}` }]);
      } catch (err) {
        throw new StoreError(
          'MIGRATION_FAILED',
          `migration ${m.version} (${m.name}): ${err instanceof StoreError ? err.detail : String(err)}`,
        );
      }
      log.info('migration applied', { version: m.version, migration: m.name });
    }
  }

  /** The SQL of the migrations `due`, in their order: exactly those, or a MIGRATION_FAILED error. */
  private async dueScripts(due: readonly MigrationHeading[]): Promise<MigrationScript[]> {
    let scripts: readonly MigrationScript[];
    try {
      scripts = await this.options.migrations.scripts(due.map((m) => m.version));
    } catch (err) {
      const versions = due.map((m) => m.version).join(', ');
      const detail = err instanceof Error ? err.message : String(err);
      throw new StoreError('MIGRATION_FAILED', `migrations ${versions}: ${detail}`);
    }
    return due.map((heading) => {
      const script = scripts.find((s) => s.version === heading.version);
      if (!script)
        throw new StoreError(
          'MIGRATION_FAILED',
          `migration ${heading.version} (${heading.name}): no SQL given`,
        );
      return script;
    });
  }
}

/** The database an open works on: the base image as sql.js's file, or an empty one; foreign keys on. */
function databaseOf(SQL: SqlJsStatic, base: BaseImage): Database {
  // The decrypted image becomes the database file itself (no copy, no wipe: see sql-image.ts).
  const db = base.plaintext ? databaseFromImage(SQL, base.plaintext) : new SQL.Database();
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/** An open reading on demand met a damaged block before it was done. */
class DamagedOnDemand extends StoreError {
  constructor(damage: Error) {
    super('CORRUPT_SNAPSHOT', damage instanceof StoreError ? damage.detail : damage.message, {
      subject: 'snapshot',
    });
  }
}

/** The snapshot to start from: current, else `.prev` when current is damaged, else an empty base. */
function loadBaseImage(
  options: EngineOptions,
  recovery: StoreRecovery,
  reading: SnapshotReading,
  wrap?: BlockSourceWrapper,
): BaseImage {
  const { dir, key, log } = options;
  const current = join(dir, snapshotName);
  const previous = join(dir, previousName);
  const hasCurrent = existsSync(current);
  const hasPrevious = existsSync(previous);
  if (!hasCurrent && !hasPrevious) {
    const journals = listJournals(dir);
    if (journals.length > 0 && journals[0] !== 0) {
      throw new StoreError('MISSING_FILE', `no snapshot but journals start at generation ${journals[0]}`, {
        subject: 'snapshot',
      });
    }
    return { generation: 0, plaintext: null, onDemand: null, snapshotBytes: 0, previousGeneration: null };
  }

  let currentError: SnapshotReadError | null = null;
  if (hasCurrent) {
    try {
      const { generation, plaintext, onDemand } = openSnapshotFile(current, key, reading, wrap);
      return {
        generation,
        plaintext,
        onDemand,
        snapshotBytes: statSync(current).size,
        previousGeneration: hasPrevious ? generationOf(previous, options) : null,
      };
    } catch (err) {
      if (!(err instanceof SnapshotReadError)) throw err;
      currentError = err;
    }
    // A foreign or newer file is not damage: refuse rather than guess.
    if (currentError.problem === 'FOREIGN_FILE' || currentError.problem === 'UNSUPPORTED_VERSION')
      throw currentError;
    if (!hasPrevious) throw currentError;
  }

  let fallback: { generation: number; plaintext: Uint8Array };
  try {
    // Read whole: a fallback is already a recovery, and is not read again if it fails.
    fallback = openSnapshotFile(previous, key, 'whole');
  } catch (err) {
    if (
      currentError &&
      err instanceof SnapshotReadError &&
      err.problem === 'WRONG_KEY' &&
      currentError.problem === 'WRONG_KEY'
    )
      throw currentError;
    if (currentError) {
      throw new StoreError(
        currentError.reason,
        `${currentError.detail}; previous snapshot unusable too: ${err instanceof StoreError ? err.detail : String(err)}`,
        currentError.facts,
      );
    }
    throw err;
  }
  let quarantined: string | null = null;
  if (hasCurrent && !options.readOnly) {
    // Kept for investigation, and out of the way so the next compaction cannot make it `.prev`.
    quarantined = `snapshot.corrupt-${Date.now()}`;
    renameSync(current, join(dir, quarantined));
    fsyncDirectory(dir);
  }
  log.error('current snapshot unusable, recovered from previous snapshot', {
    reason: currentError?.detail ?? 'current snapshot missing',
    previousGeneration: fallback.generation,
    quarantined,
  });
  recovery.usedPreviousSnapshot = true;
  recovery.notices.push({ kind: 'previous-snapshot-used', quarantined });
  return {
    generation: fallback.generation,
    plaintext: fallback.plaintext,
    onDemand: null,
    snapshotBytes: statSync(previous).size,
    previousGeneration: fallback.generation,
  };
}

function generationOf(path: string, options: EngineOptions): number | null {
  try {
    return readSnapshotHeader(path, options.key).generation;
  } catch {
    options.log.warn('previous snapshot header unreadable', { path: previousName });
    return null;
  }
}

function listJournals(dir: string): number[] {
  return readdirSync(dir)
    .map(parseJournalFileName)
    .filter((g): g is number => g !== null)
    .sort((a, b) => a - b);
}

/** The journal of `generation` if it can be read as it is; null leaves the error to `replayJournals`. */
function readJournalIfReadable(
  options: EngineOptions,
  generation: number,
  read: ReadJournalOptions,
): JournalContents | null {
  try {
    return readJournal(join(options.dir, journalFileName(generation)), generation, options.key, read);
  } catch {
    return null;
  }
}

interface ReplayFrom {
  /** Records the image already holds (its overlay's position): replay starts after them. */
  skip: JournalPosition | null;
  /** Journals already read during this open, by generation. */
  preread: Map<number, JournalContents>;
  /** Keep the last journal's SHA-256 in its writer (`JournalWriter.prefix`). */
  digest?: boolean;
}

/**
 * Replays journals `base`, `base+1`, … in order; returns the writer for the last one (none when
 * read-only) and how many records were run.
 */
function replayJournals(
  db: Database,
  options: EngineOptions,
  base: number,
  recovery: StoreRecovery,
  from: ReplayFrom = { skip: null, preread: new Map() },
): { writer: JournalWriter | null; generation: number; replayedRecords: number; bytesUnread: number } {
  const { dir, key, log } = options;
  const all = listJournals(dir);
  const needed = all.filter((g) => g >= base);
  if (needed.length === 0) {
    if (all.length > 0 || base > 0) {
      if (all.length > 0) {
        throw new StoreError('MISSING_FILE', `no journal for generation ${base} (have ${all.join(',')})`, {
          subject: 'latest-journal',
        });
      }
      // A snapshot alone (restored from a backup): usable, but say so.
      log.warn('snapshot without any journal, opening it as is', { generation: base });
      recovery.notices.push({ kind: 'snapshot-without-journal' });
    }
    if (options.readOnly) return { writer: null, generation: base, replayedRecords: 0, bytesUnread: 0 };
    const writer = JournalWriter.create(join(dir, journalFileName(base)), base, key, {
      digest: from.digest === true,
    });
    fsyncDirectory(dir);
    return { writer, generation: base, replayedRecords: 0, bytesUnread: 0 };
  }
  needed.forEach((g, i) => {
    if (g !== base + i) {
      throw new StoreError(
        'MISSING_FILE',
        `journal generation ${base + i} missing (have ${needed.join(',')})`,
        {
          subject: 'journal-part',
        },
      );
    }
  });

  let last: JournalContents | null = null;
  let replayedRecords = 0;
  // Journal bytes taken as an overlay vouched for them, neither read nor decrypted (journal.ts).
  let bytesUnread = 0;
  for (const [i, generation] of needed.entries()) {
    const path = join(dir, journalFileName(generation));
    const skipped = from.skip?.generation === generation ? from.skip.records : 0;
    let contents =
      from.preread.get(generation) ?? readJournal(path, generation, key, { digest: from.digest });
    // Records taken unread that the image does not hold (its overlay was not used in the end:
    // opened from `.prev`, or block 0 unreadable): read them after all.
    if (contents.first > skipped) contents = readJournal(path, generation, key, { digest: from.digest });
    bytesUnread += contents.prefix?.bytes ?? 0;
    const isLast = i === needed.length - 1;
    if ((contents.droppedReason || contents.tornHeader) && !isLast) {
      throw new StoreError(
        'CORRUPT_JOURNAL',
        `journal ${generation}: ${contents.droppedReason ?? 'incomplete header'}`,
      );
    }
    contents.payloads.forEach((payload, index) => {
      const sequence = contents.first + index;
      if (sequence < skipped) return;
      replayedRecords += 1;
      let statements: Statement[];
      try {
        statements = decodeTransaction(payload);
        applyTransaction(db, statements);
      } catch (err) {
        throw new StoreError(
          'REPLAY_FAILED',
          `journal ${generation} record ${sequence}: ${err instanceof StoreError ? err.detail : String(err)}`,
        );
      }
    });
    last = contents;
  }
  if (!last) throw new Error('unreachable: no journal replayed');
  const path = join(dir, journalFileName(last.generation));
  if (last.tornHeader) {
    log.warn('journal header incomplete (crash while creating it), recreating', {
      generation: last.generation,
      bytes: last.fileSize,
    });
    if (options.readOnly) return { writer: null, generation: last.generation, replayedRecords, bytesUnread };
    const writer = JournalWriter.create(path, last.generation, key, { digest: from.digest === true });
    fsyncDirectory(dir);
    return { writer, generation: last.generation, replayedRecords, bytesUnread };
  }
  if (last.droppedReason) {
    const bytes = last.fileSize - last.validEnd;
    recovery.droppedJournalTail = { generation: last.generation, bytes, reason: last.droppedReason };
    recovery.notices.push({ kind: 'journal-tail-dropped' });
    let kept: string | null = null;
    if (/authentication|sequence/.test(last.droppedReason) && !options.readOnly) {
      // A whole record that fails its tag is damage rather than an interrupted write: keep the bytes.
      kept = `${journalFileName(last.generation)}.dropped-${Date.now()}`;
      copyTail(path, join(dir, kept), last.validEnd);
    }
    log.warn('journal tail dropped', {
      generation: last.generation,
      offset: last.validEnd,
      bytes,
      reason: last.droppedReason,
      kept,
    });
  }
  if (options.readOnly) return { writer: null, generation: last.generation, replayedRecords, bytesUnread };
  return {
    writer: JournalWriter.resume(path, last, key),
    generation: last.generation,
    replayedRecords,
    bytesUnread,
  };
}

function copyTail(from: string, to: string, offset: number): void {
  writeFileSync(to, readFileSync(from).subarray(offset), { mode: 0o600 });
}
