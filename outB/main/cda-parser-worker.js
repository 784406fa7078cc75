import { D as ApiError, r as parseCdaOrThrow, t as transferableBuffers } from "./chunks/cda-parser-protocol-DyMpiAx7.js";
import { parentPort } from "node:worker_threads";
// src/main/dmp/cda-parser-worker.ts
/**
* Worker entry of `CdaParserPool`: parses one CDA at a time with the very function the inline parser
* uses, so a document gets the same result and the same French refusal in both. The bytes go back
* with the answer (moved, not copied): the service stores them.
*/
var port = parentPort;
if (!port) throw new Error("cda-parser-worker must run in a worker thread");
function failure(err) {
	if (err instanceof ApiError) return {
		code: err.code,
		message: err.message,
		...err.logDetail ? { logDetail: err.logDetail } : {}
	};
	return {
		code: "INVALID_INPUT",
		message: "Document CDA illisible : le fichier n’a pas pu être analysé.",
		logDetail: err instanceof Error ? err.name : "unknown"
	};
}
port.on("message", (request) => {
	let message;
	let transfer;
	try {
		const document = parseCdaOrThrow(request.bytes);
		message = {
			kind: "parsed",
			id: request.id,
			document,
			bytes: request.bytes
		};
		transfer = transferableBuffers(request.bytes, document.body.kind === "unstructured" ? document.body.content : void 0);
	} catch (err) {
		message = {
			kind: "failed",
			id: request.id,
			error: failure(err)
		};
		transfer = [];
	}
	port.postMessage(message, transfer);
});
port.postMessage({ kind: "ready" });
export {};
