import { dirname, join } from "node:path";
import { closeSync, constants, existsSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { hostname } from "node:os";
// src/main/store/errors.ts
/**
* A store failure. `reason` and `facts` say what happened; `detail` is precise, English and
* log-safe (file names, offsets, SQLite messages). `message` is technical too: reach the user
* through `userMessage` / `toApiError` (user-messages.ts), never with `message`.
*/
var StoreError = class extends Error {
	reason;
	detail;
	facts;
	constructor(reason, detail, facts = {}) {
		super(detail ? `${reason}: ${detail}` : reason);
		this.reason = reason;
		this.detail = detail;
		this.facts = facts;
		this.name = "StoreError";
	}
};
function serializeError(err) {
	if (err instanceof StoreError) return {
		reason: err.reason,
		detail: err.detail,
		facts: err.facts
	};
	return {
		reason: "IO",
		detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err)
	};
}
function deserializeError(e) {
	return new StoreError(e.reason, e.detail, e.facts);
}
// src/main/store/durable-fs.ts
/** A rename or a new file is atomic but not durable until its directory entry is flushed. */
function fsyncDirectory(dir) {
	const fd = openSync(dir, constants.O_RDONLY);
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
/** Replaces a small file atomically and durably (temp, fsync, rename, directory fsync), mode 0600. */
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
/**
* Creates a whole small file with mode 0600 only if `path` does not exist: written and fsynced
* under a private name (opened `wx`), then `link()`ed into place, which fails when something is
* already there. Unlike an exclusive open of `path` itself, nobody can ever see it empty or half
* written. False when `path` existed (nothing changed).
*/
function createFileExclusively(path, data) {
	const tmp = `${path}.new-${process.pid}-${Date.now()}`;
	const fd = openSync(tmp, "wx", 384);
	try {
		let offset = 0;
		while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	try {
		linkSync(tmp, path);
	} catch (err) {
		if (isErrno(err, "EEXIST")) return false;
		throw err;
	} finally {
		unlinkIfExists(tmp);
	}
	fsyncDirectory(dirname(path));
	return true;
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
function rawStoreKey(key) {
	if (key.length !== 32) throw new StoreError("KEY_INVALID", `key has ${key.length} bytes, expected 32`, { subject: "key" });
	return {
		kind: "raw",
		key: new Uint8Array(key)
	};
}
function generateStoreKey() {
	return {
		kind: "raw",
		key: new Uint8Array(randomBytes(32))
	};
}
/**
* A non-secret fingerprint written in every file header, so a wrong key is told apart from a
* corrupt file before any decryption is attempted.
*/
function keyFingerprint(key) {
	return Buffer.from(labelledKeyFingerprint(key.key, "poste-dmp/store/key-fingerprint/v1"), "hex").subarray(0, 8);
}
/**
* A key's public fingerprint (hex): HMAC-SHA-256 of a fixed label under the key. It tells keys
* apart and reveals nothing about them, so it may be stored beside the data and logged: the store
* files' headers (`keyFingerprint`), the field key's and the audit key's markers in a shared
* database. Each use has its own label, so one key's fingerprints for two uses are unrelated.
*/
function labelledKeyFingerprint(key, label) {
	return createHmac("sha256", key).update(label).digest("hex");
}
var keyFileName = "store.key";
function missingKey(path, subject) {
	return new StoreError("KEY_MISSING", `key file ${path} missing while the store holds data`, {
		path,
		...subject ? { subject } : {}
	});
}
/**
* Key for the browser host, the CLI and tests: a random DEK kept in a mode-0600 file, base64.
* `location` is either the key file itself or a directory that holds `store.key`. Call it under the
* data-folder lock: the file is created exclusively (a second creator would fail, never overwrite),
* and only when `creation.mayCreate`.
*/
function loadOrCreateKeyFile(location, log, creation = { mayCreate: true }) {
	const path = existsSync(location) && statSync(location).isDirectory() ? join(location, keyFileName) : location;
	let created = false;
	if (!existsSync(path)) {
		if (!creation.mayCreate) throw missingKey(path, creation.subject);
		mkdirSync(dirname(path), {
			recursive: true,
			mode: 448
		});
		const key = generateStoreKey();
		created = createFileExclusively(path, Buffer.from(`${Buffer.from(key.key).toString("base64")}\n`, "utf8"));
		if (!created) log.warn("key file appeared while creating it; using the existing one", { path });
	}
	const key = parseKeyText(readFileSync(path, "utf8"), path);
	const mode = statSync(path).mode & 511;
	if ((mode & 63) !== 0) log.warn("key file readable by other users", {
		path,
		mode: mode.toString(8)
	});
	log.warn("store key kept in a plain file, not protected by an OS keyring", {
		path,
		created
	});
	return {
		key,
		path,
		created,
		warning: "plain-key-file"
	};
}
function parseKeyText(text, origin) {
	const trimmed = text.trim();
	const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : Buffer.alloc(0);
	if (bytes.length !== 32) throw new StoreError("KEY_INVALID", `invalid key text in ${origin}`, { subject: "key-file" });
	return rawStoreKey(bytes);
}
/**
* DEK wrapped by an OS keyring, persisted as an opaque blob. Records the backend so a keyring
* change (which makes the blob unreadable) gets a precise message instead of "corrupt database".
*/
function loadOrCreateWrappedKey(path, backend, log, options = {}) {
	if (!backend.secure && !options.allowInsecure) {
		log.warn("refusing insecure key wrap backend", { backend: backend.name });
		return {
			ok: false,
			reason: "insecure-backend",
			backend: backend.name
		};
	}
	if (!existsSync(path)) {
		if (options.mayCreate === false) throw missingKey(path, options.subject);
		const key = generateStoreKey();
		const file = {
			format: "poste-dmp-wrapped-key",
			version: 1,
			backend: backend.name,
			wrapped: backend.wrap(Buffer.from(key.key).toString("base64")).toString("base64")
		};
		mkdirSync(dirname(path), {
			recursive: true,
			mode: 448
		});
		if (createFileExclusively(path, Buffer.from(JSON.stringify(file), "utf8"))) {
			log.info("wrapped store key created", { backend: backend.name });
			return {
				ok: true,
				key,
				created: true,
				backend: backend.name,
				backendChanged: false
			};
		}
		log.warn("wrapped key file appeared while creating it; using the existing one");
	}
	const file = parseWrappedKeyFile(readFileSync(path, "utf8"));
	const backendChanged = file.backend !== backend.name;
	if (backendChanged) log.warn("key wrap backend changed", {
		recorded: file.backend,
		current: backend.name
	});
	let keyText;
	try {
		keyText = backend.unwrap(Buffer.from(file.wrapped, "base64"));
	} catch (err) {
		throw new StoreError("KEY_UNWRAP_FAILED", `unwrap failed (${err instanceof Error ? err.message : String(err)})`, backendChanged ? {
			recordedBackend: file.backend,
			currentBackend: backend.name
		} : {});
	}
	return {
		ok: true,
		key: parseKeyText(keyText, path),
		created: false,
		backend: backend.name,
		backendChanged
	};
}
function parseWrappedKeyFile(text) {
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		value = null;
	}
	const v = value;
	if (!v || v.format !== "poste-dmp-wrapped-key" || v.version !== 1 || typeof v.backend !== "string" || typeof v.wrapped !== "string") throw new StoreError("KEY_INVALID", "wrapped key file does not parse", { subject: "wrapped-key-file" });
	return v;
}
// src/main/store/journal.ts
/**
* Journal of generation G: the transactions committed after snapshot G, in order.
* File header: `magic | version | reserved | generation | key fingerprint` (plain, 24 bytes).
* Record: `length | sequence | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag`, the file header
* and the record header both authenticated as additional data, so a record cannot be moved to
* another position, generation or store without failing its tag.
*/
var magic = Buffer.from("PDMPJRNL", "ascii");
var formatVersion = 1;
var recordHeaderLength = 20;
var tagLength = 16;
/** Beyond this a length field is garbage, not a transaction. */
var maxRecordLength = 1073741824;
function journalFileName(generation) {
	return `journal.${String(generation).padStart(10, "0")}`;
}
function parseJournalFileName(name) {
	const m = /^journal\.(\d{10})$/.exec(name);
	return m?.[1] ? Number.parseInt(m[1], 10) : null;
}
function buildFileHeader(generation, key) {
	const header = Buffer.alloc(24);
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
	const iv = randomBytes(12);
	iv.copy(recordHeader, 8);
	const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: tagLength });
	cipher.setAAD(Buffer.concat([fileHeader, recordHeader]));
	const body = Buffer.concat([cipher.update(payload), cipher.final()]);
	return Buffer.concat([
		recordHeader,
		body,
		cipher.getAuthTag()
	]);
}
var aboutJournal = { subject: "journal" };
/**
* Reads every record that authenticates, in order, and stops at the first one that does not:
* a record is used whole or not at all. The caller decides whether the tail may be dropped.
*/
function readJournal(path, expectedGeneration, key) {
	const bytes = readFileSync(path);
	const base = {
		generation: expectedGeneration,
		payloads: [],
		fileSize: bytes.length
	};
	if (bytes.length < 24) {
		if (!magic.subarray(0, Math.min(bytes.length, magic.length)).equals(bytes.subarray(0, Math.min(bytes.length, magic.length)))) throw new StoreError("FOREIGN_FILE", `${path}: not a journal`, aboutJournal);
		return {
			...base,
			validEnd: 0,
			droppedReason: bytes.length > 0 ? "incomplete journal header" : null,
			tornHeader: true
		};
	}
	const fileHeader = bytes.subarray(0, 24);
	if (!fileHeader.subarray(0, magic.length).equals(magic)) throw new StoreError("FOREIGN_FILE", `${path}: magic mismatch`, aboutJournal);
	const version = fileHeader.readUInt16BE(8);
	if (version !== formatVersion) throw new StoreError("UNSUPPORTED_VERSION", `${path}: version ${version}`, aboutJournal);
	if (!fileHeader.subarray(16, 24).equals(keyFingerprint(key))) throw new StoreError("WRONG_KEY", `${path}: key fingerprint mismatch`, aboutJournal);
	const generation = fileHeader.readUInt32BE(12);
	if (generation !== expectedGeneration) throw new StoreError("CORRUPT_JOURNAL", `${path}: header generation ${generation}, file name says ${expectedGeneration}`, aboutJournal);
	const payloads = [];
	let offset = 24;
	let droppedReason = null;
	while (offset < bytes.length) {
		if (bytes.length - offset < 36) {
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
		const decipher = createDecipheriv("aes-256-gcm", key.key, recordHeader.subarray(8, 20), { authTagLength: tagLength });
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
	return {
		...base,
		generation,
		payloads,
		validEnd: offset,
		droppedReason,
		tornHeader: false
	};
}
/** Appends records to the journal of one generation; each `append` is durable when it returns. */
var JournalWriter = class JournalWriter {
	path;
	generation;
	fd;
	fileHeader;
	key;
	nextSequence;
	size;
	closed = false;
	constructor(path, generation, fd, fileHeader, key, nextSequence, size) {
		this.path = path;
		this.generation = generation;
		this.fd = fd;
		this.fileHeader = fileHeader;
		this.key = key;
		this.nextSequence = nextSequence;
		this.size = size;
	}
	/** Creates (or re-creates after a torn header) an empty journal, header durable on return. */
	static create(path, generation, key) {
		const header = buildFileHeader(generation, key);
		const fd = openSync(path, "w", 384);
		try {
			writeAll(fd, header);
			fsyncSync(fd);
		} catch (err) {
			closeSync(fd);
			throw err;
		}
		return new JournalWriter(path, generation, fd, header, key, 0, header.length);
	}
	/** Continues an existing journal after its last valid record, cutting off any dropped tail. */
	static resume(path, contents, key) {
		const fd = openSync(path, "r+");
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
		return new JournalWriter(path, contents.generation, fd, header, key, contents.payloads.length, contents.validEnd);
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
		closeSync(this.fd);
	}
};
function writeAll(fd, data, position) {
	let written = 0;
	while (written < data.length) written += writeSync(fd, data, written, data.length - written, position === void 0 ? null : position + written);
}
// src/main/store/store-files.ts
/** File names of a store directory (see README.md). Kept apart from the engine so the main thread can look without loading sql.js. */
var snapshotName = "snapshot";
var previousName = "snapshot.prev";
/**
* Whether `dir` holds store data (a snapshot or a journal): what must never be opened with a new
* key, and what tells a store folder passed by mistake from a data folder.
*/
function storeHasData(dir) {
	if (!existsSync(dir)) return false;
	return existsSync(join(dir, "snapshot")) || existsSync(join(dir, "snapshot.prev")) || readdirSync(dir).some((name) => parseJournalFileName(name) !== null);
}
// src/main/store/dir-lock.ts
/**
* One process at a time per folder, without an OS advisory lock (Node has none without a native
* addon). The lock is a file `LOCK` whose content names its holder:
*
* - it is created atomically WITH its content: written under a private name, then `link()`ed to
*   `LOCK`, which fails with EEXIST when a lock is there. A reader never sees an empty or half
*   written lock.
* - the holder is (pid, boot id, process start time). A lock is stale only when the boot id differs
*   (written before a reboot), the pid is dead, or the pid is alive but started at another time
*   (pid reused — e.g. pid 1 in a container restarted after a kill).
* - a stale lock is removed only under a second lock, `LOCK.takeover`, after re-reading it there:
*   with the takeover serialised and a stale holder unable to release, the lock re-read under
*   `LOCK.takeover` is still the one removed. The removal itself is a rename followed by a check of
*   what was renamed (rename-and-recheck), so a broken assumption is detected and undone rather than
*   silently removing a live lock.
* - released only by its owner: the content is compared with what this acquisition wrote (a random
*   token is part of it) before the file is removed.
*/
var lockFileName = "LOCK";
var cachedBootId;
function currentBootId() {
	if (cachedBootId === void 0) try {
		cachedBootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
	} catch {
		cachedBootId = null;
	}
	return cachedBootId;
}
/** Start time of a live process, null when it does not exist (or /proc is not available). */
function processStartTime(pid) {
	let stat;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	} catch {
		return null;
	}
	return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
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
	if (/^\d+$/.test(trimmed)) return {
		pid: Number(trimmed),
		boot: null,
		start: null
	};
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
/** Why a holder no longer holds anything; null while it may still be running. */
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
	lockPath;
	holder;
	constructor(lockPath, holder) {
		super("LOCKED", `lock ${lockPath} held by ${JSON.stringify(holder)}`, {
			path: lockPath,
			...holder ? {
				pid: holder.pid,
				...holder.host ? { host: holder.host } : {}
			} : {}
		});
		this.lockPath = lockPath;
		this.holder = holder;
	}
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
	const content = `${JSON.stringify(holder)}\n`;
	const tmp = `${path}.${process.pid}-${token}.tmp`;
	writeFileSync(tmp, content, { mode: 384 });
	return {
		content,
		tmp,
		discard: () => unlinkIfExists(tmp)
	};
}
/** Creates `path` from the prepared file unless it exists; true when created. */
function linkIfAbsent(created, path) {
	try {
		linkSync(created.tmp, path);
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
/**
* Removes `path` if it still holds `stale` (which the caller judged stale). Caller holds the
* takeover lock, so no other process removes or replaces a stale lock meanwhile.
*/
function removeIfUnchanged(path, stale) {
	const aside = `${path}.stale-${process.pid}-${randomBytes(6).toString("hex")}`;
	try {
		renameSync(path, aside);
	} catch (err) {
		if (isErrno(err, "ENOENT")) return;
		throw err;
	}
	if (readLock(aside) === stale) {
		unlinkIfExists(aside);
		return;
	}
	try {
		linkSync(aside, path);
	} catch (err) {
		if (!isErrno(err, "EEXIST")) throw err;
	}
	unlinkIfExists(aside);
}
/**
* One attempt: the release function, or the live holder. Stale locks met on the way are removed
* (under the takeover lock) and the attempt goes on.
*/
function tryAcquireLock(path) {
	const created = prepare(path);
	try {
		for (let attempt = 0; attempt < 20; attempt++) {
			if (linkIfAbsent(created, path)) return { release: releaser(path, created.content) };
			const seen = readLock(path);
			if (seen === null) continue;
			const holder = parseHolder(seen);
			if (staleReason(holder) === null) return { holder };
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
/** The short-lived lock under which stale locks are removed; null while someone else holds it. */
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
/** Takes `<dir>/LOCK` or throws `LockHeldError` (reason LOCKED) naming the lock file and its holder. */
function acquireDirectoryLock(dir) {
	const path = join(dir, lockFileName);
	const result = tryAcquireLock(path);
	if ("release" in result) return result.release;
	throw new LockHeldError(path, result.holder);
}
/**
* Same, but queues behind the current holder for up to `waitMs` (polling: a lock file cannot be
* waited on). `onWait` is called once, when the first attempt finds the lock held.
*/
async function acquireDirectoryLockWaiting(dir, waitMs, onWait) {
	const path = join(dir, lockFileName);
	const deadline = Date.now() + waitMs;
	let announced = false;
	for (;;) {
		const result = tryAcquireLock(path);
		if ("release" in result) return result.release;
		if (Date.now() >= deadline) throw new LockHeldError(path, result.holder);
		if (!announced) {
			announced = true;
			onWait?.(result.holder);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
export { unlinkIfExists as _, snapshotName as a, deserializeError as b, journalFileName as c, keyFingerprint as d, loadOrCreateKeyFile as f, isErrno as g, fsyncDirectory as h, previousName as i, parseJournalFileName as l, rawStoreKey as m, acquireDirectoryLockWaiting as n, storeHasData as o, loadOrCreateWrappedKey as p, lockFileName as r, JournalWriter as s, acquireDirectoryLock as t, readJournal as u, writeFileDurably as v, serializeError as x, StoreError as y };
