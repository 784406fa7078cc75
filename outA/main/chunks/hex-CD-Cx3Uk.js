// src/main/concurrency/serial-queue.ts
/**
* Runs tasks one after another, in the order they were queued; a failed task does not block the
* next. The one helper for "never interleave these": audit appends, card operations per reader,
* PC/SC transmits per reader, simulated transmits.
*/
var SerialQueue = class {
	tail = Promise.resolve();
	run(task) {
		const result = this.tail.then(task, task);
		this.tail = result.catch(() => void 0);
		return result;
	}
	/** Settles once every task queued so far has settled (never rejects). */
	idle() {
		return this.tail.then(() => void 0);
	}
};
// src/main/cards/hex.ts
/** Hex helpers for APDU traces, ATR strings and profile files. */
function toHex(bytes, separator = "") {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(separator);
}
/** Accepts spaces, colons and either case; refuses odd lengths and non-hex characters. */
function fromHex(text) {
	const clean = text.replace(/[\s:]/g, "");
	if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new RangeError(`invalid hex string (${clean.length} characters)`);
	const out = new Uint8Array(clean.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
	return out;
}
function isHex(text) {
	const clean = text.replace(/[\s:]/g, "");
	return clean.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(clean);
}
function concatBytes(...parts) {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}
function bytesEqual(a, b) {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
export { toHex as a, isHex as i, concatBytes as n, SerialQueue as o, fromHex as r, bytesEqual as t };
