import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// sql.js-by-require:sql.js
var require_sql = __commonJS({
  "sql.js-by-require:sql.js"(exports, module) {
    module.exports = __require("sql.js");
  }
});

// src/main/store/store-worker.ts
import { parentPort } from "node:worker_threads";

// src/main/store/engine.ts
var import_sql = __toESM(require_sql(), 1);
import {
  existsSync as existsSync2,
  linkSync as linkSync3,
  mkdirSync,
  readdirSync,
  readFileSync as readFileSync3,
  renameSync as renameSync3,
  statSync,
  writeFileSync as writeFileSync2
} from "node:fs";
import { join as join3 } from "node:path";

// src/main/store/durable-fs.ts
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  writevSync,
  constants
} from "node:fs";
import { dirname } from "node:path";
function fsyncDirectory(dir) {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
function writeAll(fd, data, position) {
  let written = 0;
  while (written < data.length) {
    written += writeSync(
      fd,
      data,
      written,
      data.length - written,
      position === void 0 ? null : position + written
    );
  }
}
function writePiecesAt(fd, pieces, position) {
  const total = pieces.reduce((n, piece) => n + piece.length, 0);
  const written = writevSync(fd, pieces, position);
  if (written < total) writeAll(fd, Buffer.concat(pieces).subarray(written), position + written);
}
function writeFileDurably(path, data) {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w", 384);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
}
function unlinkIfExists(path) {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if (isErrno(err, "ENOENT")) return false;
    throw err;
  }
}
function isErrno(err, code) {
  return typeof err === "object" && err !== null && err.code === code;
}

// src/main/store/dir-lock.ts
import { randomBytes } from "node:crypto";
import { linkSync as linkSync2, readFileSync, renameSync as renameSync2, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

// src/main/store/errors.ts
var StoreError = class extends Error {
  constructor(reason, detail, facts = {}) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.reason = reason;
    this.detail = detail;
    this.facts = facts;
    this.name = "StoreError";
  }
  reason;
  detail;
  facts;
};
function serializeError(err) {
  if (err instanceof StoreError) return { reason: err.reason, detail: err.detail, facts: err.facts };
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { reason: "IO", detail };
}

