import { _ as unlinkIfExists, a as snapshotName, c as journalFileName, d as keyFingerprint, h as fsyncDirectory, i as previousName, l as parseJournalFileName, m as rawStoreKey, s as JournalWriter, t as acquireDirectoryLock, u as readJournal, x as serializeError, y as StoreError } from "./chunks/dir-lock-DPRMQxx0.js";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { closeSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import initSqlJs from "sql.js";
import { deserialize, serialize } from "node:v8";
// src/main/store/sql-image.ts
/**
* A decrypted database image and how it becomes sql.js's database file without being copied.
*
* sql.js keeps the database as one `Uint8Array` in its in-memory file system. Given an image, it
* copies it there (`image.slice(0, n)`), and when SQLite later writes past the end of that buffer
* it moves the whole file into a buffer 1/8 larger. For a 150 MB store each of those is a fresh
* 150 MB that the kernel must fault in page by page (about half a second each on the 2-core CI
* box), while a one-document import touches a few dozen pages. So the snapshot is decrypted
* straight into a buffer with room to grow, and that very buffer is handed over as the file.
* Untouched room costs nothing: large buffers are mapped lazily.
*/
/** Room left after the image: a quarter of it, at least 16 MB (address space, not memory). */
function reserveFor(length) {
	return Math.max(16777216, Math.ceil(length / 4));
}
/** A buffer of `length` bytes to decrypt an image into, with room to grow behind it. */
function allocateImage(length) {
	return new HandedOverImage(new ArrayBuffer(length + reserveFor(length)), 0, length);
}
/**
* `slice` is the one call through which sql.js's file system copies a new file's initial content
* (sql.js 1.16, MEMFS `write` at offset 0 of an empty file). Answering it with a view of the same
* memory, reserved room included, makes this buffer the file. A sql.js that copied some other
* way would still be correct, only slower (and `sql-image.test.ts` would say so).
*/
var HandedOverImage = class extends Uint8Array {
	slice(start, end) {
		if ((start ?? 0) === 0 && (end ?? this.length) === this.length) return new Uint8Array(this.buffer, this.byteOffset);
		return Uint8Array.prototype.slice.call(this, start, end);
	}
};
/**
* Opens `image` as a database. When it came from `allocateImage` it now belongs to the database:
* do not reuse or wipe it (it is the live file, freed with the database).
*/
function databaseFromImage(SQL, image) {
	return new SQL.Database(image);
}
// src/main/store/snapshot-file.ts
/**
* Snapshot file: `magic | version | reserved | generation | key fingerprint | 12-byte IV |
* ciphertext | 16-byte tag`, AES-256-GCM with the whole header as additional data.
* Generation G holds every transaction of the journals numbered below G.
*/
var magic = Buffer.from("PDMPSNAP", "ascii");
var formatVersion = 1;
var tagLength = 16;
var defaultChunkSize = 8388608;
function buildHeader(generation, key) {
	const header = Buffer.alloc(36);
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
async function writeSnapshotFile(path, plaintext, generation, key, chunkSize = defaultChunkSize) {
	const header = buildHeader(generation, key);
	const cipher = createCipheriv("aes-256-gcm", key.key, header.subarray(24), { authTagLength: tagLength });
	cipher.setAAD(header);
	const file = await open(path, "w", 384);
	try {
		await file.write(header);
		for (let offset = 0; offset < plaintext.length; offset += chunkSize) await file.write(cipher.update(plaintext.subarray(offset, Math.min(offset + chunkSize, plaintext.length))));
		const last = cipher.final();
		if (last.length > 0) await file.write(last);
		await file.write(cipher.getAuthTag());
		await file.sync();
	} finally {
		await file.close();
	}
	return header.length + plaintext.length + tagLength;
}
var SnapshotReadError = class extends StoreError {
	problem;
	constructor(problem, detail) {
		super(problem, detail, { subject: "snapshot" });
		this.problem = problem;
	}
};
/** Reads and checks only the header: cheap, used to learn a file's generation. */
function readSnapshotHeader(path, key) {
	const fd = openSync(path, "r");
	try {
		const fileSize = fstatSync(fd).size;
		const header = Buffer.alloc(36);
		const got = readSync(fd, header, 0, header.length, 0);
		return {
			...parseHeader(header.subarray(0, got), fileSize, key, path),
			fileSize
		};
	} finally {
		closeSync(fd);
	}
}
function parseHeader(header, fileSize, key, path) {
	if (header.length < magic.length || !header.subarray(0, magic.length).equals(magic)) throw new SnapshotReadError("FOREIGN_FILE", `${path}: not a Poste DMP snapshot (magic mismatch)`);
	if (header.length < 36 || fileSize < 52) throw new SnapshotReadError("CORRUPT_SNAPSHOT", `${path}: truncated (${fileSize} bytes)`);
	const version = header.readUInt16BE(8);
	if (version !== formatVersion) throw new SnapshotReadError("UNSUPPORTED_VERSION", `${path}: format version ${version}`);
	const fingerprint = header.subarray(16, 24);
	if (!fingerprint.equals(keyFingerprint(key))) throw new SnapshotReadError("WRONG_KEY", `${path}: key fingerprint mismatch`);
	return {
		generation: header.readUInt32BE(12),
		fingerprint,
		iv: header.subarray(24, 36)
	};
}
/** Ciphertext handed to the decipher at a time: small, so its output buffers are recycled. */
var decryptPiece = 65536;
/**
* Decrypts a whole snapshot. The plaintext is handed out only once the GCM tag has been verified
* by `final()`: a truncated or altered file yields an error, never a partial database.
*
* The ciphertext is read straight into the buffer that will hold the plaintext (allocated with
* room to grow and handed to sql.js as is, see `sql-image.ts`), then decrypted in place piece by
* piece: the image is the only large buffer touched, once. Reads are `chunkSize` at a time.
*/
function readSnapshotFile(path, key, chunkSize = defaultChunkSize) {
	const fd = openSync(path, "r");
	try {
		const fileSize = fstatSync(fd).size;
		const header = Buffer.alloc(36);
		const got = readSync(fd, header, 0, header.length, 0);
		const { generation, iv } = parseHeader(header.subarray(0, got), fileSize, key, path);
		const cipherLength = fileSize - 36 - tagLength;
		const tag = Buffer.alloc(tagLength);
		readSync(fd, tag, 0, tagLength, fileSize - tagLength);
		const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: tagLength });
		decipher.setAAD(header);
		decipher.setAuthTag(tag);
		const plaintext = allocateImage(cipherLength);
		let produced = 0;
		try {
			for (let offset = 0; offset < cipherLength;) {
				const want = Math.min(chunkSize, cipherLength - offset);
				const n = readSync(fd, plaintext, offset, want, 36 + offset);
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
		return {
			generation,
			plaintext
		};
	} finally {
		closeSync(fd);
	}
}
// src/main/store/sql-exec.ts
/** Statements whose parameters the journal could not faithfully replay are refused up front. */
function checkStatements(statements) {
	statements.forEach((s, i) => {
		if (typeof s.sql !== "string") throw invalid(`statement ${i} has no SQL text`);
		if (s.params === void 0) return;
		if (!(Array.isArray(s.params) ? s.params : Object.values(s.params)).every(isSqlValue$1)) throw invalid(`statement ${i} has a parameter that is not string, number, null or bytes`);
	});
}
function isSqlValue$1(v) {
	return v === null || typeof v === "string" || typeof v === "number" && Number.isFinite(v) || v instanceof Uint8Array;
}
function invalid(detail) {
	return new StoreError("SQL", detail, { subject: "request" });
}
/**
* Runs the statements as one transaction; on any error nothing of it remains. A statement without
* parameters may hold several SQL statements (migrations); it must not open or end a transaction.
*/
function applyTransaction(db, statements) {
	db.exec("BEGIN IMMEDIATE");
	try {
		for (const s of statements) if (s.params === void 0) db.exec(s.sql);
		else db.run(s.sql, s.params);
		db.exec("COMMIT");
	} catch (err) {
		try {
			db.exec("ROLLBACK");
		} catch {}
		throw new StoreError("SQL", sqliteMessage(err), { subject: "write" });
	}
}
/**
* A read runs inside a transaction that is always rolled back, so a statement that writes through
* `all()` can never change the in-memory database behind the journal's back.
*/
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
	if (changed) throw new StoreError("READ_ONLY_VIOLATION", "all() was given a statement that modifies data; use write()", { subject: "read" });
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
/**
* A committed transaction as stored in a journal record. v8 serialisation is documented as
* backward compatible ("safe to store to disk") and keeps Uint8Array blobs without base64.
*/
function encodeTransaction(statements) {
	return serialize(statements.map((s) => s.params === void 0 ? { sql: s.sql } : {
		sql: s.sql,
		params: s.params
	}));
}
/** Throws on anything that is not exactly a list of statements (the caller reports it as corruption). */
function decodeTransaction(bytes) {
	const value = deserialize(bytes);
	if (!Array.isArray(value)) throw new Error("transaction is not an array");
	return value.map((item, i) => {
		if (typeof item !== "object" || item === null) throw new Error(`statement ${i} is not an object`);
		const { sql, params } = item;
		if (typeof sql !== "string") throw new Error(`statement ${i} has no SQL text`);
		if (params === void 0) return { sql };
		return {
			sql,
			params: checkParams(params, i)
		};
	});
}
function checkParams(params, i) {
	if (Array.isArray(params)) {
		if (!params.every(isSqlValue)) throw new Error(`statement ${i} has a parameter of unsupported type`);
		return params;
	}
	if (typeof params === "object" && params !== null && !(params instanceof Uint8Array)) {
		if (!Object.values(params).every(isSqlValue)) throw new Error(`statement ${i} has a parameter of unsupported type`);
		return params;
	}
	throw new Error(`statement ${i} has malformed parameters`);
}
function isSqlValue(v) {
	return v === null || typeof v === "string" || typeof v === "number" || v instanceof Uint8Array;
}
// src/main/store/engine.ts
var defaultCompactionPolicy = {
	records: 2e3,
	bytes: 33554432,
	closeRecords: 250,
	closeBytes: 4194304
};
var tempName = "snapshot.tmp";
var sqlModule = null;
function loadSql() {
	sqlModule ??= initSqlJs();
	return sqlModule;
}
/**
* The durable store itself, single-threaded: sql.js in memory, every committed transaction
* appended to an encrypted journal before it is acknowledged, compaction into an encrypted
* snapshot. Runs inside the store worker; tests may drive it directly.
*/
var StoreEngine = class StoreEngine {
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
	static async open(options) {
		const { dir, log } = options;
		const started = performance.now();
		const policy = {
			...defaultCompactionPolicy,
			...options.snapshotEvery
		};
		if (options.readOnly) {
			if (!existsSync(dir)) throw new StoreError("MISSING_FILE", `read-only open of missing ${dir}`, { subject: "store" });
		} else mkdirSync(dir, {
			recursive: true,
			mode: 448
		});
		const releaseLock = options.readOnly ? () => void 0 : acquireDirectoryLock(dir);
		const recovery = {
			usedPreviousSnapshot: false,
			droppedJournalTail: null,
			notices: []
		};
		let db = null;
		let journal = null;
		try {
			if (!options.readOnly && unlinkIfExists(join(dir, tempName))) log.info("removed unfinished snapshot left by an interrupted compaction");
			const base = loadBaseImage(options, recovery);
			const SQL = await loadSql();
			db = base.plaintext ? databaseFromImage(SQL, base.plaintext) : new SQL.Database();
			db.exec("PRAGMA foreign_keys = ON");
			const replayed = replayJournals(db, options, base.generation, recovery);
			journal = replayed.writer;
			const engine = new StoreEngine({
				...options,
				policy
			}, db, journal, replayed.generation, base.plaintext || existsSync(join(dir, "snapshot")) ? base.generation : null, base.previousGeneration, base.snapshotBytes, releaseLock, recovery);
			if (!options.readOnly) {
				engine.applyMigrations();
				if (recovery.usedPreviousSnapshot) await engine.compact();
			}
			engine.openMs = performance.now() - started;
			log.info("store opened", {
				...engine.statsFields(),
				usedPrevious: recovery.usedPreviousSnapshot
			});
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
			this.failure = new StoreError("IO", `journal append failed: ${err instanceof Error ? err.message : String(err)}`, { subject: "write" });
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
		if (!this.journal) throw new StoreError("READ_ONLY_VIOLATION", "write on a read-only store", { subject: "read-only-store" });
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
				log.error("background compaction failed", { detail: err instanceof Error ? err.message : String(err) });
			});
		});
	}
	async runCompaction() {
		const { dir, key, log } = this.options;
		const started = Date.now();
		const image = this.db.export();
		const current = this.writableJournal();
		const generation = current.generation + 1;
		log.info("compaction started", {
			generation,
			databaseBytes: image.length
		});
		const next = JournalWriter.create(join(dir, journalFileName(generation)), generation, key);
		fsyncDirectory(dir);
		this.journal = next;
		current.close();
		const temp = join(dir, tempName);
		let size;
		try {
			size = await writeSnapshotFile(temp, image, generation, key, this.options.chunkSize ?? 8388608);
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
			unlinkIfExists(previous);
			linkSync(currentPath, previous);
			previousGeneration = this.snapshotGeneration;
		}
		renameSync(temp, currentPath);
		fsyncDirectory(dir);
		this.snapshotGeneration = generation;
		this.previousGeneration = previousGeneration;
		this.snapshotBytes = size;
		this.compactions += 1;
		this.removeJournalsBefore(previousGeneration ?? generation);
		log.info("compaction finished", {
			generation,
			snapshotBytes: size,
			ms: Date.now() - started
		});
		this.scheduleCompactionIfDue();
	}
	/** Journals older than `.prev` can no longer be needed, even to recover from `.prev`. */
	removeJournalsBefore(generation) {
		for (const name of readdirSync(this.options.dir)) {
			const g = parseJournalFileName(name);
			if (g !== null && g < generation) unlinkIfExists(join(this.options.dir, name));
		}
	}
	applyMigrations() {
		const { migrations, log } = this.options;
		const sorted = [...migrations].sort((a, b) => a.version - b.version);
		sorted.forEach((m, i) => {
			if (!Number.isInteger(m.version) || m.version < 1 || i > 0 && sorted[i - 1]?.version === m.version) throw new StoreError("MIGRATION_FAILED", `bad migration version ${m.version} (${m.name})`, { subject: "migration-list" });
		});
		const current = pragmaNumber(this.db, "user_version");
		const latest = sorted.at(-1)?.version ?? 0;
		if (current > latest) throw new StoreError("TOO_NEW", `schema version ${current}, this build knows up to ${latest}`);
		for (const m of sorted) {
			if (m.version <= current) continue;
			try {
				this.write([...m.statements.map((sql) => ({ sql })), { sql: `PRAGMA user_version = ${m.version}` }]);
			} catch (err) {
				throw new StoreError("MIGRATION_FAILED", `migration ${m.version} (${m.name}): ${err instanceof StoreError ? err.detail : String(err)}`);
			}
			log.info("migration applied", {
				version: m.version,
				migration: m.name
			});
		}
	}
};
/** The snapshot to start from: current, else `.prev` when current is damaged, else an empty base. */
function loadBaseImage(options, recovery) {
	const { dir, key, log } = options;
	const current = join(dir, snapshotName);
	const previous = join(dir, previousName);
	const hasCurrent = existsSync(current);
	const hasPrevious = existsSync(previous);
	if (!hasCurrent && !hasPrevious) {
		const journals = listJournals(dir);
		if (journals.length > 0 && journals[0] !== 0) throw new StoreError("MISSING_FILE", `no snapshot but journals start at generation ${journals[0]}`, { subject: "snapshot" });
		return {
			generation: 0,
			plaintext: null,
			snapshotBytes: 0,
			previousGeneration: null
		};
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
		if (currentError.problem === "FOREIGN_FILE" || currentError.problem === "UNSUPPORTED_VERSION") throw currentError;
		if (!hasPrevious) throw currentError;
	}
	let fallback;
	try {
		fallback = readSnapshotFile(previous, key);
	} catch (err) {
		if (currentError && err instanceof SnapshotReadError && err.problem === "WRONG_KEY" && currentError.problem === "WRONG_KEY") throw currentError;
		if (currentError) throw new StoreError(currentError.reason, `${currentError.detail}; previous snapshot unusable too: ${err instanceof StoreError ? err.detail : String(err)}`, currentError.facts);
		throw err;
	}
	let quarantined = null;
	if (hasCurrent && !options.readOnly) {
		quarantined = `snapshot.corrupt-${Date.now()}`;
		renameSync(current, join(dir, quarantined));
		fsyncDirectory(dir);
	}
	log.error("current snapshot unusable, recovered from previous snapshot", {
		reason: currentError?.detail ?? "current snapshot missing",
		previousGeneration: fallback.generation,
		quarantined
	});
	recovery.usedPreviousSnapshot = true;
	recovery.notices.push({
		kind: "previous-snapshot-used",
		quarantined
	});
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
/** Replays journals `base`, `base+1`, … in order; returns the writer for the last one (none when read-only). */
function replayJournals(db, options, base, recovery) {
	const { dir, key, log } = options;
	const all = listJournals(dir);
	const needed = all.filter((g) => g >= base);
	if (needed.length === 0) {
		if (all.length > 0 || base > 0) {
			if (all.length > 0) throw new StoreError("MISSING_FILE", `no journal for generation ${base} (have ${all.join(",")})`, { subject: "latest-journal" });
			log.warn("snapshot without any journal, opening it as is", { generation: base });
			recovery.notices.push({ kind: "snapshot-without-journal" });
		}
		if (options.readOnly) return {
			writer: null,
			generation: base
		};
		const writer = JournalWriter.create(join(dir, journalFileName(base)), base, key);
		fsyncDirectory(dir);
		return {
			writer,
			generation: base
		};
	}
	needed.forEach((g, i) => {
		if (g !== base + i) throw new StoreError("MISSING_FILE", `journal generation ${base + i} missing (have ${needed.join(",")})`, { subject: "journal-part" });
	});
	let last = null;
	for (const [i, generation] of needed.entries()) {
		const path = join(dir, journalFileName(generation));
		const contents = readJournal(path, generation, key);
		const isLast = i === needed.length - 1;
		if ((contents.droppedReason || contents.tornHeader) && !isLast) throw new StoreError("CORRUPT_JOURNAL", `journal ${generation}: ${contents.droppedReason ?? "incomplete header"}`);
		contents.payloads.forEach((payload, sequence) => {
			let statements;
			try {
				statements = decodeTransaction(payload);
				applyTransaction(db, statements);
			} catch (err) {
				throw new StoreError("REPLAY_FAILED", `journal ${generation} record ${sequence}: ${err instanceof StoreError ? err.detail : String(err)}`);
			}
		});
		last = contents;
	}
	if (!last) throw new Error("unreachable: no journal replayed");
	const path = join(dir, journalFileName(last.generation));
	if (last.tornHeader) {
		log.warn("journal header incomplete (crash while creating it), recreating", {
			generation: last.generation,
			bytes: last.fileSize
		});
		if (options.readOnly) return {
			writer: null,
			generation: last.generation
		};
		const writer = JournalWriter.create(path, last.generation, key);
		fsyncDirectory(dir);
		return {
			writer,
			generation: last.generation
		};
	}
	if (last.droppedReason) {
		const bytes = last.fileSize - last.validEnd;
		recovery.droppedJournalTail = {
			generation: last.generation,
			bytes,
			reason: last.droppedReason
		};
		recovery.notices.push({ kind: "journal-tail-dropped" });
		let kept = null;
		if (/authentication|sequence/.test(last.droppedReason) && !options.readOnly) {
			kept = `${journalFileName(last.generation)}.dropped-${Date.now()}`;
			copyTail(path, join(dir, kept), last.validEnd);
		}
		log.warn("journal tail dropped", {
			generation: last.generation,
			offset: last.validEnd,
			bytes,
			reason: last.droppedReason,
			kept
		});
	}
	if (options.readOnly) return {
		writer: null,
		generation: last.generation
	};
	return {
		writer: JournalWriter.resume(path, last, key),
		generation: last.generation
	};
}
function copyTail(from, to, offset) {
	writeFileSync(to, readFileSync(from).subarray(offset), { mode: 384 });
}
// src/main/store/store-worker.ts
/**
* Worker entry: hosts sql.js and every disk operation so the main thread (card events, IPC)
* never waits on a query, an fsync or a compaction. Requests are handled one at a time, in order.
*/
var port = parentPort;
if (!port) throw new Error("store-worker must run in a worker thread");
var post = (message) => port.postMessage(message);
function forwardingLogger(scope) {
	const send = (level) => (msg, fields) => post({
		kind: "log",
		level,
		msg: scope ? `${scope}: ${msg}` : msg,
		fields
	});
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
		case "all": return engine.all(request.sql, request.params);
		case "write":
			engine.write(request.statements);
			return null;
		case "compact":
			await engine.compact();
			return null;
		case "stats": return engine.stats();
		case "close":
			await engine.close();
			return null;
	}
}
async function main() {
	const data = workerData;
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
		post({
			kind: "open-failed",
			error: serializeError(err)
		});
		port?.close();
		return;
	}
	data.key.fill(0);
	post({
		kind: "opened",
		recovery: engine.recovery
	});
	port?.on("message", (request) => {
		handle(engine, request).then((value) => {
			post({
				kind: "reply",
				id: request.id,
				ok: true,
				value
			});
			if (request.op === "close") port.close();
		}, (err) => post({
			kind: "reply",
			id: request.id,
			ok: false,
			error: serializeError(err)
		}));
	});
}
main();
export {};
