import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { unlinkIfExists, writeFileDurably, writePiecesAt } from './durable-fs';
import type { JournalContents, JournalPrefix } from './journal';
import { keyFingerprint, type StoreKey } from './key';
import type { BlockSource } from './sql-image';
import { SnapshotReadError, type SnapshotIdentity } from './snapshot-file';
import { overlayName } from './store-files';
import { openPiece, sealOverhead, sealPiece, tagLength } from './sealed-piece';

/**
 * The overlay of a snapshot: the blocks of the database image that changed since the snapshot was
 * written, as they stood at a given position of its journal. A CLI command that opens the store
 * on demand starts from the snapshot with the overlay over it, and replays only the journal
 * records after that position, instead of re-running every transaction since the last compaction
 * (about 5 ms each with sql.js on a 10 000-dossier store: most of a cold one-file import). At
 * close it appends the blocks it changed.
 *
 * The overlay is a cache of what the journal says: never needed, never trusted beyond its tags.
 * An open that reads the snapshot whole ignores it; one that finds it damaged, stale or ahead of
 * the journal replays the journal as before; compaction deletes it.
 *
 * File: a 48-byte header `magic | version | reserved | snapshot generation | key fingerprint |
 * snapshot file id | block size | reserved (8)`, then one segment appended per close:
 * `u32 head length | sealed head | sealed blocks`. Sealed means `12-byte IV | AES-256-GCM
 * ciphertext | 16-byte tag`. The head's additional data is the file header, the segment's index,
 * its head length and the previous segment's head tag, so a segment cannot be moved, dropped from
 * the middle or taken from another overlay. Head plaintext: `journal generation | record count |
 * tag of the last record counted (zeros if none) | image length (u64) | journal length in bytes
 * (u64) | SHA-256 of the journal's bytes up to there | block count n | n block indexes (u32)`.
 * The digest is what lets the next open take those records as they are, unread and undecrypted,
 * when the journal still holds the same bytes (journal.ts, `JournalPrefix`). Each block (`block
 * size` bytes, the image's last one shorter) is sealed on its own with the head's tag and its
 * index as additional data, so an open reads the heads only and decrypts a block when sql.js first
 * touches it, as for the snapshot. A segment holds every block written during its session, so
 * segments 0..k together give the image at segment k's position; a later segment's block replaces
 * an earlier one's.
 */
const magic = Buffer.from('PDMPOVLY', 'ascii');
/** Version 1 (before the journal digest) is not used: a cache, rebuilt at the next close. */
const formatVersion = 2;
const headerLength = 48;
const noTag = Buffer.alloc(tagLength);
/** Fixed part of a head's plaintext, before the block indexes. */
const headFields = 76;
/** Beyond this a head length is garbage (a million blocks). */
const maxHeadLength = sealOverhead + headFields + 4 * 1024 * 1024;

/** Where in the journal an overlay segment stands: after the prefix `bytes` of `generation`'s. */
export interface JournalPosition extends JournalPrefix {
  generation: number;
}

/** Where one sealed block of a segment lies in the file. */
interface SealedBlockPlace {
  offset: number;
  length: number;
  headTag: Buffer;
}

interface Segment {
  position: JournalPosition;
  imageLength: number;
  blocks: Map<number, SealedBlockPlace>;
  /** File offset just after this segment. */
  end: number;
  headTag: Buffer;
}

/** The overlay chosen at open, and where the next segment goes. */
export interface OverlayUse {
  /** The source to open the image from: the snapshot's blocks, with the overlay's over them. */
  source: BlockSource;
  /** Journal records of `position.generation` already in the image: replay starts after them. */
  position: JournalPosition | null;
  /** Segments used (0: none, the snapshot alone). */
  segments: number;
  /** For `appendOverlaySegment`. */
  appendAt: AppendPlace;
}

export interface AppendPlace {
  snapshot: SnapshotIdentity;
  /** Offset after the last segment used (null: no usable file, create a new one). */
  offset: number | null;
  previousTag: Buffer;
  index: number;
}

