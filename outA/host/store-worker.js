import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);

// src/main/store/store-worker.ts
import { parentPort } from "node:worker_threads";

// src/main/store/engine.ts
import {
  existsSync,
  linkSync as linkSync3,
  mkdirSync,
  readdirSync,
  readFileSync as readFileSync3,
  renameSync as renameSync3,
  statSync,
  writeFileSync as writeFileSync2
} from "node:fs";
import { join as join2 } from "node:path";
import initSqlJs from "sql.js";

// src/main/store/durable-fs.ts
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  constants
} from "node:fs";
function fsyncDirectory(dir) {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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
  readFileSync as readFileSync2,
  writeSync as writeSync2
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
  const base = { generation: expectedGeneration, payloads: [], fileSize: bytes.length };
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
    } catch {
      droppedReason = `record at ${offset} failed authentication`;
      break;
    }
    offset = end;
  }
  return { ...base, generation, payloads, validEnd: offset, droppedReason, tornHeader: false };
}
var JournalWriter = class _JournalWriter {
  constructor(path, generation, fd, fileHeader, key, nextSequence, size) {
    this.path = path;
    this.generation = generation;
    this.fd = fd;
    this.fileHeader = fileHeader;
    this.key = key;
    this.nextSequence = nextSequence;
    this.size = size;
  }
  path;
  generation;
  fd;
  fileHeader;
  key;
  nextSequence;
  size;
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
    return new _JournalWriter(path, generation, fd, header, key, 0, header.length);
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
      contents.validEnd
    );
  }
  append(payload) {
    if (this.closed) throw new Error("journal closed");
    const record = encryptRecord(this.fileHeader, this.nextSequence, payload, this.key);
    writeAll(this.fd, record, this.size);
    fdatasyncSync(this.fd);
    this.nextSequence += 1;
    this.size += record.length;
    return record.length;
  }
  get records() {
    return this.nextSequence;
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
function writeAll(fd, data, position) {
  let written = 0;
  while (written < data.length) {
    written += writeSync2(
      fd,
      data,
      written,
      data.length - written,
      position === void 0 ? null : position + written
    );
  }
}

// src/main/store/store-files.ts
var snapshotName = "snapshot";
var previousName = "snapshot.prev";

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

// src/main/store/snapshot-file.ts
var magic2 = Buffer.from("PDMPSNAP", "ascii");
var formatVersion2 = 1;
var snapshotHeaderLength = 8 + 2 + 2 + 4 + 8 + 12;
var tagLength2 = 16;
var defaultChunkSize = 8 * 1024 * 1024;
function buildHeader(generation, key) {
  const header = Buffer.alloc(snapshotHeaderLength);
  magic2.copy(header, 0);
  header.writeUInt16BE(formatVersion2, 8);
  header.writeUInt16BE(0, 10);
  header.writeUInt32BE(generation, 12);
  keyFingerprint(key).copy(header, 16);
  randomBytes4(12).copy(header, 24);
  return header;
}
async function writeSnapshotFile(path, plaintext, generation, key, chunkSize = defaultChunkSize) {
  const header = buildHeader(generation, key);
  const cipher = createCipheriv2("aes-256-gcm", key.key, header.subarray(24), { authTagLength: tagLength2 });
  cipher.setAAD(header);
  const file = await open(path, "w", 384);
  try {
    await file.write(header);
    for (let offset = 0; offset < plaintext.length; offset += chunkSize) {
      await file.write(
        cipher.update(plaintext.subarray(offset, Math.min(offset + chunkSize, plaintext.length)))
      );
    }
    const last = cipher.final();
    if (last.length > 0) await file.write(last);
    await file.write(cipher.getAuthTag());
    await file.sync();
  } finally {
    await file.close();
  }
  return header.length + plaintext.length + tagLength2;
}
var SnapshotReadError = class extends StoreError {
  constructor(problem, detail) {
    super(problem, detail, { subject: "snapshot" });
    this.problem = problem;
  }
  problem;
};
function readSnapshotHeader(path, key) {
  const fd = openSync3(path, "r");
  try {
    const fileSize = fstatSync2(fd).size;
    const header = Buffer.alloc(snapshotHeaderLength);
    const got = readSync(fd, header, 0, header.length, 0);
    return { ...parseHeader(header.subarray(0, got), fileSize, key, path), fileSize };
  } finally {
    closeSync3(fd);
  }
}
function parseHeader(header, fileSize, key, path) {
  if (header.length < magic2.length || !header.subarray(0, magic2.length).equals(magic2)) {
    throw new SnapshotReadError("FOREIGN_FILE", `${path}: not a Poste DMP snapshot (magic mismatch)`);
  }
  if (header.length < snapshotHeaderLength || fileSize < snapshotHeaderLength + tagLength2) {
    throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: truncated (${fileSize} bytes)`);
  }
  const version = header.readUInt16BE(8);
  if (version !== formatVersion2)
    throw new SnapshotReadError("UNSUPPORTED_VERSION", `${path}: format version ${version}`);
  const fingerprint = header.subarray(16, 24);
  if (!fingerprint.equals(keyFingerprint(key)))
    throw new SnapshotReadError("WRONG_KEY", `${path}: key fingerprint mismatch`);
  return { generation: header.readUInt32BE(12), fingerprint, iv: header.subarray(24, 36) };
}
var decryptPiece = 64 * 1024;
function readSnapshotFile(path, key, chunkSize = defaultChunkSize) {
  const fd = openSync3(path, "r");
  try {
    const fileSize = fstatSync2(fd).size;
    const header = Buffer.alloc(snapshotHeaderLength);
    const got = readSync(fd, header, 0, header.length, 0);
    const { generation, iv } = parseHeader(header.subarray(0, got), fileSize, key, path);
    const cipherLength = fileSize - snapshotHeaderLength - tagLength2;
    const tag = Buffer.alloc(tagLength2);
    readSync(fd, tag, 0, tagLength2, fileSize - tagLength2);
    const decipher = createDecipheriv2("aes-256-gcm", key.key, iv, { authTagLength: tagLength2 });
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    const plaintext = allocateImage(cipherLength);
    let produced = 0;
    try {
      for (let offset = 0; offset < cipherLength; ) {
        const want = Math.min(chunkSize, cipherLength - offset);
        const n = readSync(fd, plaintext, offset, want, snapshotHeaderLength + offset);
        if (n === 0) throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: short read at ${offset}`);
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
        throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: authentication failed (${fileSize} bytes)`);
      }
    } catch (err) {
      plaintext.fill(0);
      throw err;
    }
    return { generation, plaintext };
  } finally {
    closeSync3(fd);
  }
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
  sqlModule ??= initSqlJs();
  return sqlModule;
}
function preloadSql() {
  loadSql().catch(() => void 0);
}
var StoreEngine = class _StoreEngine {
  constructor(options, db, journal, replayedGeneration, snapshotGeneration, previousGeneration, snapshotBytes, releaseLock, recovery) {
    this.options = options;
    this.db = db;
    this.journal = journal;
    this.replayedGeneration = replayedGeneration;
    this.snapshotGeneration = snapshotGeneration;
    this.previousGeneration = previousGeneration;
    this.snapshotBytes = snapshotBytes;
    this.releaseLock = releaseLock;
    this.recovery = recovery;
  }
  options;
  db;
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
  static async open(options) {
    const { dir, log } = options;
    const started = performance.now();
    const policy = { ...defaultCompactionPolicy, ...options.snapshotEvery };
    if (options.readOnly) {
      if (!existsSync(dir))
        throw new StoreError("MISSING_FILE", `read-only open of missing ${dir}`, { subject: "store" });
    } else mkdirSync(dir, { recursive: true, mode: 448 });
    const releaseLock = options.readOnly ? () => void 0 : acquireDirectoryLock(dir);
    const recovery = { usedPreviousSnapshot: false, droppedJournalTail: null, notices: [] };
    let db = null;
    let journal = null;
    try {
      if (!options.readOnly && unlinkIfExists(join2(dir, tempName)))
        log.info("removed unfinished snapshot left by an interrupted compaction");
      const base = loadBaseImage(options, recovery);
      const SQL = await loadSql();
      db = base.plaintext ? databaseFromImage(SQL, base.plaintext) : new SQL.Database();
      db.exec("PRAGMA foreign_keys = ON");
      const replayed = replayJournals(db, options, base.generation, recovery);
      journal = replayed.writer;
      const engine = new _StoreEngine(
        { ...options, policy },
        db,
        journal,
        replayed.generation,
        base.plaintext || existsSync(join2(dir, snapshotName)) ? base.generation : null,
        base.previousGeneration,
        base.snapshotBytes,
        releaseLock,
        recovery
      );
      if (!options.readOnly) {
        engine.applyMigrations();
        if (recovery.usedPreviousSnapshot) await engine.compact();
      }
      engine.openMs = performance.now() - started;
      log.info("store opened", { ...engine.statsFields(), usedPrevious: recovery.usedPreviousSnapshot });
      return engine;
    } catch (err) {
      journal?.close();
      db?.close();
      releaseLock();
      throw err;
    }
  }
  all(sql, params) {
    this.assertUsable();
    return queryRows(this.db, sql, params);
  }
  /** One transaction; durable on disk when this returns. */
  write(statements) {
    const journal = this.writableJournal();
    if (statements.length === 0) return;
    checkStatements(statements);
    const payload = encodeTransaction(statements);
    applyTransaction(this.db, statements);
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
    } catch (err) {
      log.error("compaction on close failed", { detail: err instanceof Error ? err.message : String(err) });
    } finally {
      this.closed = true;
      this.journal?.close();
      this.db.close();
      this.releaseLock();
      log.info("store closed");
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
    const image = this.db.export();
    const current = this.writableJournal();
    const generation = current.generation + 1;
    log.info("compaction started", { generation, databaseBytes: image.length });
    const next = JournalWriter.create(join2(dir, journalFileName(generation)), generation, key);
    fsyncDirectory(dir);
    this.journal = next;
    current.close();
    const temp = join2(dir, tempName);
    let size;
    try {
      size = await writeSnapshotFile(
        temp,
        image,
        generation,
        key,
        this.options.chunkSize ?? defaultChunkSize
      );
    } catch (err) {
      unlinkIfExists(temp);
      throw err;
    } finally {
      image.fill(0);
    }
    const currentPath = join2(dir, snapshotName);
    const previous = join2(dir, previousName);
    let previousGeneration = this.previousGeneration;
    if (existsSync(currentPath)) {
      unlinkIfExists(previous);
      linkSync3(currentPath, previous);
      previousGeneration = this.snapshotGeneration;
    }
    renameSync3(temp, currentPath);
    fsyncDirectory(dir);
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
      if (g !== null && g < generation) unlinkIfExists(join2(this.options.dir, name));
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
function loadBaseImage(options, recovery) {
  const { dir, key, log } = options;
  const current = join2(dir, snapshotName);
  const previous = join2(dir, previousName);
  const hasCurrent = existsSync(current);
  const hasPrevious = existsSync(previous);
  if (!hasCurrent && !hasPrevious) {
    const journals = listJournals(dir);
    if (journals.length > 0 && journals[0] !== 0) {
      throw new StoreError("MISSING_FILE", `no snapshot but journals start at generation ${journals[0]}`, {
        subject: "snapshot"
      });
    }
    return { generation: 0, plaintext: null, snapshotBytes: 0, previousGeneration: null };
  }
  let currentError = null;
  if (hasCurrent) {
    try {
      const { generation, plaintext } = readSnapshotFile(current, key);
      return {
        generation,
        plaintext,
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
    fallback = readSnapshotFile(previous, key);
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
    renameSync3(current, join2(dir, quarantined));
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
function replayJournals(db, options, base, recovery) {
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
    if (options.readOnly) return { writer: null, generation: base };
    const writer = JournalWriter.create(join2(dir, journalFileName(base)), base, key);
    fsyncDirectory(dir);
    return { writer, generation: base };
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
  for (const [i, generation] of needed.entries()) {
    const path2 = join2(dir, journalFileName(generation));
    const contents = readJournal(path2, generation, key);
    const isLast = i === needed.length - 1;
    if ((contents.droppedReason || contents.tornHeader) && !isLast) {
      throw new StoreError(
        "CORRUPT_JOURNAL",
        `journal ${generation}: ${contents.droppedReason ?? "incomplete header"}`
      );
    }
    contents.payloads.forEach((payload, sequence) => {
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
  const path = join2(dir, journalFileName(last.generation));
  if (last.tornHeader) {
    log.warn("journal header incomplete (crash while creating it), recreating", {
      generation: last.generation,
      bytes: last.fileSize
    });
    if (options.readOnly) return { writer: null, generation: last.generation };
    const writer = JournalWriter.create(path, last.generation, key);
    fsyncDirectory(dir);
    return { writer, generation: last.generation };
  }
  if (last.droppedReason) {
    const bytes = last.fileSize - last.validEnd;
    recovery.droppedJournalTail = { generation: last.generation, bytes, reason: last.droppedReason };
    recovery.notices.push({ kind: "journal-tail-dropped" });
    let kept = null;
    if (/authentication|sequence/.test(last.droppedReason) && !options.readOnly) {
      kept = `${journalFileName(last.generation)}.dropped-${Date.now()}`;
      copyTail(path, join2(dir, kept), last.validEnd);
    }
    log.warn("journal tail dropped", {
      generation: last.generation,
      offset: last.validEnd,
      bytes,
      reason: last.droppedReason,
      kept
    });
  }
  if (options.readOnly) return { writer: null, generation: last.generation };
  return { writer: JournalWriter.resume(path, last, key), generation: last.generation };
}
function copyTail(from, to, offset) {
  writeFileSync2(to, readFileSync3(from).subarray(offset), { mode: 384 });
}

// src/main/store/store-worker.ts
var port = parentPort;
if (!port) throw new Error("store-worker must run in a worker thread");
var post = (message) => port.postMessage(message);
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
async function main(data) {
  let engine;
  try {
    engine = await StoreEngine.open({
      dir: data.dir,
      key: rawStoreKey(data.key),
      migrations: data.migrations,
      log: forwardingLogger(),
      snapshotEvery: data.snapshotEvery,
      chunkSize: data.chunkSize,
      readOnly: data.readOnly ?? false
    });
  } catch (err) {
    post({ kind: "open-failed", error: serializeError(err) });
    port?.close();
    return;
  }
  data.key.fill(0);
  post({ kind: "opened", recovery: engine.recovery });
  port?.on("message", (request) => {
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
port.once("message", (message) => void main(message.data));
//# sourceMappingURL=store-worker.js.map
