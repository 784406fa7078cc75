import { sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { AuditEntry } from './audit-entry';
import type { AuditKeys } from './audit-keys';
import type { AuditHeadWitness } from './audit-log';
import type { AuditAnchor } from './verify';

/**
 * Signed checkpoints of the audit chain's head, appended to a file OUTSIDE the store
 * (`<data>/audit-checkpoints.log`), one JSON object per line:
 *
 *   {"v":1,"seq":N,"head":"<sha-256 hex of entry N>","at":"<ISO time>","sig":"<base64 Ed25519>"}
 *
 * The signature covers `poste-dmp/audit-checkpoint/v1`, seq, head and at, one per line. Restoring an
 * older snapshot, cutting the journal at a record boundary or rewriting the chain with the store
 * key leaves the store self-consistent, but no longer matching these lines.
 */
export interface AuditCheckpoint {
  v: 1;
  seq: number;
  head: string;
  at: string;
  sig: string;
}

const signedLabel = 'poste-dmp/audit-checkpoint/v1';

function signedBytes(c: Pick<AuditCheckpoint, 'seq' | 'head' | 'at'>): Buffer {
  return Buffer.from(`${signedLabel}\n${c.seq}\n${c.head}\n${c.at}`, 'utf8');
}

export function signCheckpoint(keys: AuditKeys, head: AuditAnchor, at: string): AuditCheckpoint {
  const unsigned = { seq: head.count, head: head.lastHash, at };
  return { v: 1, ...unsigned, sig: sign(null, signedBytes(unsigned), keys.signingKey).toString('base64') };
}

export function checkpointSignatureValid(publicKey: KeyObject, c: AuditCheckpoint): boolean {
  try {
    return verify(null, signedBytes(c), publicKey, Buffer.from(c.sig, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Appends a checkpoint after each durable audit write. Writes are serialised and coalesced: while
 * one line is being written and synced, later heads replace each other and only the newest is
 * written next. A failure is logged by the caller's `onError` and never blocks the audited action.
 */
export class CheckpointLog implements AuditHeadWitness {
  private pending: AuditAnchor | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    private readonly keys: AuditKeys,
    private readonly options: {
      now?: () => Date;
      onError?: (err: unknown) => void;
      /**
       * `AuditLog.verify` also compares the chain with this file (`attested`). The shared host on
       * PostgreSQL turns it on: there the file is the only record of the head outside the database.
       */
      checkOnVerify?: boolean;
    } = {},
  ) {
    if (options.checkOnVerify) this.attested = () => this.readValid();
  }

  /** Set when `checkOnVerify`: the validly signed checkpoints in the file (unreadable lines skipped). */
  readonly attested?: () => AuditCheckpoint[];

  private readValid(): AuditCheckpoint[] {
    return readCheckpointFile(this.path, this.keys.publicKey).checkpoints;
  }

  note(head: AuditAnchor): void {
    if (head.count === 0) return;
    this.pending = { ...head };
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once every noted head has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const head = this.pending;
      this.pending = null;
      const line = `${JSON.stringify(signCheckpoint(this.keys, head, (this.options.now?.() ?? new Date()).toISOString()))}\n`;
      try {
        const file = await open(this.path, 'a', 0o600);
        try {
          await file.write(line);
          await file.datasync();
        } finally {
          await file.close();
        }
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }
}

export interface CheckpointFile {
  checkpoints: AuditCheckpoint[];
  /** French: lines that are not valid signed checkpoints (tampering). */
  problems: string[];
  /** A last line cut short (crash while appending): reported, not held against the chain. */
  tornLastLine: boolean;
  missing: boolean;
}

export function readCheckpointFile(path: string, publicKey: KeyObject): CheckpointFile {
  if (!existsSync(path)) return { checkpoints: [], problems: [], tornLastLine: false, missing: true };
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const tornLastLine = lines.at(-1) !== '';
  // The last element is either "" (file ends with a newline) or the torn line: neither is a checkpoint.
  const complete = lines.slice(0, -1);
  const checkpoints: AuditCheckpoint[] = [];
  const problems: string[] = [];
  complete.forEach((line, i) => {
    const parsed = parseCheckpoint(line);
    if (!parsed) problems.push(`ligne ${i + 1} du fichier des points de contrôle illisible`);
    else if (!checkpointSignatureValid(publicKey, parsed))
      problems.push(`ligne ${i + 1} du fichier des points de contrôle : signature invalide`);
    else checkpoints.push(parsed);
  });
  return { checkpoints, problems, tornLastLine, missing: false };
}

/** How much of the end of a checkpoint file `lastCheckpoint` reads: hundreds of lines. */
const tailBytes = 64 * 1024;

/**
 * The validly signed checkpoint with the highest seq among the last lines of the file (its last
 * `tailBytes`), or null: a start-time check reads the end of the file, not all of it (a line per
 * durable write, an Ed25519 verification each). A cut older than that window is the full
 * verification's to find (`AuditLog.verify` with `attested`).
 */
export function lastCheckpoint(path: string, publicKey: KeyObject): AuditCheckpoint | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  let text: string;
  let fromStart: boolean;
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, tailBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    text = buffer.toString('utf8');
    fromStart = length === size;
  } finally {
    closeSync(fd);
  }
  const lines = text.split('\n');
  // Not from the start: the first piece may be part of a line. The last piece is "" or a torn line.
  const complete = lines.slice(fromStart ? 0 : 1, -1);
  let best: AuditCheckpoint | null = null;
  for (const line of complete) {
    const c = parseCheckpoint(line);
    if (c && (!best || c.seq > best.seq) && checkpointSignatureValid(publicKey, c)) best = c;
  }
  return best;
}

function parseCheckpoint(line: string): AuditCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const c = value as Partial<AuditCheckpoint> | null;
  if (
    !c ||
    c.v !== 1 ||
    !Number.isInteger(c.seq) ||
    (c.seq ?? 0) < 1 ||
    typeof c.head !== 'string' ||
    typeof c.at !== 'string' ||
    typeof c.sig !== 'string'
  ) {
    return null;
  }
  return { v: 1, seq: c.seq as number, head: c.head, at: c.at, sig: c.sig };
}

/**
 * The first checkpoint the chain contradicts: `truncated` when the chain no longer holds the entry it
 * names, `edited` when that entry's hash differs. Null when all match.
 */
export function checkpointContradiction(
  entries: readonly AuditEntry[],
  checkpoints: readonly AuditCheckpoint[],
): { problem: 'truncated' | 'edited'; checkpoint: AuditCheckpoint } | null {
  for (const c of checkpoints) {
    const entry = entries[c.seq - 1];
    if (!entry || entry.seq !== c.seq) return { problem: 'truncated', checkpoint: c };
    if (entry.hash !== c.head) return { problem: 'edited', checkpoint: c };
  }
  return null;
}

/**
 * Each checkpoint must name an entry the chain still holds, with the same hash. The first that does
 * not is described in French; null when all match.
 */
export function compareWithCheckpoints(
  entries: readonly AuditEntry[],
  checkpoints: readonly AuditCheckpoint[],
): string | null {
  const found = checkpointContradiction(entries, checkpoints);
  if (!found) return null;
  const c = found.checkpoint;
  return found.problem === 'truncated'
    ? `la chaîne s’arrête à l’entrée n° ${entries.length} alors qu’un point de contrôle signé du ${c.at} en attestait ${c.seq} : des entrées ont disparu (journal tronqué ou copie antérieure restaurée)`
    : `l’entrée n° ${c.seq} ne correspond plus au point de contrôle signé du ${c.at} : la chaîne a été réécrite`;
}