// src/main/store/dir-lock.ts
var lockFileName = "LOCK";
var cachedBootId;
function currentBootId() {
  if (cachedBootId === void 0) {
    try {
      cachedBootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}
function processStartTime(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}
function pidIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, "EPERM");
  }
}
function parseHolder(text) {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), boot: null, start: null };
  try {
    const value = JSON.parse(trimmed);
    if (typeof value.pid !== "number" || !Number.isInteger(value.pid) || value.pid < 1) return null;
    return {
      pid: value.pid,
      boot: typeof value.boot === "string" ? value.boot : null,
      start: typeof value.start === "string" ? value.start : null,
      ...typeof value.host === "string" ? { host: value.host } : {},
      ...typeof value.token === "string" ? { token: value.token } : {}
    };
  } catch {
    return null;
  }
}
function staleReason(holder) {
  if (!holder) return "unreadable lock content";
  const boot = currentBootId();
  if (holder.boot !== null && boot !== null && holder.boot !== boot) return "written before a reboot";
  if (!pidIsAlive(holder.pid)) return "holder process is dead";
  if (holder.start !== null) {
    const start = processStartTime(holder.pid);
    if (start !== null && start !== holder.start) return "pid reused by another process";
  }
  return null;
}
function readLock(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) return null;
    throw err;
  }
}
var LockHeldError = class extends StoreError {
  constructor(lockPath, holder) {
    super("LOCKED", `lock ${lockPath} held by ${JSON.stringify(holder)}`, {
      path: lockPath,
      ...holder ? { pid: holder.pid, ...holder.host ? { host: holder.host } : {} } : {}
    });
    this.lockPath = lockPath;
    this.holder = holder;
  }
  lockPath;
  holder;
};
function prepare(path) {
  const token = randomBytes(12).toString("hex");
  const holder = {
    pid: process.pid,
    boot: currentBootId(),
    start: processStartTime(process.pid),
    host: hostname(),
    token
  };
  const content = `${JSON.stringify(holder)}
`;
  const tmp = `${path}.${process.pid}-${token}.tmp`;
  writeFileSync(tmp, content, { mode: 384 });
  return { content, tmp, discard: () => unlinkIfExists(tmp) };
}
function linkIfAbsent(created, path) {
  try {
    linkSync2(created.tmp, path);
    return true;
  } catch (err) {
    if (isErrno(err, "EEXIST")) return false;
    throw err;
  }
}
function releaser(path, content) {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (readLock(path) === content) unlinkIfExists(path);
  };
}
function removeIfUnchanged(path, stale) {
  const aside = `${path}.stale-${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    renameSync2(path, aside);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return;
    throw err;
  }
  const moved = readLock(aside);
  if (moved === stale) {
    unlinkIfExists(aside);
    return;
  }
  try {
    linkSync2(aside, path);
  } catch (err) {
    if (!isErrno(err, "EEXIST")) throw err;
  }
  unlinkIfExists(aside);
}
function tryAcquireLock(path) {
  const created = prepare(path);
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (linkIfAbsent(created, path)) return { release: releaser(path, created.content) };
      const seen2 = readLock(path);
      if (seen2 === null) continue;
      const holder = parseHolder(seen2);
      const reason = staleReason(holder);
      if (reason === null) return { holder };
      const takeover = tryAcquireTakeover(`${path}.takeover`);
      if (!takeover) continue;
      try {
        const now = readLock(path);
        if (now !== null && staleReason(parseHolder(now)) !== null) removeIfUnchanged(path, now);
      } finally {
        takeover();
      }
    }
    const seen = readLock(path);
    return { holder: seen === null ? null : parseHolder(seen) };
  } finally {
    created.discard();
  }
}
function tryAcquireTakeover(path) {
  const created = prepare(path);
  try {
    if (linkIfAbsent(created, path)) return releaser(path, created.content);
    const seen = readLock(path);
    if (seen !== null && staleReason(parseHolder(seen)) !== null) removeIfUnchanged(path, seen);
    return null;
  } finally {
    created.discard();
  }
}
function acquireDirectoryLock(dir) {
  const path = join(dir, lockFileName);
  const result = tryAcquireLock(path);
  if ("release" in result) return result.release;
  throw new LockHeldError(path, result.holder);
}

// src/main/store/journal.ts
import { createCipheriv, createDecipheriv, randomBytes as randomBytes3 } from "node:crypto";
import {
  closeSync as closeSync2,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  fsyncSync as fsyncSync2,
  openSync as openSync2,
  readFileSync as readFileSync2
} from "node:fs";

// src/main/store/key.ts
import { createHmac, randomBytes as randomBytes2 } from "node:crypto";
var keyLength = 32;
function rawStoreKey(key) {
  if (key.length !== keyLength) {
    throw new StoreError("KEY_INVALID", `key has ${key.length} bytes, expected ${keyLength}`, {
      subject: "key"
    });
  }
  return { kind: "raw", key: new Uint8Array(key) };
}
function keyFingerprint(key) {
  return Buffer.from(labelledKeyFingerprint(key.key, "poste-dmp/store/key-fingerprint/v1"), "hex").subarray(
    0,
    8
  );
}
function labelledKeyFingerprint(key, label) {
  return createHmac("sha256", key).update(label).digest("hex");
}

// src/main/store/journal.ts
var magic = Buffer.from("PDMPJRNL", "ascii");
var formatVersion = 1;
var journalHeaderLength = 24;
var recordHeaderLength = 4 + 4 + 12;
var tagLength = 16;
var maxRecordLength = 1024 * 1024 * 1024;
function journalFileName(generation) {
  return `journal.${String(generation).padStart(10, "0")}`;
}
function parseJournalFileName(name) {
  const m = /^journal\.(\d{10})$/.exec(name);
  return m?.[1] ? Number.parseInt(m[1], 10) : null;
}
function buildFileHeader(generation, key) {
  const header = Buffer.alloc(journalHeaderLength);
  magic.copy(header, 0);
  header.writeUInt16BE(formatVersion, 8);
  header.writeUInt16BE(0, 10);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  return header;
}
function encryptRecord(fileHeader, sequence, payload, key) {
  const recordHeader = Buffer.alloc(recordHeaderLength);
  recordHeader.writeUInt32BE(payload.length, 0);
  recordHeader.writeUInt32BE(sequence, 4);
  const iv = randomBytes3(12);
  iv.copy(recordHeader, 8);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.concat([fileHeader, recordHeader]));
  const body = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([recordHeader, body, cipher.getAuthTag()]);
}
var aboutJournal = { subject: "journal" };
function readJournal(path, expectedGeneration, key) {
  const bytes = readFileSync2(path);
  const base = {
    generation: expectedGeneration,
    payloads: [],
    tags: [],
    fileSize: bytes.length
  };
  if (bytes.length < journalHeaderLength) {
    if (!magic.subarray(0, Math.min(bytes.length, magic.length)).equals(bytes.subarray(0, Math.min(bytes.length, magic.length)))) {
      throw new StoreError("FOREIGN_FILE", `${path}: not a journal`, aboutJournal);
    }
    return {
      ...base,
      validEnd: 0,
      droppedReason: bytes.length > 0 ? "incomplete journal header" : null,
      tornHeader: true
    };
  }
  const fileHeader = bytes.subarray(0, journalHeaderLength);
  if (!fileHeader.subarray(0, magic.length).equals(magic))
    throw new StoreError("FOREIGN_FILE", `${path}: magic mismatch`, aboutJournal);
  const version = fileHeader.readUInt16BE(8);
  if (version !== formatVersion)
    throw new StoreError("UNSUPPORTED_VERSION", `${path}: version ${version}`, aboutJournal);
  if (!fileHeader.subarray(16, 24).equals(keyFingerprint(key)))
    throw new StoreError("WRONG_KEY", `${path}: key fingerprint mismatch`, aboutJournal);
  const generation = fileHeader.readUInt32BE(12);
  if (generation !== expectedGeneration) {
    throw new StoreError(
      "CORRUPT_JOURNAL",
      `${path}: header generation ${generation}, file name says ${expectedGeneration}`,
      aboutJournal
    );
  }
  const payloads = [];
  const tags = [];
  let offset = journalHeaderLength;
  let droppedReason = null;
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
    const decipher = createDecipheriv("aes-256-gcm", key.key, recordHeader.subarray(8, 20), {
      authTagLength: tagLength
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
var JournalWriter = class _JournalWriter {
  constructor(path, generation, fd, fileHeader, key, nextSequence, size, tag) {
    this.path = path;
    this.generation = generation;
    this.fd = fd;
    this.fileHeader = fileHeader;
    this.key = key;
    this.nextSequence = nextSequence;
    this.size = size;
    this.tag = tag;
  }
  path;
  generation;
  fd;
  fileHeader;
  key;
  nextSequence;
  size;
  tag;
  closed = false;
  /** Creates (or re-creates after a torn header) an empty journal, header durable on return. */
  static create(path, generation, key) {
    const header = buildFileHeader(generation, key);
    const fd = openSync2(path, "w", 384);
    try {
      writeAll(fd, header);
      fsyncSync2(fd);
    } catch (err) {
      closeSync2(fd);
      throw err;
    }
    return new _JournalWriter(path, generation, fd, header, key, 0, header.length, null);
  }
  /** Continues an existing journal after its last valid record, cutting off any dropped tail. */
  static resume(path, contents, key) {
    const fd = openSync2(path, "r+");
    try {
      if (fstatSync(fd).size !== contents.validEnd) {
        ftruncateSync(fd, contents.validEnd);
        fsyncSync2(fd);
      }
    } catch (err) {
      closeSync2(fd);
      throw err;
    }
    const header = buildFileHeader(contents.generation, key);
    return new _JournalWriter(
      path,
      contents.generation,
      fd,
      header,
      key,
      contents.payloads.length,
      contents.validEnd,
      contents.tags.at(-1) ?? null
    );
  }
  append(payload) {
    if (this.closed) throw new Error("journal closed");
    const record = encryptRecord(this.fileHeader, this.nextSequence, payload, this.key);
    writeAll(this.fd, record, this.size);
    fdatasyncSync(this.fd);
    this.nextSequence += 1;
    this.size += record.length;
    this.tag = record.subarray(record.length - tagLength);
    return record.length;
  }
  get records() {
    return this.nextSequence;
  }
  /** The last record's GCM tag (null while the journal has none): see `JournalContents.tags`. */
  get lastTag() {
    return this.tag;
  }
  get bytes() {
    return this.size;
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    closeSync2(this.fd);
  }
};

// src/main/store/store-files.ts
var snapshotName = "snapshot";
var previousName = "snapshot.prev";
var overlayName = "snapshot.overlay";

// src/main/store/snapshot-file.ts
import { createCipheriv as createCipheriv2, createDecipheriv as createDecipheriv2, randomBytes as randomBytes4 } from "node:crypto";
import { closeSync as closeSync3, fstatSync as fstatSync2, openSync as openSync3, readSync } from "node:fs";
import { open } from "node:fs/promises";

// src/main/store/sql-image.ts
function reserveFor(length) {
  return Math.max(16 * 1024 * 1024, Math.ceil(length / 4));
}
function allocateImage(length) {
  return new HandedOverImage(new ArrayBuffer(length + reserveFor(length)), 0, length);
}
var HandedOverImage = class extends Uint8Array {
  slice(start, end) {
    if ((start ?? 0) === 0 && (end ?? this.length) === this.length) {
      return new Uint8Array(this.buffer, this.byteOffset);
    }
    return Uint8Array.prototype.slice.call(this, start, end);
  }
};
function databaseFromImage(SQL, image) {
  return new SQL.Database(image);
}
var EIO = 29;
function ioError() {
  return new Proxy(
    { name: "ErrnoError", message: "snapshot block unreadable" },
    {
      get: (target, property) => property === "name" || property === "message" ? target[property] : typeof property === "string" ? EIO : void 0
    }
  );
}
var OnDemandState = class {
  constructor(source) {
    this.source = source;
    this.buffer = new ArrayBuffer(source.imageLength + reserveFor(source.imageLength));
    this.loaded = new Uint8Array(source.count);
    this.written = new Uint8Array(Math.ceil(this.buffer.byteLength / source.blockSize));
    this.length = source.imageLength;
  }
  source;
  buffer;
  loaded;
  /** Blocks written since the open, over the whole buffer (the file may grow into its room). */
  written;
  loadedBlocks = 0;
  damage = null;
  /** The file's length as far as writes through this image tell: the source's, or beyond. */
  length;
  /** Reads of SQLite's file change counter (bytes 24–40): how a read transaction starts. */
  headerReads = 0;
  get blockSize() {
    return this.source.blockSize;
  }
  /** Indexes of the blocks written since the open, in order. */
  writtenBlocks() {
    const indexes = [];
    this.written.forEach((flag, index) => {
      if (flag) indexes.push(index);
    });
    return indexes;
  }
  noteRead(start, end) {
    if (start <= 24 && end >= 40) this.headerReads += 1;
  }
  get blocks() {
    return this.source.count;
  }
  /** Loads every block that `[start, end)` overlaps. */
  ensure(start, end) {
    if (end <= start || this.loadedBlocks === this.source.count) return;
    const { blockSize, count } = this.source;
    const last = Math.min(count - 1, Math.floor((end - 1) / blockSize));
    for (let index = Math.floor(start / blockSize); index <= last; index++) this.load(index);
  }
  /** Before `[start, end)` is overwritten: blocks it covers entirely need no loading, the others do. */
  beforeWrite(start, end) {
    if (end <= start) return;
    const lastWritten = Math.min(this.written.length - 1, Math.floor((end - 1) / this.source.blockSize));
    for (let index = Math.floor(start / this.source.blockSize); index <= lastWritten; index++)
      this.written[index] = 1;
    this.length = Math.max(this.length, end);
    if (this.loadedBlocks === this.source.count) return;
    const { blockSize, count, imageLength } = this.source;
    const last = Math.min(count - 1, Math.floor((end - 1) / blockSize));
    for (let index = Math.floor(start / blockSize); index <= last; index++) {
      const blockStart = index * blockSize;
      const blockEnd = Math.min(blockStart + blockSize, imageLength);
      if (start <= blockStart && end >= blockEnd) this.markLoaded(index);
      else this.load(index);
    }
  }
  release() {
    this.source.release();
  }
  load(index) {
    if (this.loaded[index]) return;
    try {
      this.source.load(index, new Uint8Array(this.buffer), index * this.source.blockSize);
    } catch (err) {
      this.damage ??= err instanceof Error ? err : new Error(String(err));
      throw ioError();
    }
    this.markLoaded(index);
  }
  markLoaded(index) {
    if (this.loaded[index]) return;
    this.loaded[index] = 1;
    this.loadedBlocks += 1;
    if (this.loadedBlocks === this.source.count) this.source.release();
  }
};
var OnDemandImage = class _OnDemandImage extends Uint8Array {
  constructor(state, length) {
    super(state.buffer, 0, length);
    this.state = state;
  }
  state;
  // subarray, slice, map… build plain arrays: only the file's own contents load blocks.
  static get [Symbol.species]() {
    return Uint8Array;
  }
  subarray(begin, end) {
    const [start, stop] = clampRange(this.length, begin, end);
    this.state.noteRead(start, stop);
    this.state.ensure(start, stop);
    return Uint8Array.prototype.subarray.call(this, start, stop);
  }
  set(array, offset = 0) {
    this.state.beforeWrite(offset, offset + array.length);
    Uint8Array.prototype.set.call(this, array, offset);
  }
  /** As in `HandedOverImage`: the first write of a new file takes this image, and its room, as the file. */
  slice(start, end) {
    if ((start ?? 0) === 0 && (end ?? this.length) === this.length) {
      return new _OnDemandImage(this.state, this.state.buffer.byteLength);
    }
    const [from, to] = clampRange(this.length, start, end);
    this.state.ensure(from, to);
    return Uint8Array.prototype.slice.call(this, from, to);
  }
};
function clampRange(length, begin, end) {
  const at = (value, fallback) => {
    if (value === void 0) return fallback;
    const n = Math.trunc(value);
    return n < 0 ? Math.max(0, length + n) : Math.min(n, length);
  };
  return [at(begin, 0), at(end, length)];
}
function onDemandImage(source) {
  const state = new OnDemandState(source);
  const plaintext = new OnDemandImage(state, source.imageLength);
  try {
    state.ensure(0, 1);
  } catch {
    state.release();
    throw state.damage;
  }
  return {
    plaintext,
    get damage() {
      return state.damage;
    },
    get loadedBlocks() {
      return state.loadedBlocks;
    },
    blocks: state.blocks,
    get imageLength() {
      return state.length;
    },
    blockSize: state.blockSize,
    writtenBlocks: () => state.writtenBlocks(),
    block: (index) => {
      const start = index * state.blockSize;
      return new Uint8Array(
        state.buffer,
        start,
        Math.max(0, Math.min(state.blockSize, state.length - start))
      );
    },
    headerReadBy: (run) => {
      const before = state.headerReads;
      const value = run();
      return { value, read: state.headerReads > before };
    },
    release: () => state.release()
  };
}

// src/main/store/snapshot-file.ts
var magic2 = Buffer.from("PDMPSNAP", "ascii");
var wholeFormat = 1;
var blockFormat = 2;
var commonHeaderLength = 8 + 2 + 2 + 4 + 8;
var wholeHeaderLength = commonHeaderLength + 12;
var blockHeaderLength = commonHeaderLength + 12 + 4 + 8;
var ivLength = 12;
var tagLength2 = 16;
var blockOverhead = ivLength + tagLength2;
var defaultChunkSize = 8 * 1024 * 1024;
var defaultBlockSize = 64 * 1024;
var maxBlockSize = 16 * 1024 * 1024;
var SnapshotReadError = class extends StoreError {
  constructor(problem, detail) {
    super(problem, detail, { subject: "snapshot" });
    this.problem = problem;
  }
  problem;
};
function buildBlockHeader(generation, key, blockSize, imageLength) {
  const header = Buffer.alloc(blockHeaderLength);
  magic2.copy(header, 0);
  header.writeUInt16BE(blockFormat, 8);
  header.writeUInt16BE(0, 10);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  randomBytes4(12).copy(header, 24);
  header.writeUInt32BE(blockSize, 36);
  header.writeBigUInt64BE(BigInt(imageLength), 40);
  return header;
}
function blockAad(header, index) {
  const aad = Buffer.alloc(header.length + 4);
  header.copy(aad, 0);
  aad.writeUInt32BE(index, header.length);
  return aad;
}
function blockCount(imageLength, blockSize) {
  return Math.ceil(imageLength / blockSize);
}
function blockFileSize(imageLength, blockSize) {
  return blockHeaderLength + imageLength + blockCount(imageLength, blockSize) * blockOverhead;
}
async function writeSnapshotFile(path, plaintext, generation, key, chunkSize = defaultChunkSize, blockSize = defaultBlockSize) {
  if (!Number.isInteger(blockSize) || blockSize < 512 || blockSize > maxBlockSize)
    throw new StoreError("IO", `snapshot block size ${blockSize} out of range`, { subject: "snapshot" });
  const header = buildBlockHeader(generation, key, blockSize, plaintext.length);
  const count = blockCount(plaintext.length, blockSize);
  const blocksPerWrite = Math.max(1, Math.floor(chunkSize / (blockSize + blockOverhead)));
  const file = await open(path, "w", 384);
  try {
    await file.write(header);
    for (let first = 0; first < count; first += blocksPerWrite) {
      const last = Math.min(count, first + blocksPerWrite);
      const pieces = [];
      for (let index = first; index < last; index++) {
        const block = plaintext.subarray(
          index * blockSize,
          Math.min((index + 1) * blockSize, plaintext.length)
        );
        const iv = randomBytes4(ivLength);
        const cipher = createCipheriv2("aes-256-gcm", key.key, iv, { authTagLength: tagLength2 });
        cipher.setAAD(blockAad(header, index));
        pieces.push(iv, cipher.update(block), cipher.final(), cipher.getAuthTag());
      }
      await file.write(Buffer.concat(pieces));
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return blockFileSize(plaintext.length, blockSize);
}
function readSnapshotHeader(path, key) {
  const fd = openSync3(path, "r");
  try {
    const fileSize = fstatSync2(fd).size;
    const { generation, fingerprint } = readHeader(fd, fileSize, key, path);
    return { generation, fingerprint, fileSize };
  } finally {
    closeSync3(fd);
  }
}
function readHeader(fd, fileSize, key, path) {
  const header = Buffer.alloc(blockHeaderLength);
  const got = readSync(fd, header, 0, header.length, 0);
  if (got < magic2.length || !header.subarray(0, magic2.length).equals(magic2)) {
    throw new SnapshotReadError("FOREIGN_FILE", `${path}: not a Poste DMP snapshot (magic mismatch)`);
  }
  if (got < commonHeaderLength)
    throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: truncated (${fileSize} bytes)`);
  const version = header.readUInt16BE(8);
  if (version !== wholeFormat && version !== blockFormat)
    throw new SnapshotReadError("UNSUPPORTED_VERSION", `${path}: format version ${version}`);
  const fingerprint = header.subarray(16, 24);
  if (!fingerprint.equals(keyFingerprint(key)))
    throw new SnapshotReadError("WRONG_KEY", `${path}: key fingerprint mismatch`);
  const generation = header.readUInt32BE(12);
  if (version === wholeFormat) {
    if (fileSize < wholeHeaderLength + tagLength2)
      throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: truncated (${fileSize} bytes)`);
    return { version, generation, fingerprint, header: header.subarray(0, wholeHeaderLength) };
  }
  if (got < blockHeaderLength)
    throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: truncated (${fileSize} bytes)`);
  const blockSize = header.readUInt32BE(36);
  const imageLength = Number(header.readBigUInt64BE(40));
  if (blockSize < 512 || blockSize > maxBlockSize || !Number.isSafeInteger(imageLength))
    throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: implausible block header`);
  if (fileSize !== blockFileSize(imageLength, blockSize))
    throw new SnapshotReadError(
      "CORRUPT_SNAPSHOT",
      `${path}: ${fileSize} bytes where the header announces ${blockFileSize(imageLength, blockSize)}`
    );
  return { version, generation, fingerprint, header, blockSize, imageLength };
}
var SealedBlocks = class {
  constructor(fd, path, header, blockSize, imageLength, key) {
    this.path = path;
    this.header = header;
    this.blockSize = blockSize;
    this.imageLength = imageLength;
    this.key = key;
    this.fd = fd;
    this.count = blockCount(imageLength, blockSize);
    this.scratch = Buffer.alloc(blockSize + blockOverhead);
  }
  path;
  header;
  blockSize;
  imageLength;
  key;
  count;
  fd;
  scratch;
  /** Decrypts block `index` into `target` at `offset`, or throws without writing anything there. */
  load(index, target, offset) {
    if (this.fd === null) throw new Error(`snapshot blocks of ${this.path} read after release`);
    const length = Math.min(this.blockSize, this.imageLength - index * this.blockSize);
    const sealed = this.scratch.subarray(0, length + blockOverhead);
    const position = blockHeaderLength + index * (this.blockSize + blockOverhead);
    const got = readSync(this.fd, sealed, 0, sealed.length, position);
    if (got !== sealed.length)
      throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${this.path}: short read of block ${index}`);
    const decipher = createDecipheriv2("aes-256-gcm", this.key.key, sealed.subarray(0, ivLength), {
      authTagLength: tagLength2
    });
    decipher.setAAD(blockAad(this.header, index));
    decipher.setAuthTag(sealed.subarray(ivLength + length));
    let plain;
    try {
      plain = Buffer.concat([
        decipher.update(sealed.subarray(ivLength, ivLength + length)),
        decipher.final()
      ]);
    } catch {
      throw new SnapshotReadError(
        "CORRUPT_SNAPSHOT",
        `${this.path}: block ${index} of ${this.count} failed authentication`
      );
    }
    target.set(plain, offset);
  }
  release() {
    if (this.fd === null) return;
    closeSync3(this.fd);
    this.fd = null;
  }
};
function openSnapshotFile(path, key, reading = "whole", wrap) {
  const fd = openSync3(path, "r");
  let keepOpen = false;
  try {
    const fileSize = fstatSync2(fd).size;
    const parsed = readHeader(fd, fileSize, key, path);
    if (parsed.version === wholeFormat) {
      return {
        generation: parsed.generation,
        plaintext: readWholeImage(fd, fileSize, parsed.header, key, path),
        onDemand: null
      };
    }
    const blocks = new SealedBlocks(fd, path, parsed.header, parsed.blockSize, parsed.imageLength, key);
    if (reading === "whole" || blocks.count <= 1) {
      const plaintext = allocateImage(parsed.imageLength);
      try {
        for (let index = 0; index < blocks.count; index++)
          blocks.load(index, plaintext, index * blocks.blockSize);
      } catch (err) {
        plaintext.fill(0);
        throw err;
      }
      return { generation: parsed.generation, plaintext, onDemand: null };
    }
    keepOpen = true;
    const identity = {
      generation: parsed.generation,
      fileId: Buffer.from(parsed.header.subarray(24, 36)),
      blockSize: parsed.blockSize
    };
    let source = blocks;
    try {
      source = wrap ? wrap(identity, blocks) : blocks;
    } catch (err) {
      blocks.release();
      throw err;
    }
    const image = onDemandImage(source);
    return { generation: parsed.generation, plaintext: image.plaintext, onDemand: image };
  } finally {
    if (!keepOpen) closeSync3(fd);
  }
}
var decryptPiece = 64 * 1024;
function readWholeImage(fd, fileSize, header, key, path) {
  const cipherLength = fileSize - wholeHeaderLength - tagLength2;
  const tag = Buffer.alloc(tagLength2);
  readSync(fd, tag, 0, tagLength2, fileSize - tagLength2);
  const decipher = createDecipheriv2("aes-256-gcm", key.key, header.subarray(commonHeaderLength), {
    authTagLength: tagLength2
  });
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const plaintext = allocateImage(cipherLength);
  let produced = 0;
  try {
    for (let offset = 0; offset < cipherLength; ) {
      const want = Math.min(defaultChunkSize, cipherLength - offset);
      const n = readSync(fd, plaintext, offset, want, wholeHeaderLength + offset);
      if (n === 0) throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: short read at ${offset}`);
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
      throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: authentication failed (${fileSize} bytes)`);
    }
  } catch (err) {
    plaintext.fill(0);
    throw err;
  }
  return plaintext;
}

