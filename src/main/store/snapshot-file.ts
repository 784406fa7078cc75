import { createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StoreError } from './errors';
import { keyFingerprint, type StoreKey } from './key';
import { openPiece, sealOverhead, sealPiece, tagLength } from './sealed-piece';
import {
  allocateImage,
  onDemandImage,
  type BlockSource,
  type OnDemandFile,
  type OnDemandImageHandle,
} from './sql-image';

/**
 * Snapshot file: the whole database of generation G, which holds every transaction of the journals
 * numbered below G. Two formats share the first 24 bytes `magic | version | reserved | generation |
 * key fingerprint`:
 *
 * - version 1 (read only, written before 2026-12-03): `| 12-byte IV | ciphertext | 16-byte tag`,
 *   one AES-256-GCM over the whole image with the header as additional data. Nothing can be
 *   trusted before the last byte is read, so opening one decrypts it all.
 * - version 2 (written now): `| 12-byte file id | block size | image length (u64) |` then the image
 *   in blocks of `block size` bytes (the last one shorter), each sealed on its own:
 *   `12-byte IV | ciphertext | 16-byte tag`, with the 48-byte header followed by the block's index
 *   (u32) as additional data. A block cannot be altered, moved, or taken from another snapshot
 *   (the file id and generation differ) without failing its tag, and the header is checked by every
 *   block's tag, so a database can be opened by reading only the blocks its queries touch.
 */
const magic = Buffer.from('PDMPSNAP', 'ascii');
const wholeFormat = 1;
const blockFormat = 2;
const commonHeaderLength = 8 + 2 + 2 + 4 + 8;
const wholeHeaderLength = commonHeaderLength + 12;
const blockHeaderLength = commonHeaderLength + 12 + 4 + 8;
/** Each block is a sealed piece (sealed-piece.ts). */
const blockOverhead = sealOverhead;
export const defaultChunkSize = 8 * 1024 * 1024;
/** 64 KB: 16 SQLite pages per authentication, and ~2 300 blocks for a 150 MB store. */
export const defaultBlockSize = 64 * 1024;
const maxBlockSize = 16 * 1024 * 1024;

/** How an open reads a snapshot: all of it now, or each block when sql.js first touches it. */
export type SnapshotReading = 'whole' | 'on-demand';

export interface SnapshotHeader {
  generation: number;
  fingerprint: Buffer;
}

export type SnapshotProblem = 'FOREIGN_FILE' | 'UNSUPPORTED_VERSION' | 'WRONG_KEY' | 'CORRUPT_SNAPSHOT';

export class SnapshotReadError extends StoreError {
  constructor(
    readonly problem: SnapshotProblem,
    detail: string,
  ) {
    super(problem, detail, { subject: 'snapshot' });
  }
}

function buildBlockHeader(generation: number, key: StoreKey, blockSize: number, imageLength: number): Buffer {
  const header = Buffer.alloc(blockHeaderLength);
  magic.copy(header, 0);
  header.writeUInt16BE(blockFormat, 8);
  header.writeUInt16BE(0, 10);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  randomBytes(12).copy(header, 24);
  header.writeUInt32BE(blockSize, 36);
  header.writeBigUInt64BE(BigInt(imageLength), 40);
  return header;
}

function blockAad(header: Buffer, index: number): Buffer {
  const aad = Buffer.alloc(header.length + 4);
  header.copy(aad, 0);
  aad.writeUInt32BE(index, header.length);
  return aad;
}

function blockCount(imageLength: number, blockSize: number): number {
  return Math.ceil(imageLength / blockSize);
}

/** Size of a version-2 file: anything else is a truncated or padded file. */
function blockFileSize(imageLength: number, blockSize: number): number {
  return blockHeaderLength + imageLength + blockCount(imageLength, blockSize) * blockOverhead;
}

/**
 * Writes `plaintext` as a version-2 snapshot, sealing it block by block and writing `chunkSize`
 * bytes at a time, so peak memory stays near one database image and the worker keeps serving
 * queries between chunks while a large snapshot is written. fsync'd before it resolves.
 */
