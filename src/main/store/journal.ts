import { createCipheriv, createDecipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, fsyncSync, openSync } from 'node:fs';
import { readAt, writeAll } from './durable-fs';
import { StoreError } from './errors';
import { keyFingerprint, type StoreKey } from './key';

/**
 * Journal of generation G: the transactions committed after snapshot G, in order.
 * File header: `magic | version | reserved | generation | key fingerprint` (plain, 24 bytes).
 * Record: `length | sequence | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag`, the file header
 * and the record header both authenticated as additional data, so a record cannot be moved to
 * another position, generation or store without failing its tag.
 */
const magic = Buffer.from('PDMPJRNL', 'ascii');
const formatVersion = 1;
export const journalHeaderLength = 24;
const recordHeaderLength = 4 + 4 + 12;
const tagLength = 16;
/** Beyond this a length field is garbage, not a transaction. */
const maxRecordLength = 1024 * 1024 * 1024;

export function journalFileName(generation: number): string {
  return `journal.${String(generation).padStart(10, '0')}`;
}

export function parseJournalFileName(name: string): number | null {
  const m = /^journal\.(\d{10})$/.exec(name);
  return m?.[1] ? Number.parseInt(m[1], 10) : null;
}

function buildFileHeader(generation: number, key: StoreKey): Buffer {
  const header = Buffer.alloc(journalHeaderLength);
  magic.copy(header, 0);
  header.writeUInt16BE(formatVersion, 8);
  header.writeUInt16BE(0, 10);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  return header;
}

export function encryptRecord(
  fileHeader: Buffer,
  sequence: number,
  payload: Uint8Array,
  key: StoreKey,
): Buffer {
  const recordHeader = Buffer.alloc(recordHeaderLength);
  recordHeader.writeUInt32BE(payload.length, 0);
  recordHeader.writeUInt32BE(sequence, 4);
  const iv = randomBytes(12);
  iv.copy(recordHeader, 8);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.concat([fileHeader, recordHeader]));
  const body = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([recordHeader, body, cipher.getAuthTag()]);
}

/**
 * A prefix of a journal file, as an authenticated source vouches for it: the head of a snapshot
 * overlay's segment (snapshot-overlay.ts), sealed with the store key, holds the one its blocks
 * stand for. A file whose first `bytes` bytes still have this SHA-256 holds those records exactly
 * as they were when they were authenticated, so they need not be decrypted again.
 */
export interface JournalPrefix {
  /** Its length in bytes, file header included: where the next record starts. */
  bytes: number;
  records: number;
  /** The GCM tag of record `records - 1` (null for none). */
  lastTag: Buffer | null;
  /** SHA-256 of the file's first `bytes` bytes. */
  sha256: Buffer;
}

export interface ReadJournalOptions {
  /**
   * Prefixes vouched for (an overlay's segments): the longest the file still holds, byte for byte,
   * is taken without decrypting its records, whose payloads are then not returned (`first`).
   */
  prefixes?: readonly JournalPrefix[];
  /** Keep the SHA-256 of the valid bytes, for `JournalWriter.resume` to go on with (`digest`). */
  digest?: boolean;
}

export interface JournalContents {
  generation: number;
  /** Records before `payloads[0]`: the taken prefix's (0 when none was). */
  first: number;
  /** The payloads of records `first`, `first + 1`, …, each authenticated. */
  payloads: Buffer[];
  /** Valid records in all: `first + payloads.length`. */
  records: number;
  /** The last valid record's GCM tag (null for none): what names a position (snapshot-overlay.ts). */
  lastTag: Buffer | null;
  /** The prefix taken without decrypting, if any. */
  prefix: JournalPrefix | null;
  /** SHA-256 of bytes `[0, validEnd)`, when asked for (`ReadJournalOptions.digest`). */
  digest: Hash | null;
  /** Offset just after the last valid record: where the next record goes. */
  validEnd: number;
  fileSize: number;
  /** Set when bytes after `validEnd` were not a valid record (torn or corrupt tail). */
  droppedReason: string | null;
  /** The header itself was incomplete (crash while the journal was being created). */
  tornHeader: boolean;
}

const aboutJournal = { subject: 'journal' } as const;
/** Prefixes are hashed through one buffer of this size: no fresh memory the size of the journal. */
const prefixReadSize = 256 * 1024;