// src/main/store/snapshot-overlay.ts
import { createCipheriv as createCipheriv3, createDecipheriv as createDecipheriv3, randomBytes as randomBytes5 } from "node:crypto";
import { closeSync as closeSync4, existsSync, fstatSync as fstatSync3, ftruncateSync as ftruncateSync2, openSync as openSync4, readSync as readSync2 } from "node:fs";
import { join as join2 } from "node:path";
var magic3 = Buffer.from("PDMPOVLY", "ascii");
var formatVersion2 = 1;
var headerLength = 48;
var ivLength2 = 12;
var tagLength3 = 16;
var sealOverhead = ivLength2 + tagLength3;
var noTag = Buffer.alloc(tagLength3);
var headFields = 36;
var maxHeadLength = sealOverhead + headFields + 4 * 1024 * 1024;
function buildHeader(snapshot, key) {
  const header = Buffer.alloc(headerLength);
  magic3.copy(header, 0);
  header.writeUInt16BE(formatVersion2, 8);
  header.writeUInt32BE(snapshot.generation, 12);
  keyFingerprint(key).copy(header, 16);
  snapshot.fileId.copy(header, 24);
  header.writeUInt32BE(snapshot.blockSize, 36);
  return header;
}
function headAad(header, index, headLength, previousTag) {
  const fields = Buffer.alloc(8);
  fields.writeUInt32BE(index, 0);
  fields.writeUInt32BE(headLength, 4);
  return Buffer.concat([header, fields, previousTag]);
}
function blockAad2(headTag, index) {
  const aad = Buffer.alloc(tagLength3 + 4);
  headTag.copy(aad, 0);
  aad.writeUInt32BE(index, tagLength3);
  return aad;
}
function blockLength(index, blockSize, imageLength) {
  return Math.min(blockSize, imageLength - index * blockSize);
}
function seal(key, plain, aad) {
  const iv = randomBytes5(ivLength2);
  const cipher = createCipheriv3("aes-256-gcm", key.key, iv, { authTagLength: tagLength3 });
  cipher.setAAD(aad);
  const body = cipher.update(plain);
  const rest = cipher.final();
  const tag = cipher.getAuthTag();
  return { pieces: [iv, body, rest, tag], tag };
}
function open2(key, sealed, aad) {
  const decipher = createDecipheriv3("aes-256-gcm", key.key, sealed.subarray(0, ivLength2), {
    authTagLength: tagLength3
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - tagLength3));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(ivLength2, sealed.length - tagLength3)),
      decipher.final()
    ]);
  } catch {
    return null;
  }
}
function readSegments(fd, key, snapshot) {
  const fileSize = fstatSync3(fd).size;
  const expected = buildHeader(snapshot, key);
  const header = Buffer.alloc(headerLength);
  if (readSync2(fd, header, 0, headerLength, 0) !== headerLength || !header.equals(expected)) return null;
  const segments = [];
  let offset = headerLength;
  let previousTag = noTag;
  const lengthField = Buffer.alloc(4);
  while (offset + 4 <= fileSize) {
    readSync2(fd, lengthField, 0, 4, offset);
    const headLength = lengthField.readUInt32BE(0);
    const headStart = offset + 4;
    if (headLength < sealOverhead + headFields || headLength > maxHeadLength || headStart + headLength > fileSize)
      break;
    const sealedHead = Buffer.alloc(headLength);
    if (readSync2(fd, sealedHead, 0, headLength, headStart) !== headLength) break;
    const head = open2(key, sealedHead, headAad(header, segments.length, headLength, previousTag));
    if (!head) break;
    const headTag = Buffer.from(sealedHead.subarray(headLength - tagLength3));
    const segment = parseHead(head, snapshot.blockSize, headStart + headLength, headTag);
    if (!segment || segment.end > fileSize) break;
    segments.push(segment);
    previousTag = headTag;
    offset = segment.end;
  }
  return segments;
}
function parseHead(head, blockSize, blocksStart, headTag) {
  if (head.length < headFields) return null;
  const records = head.readUInt32BE(4);
  const imageLength = Number(head.readBigUInt64BE(24));
  const count = head.readUInt32BE(32);
  if (!Number.isSafeInteger(imageLength) || head.length !== headFields + count * 4) return null;
  const blocks = /* @__PURE__ */ new Map();
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
      lastTag: records === 0 ? null : Buffer.from(head.subarray(8, 24))
    },
    imageLength,
    blocks,
    end: offset,
    headTag
  };
}
function journalConfirms(position, journal) {
  if (position.generation !== journal.generation || journal.payloads.length < position.records) return false;
  if (position.records === 0) return true;
  const tag = journal.tags[position.records - 1];
  return tag !== void 0 && position.lastTag !== null && tag.equals(position.lastTag);
}
function chooseOverlay(dir, key, snapshot, blocks, journal) {
  const path = join2(dir, overlayName);
  let fd = existsSync(path) ? openSync4(path, "r") : null;
  let found = null;
  try {
    found = fd === null ? null : readSegments(fd, key, snapshot);
  } catch {
    found = null;
  }
  const segments = found ?? [];
  let used = -1;
  if (journal) {
    for (let i = segments.length - 1; i >= 0; i--) {
      if (journalConfirms(segments[i].position, journal)) {
        used = i;
        break;
      }
    }
  }
  let chosen = segments.slice(0, used + 1);
  const firstPlace = latestPlace(chosen, 0);
  let usable = true;
  if (firstPlace && fd !== null && !readSealedBlock(fd, key, firstPlace, 0)) {
    chosen = [];
    usable = false;
  }
  const last = chosen.at(-1);
  let source = blocks;
  if (last && fd !== null) {
    source = new OverlaidBlocks(blocks, fd, key, chosen, last.imageLength);
    fd = null;
  }
  if (fd !== null) closeSync4(fd);
  return {
    source,
    position: last?.position ?? null,
    segments: chosen.length,
    appendAt: {
      snapshot,
      offset: last ? last.end : found && usable ? headerLength : null,
      previousTag: last?.headTag ?? noTag,
      index: chosen.length
    }
  };
}
function latestPlace(segments, index) {
  for (let i = segments.length - 1; i >= 0; i--) {
    const place = segments[i].blocks.get(index);
    if (place) return place;
  }
  return void 0;
}
function readSealedBlock(fd, key, place, index) {
  const sealed = Buffer.alloc(place.length + sealOverhead);
  if (readSync2(fd, sealed, 0, sealed.length, place.offset) !== sealed.length) return null;
  return open2(key, sealed, blockAad2(place.headTag, index));
}
var OverlaidBlocks = class {
  constructor(snapshot, fd, key, segments, imageLength) {
    this.snapshot = snapshot;
    this.key = key;
    this.imageLength = imageLength;
    this.fd = fd;
    this.blockSize = snapshot.blockSize;
    this.count = Math.ceil(imageLength / this.blockSize);
    for (const segment of segments)
      for (const [index, place] of segment.blocks) this.places.set(index, place);
  }
  snapshot;
  key;
  imageLength;
  count;
  blockSize;
  places = /* @__PURE__ */ new Map();
  fd;
  load(index, target, offset) {
    const place = this.places.get(index);
    if (!place) {
      if (index < this.snapshot.count) this.snapshot.load(index, target, offset);
      return;
    }
    if (this.fd === null) throw new Error(`overlay block ${index} read after release`);
    const plain = readSealedBlock(this.fd, this.key, place, index);
    if (!plain)
      throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${overlayName}: block ${index} failed authentication`);
    const wanted = Math.min(plain.length, this.imageLength - index * this.blockSize);
    target.set(plain.subarray(0, wanted), offset);
  }
  release() {
    this.snapshot.release();
    if (this.fd === null) return;
    closeSync4(this.fd);
    this.fd = null;
  }
};
function appendOverlaySegment(dir, key, place, position, imageLength, blocks) {
  const header = buildHeader(place.snapshot, key);
  const head = Buffer.alloc(headFields + blocks.length * 4);
  head.writeUInt32BE(position.generation, 0);
  head.writeUInt32BE(position.records, 4);
  (position.lastTag ?? noTag).copy(head, 8);
  head.writeBigUInt64BE(BigInt(imageLength), 24);
  head.writeUInt32BE(blocks.length, 32);
  blocks.forEach(([index], i) => head.writeUInt32BE(index, headFields + i * 4));
  const headLength = head.length + sealOverhead;
  const sealedHead = seal(key, head, headAad(header, place.index, headLength, place.previousTag));
  const lengthField = Buffer.alloc(4);
  lengthField.writeUInt32BE(headLength, 0);
  const segment = [
    lengthField,
    ...sealedHead.pieces,
    ...blocks.flatMap(([index, block]) => seal(key, block, blockAad2(sealedHead.tag, index)).pieces)
  ];
  const segmentLength = segment.reduce((n, piece) => n + piece.length, 0);
  const next = (offset) => ({
    ...place,
    offset: offset + segmentLength,
    previousTag: sealedHead.tag,
    index: place.index + 1
  });
  const path = join2(dir, overlayName);
  if (place.offset === null) {
    writeFileDurably(path, Buffer.concat([header, ...segment]));
    return next(headerLength);
  }
  const fd = openSync4(path, "r+");
  try {
    ftruncateSync2(fd, place.offset);
    writePiecesAt(fd, segment, place.offset);
  } finally {
    closeSync4(fd);
  }
  return next(place.offset);
}
function removeOverlay(dir) {
  unlinkIfExists(join2(dir, overlayName));
}

// src/main/store/sql-exec.ts
function checkStatements(statements) {
  statements.forEach((s, i) => {
    if (typeof s.sql !== "string") throw invalid(`statement ${i} has no SQL text`);
    if (s.params === void 0) return;
    const values = Array.isArray(s.params) ? s.params : Object.values(s.params);
    if (!values.every(isSqlValue))
      throw invalid(`statement ${i} has a parameter that is not string, number, null or bytes`);
  });
}
function isSqlValue(v) {
  return v === null || typeof v === "string" || typeof v === "number" && Number.isFinite(v) || v instanceof Uint8Array;
}
function invalid(detail) {
  return new StoreError("SQL", detail, { subject: "request" });
}
function applyTransaction(db, statements) {
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const s of statements) {
      if (s.params === void 0) db.exec(s.sql);
      else db.run(s.sql, s.params);
    }
    db.exec("COMMIT");
  } catch (err) {
    try {
      db.exec("ROLLBACK");
    } catch {
    }
    throw new StoreError("SQL", sqliteMessage(err), { subject: "write" });
  }
}
function queryRows(db, sql, params) {
  db.exec("BEGIN");
  const before = totalChanges(db);
  let rows;
  let changed = false;
  try {
    const stmt = db.prepare(sql);
    try {
      if (params !== void 0) stmt.bind(params);
      rows = [];
      while (stmt.step()) rows.push(stmt.getAsObject());
    } finally {
      stmt.free();
    }
    changed = totalChanges(db) !== before;
  } catch (err) {
    throw new StoreError("SQL", sqliteMessage(err), { subject: "read" });
  } finally {
    db.exec("ROLLBACK");
  }
  if (changed) {
    throw new StoreError(
      "READ_ONLY_VIOLATION",
      "all() was given a statement that modifies data; use write()",
      {
        subject: "read"
      }
    );
  }
  return rows;
}
function totalChanges(db) {
  const value = db.exec("SELECT total_changes()")[0]?.values[0]?.[0];
  return typeof value === "number" ? value : -1;
}
function pragmaNumber(db, pragma) {
  const value = db.exec(`PRAGMA ${pragma}`)[0]?.values[0]?.[0];
  return typeof value === "number" ? value : 0;
}
function sqliteMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

// src/main/store/tx-codec.ts
import { deserialize, serialize } from "node:v8";
function encodeTransaction(statements) {
  return serialize(
    statements.map((s) => s.params === void 0 ? { sql: s.sql } : { sql: s.sql, params: s.params })
  );
}
function decodeTransaction(bytes) {
  const value = deserialize(bytes);
  if (!Array.isArray(value)) throw new Error("transaction is not an array");
  return value.map((item, i) => {
    if (typeof item !== "object" || item === null) throw new Error(`statement ${i} is not an object`);
    const { sql, params } = item;
    if (typeof sql !== "string") throw new Error(`statement ${i} has no SQL text`);
    if (params === void 0) return { sql };
    return { sql, params: checkParams(params, i) };
  });
}
function checkParams(params, i) {
  if (Array.isArray(params)) {
    if (!params.every(isSqlValue2)) throw new Error(`statement ${i} has a parameter of unsupported type`);
    return params;
  }
  if (typeof params === "object" && params !== null && !(params instanceof Uint8Array)) {
    if (!Object.values(params).every(isSqlValue2))
      throw new Error(`statement ${i} has a parameter of unsupported type`);
    return params;
  }
  throw new Error(`statement ${i} has malformed parameters`);
}
function isSqlValue2(v) {
  return v === null || typeof v === "string" || typeof v === "number" || v instanceof Uint8Array;
}

// src/main/store/engine.ts
var defaultCompactionPolicy = {
  records: 2e3,
  bytes: 32 * 1024 * 1024,
  closeRecords: 250,
  closeBytes: 4 * 1024 * 1024
};
var tempName = "snapshot.tmp";
var sqlModule = null;
function loadSql() {
  sqlModule ??= (0, import_sql.default)();
  return sqlModule;
}
function preloadSql() {
  loadSql().catch(() => void 0);
}
var StoreEngine = class _StoreEngine {
  constructor(options, SQL, db, onDemand, journal, replayedGeneration, snapshotGeneration, previousGeneration, snapshotBytes, releaseLock, recovery) {
    this.options = options;
    this.SQL = SQL;
    this.db = db;
    this.onDemand = onDemand;
    this.journal = journal;
    this.replayedGeneration = replayedGeneration;
    this.snapshotGeneration = snapshotGeneration;
    this.previousGeneration = previousGeneration;
    this.snapshotBytes = snapshotBytes;
    this.releaseLock = releaseLock;
    this.recovery = recovery;
  }
  options;
  SQL;
  db;
  onDemand;
  journal;
  replayedGeneration;
  snapshotGeneration;
  previousGeneration;
  snapshotBytes;
  releaseLock;
  recovery;
  compaction = null;
  compactionScheduled = false;
  failure = null;
  closed = false;
  compactions = 0;
  openMs = 0;
  /** Where this session's changed blocks go at close (on-demand opens of a version-2 snapshot). */
  overlayPlace = null;
  static async open(options) {
    const reading = options.snapshotReading ?? "whole";
    try {
      return await _StoreEngine.openReading(options, reading);
    } catch (err) {
      if (!(err instanceof DamagedOnDemand)) throw err;
      options.log.error("snapshot block unreadable on demand while opening, opening whole", {
        detail: err.detail
      });
      if (!options.readOnly) removeOverlay(options.dir);
      return _StoreEngine.openReading(options, "whole");
    }
  }
  static async openReading(options, reading) {
    const { dir, log } = options;
    const started = performance.now();
    const policy = { ...defaultCompactionPolicy, ...options.snapshotEvery };
    if (options.readOnly) {
      if (!existsSync2(dir))
        throw new StoreError("MISSING_FILE", `read-only open of missing ${dir}`, { subject: "store" });
    } else mkdirSync(dir, { recursive: true, mode: 448 });
    const releaseLock = options.readOnly ? () => void 0 : acquireDirectoryLock(dir);
    const recovery = { usedPreviousSnapshot: false, droppedJournalTail: null, notices: [] };
    let db = null;
    let journal = null;
    let base = null;
    try {
      if (!options.readOnly && unlinkIfExists(join3(dir, tempName)))
        log.info("removed unfinished snapshot left by an interrupted compaction");
      const chosen = { overlay: null };
      const preread = /* @__PURE__ */ new Map();
      const withOverlay = (snapshot, blocks) => {
        const journal2 = readJournalIfReadable(options, snapshot.generation);
        if (journal2) preread.set(snapshot.generation, journal2);
        chosen.overlay = chooseOverlay(dir, options.key, snapshot, blocks, journal2);
        return chosen.overlay.source;
      };
      base = loadBaseImage(options, recovery, reading, reading === "on-demand" ? withOverlay : void 0);
      const used = base.onDemand ? chosen.overlay : null;
      const SQL = await loadSql();
      db = databaseOf(SQL, base);
      const replayed = replayJournals(db, options, base.generation, recovery, {
        skip: used?.position ?? null,
        preread
      });
      journal = replayed.writer;
      const engine = new _StoreEngine(
        { ...options, policy },
        SQL,
        db,
        base.onDemand,
        journal,
        replayed.generation,
        base.plaintext || existsSync2(join3(dir, snapshotName)) ? base.generation : null,
        base.previousGeneration,
        base.snapshotBytes,
        releaseLock,
        recovery
      );
      engine.overlayPlace = used?.appendAt ?? null;
      if (!options.readOnly) {
        engine.applyMigrations();
        if (recovery.usedPreviousSnapshot) await engine.compact();
      }
      engine.openMs = performance.now() - started;
      log.info("store opened", {
        ...engine.statsFields(),
        usedPrevious: recovery.usedPreviousSnapshot,
        replayedRecords: replayed.replayedRecords,
        ...used ? { overlaySegments: used.segments } : {}
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
  all(sql, params) {
    this.assertUsable();
    return this.withReadableBlocks(() => queryRows(this.db, sql, params));
  }
  /** One transaction; durable on disk when this returns. */
  write(statements) {
    this.writableJournal();
    if (statements.length === 0) return;
    checkStatements(statements);
    const payload = encodeTransaction(statements);
    this.withReadableBlocks(() => applyTransaction(this.db, statements));
    const journal = this.writableJournal();
    try {
      journal.append(payload);
    } catch (err) {
      this.failure = new StoreError(
        "IO",
        `journal append failed: ${err instanceof Error ? err.message : String(err)}`,
        { subject: "write" }
      );
      this.options.log.error("journal append failed, store disabled", { detail: this.failure.detail });
      throw this.failure;
    }
    this.scheduleCompactionIfDue();
  }
  /** Writes a snapshot and starts a new journal generation. Concurrent calls share one run. */
  compact() {
    this.writableJournal();
    this.compaction ??= this.runCompaction().finally(() => {
      this.compaction = null;
    });
    return this.compaction;
  }
  stats() {
    return this.withReadableBlocks(() => this.currentStats());
  }
  /** How much of an on-demand snapshot has been read so far (null when it was read whole). */
  snapshotBlocksRead() {
    return this.onDemand ? { read: this.onDemand.loadedBlocks, of: this.onDemand.blocks } : null;
  }
  currentStats() {
    return {
      generation: this.journal?.generation ?? this.replayedGeneration,
      snapshotGeneration: this.snapshotGeneration,
      journalRecords: this.journal?.records ?? 0,
      journalBytes: this.journal?.bytes ?? 0,
      snapshotBytes: this.snapshotBytes,
      databaseBytes: pragmaNumber(this.db, "page_count") * pragmaNumber(this.db, "page_size"),
      compactions: this.compactions,
      schemaVersion: pragmaNumber(this.db, "user_version"),
      openMs: this.openMs
    };
  }
  /**
   * Waits for a running compaction, compacts only if the journal reached the policy's close
   * thresholds (so the next open replays at most that much), then releases everything. Not compacting on every close is what keeps a one-document CLI import from
   * rewriting the whole encrypted snapshot.
   */
  async close() {
    if (this.closed) return;
    const { log } = this.options;
    try {
      await this.compaction?.catch(() => void 0);
      if (!this.failure && this.compactionDue("close")) await this.compact();
      else this.saveOverlay();
    } catch (err) {
      log.error("compaction on close failed", { detail: err instanceof Error ? err.message : String(err) });
    } finally {
      this.closed = true;
      this.journal?.close();
      this.db.close();
      const blocks = this.snapshotBlocksRead();
      this.onDemand?.release();
      this.releaseLock();
      log.info(
        "store closed",
        blocks ? { snapshotBlocksRead: blocks.read, snapshotBlocks: blocks.of } : void 0
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
  saveOverlay() {
    const { onDemand, overlayPlace: place, journal, db } = this;
    const { dir, key, log } = this.options;
    if (!onDemand || !place || !journal || this.failure) return;
    if (journal.generation !== place.snapshot.generation) return;
    const written = onDemand.writtenBlocks();
    if (written.length === 0) return;
    try {
      const { value: length, read } = onDemand.headerReadBy(
        () => pragmaNumber(db, "page_count") * pragmaNumber(db, "page_size")
      );
      if (!read || length !== onDemand.imageLength) {
        log.warn("snapshot overlay not written: the database file left the on-demand image", {
          databaseBytes: length,
          imageBytes: onDemand.imageLength,
          headerRead: read
        });
        return;
      }
      const count = Math.ceil(length / onDemand.blockSize);
      const blocks = written.filter((index) => index < count).map((index) => [index, onDemand.block(index)]);
      const position = {
        generation: journal.generation,
        records: journal.records,
        lastTag: journal.lastTag
      };
      this.overlayPlace = appendOverlaySegment(dir, key, place, position, length, blocks);
    } catch (err) {
      log.warn("snapshot overlay not written", { detail: err instanceof Error ? err.message : String(err) });
    }
  }
  /**
   * Runs `work`; if it failed because an on-demand block could not be read, reloads the store
   * whole — as an open would have, so a damaged snapshot is set aside and `.prev` plus the journals
   * used — and runs it once more. Nothing of the failed attempt remains: SQLite rolled it back
   * (sql-image.ts reports the damage as an I/O error) and the journal never received it.
   */
  withReadableBlocks(work) {
    if (!this.onDemand) return work();
    let result;
    try {
      result = work();
    } catch (err) {
      const damage2 = this.onDemand.damage;
      if (!damage2) throw err;
      this.reloadWhole(damage2);
      return work();
    }
    const damage = this.onDemand.damage;
    if (!damage) return result;
    this.reloadWhole(damage);
    return work();
  }
  reloadWhole(damage) {
    const { log } = this.options;
    log.error("snapshot block unreadable on demand, reloading the store whole", {
      detail: damage instanceof StoreError ? damage.detail : damage.message
    });
    const notices = this.recovery.notices.length;
    let base;
    let db = null;
    let replayed;
    try {
      base = loadBaseImage(this.options, this.recovery, "whole");
      db = databaseOf(this.SQL, base);
      this.journal?.close();
      this.journal = null;
      replayed = replayJournals(db, this.options, base.generation, this.recovery);
    } catch (err) {
      db?.close();
      this.failure = err instanceof StoreError ? err : new StoreError("REPLAY_FAILED", String(err));
      throw this.failure;
    }
    try {
      this.db.close();
    } catch {
    }
    this.onDemand?.release();
    this.onDemand = null;
    if (this.overlayPlace && !this.options.readOnly) removeOverlay(this.options.dir);
    this.overlayPlace = null;
    this.db = db;
    this.journal = replayed.writer;
    this.snapshotGeneration = base.generation;
    this.previousGeneration = base.previousGeneration;
    this.snapshotBytes = base.snapshotBytes;
    for (const notice of this.recovery.notices.slice(notices)) this.options.onNotice?.(notice);
    if (this.recovery.usedPreviousSnapshot && this.journal) {
      this.compact().catch(
        (err) => log.error("compaction after reload failed", {
          detail: err instanceof Error ? err.message : String(err)
        })
      );
    }
  }
  assertUsable() {
    if (this.closed) throw new StoreError("CLOSED", "store used after close");
    if (this.failure) throw this.failure;
  }
  writableJournal() {
    this.assertUsable();
    if (!this.journal)
      throw new StoreError("READ_ONLY_VIOLATION", "write on a read-only store", {
        subject: "read-only-store"
      });
    return this.journal;
  }
  statsFields() {
    const s = this.stats();
    return {
      generation: s.generation,
      snapshotGeneration: s.snapshotGeneration,
      journalRecords: s.journalRecords,
      schemaVersion: s.schemaVersion
    };
  }
  compactionDue(when = "write") {
    const { policy } = this.options;
    const records = when === "close" ? Math.min(policy.records, policy.closeRecords) : policy.records;
    const bytes = when === "close" ? Math.min(policy.bytes, policy.closeBytes) : policy.bytes;
    if (!this.journal) return false;
    return this.journal.records >= records || this.journal.bytes >= bytes;
  }
  scheduleCompactionIfDue() {
    const { log } = this.options;
    if (this.compactionScheduled || this.compaction || !this.compactionDue()) return;
    this.compactionScheduled = true;
    setImmediate(() => {
      this.compactionScheduled = false;
      if (this.closed || this.failure) return;
      this.compact().catch((err) => {
        log.error("background compaction failed", {
          detail: err instanceof Error ? err.message : String(err)
        });
      });
    });
  }
  async runCompaction() {
    const { dir, key, log } = this.options;
    const started = Date.now();
    const image = this.withReadableBlocks(() => this.db.export());
    const current = this.writableJournal();
    const generation = current.generation + 1;
    log.info("compaction started", { generation, databaseBytes: image.length });
    const next = JournalWriter.create(join3(dir, journalFileName(generation)), generation, key);
    fsyncDirectory(dir);
    this.journal = next;
    current.close();
    const temp = join3(dir, tempName);
    let size;
    try {
      size = await writeSnapshotFile(
        temp,
        image,
        generation,
        key,
        this.options.chunkSize ?? defaultChunkSize,
        this.options.snapshotBlockSize ?? defaultBlockSize
      );
    } catch (err) {
      unlinkIfExists(temp);
      throw err;
    } finally {
      image.fill(0);
    }
    const currentPath = join3(dir, snapshotName);
    const previous = join3(dir, previousName);
    let previousGeneration = this.previousGeneration;
    if (existsSync2(currentPath)) {
      unlinkIfExists(previous);
      linkSync3(currentPath, previous);
      previousGeneration = this.snapshotGeneration;
    }
    renameSync3(temp, currentPath);
    fsyncDirectory(dir);
    this.overlayPlace = null;
    removeOverlay(dir);
    this.snapshotGeneration = generation;
    this.previousGeneration = previousGeneration;
    this.snapshotBytes = size;
    this.compactions += 1;
    this.removeJournalsBefore(previousGeneration ?? generation);
    log.info("compaction finished", { generation, snapshotBytes: size, ms: Date.now() - started });
    this.scheduleCompactionIfDue();
  }
  /** Journals older than `.prev` can no longer be needed, even to recover from `.prev`. */
  removeJournalsBefore(generation) {
    for (const name of readdirSync(this.options.dir)) {
      const g = parseJournalFileName(name);
      if (g !== null && g < generation) unlinkIfExists(join3(this.options.dir, name));
    }
  }
  applyMigrations() {
    const { migrations, log } = this.options;
    const sorted = [...migrations].sort((a, b) => a.version - b.version);
    sorted.forEach((m, i) => {
      if (!Number.isInteger(m.version) || m.version < 1 || i > 0 && sorted[i - 1]?.version === m.version) {
        throw new StoreError("MIGRATION_FAILED", `bad migration version ${m.version} (${m.name})`, {
          subject: "migration-list"
        });
      }
    });
    const current = pragmaNumber(this.db, "user_version");
    const latest = sorted.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new StoreError("TOO_NEW", `schema version ${current}, this build knows up to ${latest}`);
    }
    for (const m of sorted) {
      if (m.version <= current) continue;
      try {
        this.write([...m.statements.map((sql) => ({ sql })), { sql: `PRAGMA user_version = ${m.version}` }]);
      } catch (err) {
        throw new StoreError(
          "MIGRATION_FAILED",
          `migration ${m.version} (${m.name}): ${err instanceof StoreError ? err.detail : String(err)}`
        );
      }
      log.info("migration applied", { version: m.version, migration: m.name });
    }
  }
};
function databaseOf(SQL, base) {
  const db = base.plaintext ? databaseFromImage(SQL, base.plaintext) : new SQL.Database();
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}
var DamagedOnDemand = class extends StoreError {
  constructor(damage) {
    super("CORRUPT_SNAPSHOT", damage instanceof StoreError ? damage.detail : damage.message, {
      subject: "snapshot"
    });
  }
};
function loadBaseImage(options, recovery, reading, wrap) {
  const { dir, key, log } = options;
  const current = join3(dir, snapshotName);
  const previous = join3(dir, previousName);
  const hasCurrent = existsSync2(current);
  const hasPrevious = existsSync2(previous);
  if (!hasCurrent && !hasPrevious) {
    const journals = listJournals(dir);
    if (journals.length > 0 && journals[0] !== 0) {
      throw new StoreError("MISSING_FILE", `no snapshot but journals start at generation ${journals[0]}`, {
        subject: "snapshot"
      });
    }
    return { generation: 0, plaintext: null, onDemand: null, snapshotBytes: 0, previousGeneration: null };
  }
  let currentError = null;
  if (hasCurrent) {
    try {
      const { generation, plaintext, onDemand } = openSnapshotFile(current, key, reading, wrap);
      return {
        generation,
        plaintext,
        onDemand,
        snapshotBytes: statSync(current).size,
        previousGeneration: hasPrevious ? generationOf(previous, options) : null
      };
    } catch (err) {
      if (!(err instanceof SnapshotReadError)) throw err;
      currentError = err;
    }
    if (currentError.problem === "FOREIGN_FILE" || currentError.problem === "UNSUPPORTED_VERSION")
      throw currentError;
    if (!hasPrevious) throw currentError;
  }
  let fallback;
  try {
    fallback = openSnapshotFile(previous, key, "whole");
  } catch (err) {
    if (currentError && err instanceof SnapshotReadError && err.problem === "WRONG_KEY" && currentError.problem === "WRONG_KEY")
      throw currentError;
    if (currentError) {
      throw new StoreError(
        currentError.reason,
        `${currentError.detail}; previous snapshot unusable too: ${err instanceof StoreError ? err.detail : String(err)}`,
        currentError.facts
      );
    }
    throw err;
  }
  let quarantined = null;
  if (hasCurrent && !options.readOnly) {
    quarantined = `snapshot.corrupt-${Date.now()}`;
    renameSync3(current, join3(dir, quarantined));
    fsyncDirectory(dir);
  }
  log.error("current snapshot unusable, recovered from previous snapshot", {
    reason: currentError?.detail ?? "current snapshot missing",
    previousGeneration: fallback.generation,
    quarantined
  });
  recovery.usedPreviousSnapshot = true;
  recovery.notices.push({ kind: "previous-snapshot-used", quarantined });
  return {
    generation: fallback.generation,
    plaintext: fallback.plaintext,
    onDemand: null,
    snapshotBytes: statSync(previous).size,
    previousGeneration: fallback.generation
  };
}
function generationOf(path, options) {
  try {
    return readSnapshotHeader(path, options.key).generation;
  } catch {
    options.log.warn("previous snapshot header unreadable", { path: previousName });
    return null;
  }
}
function listJournals(dir) {
  return readdirSync(dir).map(parseJournalFileName).filter((g) => g !== null).sort((a, b) => a - b);
}
function readJournalIfReadable(options, generation) {
  try {
    return readJournal(join3(options.dir, journalFileName(generation)), generation, options.key);
  } catch {
    return null;
  }
}
function replayJournals(db, options, base, recovery, from = { skip: null, preread: /* @__PURE__ */ new Map() }) {
  const { dir, key, log } = options;
  const all = listJournals(dir);
  const needed = all.filter((g) => g >= base);
  if (needed.length === 0) {
    if (all.length > 0 || base > 0) {
      if (all.length > 0) {
        throw new StoreError("MISSING_FILE", `no journal for generation ${base} (have ${all.join(",")})`, {
          subject: "latest-journal"
        });
      }
      log.warn("snapshot without any journal, opening it as is", { generation: base });
      recovery.notices.push({ kind: "snapshot-without-journal" });
    }
    if (options.readOnly) return { writer: null, generation: base, replayedRecords: 0 };
    const writer = JournalWriter.create(join3(dir, journalFileName(base)), base, key);
    fsyncDirectory(dir);
    return { writer, generation: base, replayedRecords: 0 };
  }
  needed.forEach((g, i) => {
    if (g !== base + i) {
      throw new StoreError(
        "MISSING_FILE",
        `journal generation ${base + i} missing (have ${needed.join(",")})`,
        {
          subject: "journal-part"
        }
      );
    }
  });
  let last = null;
  let replayedRecords = 0;
  for (const [i, generation] of needed.entries()) {
    const path2 = join3(dir, journalFileName(generation));
    const contents = from.preread.get(generation) ?? readJournal(path2, generation, key);
    const skipped = from.skip?.generation === generation ? from.skip.records : 0;
    const isLast = i === needed.length - 1;
    if ((contents.droppedReason || contents.tornHeader) && !isLast) {
      throw new StoreError(
        "CORRUPT_JOURNAL",
        `journal ${generation}: ${contents.droppedReason ?? "incomplete header"}`
      );
    }
    contents.payloads.forEach((payload, sequence) => {
      if (sequence < skipped) return;
      replayedRecords += 1;
      let statements;
      try {
        statements = decodeTransaction(payload);
        applyTransaction(db, statements);
      } catch (err) {
        throw new StoreError(
          "REPLAY_FAILED",
          `journal ${generation} record ${sequence}: ${err instanceof StoreError ? err.detail : String(err)}`
        );
      }
    });
    last = contents;
  }
  if (!last) throw new Error("unreachable: no journal replayed");
  const path = join3(dir, journalFileName(last.generation));
  if (last.tornHeader) {
    log.warn("journal header incomplete (crash while creating it), recreating", {
      generation: last.generation,
      bytes: last.fileSize
    });
    if (options.readOnly) return { writer: null, generation: last.generation, replayedRecords };
    const writer = JournalWriter.create(path, last.generation, key);
    fsyncDirectory(dir);
    return { writer, generation: last.generation, replayedRecords };
  }
  if (last.droppedReason) {
    const bytes = last.fileSize - last.validEnd;
    recovery.droppedJournalTail = { generation: last.generation, bytes, reason: last.droppedReason };
    recovery.notices.push({ kind: "journal-tail-dropped" });
    let kept = null;
    if (/authentication|sequence/.test(last.droppedReason) && !options.readOnly) {
      kept = `${journalFileName(last.generation)}.dropped-${Date.now()}`;
      copyTail(path, join3(dir, kept), last.validEnd);
    }
    log.warn("journal tail dropped", {
      generation: last.generation,
      offset: last.validEnd,
      bytes,
      reason: last.droppedReason,
      kept
    });
  }
  if (options.readOnly) return { writer: null, generation: last.generation, replayedRecords };
  return { writer: JournalWriter.resume(path, last, key), generation: last.generation, replayedRecords };
}
function copyTail(from, to, offset) {
  writeFileSync2(to, readFileSync3(from).subarray(offset), { mode: 384 });
}

// src/main/store/store-service.ts
function serveStore(port) {
  const post = (message) => port.postMessage(message);
  function forwardingLogger(scope) {
    const send = (level) => (msg, fields) => post({ kind: "log", level, msg: scope ? `${scope}: ${msg}` : msg, fields });
    return {
      debug: send("debug"),
      info: send("info"),
      warn: send("warn"),
      error: send("error"),
      child: (s) => forwardingLogger(scope ? `${scope}.${s}` : s)
    };
  }
  async function open3(data) {
    let engine;
    try {
      engine = await StoreEngine.open({
        dir: data.dir,
        key: rawStoreKey(data.key),
        migrations: data.migrations,
        log: forwardingLogger(),
        snapshotEvery: data.snapshotEvery,
        chunkSize: data.chunkSize,
        snapshotBlockSize: data.snapshotBlockSize,
        snapshotReading: data.snapshotReading,
        onNotice: (notice) => post({ kind: "notice", notice }),
        readOnly: data.readOnly ?? false
      });
    } catch (err) {
      post({ kind: "open-failed", error: serializeError(err) });
      port.close();
      return;
    }
    data.key.fill(0);
    post({ kind: "opened", recovery: engine.recovery });
    port.on("message", (request) => {
      handle(engine, request).then(
        (value) => {
          post({ kind: "reply", id: request.id, ok: true, value });
          if (request.op === "close") port.close();
        },
        (err) => post({ kind: "reply", id: request.id, ok: false, error: serializeError(err) })
      );
    });
  }
  preloadSql();
  port.once("message", (message) => void open3(message.data));
}
async function handle(engine, request) {
  switch (request.op) {
    case "all":
      return engine.all(request.sql, request.params);
    case "write":
      engine.write(request.statements);
      return null;
    case "compact":
      await engine.compact();
      return null;
    case "stats":
      return engine.stats();
    case "close":
      await engine.close();
      return null;
  }
}

// src/main/store/store-worker.ts
if (!parentPort) throw new Error("store-worker must run in a worker thread");
serveStore(parentPort);
//# sourceMappingURL=store-worker.js.map
