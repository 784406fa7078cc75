import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  fsyncSync,
  openSync,
  readFileSync,
} from 'node:fs';
import { writeAll } from './durable-fs';
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

export interface JournalContents {
  generation: number;
  payloads: Buffer[];
  /** Each valid record's GCM tag, in order: what names a position in the journal (snapshot-overlay.ts). */
  tags: Buffer[];
  /** Offset just after the last valid record: where the next record goes. */
  validEnd: number;
  fileSize: number;
  /** Set when bytes after `validEnd` were not a valid record (torn or corrupt tail). */
  droppedReason: string | null;
  /** The header itself was incomplete (crash while the journal was being created). */
  tornHeader: boolean;
}

const aboutJournal = { subject: 'journal' } as const;

/**
 * Reads every record that authenticates, in order, and stops at the first one that does not:
 * a record is used whole or not at all. The caller decides whether the tail may be dropped.
 */
export function readJournal(path: string, expectedGeneration: number, key: StoreKey): JournalContents {
  const bytes = readFileSync(path);
  const base = {
    generation: expectedGeneration,
    payloads: [] as Buffer[],
    tags: [] as Buffer[],
    fileSize: bytes.length,
  };
  if (bytes.length < journalHeaderLength) {
    if (
      !magic
        .subarray(0, Math.min(bytes.length, magic.length))
        .equals(bytes.subarray(0, Math.min(bytes.length, magic.length)))
    ) {
      throw new StoreError('FOREIGN_FILE', `${path}: not a journal`, aboutJournal);
    }
    return {
      ...base,
      validEnd: 0,
      droppedReason: bytes.length > 0 ? 'incomplete journal header' : null,
      tornHeader: true,
    };
  }
  const fileHeader = bytes.subarray(0, journalHeaderLength);
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

  const payloads: Buffer[] = [];
  const tags: Buffer[] = [];
  let offset = journalHeaderLength;
  let droppedReason: string | null = null;
  while (offset < bytes.length) {
    if (bytes.length - offset < recordHeaderLength + tagLength) {
      droppedReason = `incomplete record header at ${offset}`;
      break;
    }
    const recordHeader = bytes.subarray(offset, offset + recordHeaderLength);
    const length = recordHeader.readUInt32BE(0);
    const sequence = recordHeader.readUInt32BE(4);
    const end = offset + recordHeaderLength + length + tagLength;
    if (length > maxRecordLength || end > bytes.length) {
      droppedReason = `record at ${offset} extends past end of file`;
      break;
    }
    if (sequence !== payloads.length) {
      droppedReason = `record at ${offset} has sequence ${sequence}, expected ${payloads.length}`;
      break;
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, recordHeader.subarray(8, 20), {
      authTagLength: tagLength,
    });
    decipher.setAAD(Buffer.concat([fileHeader, recordHeader]));
    decipher.setAuthTag(bytes.subarray(end - tagLength, end));
    const body = decipher.update(bytes.subarray(offset + recordHeaderLength, end - tagLength));
    try {
      const last = decipher.final();
      payloads.push(last.length > 0 ? Buffer.concat([body, last]) : body);
      tags.push(Buffer.from(bytes.subarray(end - tagLength, end)));
    } catch {
      droppedReason = `record at ${offset} failed authentication`;
      break;
    }
    offset = end;
  }
  return { ...base, generation, payloads, tags, validEnd: offset, droppedReason, tornHeader: false };
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
  ) {}

  /** Creates (or re-creates after a torn header) an empty journal, header durable on return. */
  static create(path: string, generation: number, key: StoreKey): JournalWriter {
    const header = buildFileHeader(generation, key);
    const fd = openSync(path, 'w', 0o600);
    try {
      writeAll(fd, header);
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return new JournalWriter(path, generation, fd, header, key, 0, header.length, null);
  }

  /** Continues an existing journal after its last valid record, cutting off any dropped tail. */
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
      contents.payloads.length,
      contents.validEnd,
      contents.tags.at(-1) ?? null,
    );
  }

  append(payload: Uint8Array): number {
    if (this.closed) throw new Error('journal closed');
    const record = encryptRecord(this.fileHeader, this.nextSequence, payload, this.key);
    writeAll(this.fd, record, this.size);
    fdatasyncSync(this.fd);
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