/**
 * Reads every record that authenticates, in order, and stops at the first one that does not:
 * a record is used whole or not at all. The caller decides whether the tail may be dropped.
 * With `prefixes`, the records of the longest prefix the file still holds unchanged are counted
 * without being read into memory or decrypted (an on-demand open from an overlay needs only the
 * records after it: a 3.3 MB journal was ~15 ms of page faults and decryption of a cold CLI import).
 */
export function readJournal(
  path: string,
  expectedGeneration: number,
  key: StoreKey,
  options: ReadJournalOptions = {},
): JournalContents {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const taken = options.prefixes?.length ? longestPrefixHeld(fd, fileSize, options.prefixes) : null;
    const start = taken?.prefix.bytes ?? 0;
    const rest = readRange(fd, start, fileSize - start);
    const head = start === 0 ? rest : readRange(fd, 0, journalHeaderLength);
    const contents = parseJournal(path, expectedGeneration, key, head, rest, start, taken?.prefix ?? null);
    if (options.digest) {
      const digest = taken?.hash ?? createHash('sha256');
      digest.update(rest.subarray(0, contents.validEnd - start));
      contents.digest = digest;
    }
    return { ...contents, fileSize };
  } finally {
    closeSync(fd);
  }
}

function readRange(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(Math.max(0, length));
  const got = readAt(fd, bytes, 0, position);
  return got === bytes.length ? bytes : bytes.subarray(0, got);
}

/** The longest of `prefixes` the file holds byte for byte, and the SHA-256 state at its end. */
function longestPrefixHeld(
  fd: number,
  fileSize: number,
  prefixes: readonly JournalPrefix[],
): { prefix: JournalPrefix; hash: Hash } | null {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(prefixReadSize);
  let hashed = 0;
  let held: { prefix: JournalPrefix; hash: Hash } | null = null;
  for (const prefix of [...prefixes].sort((a, b) => a.bytes - b.bytes)) {
    if (prefix.bytes < journalHeaderLength || prefix.bytes > fileSize) break;
    while (hashed < prefix.bytes) {
      const n = readAt(fd, buffer.subarray(0, Math.min(buffer.length, prefix.bytes - hashed)), 0, hashed);
      if (n === 0) return held;
      hash.update(buffer.subarray(0, n));
      hashed += n;
    }
    // A longer prefix starts with a shorter one: once one differs, so do all after it.
    if (!hash.copy().digest().equals(prefix.sha256)) break;
    held = { prefix, hash: hash.copy() };
  }
  return held;
}

/**
 * The records of `rest` (the file from `start` on; `head` its first bytes), after the records of
 * `prefix` (the first `start` bytes) when one was taken.
 */
function parseJournal(
  path: string,
  expectedGeneration: number,
  key: StoreKey,
  head: Buffer,
  rest: Buffer,
  start: number,
  prefix: JournalPrefix | null,
): Omit<JournalContents, 'fileSize'> {
  const base = {
    generation: expectedGeneration,
    first: 0,
    payloads: [] as Buffer[],
    records: 0,
    lastTag: null,
    prefix: null,
    digest: null,
  };
  if (head.length < journalHeaderLength) {
    if (
      !magic
        .subarray(0, Math.min(head.length, magic.length))
        .equals(head.subarray(0, Math.min(head.length, magic.length)))
    ) {
      throw new StoreError('FOREIGN_FILE', `${path}: not a journal`, aboutJournal);
    }
    return {
      ...base,
      validEnd: 0,
      droppedReason: head.length > 0 ? 'incomplete journal header' : null,
      tornHeader: true,
    };
  }
  const fileHeader = head.subarray(0, journalHeaderLength);
  if (!fileHeader.subarray(0, magic.length).equals(magic))
    throw new StoreError('FOREIGN_FILE', `${path}: magic mismatch`, aboutJournal);
  const version = fileHeader.readUInt16BE(8);
  if (version !== formatVersion)
    throw new StoreError('UNSUPPORTED_VERSION', `${path}: version ${version}`, aboutJournal);
  if (!fileHeader.subarray(16, 24).equals(keyFingerprint(key)))
    throw new StoreError('WRONG_KEY', `${path}: key fingerprint mismatch`, aboutJournal);
  const generation = fileHeader.readUInt32BE(12);
  if (generation !== expectedGeneration) {
    throw new StoreError(
      'CORRUPT_JOURNAL',
      `${path}: header generation ${generation}, file name says ${expectedGeneration}`,
      aboutJournal,
    );
  }

  const first = prefix?.records ?? 0;
  const payloads: Buffer[] = [];
  let lastTag = prefix?.lastTag ?? null;
  // Offsets within `rest`; the file's are `start` more.
  let offset = start === 0 ? journalHeaderLength : 0;
  let droppedReason: string | null = null;
  while (offset < rest.length) {
    const at = start + offset;
    if (rest.length - offset < recordHeaderLength + tagLength) {
      droppedReason = `incomplete record header at ${at}`;
      break;
    }
    const recordHeader = rest.subarray(offset, offset + recordHeaderLength);
    const length = recordHeader.readUInt32BE(0);
    const sequence = recordHeader.readUInt32BE(4);
    const end = offset + recordHeaderLength + length + tagLength;
    if (length > maxRecordLength || end > rest.length) {
      droppedReason = `record at ${at} extends past end of file`;
      break;
    }
    if (sequence !== first + payloads.length) {
      droppedReason = `record at ${at} has sequence ${sequence}, expected ${first + payloads.length}`;
      break;
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, recordHeader.subarray(8, 20), {
      authTagLength: tagLength,
    });
    decipher.setAAD(Buffer.concat([fileHeader, recordHeader]));
    const tag = rest.subarray(end - tagLength, end);
    decipher.setAuthTag(tag);
    const body = decipher.update(rest.subarray(offset + recordHeaderLength, end - tagLength));
    try {
      const last = decipher.final();
      payloads.push(last.length > 0 ? Buffer.concat([body, last]) : body);
      lastTag = Buffer.from(tag);
    } catch {
      droppedReason = `record at ${at} failed authentication`;
      break;
    }
    offset = end;
  }
  return {
    ...base,
    generation,
    first,
    payloads,
    records: first + payloads.length,
    lastTag,
    prefix,
    validEnd: start + offset,
    droppedReason,
    tornHeader: false,
  };
}

