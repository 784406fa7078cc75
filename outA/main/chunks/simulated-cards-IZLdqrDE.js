import { D as ApiError } from "./cda-parser-protocol-DyMpiAx7.js";
import { i as isHex, n as concatBytes, o as SerialQueue, r as fromHex, t as bytesEqual } from "./hex-CD-Cx3Uk.js";
import { g as CardError, h as decodeApdu, m as encodeTlv, u as resourcesDir, v as atrProtocols } from "./loopback-host-uxkiUcYH.js";
import { join } from "node:path";
import { readFileSync, readdirSync } from "node:fs";
import { z } from "zod";
/**
* In-process readers holding virtual cards, for the simulator panel and tests. Mirrors PC/SC
* semantics the app relies on: events arrive asynchronously, transmits are queued per reader, a
* removed card makes pending and later transmits fail with `removed`, a reset by another handle
* makes them fail with `reset`.
*/
var SimulatedTransport = class {
	slots = /* @__PURE__ */ new Map();
	listeners = /* @__PURE__ */ new Set();
	started = false;
	constructor(options = {}) {
		for (const name of options.readers ?? ["Lecteur simulé CPS", "Lecteur simulé Vitale"]) this.addSlot(name);
	}
	async start() {
		this.started = true;
		for (const slot of this.slots.values()) {
			this.emit({
				type: "reader-added",
				reader: slot.name
			});
			if (slot.card) this.emit({
				type: "card-inserted",
				reader: slot.name,
				atr: slot.card.atr.slice()
			});
		}
	}
	async stop() {
		this.started = false;
	}
	readers() {
		return [...this.slots.values()].map((slot) => ({
			name: slot.name,
			atr: slot.card ? slot.card.atr.slice() : null
		}));
	}
	onEvent(listener) {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	async connect(reader) {
		const slot = this.slot(reader);
		const card = slot.card;
		if (!card) throw new CardError("no-card", { detail: `connect: no card in ${reader}` });
		return new SimulatedSession(slot, card, atrProtocols(card.atr)[0] ?? "T0");
	}
	/** Puts a card in a reader (replacing any card already there) and powers it on. */
	insert(reader, card) {
		const slot = this.slot(reader);
		if (slot.card) this.remove(reader);
		card.powerOn();
		slot.card = card;
		slot.insertion++;
		this.emit({
			type: "card-inserted",
			reader,
			atr: card.atr.slice()
		});
	}
	remove(reader) {
		const slot = this.slot(reader);
		if (!slot.card) return;
		slot.card.powerOff();
		slot.card = null;
		slot.insertion++;
		this.emit({
			type: "card-removed",
			reader
		});
	}
	addReader(name) {
		if (this.slots.has(name)) return;
		this.addSlot(name);
		this.emit({
			type: "reader-added",
			reader: name
		});
	}
	removeReader(name) {
		if (!this.slots.has(name)) return;
		this.remove(name);
		this.slots.delete(name);
		this.emit({
			type: "reader-removed",
			reader: name
		});
	}
	addSlot(name) {
		this.slots.set(name, {
			name,
			card: null,
			insertion: 0,
			resets: 0,
			queue: new SerialQueue()
		});
	}
	slot(reader) {
		const slot = this.slots.get(reader);
		if (!slot) throw new CardError("no-reader", { detail: `unknown simulated reader` });
		return slot;
	}
	emit(event) {
		if (!this.started) return;
		setImmediate(() => {
			if (!this.started) return;
			for (const listener of [...this.listeners]) try {
				listener(event);
			} catch {}
		});
	}
};
var SimulatedSession = class {
	slot;
	card;
	protocol;
	reader;
	atr;
	insertion;
	resets;
	closed = false;
	constructor(slot, card, protocol) {
		this.slot = slot;
		this.card = card;
		this.protocol = protocol;
		this.reader = slot.name;
		this.atr = card.atr.slice();
		this.insertion = slot.insertion;
		this.resets = slot.resets;
	}
	transmit(apdu) {
		const command = apdu.slice();
		const run = async () => {
			await new Promise((resolve) => setImmediate(resolve));
			try {
				this.checkAlive();
				return this.card.transmit(command).slice();
			} finally {
				command.fill(0);
			}
		};
		return this.slot.queue.run(run);
	}
	async close(disposition) {
		if (this.closed) return;
		this.closed = true;
		if (this.slot.card !== this.card || this.slot.insertion !== this.insertion) return;
		if (disposition === "reset") {
			this.card.reset();
			this.slot.resets++;
		} else if (disposition === "unpower") {
			this.card.powerOff();
			this.card.powerOn();
			this.slot.resets++;
		}
	}
	checkAlive() {
		if (this.closed) throw new CardError("closed", { detail: "transmit on a closed session" });
		if (this.slot.card !== this.card || this.slot.insertion !== this.insertion) throw new CardError("removed", { detail: "card removed during the session" });
		if (this.slot.resets !== this.resets) throw new CardError("reset", { detail: "card reset by another session" });
	}
};
// src/main/cards/emulator/file-system.ts
var utf8 = new TextEncoder();
function encodeTlvSpecs(specs) {
	return concatBytes(...specs.map((spec) => {
		const tag = Number.parseInt(spec.tag, 16);
		const value = spec.children ? encodeTlvSpecs(spec.children) : spec.text !== void 0 ? utf8.encode(spec.text) : fromHex(spec.hex ?? "");
		return encodeTlv(tag, value);
	}));
}
function contentBytes(spec) {
	if ("hex" in spec) return fromHex(spec.hex);
	if ("text" in spec) return utf8.encode(spec.text);
	return encodeTlvSpecs(spec.tlv);
}
function buildEf(spec, parent) {
	let content = null;
	if (!spec.records) {
		const raw = spec.content ? contentBytes(spec.content) : /* @__PURE__ */ new Uint8Array(0);
		const size = Math.max(spec.size ?? raw.length, raw.length);
		content = new Uint8Array(size);
		content.set(raw);
	}
	return {
		type: "ef",
		fid: Number.parseInt(spec.fid, 16),
		sfi: spec.sfi ?? null,
		parent,
		access: spec.access,
		content,
		records: (spec.records ?? []).map(contentBytes)
	};
}
function buildFileSystem(spec, parent = null) {
	const df = {
		type: "df",
		fid: Number.parseInt(spec.fid, 16),
		aid: spec.aid ? fromHex(spec.aid) : null,
		parent,
		children: []
	};
	df.children = spec.children.map((child) => child.type === "df" ? buildFileSystem(child, df) : buildEf(child, df));
	return df;
}
function findDfByAid(root, aid) {
	const matches = (candidate) => candidate.length >= aid.length && aid.every((byte, i) => candidate[i] === byte);
	if (root.aid && matches(root.aid)) return root;
	for (const child of root.children) {
		if (child.type !== "df") continue;
		const found = findDfByAid(child, aid);
		if (found) return found;
	}
	return null;
}
/** The nearest DF carrying an AID: the "current application" whose change clears security state. */
function applicationOf(node) {
	let df = node.type === "df" ? node : node.parent;
	while (df) {
		if (df.aid) return df;
		df = df.parent;
	}
	return null;
}
// src/main/cards/emulator/card-os.ts
var SW = {
	ok: 36864,
	eof: 25218,
	wrongLength: 26368,
	incompatibleFile: 27009,
	securityNotSatisfied: 27010,
	blocked: 27011,
	conditionsNotSatisfied: 27013,
	noCurrentEf: 27014,
	badData: 27264,
	fileNotFound: 27266,
	recordNotFound: 27267,
	badP1P2: 27270,
	dataNotFound: 27272,
	offsetOutOfRange: 27392,
	insNotSupported: 27904,
	claNotSupported: 28160,
	noPreciseDiagnosis: 28416
};
function sw(word, data = /* @__PURE__ */ new Uint8Array(0)) {
	const out = new Uint8Array(data.length + 2);
	out.set(data, 0);
	out[data.length] = word >> 8;
	out[data.length + 1] = word & 255;
	return out;
}
/** Tries-counter object (`BF81<ref>` in GET DATA 3FFF) as IAS-ECC cards and CPS3 answer it. */
var TRIES_TAG_PREFIX = 12550400;
/**
* An ISO 7816-4 card OS over a declarative profile, behaving like a T=0 card: data produced by a
* case-3/4 command is announced with 61xx and fetched by GET RESPONSE, a case-2 command with the
* wrong Le gets 6Cxx. Security state, current file and pending response live in RAM and are lost
* on power-off, reset and application change; the PIN tries counter is "EEPROM" and survives.
*/
var EmulatedCard = class {
	atr;
	mf;
	pin;
	triesLeft;
	currentDf;
	currentEf = null;
	currentApp = null;
	pinVerified = false;
	pending = null;
	constructor(profile) {
		this.atr = fromHex(profile.atr);
		this.mf = buildFileSystem(profile.fileSystem);
		this.currentDf = this.mf;
		this.pin = profile.pin ? {
			reference: Number.parseInt(profile.pin.reference, 16),
			value: new TextEncoder().encode(profile.pin.value),
			triesMax: profile.pin.triesMax
		} : null;
		this.triesLeft = profile.pin?.triesLeft ?? 0;
	}
	powerOn() {
		this.clearVolatileState();
	}
	powerOff() {
		this.clearVolatileState();
	}
	reset() {
		this.clearVolatileState();
	}
	transmit(apdu) {
		try {
			return this.process(apdu);
		} catch {
			return sw(SW.noPreciseDiagnosis);
		}
	}
	clearVolatileState() {
		this.currentDf = this.mf;
		this.currentEf = null;
		this.currentApp = null;
		this.pinVerified = false;
		this.pending = null;
	}
	process(bytes) {
		const decoded = decodeApdu(bytes);
		if (!decoded.ok) return sw(SW.wrongLength);
		const apdu = decoded.apdu;
		if (apdu.cla !== 0) return sw(SW.claNotSupported);
		if (apdu.ins !== 192) this.pending = null;
		switch (apdu.ins) {
			case 164: return this.select(apdu);
			case 176: return this.readBinary(apdu);
			case 178: return this.readRecord(apdu);
			case 202:
			case 203: return this.getData(apdu);
			case 32: return this.verify(apdu);
			case 192: return this.getResponse(apdu);
			default: return sw(SW.insNotSupported);
		}
	}
	/** T=0 delivery of response data (see class comment). */
	respond(data, apdu) {
		if (data.length === 0) return sw(SW.ok);
		if (apdu.case !== 2) return this.announce(data);
		const le = apdu.le ?? 256;
		if (data.length === le) return sw(SW.ok, data);
		if (data.length > 256) {
			this.pending = data.slice(le);
			return sw(24832 | Math.min(this.pending.length, 256) % 256, data.slice(0, le));
		}
		return sw(27648 | data.length % 256);
	}
	announce(data) {
		this.pending = data;
		return sw(24832 | Math.min(data.length, 256) % 256);
	}
	getResponse(apdu) {
		const pending = this.pending;
		if (!pending) return sw(SW.conditionsNotSatisfied);
		if (apdu.case !== 2 || apdu.p1 !== 0 || apdu.p2 !== 0) return sw(apdu.case !== 2 ? SW.wrongLength : SW.badP1P2);
		const le = apdu.le ?? 256;
		if (le > pending.length) return sw(27648 | pending.length % 256);
		const chunk = pending.slice(0, le);
		const rest = pending.slice(le);
		if (rest.length === 0) {
			this.pending = null;
			return sw(SW.ok, chunk);
		}
		this.pending = rest;
		return sw(24832 | Math.min(rest.length, 256) % 256, chunk);
	}
	select(apdu) {
		if (apdu.p2 !== 0 && apdu.p2 !== 4 && apdu.p2 !== 12) return sw(SW.badP1P2);
		const data = apdu.data ?? /* @__PURE__ */ new Uint8Array(0);
		let target;
		switch (apdu.p1) {
			case 0:
				target = data.length === 0 ? this.mf : data.length === 2 ? this.byFid(fidOf(data, 0)) : "bad-data";
				break;
			case 2:
				target = data.length === 2 ? this.childOf(this.currentDf, fidOf(data, 0), "ef") : "bad-data";
				break;
			case 4:
				target = data.length >= 5 && data.length <= 16 ? findDfByAid(this.mf, data) : "bad-data";
				break;
			case 8:
				target = this.byPath(this.mf, data);
				break;
			case 9:
				target = this.byPath(this.currentDf, data);
				break;
			default: return sw(SW.badP1P2);
		}
		if (target === "bad-data") return sw(SW.badData);
		if (!target) return sw(SW.fileNotFound);
		this.makeCurrent(target);
		if (apdu.p2 === 12) return sw(SW.ok);
		const fcp = this.fcp(target);
		return this.respond(apdu.p2 === 4 ? encodeTlv(98, fcp) : encodeTlv(111, fcp), apdu);
	}
	makeCurrent(target) {
		const app = applicationOf(target);
		if (app && app !== this.currentApp) {
			if (this.currentApp) this.pinVerified = false;
			this.currentApp = app;
		}
		if (target.type === "df") {
			this.currentDf = target;
			this.currentEf = null;
		} else {
			this.currentDf = target.parent;
			this.currentEf = target;
		}
	}
	byFid(fid) {
		if (fid === 16128) return this.mf;
		if (fid === this.currentDf.fid) return this.currentDf;
		const child = this.childOf(this.currentDf, fid);
		if (child) return child;
		const parent = this.currentDf.parent;
		if (parent && parent.fid === fid) return parent;
		return parent ? this.childOf(parent, fid) : null;
	}
	childOf(df, fid, type) {
		return df.children.find((child) => child.fid === fid && (type === void 0 || child.type === type)) ?? null;
	}
	/** P1=08/09 paths; a leading 3F00 means "from the MF" whatever the starting point. */
	byPath(start, data) {
		if (data.length === 0 || data.length % 2 !== 0) return "bad-data";
		let node = start;
		let offset = 0;
		if (fidOf(data, 0) === 16128) {
			node = this.mf;
			offset = 2;
		}
		for (; offset < data.length; offset += 2) {
			if (node.type !== "df") return null;
			const next = this.childOf(node, fidOf(data, offset));
			if (!next) return null;
			node = next;
		}
		return node;
	}
	fcp(node) {
		const parts = [];
		if (node.type === "ef") {
			const size = node.content ? node.content.length : node.records.reduce((n, r) => n + r.length, 0);
			parts.push(encodeTlv(128, Uint8Array.of(size >> 8, size & 255)));
			parts.push(encodeTlv(130, Uint8Array.of(node.content ? 1 : 2)));
			parts.push(encodeTlv(131, Uint8Array.of(node.fid >> 8, node.fid & 255)));
			if (node.sfi !== null) parts.push(encodeTlv(136, Uint8Array.of(node.sfi << 3)));
		} else {
			parts.push(encodeTlv(130, Uint8Array.of(56)));
			parts.push(encodeTlv(131, Uint8Array.of(node.fid >> 8, node.fid & 255)));
			if (node.aid) parts.push(encodeTlv(132, node.aid));
		}
		return concatBytes(...parts);
	}
	efBySfi(sfi) {
		const found = this.currentDf.children.find((child) => child.type === "ef" && child.sfi === sfi);
		return found && found.type === "ef" ? found : null;
	}
	readBinary(apdu) {
		if (apdu.case !== 2) return sw(SW.wrongLength);
		let ef;
		let offset;
		if (apdu.p1 & 128) {
			if (apdu.p1 & 96) return sw(SW.badP1P2);
			ef = this.efBySfi(apdu.p1 & 31);
			if (!ef) return sw(SW.fileNotFound);
			this.makeCurrent(ef);
			offset = apdu.p2;
		} else {
			ef = this.currentEf;
			if (!ef) return sw(SW.noCurrentEf);
			offset = (apdu.p1 & 127) << 8 | apdu.p2;
		}
		if (!ef.content) return sw(SW.incompatibleFile);
		if (ef.access === "pin" && !this.pinVerified) return sw(SW.securityNotSatisfied);
		if (offset >= ef.content.length) return sw(SW.offsetOutOfRange);
		const le = apdu.le ?? 256;
		const chunk = ef.content.slice(offset, offset + le);
		return sw(chunk.length < le ? SW.eof : SW.ok, chunk);
	}
	readRecord(apdu) {
		if (apdu.case !== 2) return sw(SW.wrongLength);
		if ((apdu.p2 & 7) !== 4) return sw(SW.badP1P2);
		const sfi = apdu.p2 >> 3;
		let ef;
		if (sfi === 0) {
			ef = this.currentEf;
			if (!ef) return sw(SW.noCurrentEf);
		} else {
			ef = this.efBySfi(sfi);
			if (!ef) return sw(SW.fileNotFound);
			this.makeCurrent(ef);
		}
		if (ef.content) return sw(SW.incompatibleFile);
		if (ef.access === "pin" && !this.pinVerified) return sw(SW.securityNotSatisfied);
		const record = apdu.p1 === 0 ? void 0 : ef.records[apdu.p1 - 1];
		if (!record) return sw(SW.recordNotFound);
		return this.respond(record, apdu);
	}
	getData(apdu) {
		if (apdu.p1 !== 63 || apdu.p2 !== 255 || !apdu.data) return sw(SW.dataNotFound);
		const request = apdu.data;
		if (request.length !== 10 || ![
			77,
			8,
			112,
			6,
			191,
			129
		].every((b, i) => request[i] === b) || ![
			2,
			160,
			128
		].every((b, i) => request[7 + i] === b)) return sw(SW.badData);
		const reference = request[6] ?? 0;
		const objectTag = TRIES_TAG_PREFIX | reference;
		if (!this.pin || reference !== this.pin.reference) return sw(SW.dataNotFound);
		const counters = encodeTlv(160, concatBytes(encodeTlv(154, Uint8Array.of(this.pin.triesMax)), encodeTlv(155, Uint8Array.of(this.triesLeft))));
		return this.respond(encodeTlv(112, encodeTlv(objectTag, counters)), apdu);
	}
	verify(apdu) {
		if (apdu.p1 === 255) {
			this.pinVerified = false;
			return sw(SW.ok);
		}
		if (apdu.p1 !== 0) return sw(SW.badP1P2);
		if (!this.pin || apdu.p2 !== this.pin.reference) return sw(SW.dataNotFound);
		const candidate = apdu.data;
		if (!candidate || candidate.length === 0) {
			if (this.triesLeft === 0) return sw(SW.blocked);
			return sw(this.pinVerified ? SW.ok : 25536 | this.triesLeft);
		}
		try {
			if (this.triesLeft === 0) return sw(SW.blocked);
			if (bytesEqual(candidate, this.pin.value)) {
				this.triesLeft = this.pin.triesMax;
				this.pinVerified = true;
				return sw(SW.ok);
			}
			this.triesLeft -= 1;
			this.pinVerified = false;
			return sw(25536 | this.triesLeft);
		} finally {
			candidate.fill(0);
		}
	}
};
function fidOf(data, offset) {
	return (data[offset] ?? 0) << 8 | (data[offset + 1] ?? 0);
}
function createVirtualCard(profile) {
	return new EmulatedCard(profile);
}
// src/main/cards/emulator/profile.ts
/**
* Declarative card profiles (`resources/cards/*.json`): ATR, file tree and PIN. EF content is hex,
* UTF-8 text or a structured BER-TLV tree, so profiles stay readable and the emulator stays generic.
*/
var hexString = z.string().refine(isHex, { message: "hexadécimal invalide" });
var fid = z.string().regex(/^[0-9A-Fa-f]{4}$/, { message: "FID attendu sur 4 chiffres hexadécimaux" });
var tlvSpecSchema = z.lazy(() => z.object({
	tag: z.string().regex(/^(?:[0-9A-Fa-f]{2}){1,3}$/),
	hex: hexString.optional(),
	text: z.string().optional(),
	children: z.array(tlvSpecSchema).optional()
}).strict().refine((spec) => [
	spec.hex,
	spec.text,
	spec.children
].filter((v) => v !== void 0).length <= 1, { message: "un TLV porte soit hex, soit text, soit children" }));
var contentSchema = z.union([
	z.object({ hex: hexString }).strict(),
	z.object({ text: z.string() }).strict(),
	z.object({ tlv: z.array(tlvSpecSchema) }).strict()
]);
var efSchema = z.object({
	type: z.literal("ef"),
	fid,
	name: z.string().optional(),
	sfi: z.number().int().min(1).max(30).optional(),
	/** `pin`: readable only after a successful VERIFY of the profile's PIN. */
	access: z.enum(["always", "pin"]).default("always"),
	/** Zero-pads transparent content to this size (real Vitale files are zero-filled). */
	size: z.number().int().min(0).max(32767).optional(),
	content: contentSchema.optional(),
	records: z.array(contentSchema).optional()
}).strict().refine((ef) => !(ef.content && ef.records), { message: "un EF est transparent (content) ou à enregistrements (records), pas les deux" });
var dfSchema = z.lazy(() => z.object({
	type: z.literal("df"),
	fid,
	name: z.string().optional(),
	aid: z.string().refine(isHex).refine((v) => v.replace(/[\s:]/g, "").length >= 10 && v.replace(/[\s:]/g, "").length <= 32, { message: "AID de 5 à 16 octets" }).optional(),
	children: z.array(z.union([efSchema, dfSchema]))
}).strict());
var cardProfileSchema = z.object({
	id: z.string().regex(/^[a-z0-9-]+$/),
	/** French label for the simulator panel. */
	label: z.string().min(1),
	kind: z.enum([
		"vitale",
		"cps",
		"cpe",
		"cpf",
		"other"
	]),
	description: z.string().optional(),
	atr: hexString.refine((v) => v.replace(/[\s:]/g, "").length >= 4 && v.replace(/[\s:]/g, "").length <= 66, { message: "ATR de 2 à 33 octets" }),
	pin: z.object({
		/** PIN reference (P2 of VERIFY, `<ref>` of the tries-counter GET DATA). */
		reference: z.string().regex(/^[0-9A-Fa-f]{2}$/),
		value: z.string().regex(/^[0-9]{4,8}$/),
		triesMax: z.number().int().min(1).max(15),
		triesLeft: z.number().int().min(0).max(15)
	}).strict().refine((pin) => pin.triesLeft <= pin.triesMax, { message: "triesLeft > triesMax" }).optional(),
	fileSystem: dfSchema
}).strict().refine((p) => p.fileSystem.fid.toUpperCase() === "3F00", { message: "la racine doit être le MF 3F00" });
var CardProfileError = class extends Error {
	source;
	name = "CardProfileError";
	constructor(source, message) {
		super(message);
		this.source = source;
	}
};
/** Validates one profile; the error names the file and the first failing field, in French. */
function parseCardProfile(json, source) {
	const parsed = cardProfileSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new CardProfileError(source, `Profil de carte invalide (${source}) : ${issue ? issue.path.join(".") || "(racine)" : "(racine)"} : ${issue?.message ?? "invalide"}`);
	}
	return parsed.data;
}
/**
* Loads every `*.json` profile of a folder, sorted by id. Synchronous because it runs once at
* start-up from the composition root. A corrupt file stops loading with a precise error rather than
* silently hiding a profile.
*/
function loadCardProfiles(dir) {
	const files = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
	const profiles = [];
	const seen = /* @__PURE__ */ new Set();
	for (const file of files) {
		let json;
		try {
			json = JSON.parse(readFileSync(join(dir, file), "utf8"));
		} catch (cause) {
			throw new CardProfileError(file, `Profil de carte illisible (${file}) : ${cause.message}`);
		}
		const profile = parseCardProfile(json, file);
		if (seen.has(profile.id)) throw new CardProfileError(file, `Profil de carte en double : ${profile.id}`);
		seen.add(profile.id);
		profiles.push(profile);
	}
	return profiles.sort((a, b) => a.id.localeCompare(b.id));
}
// src/main/app/card-simulator.ts
/** The simulator panel's back end: declarative card profiles inserted into simulated readers. */
var CardSimulator = class {
	transport;
	cardProfiles;
	constructor(transport, cardProfiles) {
		this.transport = transport;
		this.cardProfiles = cardProfiles;
	}
	profiles() {
		return this.cardProfiles.map((p) => ({
			id: p.id,
			label: p.label,
			kind: p.kind
		}));
	}
	insert(reader, profileId) {
		const profile = this.cardProfiles.find((p) => p.id === profileId);
		if (!profile) throw new ApiError("NOT_FOUND", "Profil de carte inconnu.");
		if (!this.transport.readers().some((r) => r.name === reader)) throw new ApiError("NOT_FOUND", "Lecteur simulé inconnu.");
		this.transport.insert(reader, createVirtualCard(profile));
	}
	/** Inserts a card built outside the profile folder (benches and tests: one card per generated patient). */
	insertCard(reader, card) {
		if (!this.transport.readers().some((r) => r.name === reader)) throw new ApiError("NOT_FOUND", "Lecteur simulé inconnu.");
		this.transport.insert(reader, card);
	}
	remove(reader) {
		if (!this.transport.readers().some((r) => r.name === reader)) throw new ApiError("NOT_FOUND", "Lecteur simulé inconnu.");
		this.transport.remove(reader);
	}
};
// src/main/app/simulated-cards.ts
/**
* The in-process card readers and the simulator panel behind them. Loaded only through a dynamic
* import guarded by a build-time
* constant (composition.ts), so a packaged build does not contain the emulator at all.
*/
function createSimulatedCards() {
	const transport = new SimulatedTransport();
	return {
		transport,
		simulator: new CardSimulator(transport, loadCardProfiles(join(resourcesDir(), "cards")))
	};
}
export { createSimulatedCards };