function buildHeader(snapshot: SnapshotIdentity, key: StoreKey): Buffer {
  const header = Buffer.alloc(headerLength);
  magic.copy(header, 0);
  header.writeUInt16BE(formatVersion, 8);
  header.writeUInt32BE(snapshot.generation, 12);
  keyFingerprint(key).copy(header, 16);
  snapshot.fileId.copy(header, 24);
  header.writeUInt32BE(snapshot.blockSize, 36);
  return header;
}

function headAad(header: Buffer, index: number, headLength: number, previousTag: Buffer): Buffer {
  const fields = Buffer.alloc(8);
  fields.writeUInt32BE(index, 0);
  fields.writeUInt32BE(headLength, 4);
  return Buffer.concat([header, fields, previousTag]);
}

function blockAad(headTag: Buffer, index: number): Buffer {
  const aad = Buffer.alloc(tagLength + 4);
  headTag.copy(aad, 0);
  aad.writeUInt32BE(index, tagLength);
  return aad;
}

function blockLength(index: number, blockSize: number, imageLength: number): number {
  return Math.min(blockSize, imageLength - index * blockSize);
}

/**
 * The valid segments of the overlay that belongs to `snapshot`, in order, up to the first one that
 * is torn or whose head fails its tag (its blocks are checked when read); null when there is no
 * overlay for this snapshot (none, another snapshot's, another key's).
 */
function readSegments(fd: number, key: StoreKey, snapshot: SnapshotIdentity): Segment[] | null {
  const fileSize = fstatSync(fd).size;
  const expected = buildHeader(snapshot, key);
  const header = Buffer.alloc(headerLength);
  if (readSync(fd, header, 0, headerLength, 0) !== headerLength || !header.equals(expected)) return null;
  const segments: Segment[] = [];
  let offset = headerLength;
  let previousTag: Buffer = noTag;
  const lengthField = Buffer.alloc(4);
  while (offset + 4 <= fileSize) {
    readSync(fd, lengthField, 0, 4, offset);
    const headLength = lengthField.readUInt32BE(0);
    const headStart = offset + 4;
    if (
      headLength < sealOverhead + headFields ||
      headLength > maxHeadLength ||
      headStart + headLength > fileSize
    )
      break;
    const sealedHead = Buffer.alloc(headLength);
    if (readSync(fd, sealedHead, 0, headLength, headStart) !== headLength) break;
    const head = openPiece(key, sealedHead, headAad(header, segments.length, headLength, previousTag));
    if (!head) break;
    const headTag = Buffer.from(sealedHead.subarray(headLength - tagLength));
    const segment = parseHead(head, snapshot.blockSize, headStart + headLength, headTag);
    // A segment whose blocks do not all lie in the file was torn while being appended.
    if (!segment || segment.end > fileSize) break;
    segments.push(segment);
    previousTag = headTag;
    offset = segment.end;
  }
  return segments;
}

function parseHead(head: Buffer, blockSize: number, blocksStart: number, headTag: Buffer): Segment | null {
  if (head.length < headFields) return null;
  const records = head.readUInt32BE(4);
  const imageLength = Number(head.readBigUInt64BE(24));
  const journalBytes = Number(head.readBigUInt64BE(32));
  const count = head.readUInt32BE(72);
  if (!Number.isSafeInteger(imageLength) || !Number.isSafeInteger(journalBytes)) return null;
  if (head.length !== headFields + count * 4) return null;
  const blocks = new Map<number, SealedBlockPlace>();
  let offset = blocksStart;
  for (let i = 0; i < count; i++) {
    const index = head.readUInt32BE(headFields + i * 4);
    const length = blockLength(index, blockSize, imageLength);
    if (length <= 0) return null;
    blocks.set(index, { offset, length, headTag });
    offset += length + sealOverhead;
  }
  return {
    position: {
      generation: head.readUInt32BE(0),
      records,
      lastTag: records === 0 ? null : Buffer.from(head.subarray(8, 24)),
      bytes: journalBytes,
      sha256: Buffer.from(head.subarray(40, 72)),
    },
    imageLength,
    blocks,
    end: offset,
    headTag,
  };
}