export async function writeSnapshotFile(
  path: string,
  plaintext: Uint8Array,
  generation: number,
  key: StoreKey,
  chunkSize = defaultChunkSize,
  blockSize = defaultBlockSize,
): Promise<number> {
  if (!Number.isInteger(blockSize) || blockSize < 512 || blockSize > maxBlockSize)
    throw new StoreError('IO', `snapshot block size ${blockSize} out of range`, { subject: 'snapshot' });
  const header = buildBlockHeader(generation, key, blockSize, plaintext.length);
  const count = blockCount(plaintext.length, blockSize);
  const blocksPerWrite = Math.max(1, Math.floor(chunkSize / (blockSize + blockOverhead)));
  const file = await open(path, 'w', 0o600);
  try {
    await file.write(header);
    for (let first = 0; first < count; first += blocksPerWrite) {
      const last = Math.min(count, first + blocksPerWrite);
      const pieces: Buffer[] = [];
      for (let index = first; index < last; index++) {
        const block = plaintext.subarray(
          index * blockSize,
          Math.min((index + 1) * blockSize, plaintext.length),
        );
        pieces.push(...sealPiece(key, block, blockAad(header, index)).pieces);
      }
      await file.write(Buffer.concat(pieces));
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return blockFileSize(plaintext.length, blockSize);
}

/** Reads and checks only the header: cheap, used to learn a file's generation. */
export function readSnapshotHeader(path: string, key: StoreKey): SnapshotHeader & { fileSize: number } {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const { generation, fingerprint } = readHeader(fd, fileSize, key, path);
    return { generation, fingerprint, fileSize };
  } finally {
    closeSync(fd);
  }
}

type ParsedHeader =
  | { version: typeof wholeFormat; generation: number; fingerprint: Buffer; header: Buffer }
  | {
      version: typeof blockFormat;
      generation: number;
      fingerprint: Buffer;
      header: Buffer;
      blockSize: number;
      imageLength: number;
    };

function readHeader(fd: number, fileSize: number, key: StoreKey, path: string): ParsedHeader {
  const header = Buffer.alloc(blockHeaderLength);
  const got = readSync(fd, header, 0, header.length, 0);
  if (got < magic.length || !header.subarray(0, magic.length).equals(magic)) {
    throw new SnapshotReadError('FOREIGN_FILE', `${path}: not a Poste DMP snapshot (magic mismatch)`);
  }
  if (got < commonHeaderLength)
    throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: truncated (${fileSize} bytes)`);
  const version = header.readUInt16BE(8);
  if (version !== wholeFormat && version !== blockFormat)
    throw new SnapshotReadError('UNSUPPORTED_VERSION', `${path}: format version ${version}`);
  const fingerprint = header.subarray(16, 24);
  if (!fingerprint.equals(keyFingerprint(key)))
    throw new SnapshotReadError('WRONG_KEY', `${path}: key fingerprint mismatch`);
  const generation = header.readUInt32BE(12);
  if (version === wholeFormat) {
    if (fileSize < wholeHeaderLength + tagLength)
      throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: truncated (${fileSize} bytes)`);
    return { version, generation, fingerprint, header: header.subarray(0, wholeHeaderLength) };
  }
  if (got < blockHeaderLength)
    throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: truncated (${fileSize} bytes)`);
  const blockSize = header.readUInt32BE(36);
  const imageLength = Number(header.readBigUInt64BE(40));
  // An altered size is caught by the first block's tag; these bounds only keep the arithmetic sane.
  if (blockSize < 512 || blockSize > maxBlockSize || !Number.isSafeInteger(imageLength))
    throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: implausible block header`);
  if (fileSize !== blockFileSize(imageLength, blockSize))
    throw new SnapshotReadError(
      'CORRUPT_SNAPSHOT',
      `${path}: ${fileSize} bytes where the header announces ${blockFileSize(imageLength, blockSize)}`,
    );
  return { version, generation, fingerprint, header, blockSize, imageLength };
}

/** The sealed blocks of an open version-2 file, decrypted one at a time. */
class SealedBlocks implements BlockSource {
  readonly count: number;
  private fd: number | null;
  private readonly scratch: Buffer;

  constructor(
    fd: number,
    private readonly path: string,
    private readonly header: Buffer,
    readonly blockSize: number,
    readonly imageLength: number,
    private readonly key: StoreKey,
  ) {
    this.fd = fd;
    this.count = blockCount(imageLength, blockSize);
    this.scratch = Buffer.alloc(blockSize + blockOverhead);
  }

