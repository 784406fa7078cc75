import { a as toHex, o as SerialQueue } from "./hex-CD-Cx3Uk.js";
import { g as CardError, p as silentLogger } from "./loopback-host-uxkiUcYH.js";
import __shims_module__, { createRequire } from "node:module";
import { dirname } from "node:path";
import { connect } from "node:net";
import.meta.filename;
import.meta.dirname;
__shims_module__.createRequire(import.meta.url);
// src/main/cards/transport/pcsc-errors.ts
var PCSC = {
	E_CANCELLED: 2148532226,
	E_INVALID_HANDLE: 2148532227,
	E_INSUFFICIENT_BUFFER: 2148532232,
	E_UNKNOWN_READER: 2148532233,
	E_TIMEOUT: 2148532234,
	E_SHARING_VIOLATION: 2148532235,
	E_NO_SMARTCARD: 2148532236,
	E_PROTO_MISMATCH: 2148532239,
	E_SYSTEM_CANCELLED: 2148532242,
	F_COMM_ERROR: 2148532243,
	E_INVALID_ATR: 2148532245,
	E_NOT_TRANSACTED: 2148532246,
	E_READER_UNAVAILABLE: 2148532247,
	E_NO_SERVICE: 2148532253,
	E_SERVICE_STOPPED: 2148532254,
	E_NO_READERS_AVAILABLE: 2148532270,
	W_UNSUPPORTED_CARD: 2148532325,
	W_UNRESPONSIVE_CARD: 2148532326,
	W_UNPOWERED_CARD: 2148532327,
	W_RESET_CARD: 2148532328,
	W_REMOVED_CARD: 2148532329,
	W_SECURITY_VIOLATION: 2148532330
};
var kindByCode = /* @__PURE__ */ new Map([
	[PCSC.W_REMOVED_CARD, "card-removed"],
	[PCSC.E_NO_SMARTCARD, "no-card"],
	[PCSC.W_RESET_CARD, "card-reset"],
	[PCSC.W_UNPOWERED_CARD, "card-reset"],
	[PCSC.E_NO_SERVICE, "service-unavailable"],
	[PCSC.E_SERVICE_STOPPED, "service-unavailable"],
	[PCSC.F_COMM_ERROR, "service-unavailable"],
	[PCSC.E_NO_READERS_AVAILABLE, "no-readers"],
	[PCSC.E_UNKNOWN_READER, "reader-unavailable"],
	[PCSC.E_READER_UNAVAILABLE, "reader-unavailable"],
	[PCSC.E_PROTO_MISMATCH, "protocol-mismatch"],
	[PCSC.E_INSUFFICIENT_BUFFER, "insufficient-buffer"],
	[PCSC.E_SHARING_VIOLATION, "sharing-violation"],
	[PCSC.W_UNRESPONSIVE_CARD, "unresponsive-card"],
	[PCSC.W_UNSUPPORTED_CARD, "unsupported-card"],
	[PCSC.E_INVALID_ATR, "unsupported-card"],
	[PCSC.E_NOT_TRANSACTED, "transmission-failed"],
	[PCSC.E_CANCELLED, "cancelled"],
	[PCSC.E_SYSTEM_CANCELLED, "cancelled"],
	[PCSC.E_TIMEOUT, "timeout"],
	[PCSC.E_INVALID_HANDLE, "invalid-handle"],
	[PCSC.W_SECURITY_VIOLATION, "security-violation"]
]);
var frenchMessage = {
	"card-removed": "La carte a été retirée du lecteur.",
	"no-card": "Aucune carte dans le lecteur.",
	"card-reset": "La carte a été réinitialisée par une autre application ; recommencez la lecture.",
	"service-unavailable": "Le service de cartes à puce (pcscd) ne répond pas. Vérifiez qu’il est démarré.",
	"no-readers": "Aucun lecteur de cartes n’est branché.",
	"reader-unavailable": "Le lecteur de cartes n’est plus disponible.",
	"protocol-mismatch": "Le protocole de communication avec la carte ne correspond pas.",
	"insufficient-buffer": "La réponse de la carte est plus longue que prévu.",
	"sharing-violation": "La carte est utilisée en exclusivité par une autre application.",
	"unresponsive-card": "La carte ne répond pas. Retirez-la et réinsérez-la.",
	"unsupported-card": "Cette carte n’est pas prise en charge par le lecteur.",
	"transmission-failed": "La communication avec la carte a échoué.",
	cancelled: "L’opération sur la carte a été annulée.",
	timeout: "La carte n’a pas répondu à temps.",
	"invalid-handle": "La connexion à la carte n’est plus valide ; recommencez la lecture.",
	"security-violation": "L’accès au service de cartes à puce a été refusé.",
	unknown: "Erreur inattendue du lecteur de cartes."
};
/** The shared CardError kind each PC/SC failure becomes for the layers above the transport. */
var cardErrorKindByPcscKind = {
	"card-removed": "removed",
	"no-card": "no-card",
	"card-reset": "reset",
	"service-unavailable": "no-service",
	"no-readers": "no-reader",
	"reader-unavailable": "no-reader",
	"protocol-mismatch": "protocol",
	"insufficient-buffer": "protocol",
	"sharing-violation": "io",
	"unresponsive-card": "io",
	"unsupported-card": "unsupported",
	"transmission-failed": "io",
	cancelled: "io",
	timeout: "io",
	"invalid-handle": "closed",
	"security-violation": "no-service",
	unknown: "io"
};
/** CardError kinds after which the open card handle is useless and a new connection is needed. */
var sessionEndingKinds = /* @__PURE__ */ new Set([
	"removed",
	"reset",
	"no-card",
	"no-service",
	"no-reader",
	"closed"
]);
function formatPcscCode(code) {
	return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
}
/** The last `0x8010xxxx` in a pcsclite message, or null when there is none. */
function parsePcscErrorCode(message) {
	const last = [...message.matchAll(/0x(8010[0-9a-fA-F]{4})/g)].at(-1);
	return last?.[1] === void 0 ? null : Number.parseInt(last[1], 16);
}
function pcscErrorKind(code) {
	return code === null ? "unknown" : kindByCode.get(code >>> 0) ?? "unknown";
}
/** Reads whatever the addon threw or passed to a callback; never throws itself. */
function describePcscFailure(error) {
	const message = error instanceof Error ? error.message : String(error);
	const code = parsePcscErrorCode(message);
	const operation = /^(SCard\w+)/.exec(message)?.[1] ?? null;
	return {
		kind: pcscErrorKind(code),
		code,
		operation,
		message
	};
}
function pcscFailureToCardError(failure, cause) {
	const code = failure.code === null ? "no code" : formatPcscCode(failure.code);
	return new CardError(cardErrorKindByPcscKind[failure.kind], {
		message: frenchMessage[failure.kind],
		detail: `${failure.operation ?? "PC/SC"} failed: ${failure.kind} (${code}): ${failure.message}`,
		cause
	});
}
/** The typed error the transport throws for a raw pcsclite error (already-typed CardErrors pass through). */
function toCardError(error) {
	if (error instanceof CardError) return error;
	return pcscFailureToCardError(describePcscFailure(error), error);
}
function pcscCardError(kind, detail) {
	return pcscFailureToCardError({
		kind,
		code: null,
		operation: null,
		message: detail
	});
}
function endsSession(error) {
	return sessionEndingKinds.has(error.kind);
}
// src/main/cards/transport/pcscd-probe.ts
var PCSCD_SOCKET = "/run/pcscd/pcscd.comm";
var CMD_VERSION = 17;
/** pcsc-lite 1.8.x–2.x speak 4.4; a different server answers with its own version, which is enough. */
var PROTOCOL_VERSION = {
	major: 4,
	minor: 4
};
/**
* Asks pcscd for its protocol version over its socket, asynchronously. The addon establishes its
* context synchronously on the JS thread and a frozen pcscd blocks that call forever (observed with
* SIGSTOP): checking first keeps the app responsive. A race remains if pcscd freezes in between.
*/
function probePcscd(options = {}) {
	const socketPath = options.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? PCSCD_SOCKET;
	return new Promise((resolve) => {
		const socket = connect(socketPath);
		let received = 0;
		const finish = (result) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(result);
		};
		const timer = setTimeout(() => finish("unresponsive"), options.timeoutMs ?? 1500);
		socket.once("connect", () => {
			const message = Buffer.alloc(20);
			message.writeUInt32LE(12, 0);
			message.writeUInt32LE(CMD_VERSION, 4);
			message.writeInt32LE(PROTOCOL_VERSION.major, 8);
			message.writeInt32LE(PROTOCOL_VERSION.minor, 12);
			socket.write(message);
		});
		socket.on("data", (chunk) => {
			received += chunk.length;
			if (received >= 12) finish("alive");
		});
		socket.once("error", () => finish("absent"));
		socket.once("close", () => finish(received >= 12 ? "alive" : "absent"));
	});
}
// src/main/cards/transport/card-state-tracking.ts
/** SCARD_STATE_* flags (low 16 bits of dwEventState) this tracking needs. */
var STATE_PRESENT = 32;
var STATE_MUTE = 512;
var NO_CARD = {
	present: false,
	counter: null,
	atr: null
};
/**
* Card insert/remove from one reader status. Duplicate statuses (same presence, same counter) give
* nothing; a changed counter while a card stays present means it was pulled and re-inserted (or
* swapped) between two statuses, which must still reach the app as a removal then an insertion.
*/
function trackCardState(previous, state, atr) {
	const flags = state & 65535;
	const counter = state >>> 16;
	const present = (flags & STATE_PRESENT) !== 0 && (flags & STATE_MUTE) === 0;
	const next = {
		present,
		counter,
		atr: present ? atr ?? /* @__PURE__ */ new Uint8Array(0) : null
	};
	if (previous.present && !present) return {
		next,
		changes: ["removed"]
	};
	if (!previous.present && present) return {
		next,
		changes: ["inserted"]
	};
	if (previous.present && present) {
		const counterMoved = previous.counter !== null && previous.counter !== counter;
		const atrChanged = atr !== null && atr.length > 0 && previous.atr !== null && toHex(previous.atr) !== toHex(atr);
		if (counterMoved || atrChanged) return {
			next,
			changes: ["removed", "inserted"]
		};
	}
	return {
		next,
		changes: []
	};
}
// src/main/cards/transport/pcsclite-transport.ts
/**
* CardTransport over the real pcscd, through the node-pcsclite native addon (the only module that
* loads it). We drive the addon's native classes directly rather than its JS wrapper because the
* wrapper connects EXCLUSIVE by default, throws on unhandled 'error' events and never says when the
* first reader listing is complete.
*
* Native facts this relies on (node_modules/pcsclite/src/*.cpp):
* - `PCSCLite` establishes a context synchronously in its constructor (throws when pcscd is absent)
*   and its monitoring thread calls back with the reader list on every PnP change, or once with an
*   error before stopping for good.
* - Each `CardReader` watches its reader in its own thread and context, calls back with
*   `(err, state, atr)`, then emits `_end` on the JS object when that thread stops. Its status
*   callback runs while the reader's mutex is held: calling `close()` from inside it deadlocks, so
*   native closes are always deferred.
* - A `CardReader` holds one card handle in a context established at first connect and never
*   renewed: after pcscd restarts, only fresh native objects work. Recovery therefore rebuilds
*   everything (context and readers) from scratch.
* - Nothing has a timeout. A frozen pcscd blocks the constructor (so the JS thread) forever, and a
*   stuck reader holds connect/transmit forever: hence the socket probe before each context, the
*   watchdog on the first reader listing, and the per-call timeouts.
*/
var SHARE_SHARED = 2;
var PROTOCOL_T0 = 1;
var PROTOCOL_T1 = 2;
var DISPOSITION_CODE = {
	leave: 0,
	reset: 1,
	unpower: 2
};
/** Short APDU data (256) + SW1 SW2: pcsclite needs the SW bytes counted in the receive length. */
var RECEIVE_BUFFER = 258;
var MAX_SHORT_APDU = 261;
function loadNativeBinding() {
	const require = createRequire(import.meta.url);
	const packageDir = dirname(require.resolve("pcsclite/package.json"));
	return createRequire(`${packageDir}/index.js`)("bindings")({
		bindings: "pcsclite",
		module_root: packageDir
	});
}
/** `\0`-separated, `\0\0`-terminated multi-string from SCardListReaders. */
function parseReaderNames(raw) {
	return raw.toString("utf8").split("\0").filter((name) => name.length > 0);
}
var PcscliteTransport = class {
	options;
	log;
	binding;
	listeners = /* @__PURE__ */ new Set();
	readerEntries = /* @__PURE__ */ new Map();
	context = null;
	/** Bumped whenever the context is torn down: callbacks from older generations are ignored. */
	generation = 0;
	started = false;
	stopping = false;
	serviceUp = false;
	retryTimer = null;
	listingTimer = null;
	retryDelayMs;
	settleWaiters = [];
	listingSeen = false;
	constructor(options = {}) {
		this.options = options;
		this.log = options.log ?? silentLogger;
		this.binding = options.binding ?? null;
		this.retryDelayMs = options.initialRetryDelayMs ?? 100;
	}
	/** False while pcscd is unreachable (the transport keeps retrying in the background). */
	isServiceAvailable() {
		return this.serviceUp;
	}
	async start() {
		if (this.started) return;
		this.started = true;
		this.stopping = false;
		if (!this.binding) try {
			this.binding = loadNativeBinding();
		} catch (error) {
			this.started = false;
			throw new CardError("no-service", {
				message: "Le module d’accès aux lecteurs de cartes (pcsclite) est introuvable ou incompatible.",
				detail: `pcsclite addon failed to load: ${error instanceof Error ? error.message : String(error)}`,
				cause: error
			});
		}
		if (!await this.establish()) {
			this.emit({
				type: "service-lost",
				detail: "pcscd unreachable at start"
			});
			this.scheduleRetry();
			return;
		}
		await this.waitForSettle(this.options.startupSettleMs ?? 2e3);
	}
	async stop() {
		if (!this.started) return;
		this.stopping = true;
		this.started = false;
		this.clearTimers();
		const entries = [...this.readerEntries.values()];
		await Promise.all(entries.map((entry) => this.releaseHandle(entry, "leave", 1e3)));
		this.teardown();
		this.serviceUp = false;
		this.wakeSettleWaiters();
	}
	readers() {
		return [...this.readerEntries.values()].map((entry) => ({
			name: entry.name,
			atr: entry.card.present ? entry.card.atr ?? /* @__PURE__ */ new Uint8Array(0) : null
		}));
	}
	onEvent(listener) {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	async connect(reader) {
		const entry = this.readerEntries.get(reader);
		if (!entry) throw this.serviceUp ? pcscCardError("reader-unavailable", `unknown reader "${reader}"`) : pcscCardError("service-unavailable", "pcscd is not reachable");
		return entry.queue.run(async () => {
			if (this.readerEntries.get(reader) !== entry) throw pcscCardError("reader-unavailable", `reader "${reader}" went away`);
			if (!entry.card.present) throw pcscCardError("no-card", `no card in "${reader}"`);
			if (!entry.handle) {
				const code = await this.withTimeout("SCardConnect", new Promise((resolve, reject) => {
					entry.native._connect(SHARE_SHARED, 3, (error, protocol) => {
						if (error) reject(toCardError(error));
						else resolve(protocol ?? PROTOCOL_T0);
					});
				})).catch((error) => this.onOperationFailure(toCardError(error)));
				entry.handle = {
					protocol: code === PROTOCOL_T1 ? "T1" : "T0",
					sessions: /* @__PURE__ */ new Set(),
					disposition: "leave"
				};
				this.log.debug("card connected", {
					reader,
					protocol: entry.handle.protocol
				});
			}
			const session = new PcscliteSession(this, entry, entry.handle.protocol, entry.card.atr ?? /* @__PURE__ */ new Uint8Array(0));
			entry.handle.sessions.add(session);
			return session;
		});
	}
	/** @internal Called by sessions. */
	transmitOn(entry, session, apdu) {
		return entry.queue.run(async () => {
			session.assertUsable();
			const handle = entry.handle;
			if (!handle) throw pcscCardError("invalid-handle", "no open card handle");
			const protocol = handle.protocol === "T1" ? PROTOCOL_T1 : PROTOCOL_T0;
			let response;
			try {
				response = await this.withTimeout("SCardTransmit", new Promise((resolve, reject) => {
					entry.native._transmit(Buffer.from(apdu), RECEIVE_BUFFER, protocol, (error, data) => {
						if (error) reject(error);
						else resolve(new Uint8Array(data ?? []));
					});
				}));
			} catch (raw) {
				const error = toCardError(raw);
				const timedOut = describePcscFailure(raw).kind === "timeout";
				if (endsSession(error) || timedOut) this.invalidateHandle(entry, error);
				return this.onOperationFailure(error);
			}
			if (response.length < 2) throw pcscCardError("transmission-failed", `R-APDU of ${response.length} bytes (no status word)`);
			return response;
		});
	}
	/** @internal Called by sessions. */
	async closeSession(entry, session, disposition) {
		const handle = entry.handle;
		if (!handle || !handle.sessions.has(session)) return;
		handle.sessions.delete(session);
		if (DISPOSITION_CODE[disposition] > DISPOSITION_CODE[handle.disposition]) handle.disposition = disposition;
		if (handle.sessions.size > 0) return;
		await this.releaseHandle(entry, handle.disposition, 5e3);
	}
	withTimeout(operation, work) {
		const timeoutMs = this.options.operationTimeoutMs ?? 3e4;
		let timer;
		const timeout = new Promise((_, reject) => {
			timer = setTimeout(() => {
				this.log.warn("PC/SC call timed out", {
					operation,
					timeoutMs
				});
				reject(/* @__PURE__ */ new Error(`${operation} error: no answer within ${timeoutMs} ms.(0x8010000A)`));
			}, timeoutMs);
		});
		return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
	}
	onOperationFailure(error) {
		if (error.kind === "no-service") this.loseService(error.detail ?? error.message);
		throw error;
	}
	async releaseHandle(entry, disposition, timeoutMs) {
		const handle = entry.handle;
		if (!handle) return;
		entry.handle = null;
		for (const session of handle.sessions) session.invalidate(pcscCardError("invalid-handle", "session closed"));
		const disconnect = entry.queue.run(() => new Promise((resolve) => {
			entry.native._disconnect(DISPOSITION_CODE[disposition], (error) => {
				if (error) this.log.debug("SCardDisconnect failed", {
					reader: entry.name,
					error: describePcscFailure(error).message
				});
				resolve();
			});
		}));
		let timer;
		const timeout = new Promise((resolve) => {
			timer = setTimeout(() => {
				this.log.warn("SCardDisconnect did not return in time", {
					reader: entry.name,
					timeoutMs
				});
				resolve();
			}, timeoutMs);
		});
		await Promise.race([disconnect, timeout]);
		clearTimeout(timer);
	}
	invalidateHandle(entry, reason) {
		const handle = entry.handle;
		if (!handle) return;
		for (const session of handle.sessions) session.invalidate(reason);
		handle.sessions.clear();
		entry.handle = null;
		const native = entry.native;
		entry.queue.run(() => this.withTimeout("SCardDisconnect", new Promise((resolve) => native._disconnect(DISPOSITION_CODE.leave, () => resolve()))).catch(() => void 0));
	}
	/** Creates the context and starts monitoring; false when pcscd cannot be reached. */
	async establish() {
		const binding = this.binding;
		if (!binding) return false;
		const probe = this.options.probe ?? (process.platform === "linux" ? probePcscd : null);
		if (probe) {
			const result = await probe();
			if (result !== "alive") {
				this.log.debug("pcscd probe failed", { result });
				return false;
			}
			if (this.stopping || !this.started) return false;
		}
		let context;
		try {
			context = new binding.PCSCLite();
		} catch (error) {
			const failure = describePcscFailure(error);
			this.log.debug("SCardEstablishContext failed", {
				kind: failure.kind,
				error: failure.message
			});
			return false;
		}
		const generation = ++this.generation;
		this.context = context;
		this.serviceUp = true;
		this.listingSeen = false;
		this.retryDelayMs = this.options.initialRetryDelayMs ?? 100;
		this.listingTimer = setTimeout(() => {
			this.listingTimer = null;
			if (generation === this.generation && !this.listingSeen) this.loseService("no reader listing from pcscd in time");
		}, this.options.listingTimeoutMs ?? 5e3);
		context.start((error, raw) => {
			if (generation !== this.generation || this.stopping) return;
			if (error) {
				this.loseService(describePcscFailure(error).message);
				return;
			}
			this.onReaderList(generation, raw ? parseReaderNames(raw) : []);
		});
		this.log.info("PC/SC context established");
		return true;
	}
	onReaderList(generation, names) {
		this.listingSeen = true;
		if (this.listingTimer) clearTimeout(this.listingTimer);
		this.listingTimer = null;
		const known = new Set(this.readerEntries.keys());
		for (const name of names) if (!known.has(name)) this.addReader(generation, name);
		for (const name of known) if (!names.includes(name)) this.removeReader(name, "unplugged");
		this.checkSettled();
	}
	addReader(generation, name) {
		const binding = this.binding;
		if (!binding) return;
		const native = new binding.CardReader(name);
		const entry = {
			name,
			native,
			card: NO_CARD,
			queue: new SerialQueue(),
			handle: null,
			statusSeen: false
		};
		let monitorFailed = false;
		native.emit = (event) => {
			if (event !== "_end" || generation !== this.generation || this.stopping) return true;
			if (monitorFailed) this.loseService(`status monitoring of "${name}" stopped`);
			else if (this.readerEntries.get(name) === entry) this.removeReader(name, "monitor ended");
			return true;
		};
		this.readerEntries.set(name, entry);
		this.log.info("reader added", { reader: name });
		this.emit({
			type: "reader-added",
			reader: name
		});
		native.get_status((error, state, atr) => {
			if (generation !== this.generation || this.stopping || this.readerEntries.get(name) !== entry) return;
			if (error) {
				monitorFailed = true;
				this.log.warn("reader status error", {
					reader: name,
					error: describePcscFailure(error).message
				});
				return;
			}
			this.onStatus(entry, state ?? 0, atr ? new Uint8Array(atr) : null);
		});
	}
	onStatus(entry, state, atr) {
		const { next, changes } = trackCardState(entry.card, state, atr);
		entry.card = next;
		entry.statusSeen = true;
		for (const change of changes) if (change === "removed") {
			this.invalidateHandle(entry, pcscCardError("card-removed", `card removed from "${entry.name}"`));
			this.log.info("card removed", { reader: entry.name });
			this.emit({
				type: "card-removed",
				reader: entry.name
			});
		} else {
			const cardAtr = next.atr ?? /* @__PURE__ */ new Uint8Array(0);
			this.log.info("card inserted", {
				reader: entry.name,
				atr: toHex(cardAtr)
			});
			this.emit({
				type: "card-inserted",
				reader: entry.name,
				atr: cardAtr
			});
		}
		this.checkSettled();
	}
	removeReader(name, why) {
		const entry = this.readerEntries.get(name);
		if (!entry) return;
		this.readerEntries.delete(name);
		this.invalidateHandle(entry, pcscCardError("reader-unavailable", `reader "${name}" ${why}`));
		if (entry.card.present) this.emit({
			type: "card-removed",
			reader: name
		});
		deferNativeClose(() => entry.native.close(), this.log);
		this.log.info("reader removed", {
			reader: name,
			why
		});
		this.emit({
			type: "reader-removed",
			reader: name
		});
	}
	/** pcscd went away (or monitoring broke): drop everything and rebuild with backoff. */
	loseService(detail) {
		if (!this.serviceUp || this.stopping) return;
		this.log.warn("PC/SC service lost", { detail });
		const readers = [...this.readerEntries.values()].map((entry) => ({
			name: entry.name,
			hadCard: entry.card.present
		}));
		this.teardown();
		this.serviceUp = false;
		for (const { name, hadCard } of readers) {
			if (hadCard) this.emit({
				type: "card-removed",
				reader: name
			});
			this.emit({
				type: "reader-removed",
				reader: name
			});
		}
		this.emit({
			type: "service-lost",
			detail
		});
		this.wakeSettleWaiters();
		this.scheduleRetry();
	}
	teardown() {
		this.generation++;
		if (this.listingTimer) clearTimeout(this.listingTimer);
		this.listingTimer = null;
		for (const entry of this.readerEntries.values()) {
			this.invalidateHandle(entry, pcscCardError("service-unavailable", "PC/SC context torn down"));
			const native = entry.native;
			deferNativeClose(() => native.close(), this.log);
		}
		this.readerEntries.clear();
		const context = this.context;
		this.context = null;
		if (context) deferNativeClose(() => context.close(), this.log);
	}
	scheduleRetry() {
		if (this.stopping || !this.started || this.retryTimer) return;
		const delay = this.retryDelayMs;
		this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxRetryDelayMs ?? 2e3);
		this.retryTimer = setTimeout(() => {
			this.establish().then((up) => {
				this.retryTimer = null;
				if (this.stopping || !this.started) return;
				if (up) {
					this.log.info("PC/SC service restored");
					this.emit({ type: "service-restored" });
				} else this.scheduleRetry();
			});
		}, delay);
	}
	clearTimers() {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		if (this.listingTimer) clearTimeout(this.listingTimer);
		this.retryTimer = null;
		this.listingTimer = null;
	}
	waitForSettle(timeoutMs) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.log.warn("readers did not report their status in time", { timeoutMs });
				finish();
			}, timeoutMs);
			const finish = () => {
				clearTimeout(timer);
				resolve();
			};
			this.settleWaiters.push(finish);
			this.checkSettled();
		});
	}
	checkSettled() {
		if (!this.listingSeen) return;
		for (const entry of this.readerEntries.values()) if (!entry.statusSeen) return;
		this.wakeSettleWaiters();
	}
	wakeSettleWaiters() {
		const waiters = this.settleWaiters;
		this.settleWaiters = [];
		for (const wake of waiters) wake();
	}
	emit(event) {
		for (const listener of this.listeners) try {
			listener(event);
		} catch (error) {
			this.log.error("transport event listener threw", {
				event: event.type,
				error: error instanceof Error ? error.message : String(error)
			});
		}
	}
};
/** Native close() joins a thread and must not run inside that thread's own callback (see header). */
function deferNativeClose(close, log) {
	setImmediate(() => {
		try {
			close();
		} catch (error) {
			log.debug("native close failed", { error: error instanceof Error ? error.message : String(error) });
		}
	});
}
var PcscliteSession = class {
	transport;
	entry;
	protocol;
	atr;
	invalidReason = null;
	constructor(transport, entry, protocol, atr) {
		this.transport = transport;
		this.entry = entry;
		this.protocol = protocol;
		this.atr = atr;
	}
	get reader() {
		return this.entry.name;
	}
	transmit(apdu) {
		if (!(apdu instanceof Uint8Array) || apdu.length < 4 || apdu.length > MAX_SHORT_APDU) return Promise.reject(new CardError("malformed", {
			message: "Commande carte invalide.",
			detail: `APDU of ${apdu?.length ?? "no"} bytes refused`
		}));
		if (this.invalidReason) return Promise.reject(this.invalidReason);
		return this.transport.transmitOn(this.entry, this, apdu);
	}
	close(disposition) {
		if (this.invalidReason) return Promise.resolve();
		return this.transport.closeSession(this.entry, this, disposition);
	}
	/** @internal */
	assertUsable() {
		if (this.invalidReason) throw this.invalidReason;
	}
	/** @internal */
	invalidate(reason) {
		this.invalidReason ??= reason;
	}
};
export { PcscliteTransport };