/** Whether the journal as read now still holds, byte for byte, the prefix the position names. */
function journalConfirms(position: JournalPosition, journal: JournalContents): boolean {
  const held = journal.prefix;
  return (
    position.generation === journal.generation &&
    held !== null &&
    held.bytes === position.bytes &&
    held.sha256.equals(position.sha256)
  );
}

/**
 * The overlay to open `snapshot` with: its last segment whose position the journal of the
 * snapshot's generation, as read now, still holds unchanged, with every segment before it. With
 * none, the snapshot's blocks alone, and the next segment starts a new file. `readJournal` reads
 * that journal, given the segments' positions as prefixes it may take unread (null: unreadable,
 * left to the replay to report).
 */
export function chooseOverlay(
  dir: string,
  key: StoreKey,
  snapshot: SnapshotIdentity,
  blocks: BlockSource,
  readJournal: (prefixes: JournalPrefix[]) => JournalContents | null,
): OverlayUse {
  const path = join(dir, overlayName);
  let fd: number | null = existsSync(path) ? openSync(path, 'r') : null;
  let found: Segment[] | null = null;
  try {
    found = fd === null ? null : readSegments(fd, key, snapshot);
  } catch {
    found = null;
  }
  const segments = found ?? [];
  const journal = readJournal(
    segments
      .map((segment) => segment.position)
      .filter((position) => position.generation === snapshot.generation),
  );
  let used = -1;
  if (journal) {
    for (let i = segments.length - 1; i >= 0; i--) {
      if (journalConfirms((segments[i] as Segment).position, journal)) {
        used = i;
        break;
      }
    }
  }
  let chosen = segments.slice(0, used + 1);
  // Block 0 is read by the open itself, where a failure would count against the snapshot: an
  // overlay whose block 0 is unreadable is not used at all (and is replaced at the next close).
  const firstPlace = latestPlace(chosen, 0);
  let usable = true;
  if (firstPlace && fd !== null && !readSealedBlock(fd, key, firstPlace, 0)) {
    chosen = [];
    usable = false;
  }
  const last = chosen.at(-1);
  let source: BlockSource = blocks;
  if (last && fd !== null) {
    source = new OverlaidBlocks(blocks, fd, key, chosen, last.imageLength);
    // The overlaid source now owns the descriptor.
    fd = null;
  }
  if (fd !== null) closeSync(fd);
  return {
    source,
    position: last?.position ?? null,
    segments: chosen.length,
    appendAt: {
      snapshot,
      offset: last ? last.end : found && usable ? headerLength : null,
      previousTag: last?.headTag ?? noTag,
      index: chosen.length,
    },
  };
}

function latestPlace(segments: Segment[], index: number): SealedBlockPlace | undefined {
  for (let i = segments.length - 1; i >= 0; i--) {
    const place = (segments[i] as Segment).blocks.get(index);
    if (place) return place;
  }
  return undefined;
}

/**
 * Block `index` of a segment, decrypted in a buffer of its own; null when it cannot be read or fails
 * its tag. Read through `scratch` when given (at least the sealed block's length), not into a fresh
 * buffer of its own.
 */
function readSealedBlock(
  fd: number,
  key: StoreKey,
  place: SealedBlockPlace,
  index: number,
  scratch?: Buffer,
): Buffer | null {
  const size = place.length + sealOverhead;
  const sealed = scratch ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
  if (readSync(fd, sealed, 0, size, place.offset) !== size) return null;
  return openPiece(key, sealed, blockAad(place.headTag, index));
}

/** The snapshot's blocks, with the overlay's blocks over them (the latest segment's first). */
class OverlaidBlocks implements BlockSource {
  readonly count: number;
  readonly blockSize: number;
  private readonly places = new Map<number, SealedBlockPlace>();
  private fd: number | null;
  private readonly scratch: Buffer;