/** Appends records to the journal of one generation; each `append` is durable when it returns. */
export class JournalWriter {
  private closed = false;

  private constructor(
    readonly path: string,
    readonly generation: number,
    private readonly fd: number,
    private readonly fileHeader: Buffer,
    private readonly key: StoreKey,
    private nextSequence: number,
    private size: number,
    private tag: Buffer | null,
    /** SHA-256 of the file so far, kept only when asked for (`prefix`). */
    private readonly digest: Hash | null,
  ) {}

  /**
   * Creates (or re-creates after a torn header) an empty journal, header durable on return; with
   * `digest`, keeps the file's SHA-256 as it grows (`prefix`).
   */
  static create(path: string, generation: number, key: StoreKey, { digest = false } = {}): JournalWriter {
    const header = buildFileHeader(generation, key);
    const fd = openSync(path, 'w', 0o600);
    try {
      writeAll(fd, header);
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    const hash = digest ? createHash('sha256').update(header) : null;
    return new JournalWriter(path, generation, fd, header, key, 0, header.length, null, hash);
  }

  /**
   * Continues an existing journal after its last valid record, cutting off any dropped tail; keeps
   * its SHA-256 when the read did (`ReadJournalOptions.digest`).
   */
  static resume(path: string, contents: JournalContents, key: StoreKey): JournalWriter {
    const fd = openSync(path, 'r+');
    try {
      if (fstatSync(fd).size !== contents.validEnd) {
        ftruncateSync(fd, contents.validEnd);
        fsyncSync(fd);
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    const header = buildFileHeader(contents.generation, key);
    return new JournalWriter(
      path,
      contents.generation,
      fd,
      header,
      key,
      contents.records,
      contents.validEnd,
      contents.lastTag,
      contents.digest,
    );
  }

  append(payload: Uint8Array): number {
    if (this.closed) throw new Error('journal closed');
    const record = encryptRecord(this.fileHeader, this.nextSequence, payload, this.key);
    writeAll(this.fd, record, this.size);
    fdatasyncSync(this.fd);
    this.digest?.update(record);
    this.nextSequence += 1;
    this.size += record.length;
    this.tag = record.subarray(record.length - tagLength);
    return record.length;
  }

  get records(): number {
    return this.nextSequence;
  }

  /** The last record's GCM tag (null while the journal has none): see `JournalContents.tags`. */
  get lastTag(): Buffer | null {
    return this.tag;
  }

  get bytes(): number {
    return this.size;
  }

  /** The whole file as a prefix a later read can take unread (null unless kept: `create`, `resume`). */
  get prefix(): JournalPrefix | null {
    if (!this.digest) return null;
    return {
      bytes: this.size,
      records: this.nextSequence,
      lastTag: this.tag,
      sha256: this.digest.copy().digest(),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
