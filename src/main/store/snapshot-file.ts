import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StoreError } from './errors';
import { keyFingerprint, type StoreKey } from './key';
import { allocateImage } from './sql-image';

/**
 * Snapshot file: `magic | version | reserved | generation | key fingerprint | 12-byte IV |
 * ciphertext | 16-byte tag`, AES-256-GCM with the whole header as additional data.
 * Generation G holds every transaction of the journals numbered below G.
 */
const magic = Buffer.from('PDMPSNAP', 'ascii');
const formatVersion = 1;
export const snapshotHeaderLength = 8 + 2 + 2 + 4 + 8 + 12;
const tagLength = 16;
export const defaultChunkSize = 8 * 1024 * 1024;

export interface SnapshotHeader {
  generation: number;
  fingerprint: Buffer;
  iv: Buffer;
}

function buildHeader(generation: number, key: StoreKey): Buffer {
  const header = Buffer.alloc(snapshotHeaderLength);
  magic.copy(header, 0);
  header.writeUInt16BE(formatVersion, 8);
  header.writeUInt16BE(0, 10);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  randomBytes(12).copy(header, 24);
  return header;
}

/**
 * Encrypts in chunks straight to the file so peak memory stays near one database image, and
 * yields between chunks so the worker keeps serving queries while a large snapshot is written.
 */
export async function writeSnapshotFile(
  path: string,
  plaintext: Uint8Array,
  generation: number,
  key: StoreKey,
  chunkSize = defaultChunkSize,
): Promise<number> {
  const header = buildHeader(generation, key);
  const cipher = createCipheriv('aes-256-gcm', key.key, header.subarray(24), { authTagLength: tagLength });
  cipher.setAAD(header);
  const file = await open(path, 'w', 0o600);
  try {
    await file.write(header);
    for (let offset = 0; offset < plaintext.length; offset += chunkSize) {
      await file.write(
        cipher.update(plaintext.subarray(offset, Math.min(offset + chunkSize, plaintext.length))),
      );
    }
    const last = cipher.final();
    if (last.length > 0) await file.write(last);
    await file.write(cipher.getAuthTag());
    await file.sync();
  } finally {
    await file.close();
  }
  return header.length + plaintext.length + tagLength;
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

/** Reads and checks only the header: cheap, used to learn a file's generation. */
export function readSnapshotHeader(path: string, key: StoreKey): SnapshotHeader & { fileSize: number } {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const header = Buffer.alloc(snapshotHeaderLength);
    const got = readSync(fd, header, 0, header.length, 0);
    return { ...parseHeader(header.subarray(0, got), fileSize, key, path), fileSize };
  } finally {
    closeSync(fd);
  }
}

function parseHeader(header: Buffer, fileSize: number, key: StoreKey, path: string): SnapshotHeader {
  if (header.length < magic.length || !header.subarray(0, magic.length).equals(magic)) {
    throw new SnapshotReadError('FOREIGN_FILE', `${path}: not a Poste DMP snapshot (magic mismatch)`);
  }
  if (header.length < snapshotHeaderLength || fileSize < snapshotHeaderLength + tagLength) {
    throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: truncated (${fileSize} bytes)`);
  }
  const version = header.readUInt16BE(8);
  if (version !== formatVersion)
    throw new SnapshotReadError('UNSUPPORTED_VERSION', `${path}: format version ${version}`);
  const fingerprint = header.subarray(16, 24);
  if (!fingerprint.equals(keyFingerprint(key)))
    throw new SnapshotReadError('WRONG_KEY', `${path}: key fingerprint mismatch`);
  return { generation: header.readUInt32BE(12), fingerprint, iv: header.subarray(24, 36) };
}

/** Ciphertext handed to the decipher at a time: small, so its output buffers are recycled. */
const decryptPiece = 64 * 1024;

/**
 * Decrypts a whole snapshot. The plaintext is handed out only once the GCM tag has been verified
 * by `final()`: a truncated or altered file yields an error, never a partial database.
 *
 * The ciphertext is read straight into the buffer that will hold the plaintext (allocated with
 * room to grow and handed to sql.js as is, see `sql-image.ts`), then decrypted in place piece by
 * piece: the image is the only large buffer touched, once. Reads are `chunkSize` at a time.
 */
export function readSnapshotFile(
  path: string,
  key: StoreKey,
  chunkSize = defaultChunkSize,
): { generation: number; plaintext: Uint8Array } {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const header = Buffer.alloc(snapshotHeaderLength);
    const got = readSync(fd, header, 0, header.length, 0);
    const { generation, iv } = parseHeader(header.subarray(0, got), fileSize, key, path);
    const cipherLength = fileSize - snapshotHeaderLength - tagLength;
    const tag = Buffer.alloc(tagLength);
    readSync(fd, tag, 0, tagLength, fileSize - tagLength);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: tagLength });
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    const plaintext = allocateImage(cipherLength);
    let produced = 0;
    try {
      for (let offset = 0; offset < cipherLength;) {
        const want = Math.min(chunkSize, cipherLength - offset);
        const n = readSync(fd, plaintext, offset, want, snapshotHeaderLength + offset);
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
        const last = decipher.final();
        plaintext.set(last, produced);
      } catch {
        throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${path}: authentication failed (${fileSize} bytes)`);
      }
    } catch (err) {
      plaintext.fill(0);
      throw err;
    }
    return { generation, plaintext };
  } finally {
    closeSync(fd);
  }
}