  constructor(
    private readonly snapshot: BlockSource,
    fd: number,
    private readonly key: StoreKey,
    segments: Segment[],
    readonly imageLength: number,
  ) {
    this.fd = fd;
    this.blockSize = snapshot.blockSize;
    this.count = Math.ceil(imageLength / this.blockSize);
    this.scratch = Buffer.allocUnsafe(this.blockSize + sealOverhead);
    for (const segment of segments)
      for (const [index, place] of segment.blocks) this.places.set(index, place);
  }

  read(index: number): Uint8Array {
    const place = this.places.get(index);
    if (!place) {
      // Past the snapshot's end and never written: SQLite never wrote there, it reads zeros.
      return index < this.snapshot.count ? this.snapshot.read(index) : new Uint8Array(this.blockSize);
    }
    if (this.fd === null) throw new Error(`overlay block ${index} read after release`);
    const plain = readSealedBlock(this.fd, this.key, place, index, this.scratch);
    if (!plain)
      throw new SnapshotReadError('CORRUPT_SNAPSHOT', `${overlayName}: block ${index} failed authentication`);
    // A block sealed when the image was longer: nothing past the image's end now.
    const wanted = Math.max(0, this.imageLength - index * this.blockSize);
    if (wanted < plain.length) plain.fill(0, wanted);
    return plain;
  }

  release(): void {
    this.snapshot.release();
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Appends a segment with `blocks` (index → plaintext) at `place`, cutting off whatever followed
 * the last segment used (a torn segment, or segments the journal no longer confirms); fsync'd.
 * A new file is written aside and renamed into place.
 */
export function appendOverlaySegment(
  dir: string,
  key: StoreKey,
  place: AppendPlace,
  position: JournalPosition,
  imageLength: number,
  blocks: Array<[number, Uint8Array]>,
): AppendPlace {
  const header = buildHeader(place.snapshot, key);
  const head = Buffer.alloc(headFields + blocks.length * 4);
  head.writeUInt32BE(position.generation, 0);
  head.writeUInt32BE(position.records, 4);
  (position.lastTag ?? noTag).copy(head, 8);
  head.writeBigUInt64BE(BigInt(imageLength), 24);
  head.writeBigUInt64BE(BigInt(position.bytes), 32);
  position.sha256.copy(head, 40);
  head.writeUInt32BE(blocks.length, 72);
  blocks.forEach(([index], i) => head.writeUInt32BE(index, headFields + i * 4));
  const headLength = head.length + sealOverhead;
  const sealedHead = sealPiece(key, head, headAad(header, place.index, headLength, place.previousTag));
  const lengthField = Buffer.alloc(4);
  lengthField.writeUInt32BE(headLength, 0);
  const segment = [
    lengthField,
    ...sealedHead.pieces,
    ...blocks.flatMap(([index, block]) => sealPiece(key, block, blockAad(sealedHead.tag, index)).pieces),
  ];
  const segmentLength = segment.reduce((n, piece) => n + piece.length, 0);
  const next = (offset: number): AppendPlace => ({
    ...place,
    offset: offset + segmentLength,
    previousTag: sealedHead.tag,
    index: place.index + 1,
  });

  const path = join(dir, overlayName);
  if (place.offset === null) {
    writeFileDurably(path, Buffer.concat([header, ...segment]));
    return next(headerLength);
  }
  // Not fsync'd (17 ms of a cold import's close on this VM): the journal, whose records the
  // segment stands for, is durable already, and a segment the disk lost or tore after a crash
  // fails its tags and is not used (the journal is replayed instead).
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, place.offset);
    writePiecesAt(fd, segment, place.offset);
  } finally {
    closeSync(fd);
  }
  return next(place.offset);
}

/** After a compaction: the overlay belonged to the snapshot just replaced. */
export function removeOverlay(dir: string): void {
  unlinkIfExists(join(dir, overlayName));
}