  /** Block `index`, decrypted and authenticated, in a buffer of its own (`BlockSource.read`). */
  read(index: number): Uint8Array {
    if (this.fd === null) throw new Error(`snapshot blocks of ${this.path} read after release`);
    const length = Math.min(this.blockSize, this.imageLength - index * this.blockSize);
    const sealed = this.scratch.subarray(0, length + blockOverhead);
    const position = blockHeaderLength + index * (this.blockSize + blockOverhead);
    const got = readSync(this.fd, sealed, 0, sealed.length, position);
    if (got !== sealed.length)
      throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${this.path}: short read of block ${index}`);
    const plain = openPiece(this.key, sealed, blockAad(this.header, index));
    if (!plain)
      throw new SnapshotReadError(
        'CORRUPT_SNAPSHOT',
        `${this.path}: block ${index} of ${this.count} failed authentication`,
      );
    return plain;
  }

  release(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/** What names one version-2 snapshot file: an overlay (snapshot-overlay.ts) belongs to exactly one. */
export interface SnapshotIdentity {
  generation: number;
  /** The header's random file id. */
  fileId: Buffer;
  blockSize: number;
}

/**
 * For an on-demand open: may put something over the snapshot's blocks (the CLI's overlay of
 * blocks changed since, snapshot-overlay.ts) before sql.js sees the image.
 */
export type BlockSourceWrapper = (snapshot: SnapshotIdentity, blocks: BlockSource) => BlockSource;

/** A snapshot read whole: its decrypted image, authenticated. */
export interface WholeSnapshot {
  generation: number;
  /** The database image, to hand to sql.js (`databaseFromImage`). */
  plaintext: Uint8Array;
  onDemand: null;
}

export type OpenedSnapshot =
  | WholeSnapshot
  | {
      generation: number;
      /** The database image, to hand to sql.js (`databaseFromImage`). */
      plaintext: OnDemandFile;
      /** Blocks still read from the file on demand: release it once the database is closed. */
      onDemand: OnDemandImageHandle;
    };

/**
 * Opens a snapshot for sql.js. Whole: every block (or, for a version-1 file, the single sealed
 * image) is decrypted and authenticated before this returns. On demand (version 2 only): the
 * first block is read now — it holds SQLite's header and proves the file's header — and the others
 * when sql.js first touches them; a damaged block is then reported by the read that met it
 * (`sql-image.ts`), not here.
 */
export function openSnapshotFile(path: string, key: StoreKey, reading?: 'whole'): WholeSnapshot;
export function openSnapshotFile(
  path: string,
  key: StoreKey,
  reading: SnapshotReading,
  wrap?: BlockSourceWrapper,
): OpenedSnapshot;
export function openSnapshotFile(
  path: string,
  key: StoreKey,
  reading: SnapshotReading = 'whole',
  wrap?: BlockSourceWrapper,
): OpenedSnapshot {
  const fd = openSync(path, 'r');
  let keepOpen = false;
  try {
    const fileSize = fstatSync(fd).size;
    const parsed = readHeader(fd, fileSize, key, path);
    if (parsed.version === wholeFormat) {
      return {
        generation: parsed.generation,
        plaintext: readWholeImage(fd, fileSize, parsed.header, key, path),
        onDemand: null,
      };
    }
    const blocks = new SealedBlocks(fd, path, parsed.header, parsed.blockSize, parsed.imageLength, key);
    if (reading === 'whole' || blocks.count <= 1) {
      const plaintext = allocateImage(parsed.imageLength);
      try {
        for (let index = 0; index < blocks.count; index++)
          plaintext.set(blocks.read(index), index * blocks.blockSize);
      } catch (err) {
        plaintext.fill(0);
        throw err;
      }
      return { generation: parsed.generation, plaintext, onDemand: null };
    }
    // From here the blocks own the descriptor (onDemandImage releases it if its first block fails).
    keepOpen = true;
    const identity = {
      generation: parsed.generation,
      fileId: Buffer.from(parsed.header.subarray(24, 36)),
      blockSize: parsed.blockSize,
    };
    let source: BlockSource = blocks;
    try {
      source = wrap ? wrap(identity, blocks) : blocks;
    } catch (err) {
      blocks.release();
      throw err;
    }
    const image = onDemandImage(source);
    return { generation: parsed.generation, plaintext: image.plaintext, onDemand: image };
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}

/** Ciphertext handed to the decipher at a time: small, so its output buffers are recycled. */
const decryptPiece = 64 * 1024;

/**
 * Version 1: the plaintext is handed out only once the GCM tag has been verified by `final()`: a
 * truncated or altered file yields an error, never a partial database. The ciphertext is read
 * straight into the buffer that will hold the plaintext, then decrypted in place piece by piece.
 */
function readWholeImage(
  fd: number,
  fileSize: number,
  header: Buffer,
  key: StoreKey,
  path: string,
): Uint8Array {
  const cipherLength = fileSize - wholeHeaderLength - tagLength;
  const tag = Buffer.alloc(tagLength);
  readSync(fd, tag, 0, tagLength, fileSize - tagLength);
  const decipher = createDecipheriv('aes-256-gcm', key.key, header.subarray(commonHeaderLength), {
    authTagLength: tagLength,
  });
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const plaintext = allocateImage(cipherLength);
  let produced = 0;
  try {
    for (let offset = 0; offset < cipherLength;) {
      const want = Math.min(defaultChunkSize, cipherLength - offset);
      const n = readSync(fd, plaintext, offset, want, wholeHeaderLength + offset);
      if (n === 0) throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: short read at ${offset}`);
      // Output never runs ahead of input, so writing it over the consumed ciphertext is safe.
      for (let piece = offset; piece < offset + n; piece += decryptPiece) {
        const out = decipher.update(plaintext.subarray(piece, Math.min(piece + decryptPiece, offset + n)));
        plaintext.set(out, produced);
        produced += out.length;
      }
      offset += n;
    }
    try {
      plaintext.set(decipher.final(), produced);
    } catch {
      throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: authentication failed (${fileSize} bytes)`);
    }
  } catch (err) {
    plaintext.fill(0);
    throw err;
  }
  return plaintext;
}
