import { A as emergencySummarySchema, C as documentMetaSchema, D as hostSessionEndCause, E as accessMode, F as beneficiarySchema, I as cardStatus, L as apiErrorCode, M as matriculeSchema, N as referenceIdentitySchema, O as professionalSchema, P as sexSchema, S as documentFilterSchema, T as visibilitySchema, b as accessHistoryEntrySchema, d as IdentityQueryError, j as insKey, k as dossierRefSchema, w as documentStatus, x as documentContentSchema } from "./loopback-host-uxkiUcYH.js";
import { D as ApiError } from "./cda-parser-protocol-DyMpiAx7.js";
import { t as openCardSigner } from "./pkcs11-CSe6yIA-.js";
import { z } from "zod";
import { randomUUID } from "node:crypto";
import { connect, constants } from "node:http2";
import { createSecureContext } from "node:tls";
// src/main/host-api/wire.ts
/**
* Wire forms of the values the DMP and the identity reference take and give, as zod codecs: the
* client ENCODES its arguments with the same schema the host DECODES them with (and the other way
* round for results), so what crosses the network is always exactly what the table says. Bytes
* travel as base64, dates as ISO strings; objects the host receives are strict.
*/
var bytes = z.codec(z.base64(), z.custom((v) => v instanceof Uint8Array), {
	decode: (text) => new Uint8Array(Buffer.from(text, "base64")),
	encode: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64")
});
var isoDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
	decode: (text) => new Date(text),
	encode: (value) => value.toISOString()
});
var text = (max) => z.string().max(max);
/** A professional acting through a workstation; the host checks `professional.holder` against the card proof. */
var dmpActorSchema = z.strictObject({
	professional: z.strictObject(professionalSchema.shape),
	mode: accessMode,
	reason: text(1e3).optional()
});
/** `via`: how it reached the workstation (the command line…), said in the audit's actor name. */
var systemActorSchema = z.strictObject({
	system: text(100).min(1),
	via: text(200).optional()
});
var depositInputSchema = z.strictObject({
	insKey,
	fileName: text(255).min(1),
	contentBase64: text(28e6).min(1),
	title: text(300).optional(),
	typeCode: text(40).optional(),
	visibility: visibilitySchema,
	replacesId: text(200).optional()
});
var dossierQuerySchema = z.strictObject({
	insKey: insKey.optional(),
	name: text(100).min(1).optional(),
	birthDate: text(10).optional()
});
/** Whose decision a governance change records (domain/governance.ts PatientBasis). */
var governanceBasisSchema = z.strictObject({
	patientPresent: z.boolean(),
	atPatientRequest: z.boolean()
});
/** Whose decision a document change records (document-operations.ts PatientBasis). */
var documentBasisSchema = z.strictObject({
	atPatientRequest: z.boolean().optional(),
	patientPresent: z.boolean().optional()
});
var createDossierInputSchema = z.strictObject({
	beneficiary: beneficiarySchema,
	identity: referenceIdentitySchema,
	identityDocumentChecked: z.boolean(),
	legalRepresentatives: z.array(z.strictObject({
		lastName: text(100).min(1),
		firstNames: text(200).min(1),
		relation: z.enum([
			"mère",
			"père",
			"tuteur",
			"autre"
		])
	})).max(2),
	consent: z.strictObject({
		givenBy: z.enum(["patient", "legal-representative"]),
		brisDeGlaceOpposition: z.boolean(),
		centre15Opposition: z.boolean()
	}),
	homonymsConfirmed: z.boolean().optional()
});
var createdDossierSchema = z.strictObject({
	dossier: dossierRefSchema,
	accessCodes: z.strictObject({
		login: z.string(),
		oneTimeCode: z.string()
	}),
	pdf: bytes
});
var importResultSchema = z.strictObject({
	insKey: z.string(),
	documentId: z.string(),
	created: z.boolean(),
	counts: z.record(z.string(), z.number())
});
var decisionSchema = z.union([z.strictObject({ allowed: z.literal(true) }), z.strictObject({
	allowed: z.literal(false),
	code: z.enum([
		"FORBIDDEN",
		"LOCKED",
		"NOT_FOUND"
	]),
	message: z.string(),
	rule: z.string()
})]);
var auditVerdictSchema = z.union([z.strictObject({
	ok: z.literal(true),
	count: z.number().int(),
	unauthenticatedPrefix: z.number().int().optional()
}), z.strictObject({
	ok: z.literal(false),
	count: z.number().int(),
	firstBadSeq: z.number().int(),
	problem: z.enum([
		"edited",
		"deleted",
		"reordered",
		"truncated",
		"unauthenticated"
	])
})]);
var professionalRelationSchema = z.strictObject({
	nationalId: z.string(),
	name: z.string(),
	relation: z.enum(["authorized", "blocked"]),
	treatingPhysician: z.boolean()
});
var historyReadBySchema = z.union([z.strictObject({ patient: z.literal(true) }), z.strictObject({ actor: dmpActorSchema })]);
var referenceRecordSchema = z.strictObject({
	...referenceIdentitySchema.shape,
	cardNir: matriculeSchema.optional(),
	birthRank: z.number().int().min(1).max(9).optional()
});
var cardBeneficiaryQuerySchema = z.strictObject({
	cardNir: text(20),
	firstName: text(200),
	birthDate: text(10),
	birthRank: z.number().int().min(1).max(9).optional(),
	cardStatus
});
var traitsQuerySchema = z.strictObject({
	birthName: text(100),
	firstNames: text(200),
	birthDate: text(10),
	sex: sexSchema,
	birthPlaceCode: text(10).optional()
});
var identityAnswerSchema = z.discriminatedUnion("kind", [
	z.strictObject({
		kind: z.literal("one"),
		identity: referenceIdentitySchema
	}),
	z.strictObject({ kind: z.literal("none") }),
	z.strictObject({
		kind: z.literal("several"),
		candidates: z.array(referenceIdentitySchema)
	})
]);
// src/main/host-api/methods.ts
/** Requests are small JSON bodies except the few methods that carry a document or a reference file. */
var SMALL_REQUEST_BYTES = 65536;
var DOCUMENT_REQUEST_BYTES = 28065536;
var REFERENCE_REQUEST_BYTES = 16777216;
function method(spec) {
	return {
		write: false,
		maxRequestBytes: SMALL_REQUEST_BYTES,
		...spec
	};
}
var professional = (actor) => ({
	kind: "professional",
	actor
});
var system = () => ({ kind: "system" });
var session = () => ({ kind: "session" });
var connection = () => ({ kind: "connection" });
var nothing = z.undefined();
var reason = z.string().trim().min(1).max(1e3);
var documentId = z.string().min(1).max(200);
/** What the host says about itself and this connection; the client's first call (it proves the handshake held). */
var helloSchema = z.strictObject({
	service: z.literal("poste-dmp-host"),
	version: z.string(),
	/** The workstation certificate's common name, as the host read it. */
	workstation: z.string(),
	systemCalls: z.boolean(),
	professional: z.strictObject({ nationalId: z.string() }).nullable()
});
var verifiedProfessionalSchema = z.strictObject({
	nationalId: z.string(),
	professionCode: z.string(),
	lastName: z.string(),
	firstName: z.string(),
	cardKind: z.enum([
		"cps",
		"cpe",
		"cpf"
	])
});
/**
* Whether the professional session proven on this connection is still open on the host: what the
* client asks on its ping cycle while it believes it is, so that a session the host ended (card
* revoked, inactivity) locks the workstation without waiting for a clinician's action. Not activity:
* asking does not keep a session alive.
*/
var professionalSessionStatusSchema = z.discriminatedUnion("state", [z.strictObject({ state: z.literal("open") }), z.strictObject({
	state: z.literal("ended"),
	cause: hostSessionEndCause,
	message: z.string()
})]);
/**
* THE host API: one entry per exposed method. The host routes exactly these names
* (src/main/host/routing.ts) and the client is generated from them (src/main/host-client/), so both
* sides can only speak this table; tests/unit/host/host-api.test.ts checks that the `dmp.*` and
* `identities.*` entries are exactly the methods of DmpService and IdentityReference.
*/
var hostMethods = {
	"host.hello": method({
		args: z.tuple([]),
		result: helloSchema,
		caller: connection
	}),
	/** A fresh nonce; what the card signs also binds this TLS connection (see protocol.ts). */
	"session.challenge": method({
		args: z.tuple([]),
		result: z.strictObject({ nonce: bytes }),
		caller: connection
	}),
	"session.prove": method({
		args: z.tuple([z.strictObject({
			nonce: bytes,
			certificatePem: z.string().min(1).max(2e4),
			signature: bytes
		})]),
		result: z.strictObject({
			professional: verifiedProfessionalSchema,
			idleTimeoutSeconds: z.number().int()
		}),
		caller: connection
	}),
	"session.end": method({
		args: z.tuple([]),
		result: z.strictObject({ ended: z.boolean() }),
		caller: connection
	}),
	"session.status": method({
		args: z.tuple([]),
		result: professionalSessionStatusSchema,
		caller: connection
	}),
	"dmp.importCda": method({
		args: z.tuple([bytes, z.strictObject({
			create: z.boolean(),
			depositor: z.union([
				z.literal("system"),
				systemActorSchema,
				dmpActorSchema
			])
		})]),
		result: importResultSchema,
		caller: ([, { depositor }]) => depositor === "system" || "system" in depositor ? system() : professional(depositor),
		write: true,
		maxRequestBytes: DOCUMENT_REQUEST_BYTES
	}),
	"dmp.refuseImportFile": method({
		args: z.tuple([
			z.string().min(1).max(200),
			z.string().min(1).max(2e3),
			systemActorSchema.optional()
		]),
		result: z.never(),
		caller: system,
		write: true
	}),
	"dmp.depositDocument": method({
		args: z.tuple([dmpActorSchema, depositInputSchema]),
		result: documentMetaSchema,
		caller: ([actor]) => professional(actor),
		write: true,
		maxRequestBytes: DOCUMENT_REQUEST_BYTES
	}),
	"dmp.searchDossiersAs": method({
		args: z.tuple([dmpActorSchema, dossierQuerySchema]),
		result: z.array(dossierRefSchema),
		caller: ([actor]) => professional(actor)
	}),
	"dmp.searchDossiers": method({
		args: z.tuple([dossierQuerySchema]),
		result: z.array(dossierRefSchema),
		caller: session
	}),
	"dmp.authorize": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			z.strictObject({ treatingPhysician: z.boolean().optional() }).optional()
		]),
		result: nothing,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.declareTreatingPhysician": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			z.strictObject({
				patientPresent: z.boolean(),
				patientConsent: z.boolean()
			})
		]),
		result: nothing,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.recordProfessionalBlock": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			z.strictObject({
				nationalId: z.string().regex(/^[0-9]{9,12}$/),
				blocked: z.boolean()
			}),
			governanceBasisSchema
		]),
		result: nothing,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.professionals": method({
		args: z.tuple([insKey]),
		result: z.array(professionalRelationSchema),
		caller: session
	}),
	"dmp.accessDecision": method({
		args: z.tuple([dmpActorSchema, insKey]),
		result: decisionSchema,
		caller: ([actor]) => professional(actor)
	}),
	"dmp.openDossier": method({
		args: z.tuple([dmpActorSchema, insKey]),
		result: dossierRefSchema,
		caller: ([actor]) => professional(actor)
	}),
	"dmp.creationCheck": method({
		args: z.tuple([beneficiarySchema, referenceIdentitySchema]),
		result: z.strictObject({
			existing: dossierRefSchema.nullable(),
			homonyms: z.array(dossierRefSchema)
		}),
		caller: session
	}),
	"dmp.traceIdentityLookup": method({
		args: z.tuple([
			dmpActorSchema,
			z.string().min(1).max(40),
			z.number().int().min(0).max(1e4)
		]),
		result: nothing,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.createDossier": method({
		args: z.tuple([dmpActorSchema, createDossierInputSchema]),
		result: createdDossierSchema,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.closeDossier": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			reason,
			governanceBasisSchema
		]),
		result: dossierRefSchema,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.reactivateDossier": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			reason,
			governanceBasisSchema
		]),
		result: dossierRefSchema,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.getSummary": method({
		args: z.tuple([
			z.union([dmpActorSchema, systemActorSchema]),
			insKey,
			z.strictObject({ asOf: isoDate.optional() }).optional()
		]),
		result: emergencySummarySchema,
		caller: ([actor]) => "system" in actor ? system() : professional(actor)
	}),
	"dmp.listDocuments": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			documentFilterSchema.optional()
		]),
		result: z.array(documentMetaSchema),
		caller: ([actor]) => professional(actor)
	}),
	"dmp.getDocument": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			documentId
		]),
		result: documentContentSchema,
		caller: ([actor]) => professional(actor)
	}),
	"dmp.updateDocument": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			documentId,
			z.strictObject({
				status: documentStatus.optional(),
				visibility: visibilitySchema.optional()
			}),
			documentBasisSchema.optional()
		]),
		result: documentMetaSchema,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.deleteDocument": method({
		args: z.tuple([
			dmpActorSchema,
			insKey,
			documentId
		]),
		result: nothing,
		caller: ([actor]) => professional(actor),
		write: true
	}),
	"dmp.accessHistory": method({
		args: z.tuple([historyReadBySchema, insKey]),
		result: z.array(accessHistoryEntrySchema),
		caller: ([by]) => "actor" in by ? professional(by.actor) : system()
	}),
	"dmp.verifyAudit": method({
		args: z.tuple([]),
		result: auditVerdictSchema,
		caller: system
	}),
	"identities.register": method({
		args: z.tuple([z.array(referenceRecordSchema).max(5e4).readonly()]),
		result: nothing,
		caller: system,
		write: true,
		maxRequestBytes: REFERENCE_REQUEST_BYTES
	}),
	"identities.lookupByCard": method({
		args: z.tuple([cardBeneficiaryQuerySchema]),
		result: identityAnswerSchema,
		caller: session
	}),
	"identities.lookupByTraits": method({
		args: z.tuple([traitsQuerySchema]),
		result: identityAnswerSchema,
		caller: session
	}),
	"identities.byIns": method({
		args: z.tuple([z.strictObject({
			matricule: matriculeSchema,
			oid: z.string().min(1).max(64)
		})]),
		result: referenceIdentitySchema.nullable(),
		caller: session
	})
};
var hostMethodNames = Object.keys(hostMethods);
// src/main/host-api/protocol.ts
/**
* How a call travels: HTTP/2 over TLS 1.3 with client certificates, one long-lived connection per
* workstation (so the professional session can be bound to it), `POST /api/v1/<method>` with a JSON
* body `{ args, requestId? }`, answered with the same envelope as the renderer's contract.
*/
var apiPathPrefix = "/api/v1/";
z.strictObject({
	/** The method's arguments in their wire form (see wire.ts). */
	args: z.array(z.unknown()).max(8),
	/** Every write carries one; a retry of the same call sends the same id. */
	requestId: z.uuid().optional()
});
/**
* Why a call failed beyond its API code, when the client must act on it:
* `professional-session` — no (or no longer a) proven professional on this connection: the client
* proves again with the card it holds, or reports that the card must be presented;
* `identity-query` — the identity reference could not answer the query (IdentityQueryError).
*/
var hostErrorReason = z.enum(["professional-session", "identity-query"]);
var hostErrorSchema = z.strictObject({
	code: apiErrorCode,
	message: z.string(),
	reason: hostErrorReason.optional(),
	/**
	* With `professional-session` only: the professional session on this connection is over (or
	* there is none), and why — the client acts on this, never on the French `message`. Absent when
	* the call is refused but the session is kept (revocation status of the card unknown for now).
	*/
	sessionEnded: hostSessionEndCause.optional()
}).refine((error) => error.sessionEnded === void 0 || error.reason === "professional-session", { message: "sessionEnded goes with reason professional-session" });
var responseEnvelopeSchema = z.discriminatedUnion("ok", [z.strictObject({
	ok: z.literal(true),
	value: z.unknown().optional()
}), z.strictObject({
	ok: z.literal(false),
	error: hostErrorSchema
})]);
/** Label of the TLS exporter (RFC 8446 §7.5 / RFC 5705) whose output the card signs. */
var proofExporterLabel = "EXPORTER-poste-dmp-professional-proof";
var proofContext = Buffer.from("poste-dmp/professional-proof/v1\0", "utf8");
/**
* What the professional's card signs: a fixed context, the host's fresh nonce, and keying material
* exported from THIS TLS connection — which both ends compute and nobody else can. A signature
* relayed from another connection (a rogue workstation replaying a card it saw) does not verify.
*/
function proofChallenge(nonce, exported) {
	return new Uint8Array(Buffer.concat([
		proofContext,
		nonce,
		exported
	]));
}
// src/main/host-client/connection-errors.ts
/**
* What a failed connection means for the card bar: `refused` when TLS said no (this workstation's
* certificate not accepted by the host, or the host's certificate not from the deployment CA) —
* retrying will not help until someone fixes a certificate; `unreachable` for everything on the way
* (no route, refused port, timeout, connection cut).
*/
function classifyConnectionError(err) {
	const code = err?.code;
	const text = typeof code === "string" ? code : "";
	if (text === "ERR_HOST_CLOSED_AFTER_HANDSHAKE" || /^ERR_SSL_.*ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)/.test(text)) return {
		state: "refused",
		message: "Serveur DMP : connexion refusée — le certificat de ce poste n’est pas accepté par le serveur."
	};
	if (/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE)$/.test(text)) return {
		state: "refused",
		message: "Serveur DMP non reconnu : son certificat n’est pas valide pour ce déploiement — connexion refusée par ce poste."
	};
	if (text === "ERR_SSL_HOST_REFUSED") {
		const hostMessage = err.hostMessage;
		if (typeof hostMessage === "string" && hostMessage.trim() !== "") return {
			state: "refused",
			message: `Serveur DMP : connexion refusée — ${hostMessage.trim().slice(0, 300)}`
		};
	}
	if (/^ERR_SSL_/.test(text)) return {
		state: "refused",
		message: "Serveur DMP : connexion sécurisée refusée (TLS 1.3 et certificat exigés)."
	};
	return {
		state: "unreachable",
		message: "Serveur DMP injoignable — aucune donnée affichée."
	};
}
// src/main/host-client/index.ts
/** How long one connection attempt may take before the host counts as unreachable. */
var connectTimeoutMs = 1e4;
/** A call without an answer this long fails (a document of 20 MB on a slow link still fits). */
var callTimeoutMs = 12e4;
/** Pings keep the connection alive through the host's idle limit and notice a host gone silent. */
var pingEveryMs = 3e4;
var maxResponseBytes = 100663296;
var retryDelaysMs = [
	1e3,
	2e3,
	5e3,
	1e4,
	3e4
];
var messages = {
	connected: (host) => `Serveur DMP connecté (${host}).`,
	connecting: "Connexion au serveur DMP…",
	closed: "Connexion au serveur DMP fermée.",
	badReply: "Réponse du serveur DMP non conforme : opération abandonnée.",
	cardNeeded: "Le serveur DMP demande la carte du professionnel : présentez votre carte et saisissez votre code."
};
/** Raised inside the client when the request never got an answer (connection lost, timeout). */
var TransportError = class extends Error {
	underlying;
	constructor(underlying) {
		super("transport");
		this.underlying = underlying;
	}
};
/**
* Connects this workstation to the DMP host. Resolves once the first attempt is over, whatever its
* outcome: `status()` then says connected, unreachable or refused, and the client keeps trying in
* the background. There is no fallback: while the host cannot be reached, every call fails with a
* French `UNAVAILABLE` error and nothing is read from anywhere else. Rejects only on options that can
* never work (not an https URL, missing certificate or key).
*/
async function connectToHost(options) {
	let url;
	try {
		url = new URL(options.url);
	} catch {
		throw new Error(`Adresse du serveur DMP invalide : « ${options.url.slice(0, 200)} ».`);
	}
	if (url.protocol !== "https:" || url.pathname.replace(/\/+$/, "") !== "" || url.search || url.username) throw new Error("Adresse du serveur DMP invalide : https://hôte:port attendu.");
	try {
		createSecureContext({
			ca: options.caPem,
			cert: options.certPem,
			key: options.keyPem
		});
	} catch (err) {
		throw new Error(`Connexion au serveur DMP impossible : le certificat du poste, sa clé ou l’autorité du déploiement est illisible (${err instanceof Error ? err.message.slice(0, 120) : "PEM"}).`);
	}
	const client = new RemoteHost(url, options);
	await client.start();
	return client;
}
var RemoteHost = class {
	url;
	options;
	dmp;
	identities;
	log;
	listeners = /* @__PURE__ */ new Set();
	endListeners = /* @__PURE__ */ new Set();
	/** A ping-time status check is under way (one at a time). */
	checkingSession = false;
	current;
	session = null;
	connecting = null;
	retryTimer = null;
	retries = 0;
	closed = false;
	signer = null;
	/** The connection the professional was last proven on; any other one needs a new proof. */
	provenOn = null;
	constructor(url, options) {
		this.url = url;
		this.options = options;
		this.log = options.log;
		this.current = {
			state: "unreachable",
			message: messages.connecting,
			since: (/* @__PURE__ */ new Date()).toISOString()
		};
		this.dmp = this.namespace("dmp");
		this.identities = this.namespace("identities");
	}
	/** The port objects, generated from the method table (the compiler checks it against the ports). */
	namespace(prefix) {
		const api = {};
		for (const name of hostMethodNames) {
			if (!name.startsWith(`${prefix}.`)) continue;
			api[name.slice(prefix.length + 1)] = (...args) => this.invoke(name, args);
		}
		return api;
	}
	status() {
		return this.current;
	}
	onStatus(listener) {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	onProfessionalSessionEnded(listener) {
		this.endListeners.add(listener);
		return () => this.endListeners.delete(listener);
	}
	async start() {
		await this.ensureSession();
	}
	async authenticateProfessional(signer) {
		this.signer = signer;
		this.provenOn = null;
		try {
			await this.prove();
		} catch (err) {
			this.signer = null;
			throw err;
		}
	}
	async endProfessionalSession() {
		this.signer = null;
		this.provenOn = null;
		if (this.session && !this.session.destroyed) try {
			await this.call("session.end", []);
		} catch (err) {
			this.log.warn("could not tell the host the professional session ended", { error: err instanceof Error ? err.message : "unknown" });
		}
	}
	async close() {
		this.closed = true;
		this.signer = null;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		const session = this.session;
		this.session = null;
		if (session && !session.destroyed) await new Promise((resolve) => session.close(() => resolve()));
	}
	async invoke(name, args) {
		const spec = hostMethods[name];
		while (args.length > 0 && args[args.length - 1] === void 0) args = args.slice(0, -1);
		const encoded = spec.args.safeEncode(args);
		if (!encoded.success) {
			this.log.error("host call with arguments outside the table", {
				method: name,
				detail: encoded.error.issues.map((i) => `${i.path.join(".")}:${i.code}`).join(", ")
			});
			throw new ApiError("INVALID_INPUT", `Requête invalide (${name}) : refusée avant l’envoi au serveur DMP.`);
		}
		const requestId = spec.write ? randomUUID() : void 0;
		const body = JSON.stringify({
			args: encoded.data,
			...requestId ? { requestId } : {}
		});
		const response = await this.send(name, body, { needsProfessional: true });
		if (!response.ok) throw this.errorOf(response);
		const decoded = spec.result.safeDecode(response.value);
		if (!decoded.success) {
			this.log.error("host reply outside the table", { method: name });
			throw new ApiError("INTERNAL", messages.badReply);
		}
		return decoded.data;
	}
	/** A connection-level call (hello, challenge, proof, end), typed by the table. */
	async call(name, args) {
		const spec = hostMethods[name];
		const body = JSON.stringify({ args: spec.args.encode(args) });
		const response = await this.send(name, body, { needsProfessional: false });
		if (!response.ok) throw this.errorOf(response);
		const decoded = spec.result.safeDecode(response.value);
		if (!decoded.success) throw new ApiError("INTERNAL", messages.badReply);
		return decoded.data;
	}
	errorOf(response) {
		const { code, message, reason } = response.error;
		if (reason === "identity-query") return new IdentityQueryError(message, "refused by the DMP host");
		return new ApiError(code, message, reason ? `host: ${reason}` : "host refusal");
	}
	/**
	* Sends one request on the current connection (opening one if needed), proving the professional
	* first when this connection has not seen the card yet. A request that got no answer is sent once
	* more on a new connection, with the same body — hence the same request id.
	*/
	async send(name, body, opts) {
		for (let attempt = 0;; attempt++) {
			const session = await this.ensureSession();
			if (!session) throw new ApiError("UNAVAILABLE", this.current.message);
			try {
				if (opts.needsProfessional && this.signer && this.provenOn !== session) await this.prove();
				const response = await this.request(session, name, body);
				if (!response.ok && response.error.sessionEnded && opts.needsProfessional) this.sessionEndedBy(session, {
					cause: response.error.sessionEnded,
					message: response.error.message
				});
				return response;
			} catch (err) {
				if (!(err instanceof TransportError)) throw err;
				this.lost(session, err.underlying);
				if (attempt >= 1) throw new ApiError("UNAVAILABLE", this.current.message, "transport");
			}
		}
	}
	async prove() {
		const signer = this.signer;
		if (!signer) throw new ApiError("FORBIDDEN", messages.cardNeeded);
		const session = await this.ensureSession();
		if (!session) throw new ApiError("UNAVAILABLE", this.current.message);
		const { nonce } = await this.call("session.challenge", []);
		const exported = session.socket.exportKeyingMaterial(32, proofExporterLabel, Buffer.alloc(0));
		const signature = await signer.sign(proofChallenge(nonce, exported));
		const certificatePem = await signer.certificatePem();
		await this.call("session.prove", [{
			nonce,
			certificatePem,
			signature
		}]);
		this.provenOn = session;
	}
	/**
	* The host says the session proven on `session` is over: forget the card (no proof again with it,
	* no retry) and tell the listeners once. Ignored when this client holds no such session (already
	* ended here, or proven on another connection since).
	*/
	sessionEndedBy(session, end) {
		if (!this.signer || this.provenOn !== session) return;
		this.signer = null;
		this.provenOn = null;
		this.log.warn("professional session ended by the DMP host", { cause: end.cause });
		for (const listener of this.endListeners) try {
			listener(end);
		} catch (err) {
			this.log.error("professional session end listener failed", { error: err instanceof Error ? err.message : "unknown" });
		}
	}
	/**
	* On the ping cycle, while a professional is proven on this connection: one small `session.status`
	* call, so that a session the host ended (card revoked, inactivity) locks the workstation without
	* waiting for a clinician's action. It does not count as activity on the host. A failure is left
	* to the next ping and the next call.
	*/
	checkProfessionalSession(session) {
		if (this.checkingSession || !this.signer || this.provenOn !== session) return;
		this.checkingSession = true;
		this.request(session, "session.status", JSON.stringify({ args: [] })).then((response) => {
			if (!response.ok) return;
			const decoded = hostMethods["session.status"].result.safeParse(response.value);
			if (!decoded.success) {
				this.log.warn("host reply outside the table", { method: "session.status" });
				return;
			}
			if (decoded.data.state === "ended") this.sessionEndedBy(session, {
				cause: decoded.data.cause,
				message: decoded.data.message
			});
		}).catch((err) => this.log.debug("professional session check failed", { error: err instanceof TransportError ? "transport" : err instanceof Error ? err.message : "unknown" })).finally(() => this.checkingSession = false);
	}
	request(session, name, body) {
		return new Promise((resolve, reject) => {
			let stream;
			try {
				stream = session.request({
					":method": "POST",
					":path": `${apiPathPrefix}${name}`,
					"content-type": "application/json; charset=utf-8"
				});
			} catch (err) {
				return reject(new TransportError(err));
			}
			const chunks = [];
			let size = 0;
			let answered = false;
			stream.setTimeout(callTimeoutMs, () => {
				stream.close(constants.NGHTTP2_CANCEL);
				reject(new TransportError(Object.assign(/* @__PURE__ */ new Error("timeout"), { code: "ETIMEDOUT" })));
			});
			stream.on("response", () => answered = true);
			stream.on("data", (chunk) => {
				size += chunk.length;
				if (size > maxResponseBytes) {
					stream.close(constants.NGHTTP2_CANCEL);
					reject(new ApiError("INTERNAL", messages.badReply, "response too large"));
				} else chunks.push(chunk);
			});
			stream.on("error", (err) => reject(new TransportError(err)));
			stream.on("end", () => {
				if (!answered) return reject(new TransportError(/* @__PURE__ */ new Error("no response")));
				let parsed;
				try {
					parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
				} catch {
					return reject(new ApiError("INTERNAL", messages.badReply, "reply not JSON"));
				}
				const envelope = responseEnvelopeSchema.safeParse(parsed);
				if (!envelope.success) return reject(new ApiError("INTERNAL", messages.badReply, "reply envelope"));
				resolve(envelope.data);
			});
			stream.end(body);
		});
	}
	ensureSession() {
		if (this.closed) {
			this.setStatus("unreachable", messages.closed);
			return Promise.resolve(null);
		}
		if (this.session && !this.session.destroyed && !this.session.closed) return Promise.resolve(this.session);
		this.connecting ??= this.open().finally(() => this.connecting = null);
		return this.connecting;
	}
	async open() {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		let session;
		try {
			session = connect(this.url.origin, {
				ca: this.options.caPem,
				cert: this.options.certPem,
				key: this.options.keyPem,
				minVersion: "TLSv1.3",
				maxVersion: "TLSv1.3"
			});
		} catch (err) {
			this.failed(err);
			return null;
		}
		let failure = null;
		let handshakeDone = false;
		session.on("connect", () => handshakeDone = true);
		session.on("error", (err) => {
			failure ??= err;
			this.log.warn("DMP host connection error", { code: err.code ?? err.message });
		});
		session.on("close", () => this.lost(session, failure));
		session.on("goaway", () => this.lost(session, failure));
		const timer = setTimeout(() => {
			failure ??= Object.assign(/* @__PURE__ */ new Error("connect timeout"), { code: "ETIMEDOUT" });
			session.destroy();
		}, connectTimeoutMs);
		try {
			const hello = await this.request(session, "host.hello", JSON.stringify({ args: [] }));
			if (!hello.ok) throw Object.assign(/* @__PURE__ */ new Error("hello refused"), {
				code: "ERR_SSL_HOST_REFUSED",
				hostMessage: hello.error.message
			});
			clearTimeout(timer);
			this.session = session;
			this.retries = 0;
			const ping = setInterval(() => {
				if (session.destroyed || session.closed) return clearInterval(ping);
				session.ping((err) => {
					if (err) this.lost(session, err);
					else this.checkProfessionalSession(session);
				});
			}, this.options.pingEveryMs ?? pingEveryMs);
			ping.unref();
			session.on("close", () => clearInterval(ping));
			session.unref();
			this.setStatus("connected", messages.connected(this.url.host));
			return session;
		} catch (err) {
			clearTimeout(timer);
			let cause = err instanceof TransportError ? failure ?? err.underlying : failure ?? err;
			const code = cause?.code;
			if (handshakeDone && (code === void 0 || code === "ECONNRESET" || code === "ERR_HTTP2_STREAM_CANCEL")) cause = { code: "ERR_HOST_CLOSED_AFTER_HANDSHAKE" };
			session.destroy();
			this.failed(cause);
			return null;
		}
	}
	/** A connection that was up (or being opened) is gone: report it and try again later. */
	lost(session, cause) {
		if (this.session !== session) return;
		this.session = null;
		if (!session.destroyed) session.destroy();
		this.log.warn("DMP host connection lost", { code: cause?.code ?? "closed" });
		if (!this.closed) this.failed(cause);
	}
	failed(cause) {
		const { state, message } = classifyConnectionError(cause);
		this.setStatus(state, message);
		if (this.closed || this.retryTimer) return;
		const delay = retryDelaysMs[Math.min(this.retries++, retryDelaysMs.length - 1)];
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.ensureSession();
		}, delay);
		this.retryTimer.unref();
	}
	setStatus(state, message) {
		if (this.current.state === state && this.current.message === message) return;
		this.current = {
			state,
			message,
			since: (/* @__PURE__ */ new Date()).toISOString()
		};
		this.log.info("DMP host status", { state });
		for (const listener of this.listeners) try {
			listener(this.current);
		} catch (err) {
			this.log.error("host status listener failed", { error: err instanceof Error ? err.message : "unknown" });
		}
	}
};
// src/main/app/host-seams.ts
var realHostSeams = {
	connectToHost,
	openCardSigner
};
export { realHostSeams };
