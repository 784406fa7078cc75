import { C as matriculeSource, D as ApiError, E as tryParseInsKey, O as apiErrorCodes, S as matriculePattern, T as rnivStatus, _ as insOidForCardStatus, a as attr, b as isTestOid, c as text$1, d as looksLikeCode, f as statusLabel, g as insKeyPattern, h as formatInsKey, i as parseXml, k as defaultXmlLimits, l as looksLikeCompletePdf, m as checkIns, n as inlineCdaParser, o as child, p as cardNirCannotBeBeneficiarys, s as findDescendants, t as transferableBuffers, u as looksLikePdf, v as insOidValues, w as normaliseMatricule, x as matriculeKeyValid, y as isInsOid } from "./cda-parser-protocol-DyMpiAx7.js";
import { _ as unlinkIfExists, b as deserializeError, f as loadOrCreateKeyFile, g as isErrno, n as acquireDirectoryLockWaiting, o as storeHasData, p as loadOrCreateWrappedKey, r as lockFileName, t as acquireDirectoryLock, v as writeFileDurably, y as StoreError } from "./dir-lock-DPRMQxx0.js";
import { a as toHex, n as concatBytes, o as SerialQueue, r as fromHex, t as bytesEqual } from "./hex-CD-Cx3Uk.js";
import { createRequire } from "node:module";
import { open, readFile } from "node:fs/promises";
import { basename, dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { accessSync, appendFileSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { z } from "zod";
import { createHash, createHmac, createPrivateKey, createPublicKey, hkdfSync, randomBytes, scryptSync, sign, timingSafeEqual, verify } from "node:crypto";
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from "kysely";
import pino from "pino";
import pinoRoll from "pino-roll";
import { availableParallelism, homedir } from "node:os";
import { Worker } from "node:worker_threads";
import { AsyncLocalStorage } from "node:async_hooks";
import "sql.js";
import { createServer } from "node:net";
import { isAscii } from "node:buffer";
import "node:util";
import { createServer as createServer$1 } from "node:http";
import { WebSocketServer } from "ws";
// src/main/dmp/import-file.ts
/** Why a file could not be read for import: a stable cause for the audit and a French message. */
var ImportFileError = class extends Error {
	reason;
	userMessage;
	constructor(reason, userMessage) {
		super(userMessage);
		this.reason = reason;
		this.userMessage = userMessage;
		this.name = "ImportFileError";
	}
};
/**
* Reads a file to import, checking its size first (on the open handle, so the file cannot be
* swapped between check and read): a 1 GB file is refused without ever being loaded in memory.
*/
async function readImportFile(path, maxBytes = defaultXmlLimits.maxBytes) {
	let handle;
	try {
		handle = await open(path, "r");
	} catch {
		throw new ImportFileError("file: unreadable", "fichier introuvable ou illisible.");
	}
	try {
		const info = await handle.stat();
		if (!info.isFile()) throw new ImportFileError("file: not a regular file", "ce n’est pas un fichier.");
		if (info.size > maxBytes) throw new ImportFileError("file: too large", `le fichier (${Math.ceil(info.size / 1024 / 1024)} Mo) dépasse la taille maximale de ${Math.round(maxBytes / 1024 / 1024)} Mo : il n’a pas été lu.`);
		const bytes = new Uint8Array(info.size);
		let read = 0;
		while (read < info.size) {
			const { bytesRead } = await handle.read(bytes, read, info.size - read, read);
			if (bytesRead === 0) break;
			read += bytesRead;
		}
		return read === info.size ? bytes : bytes.subarray(0, read);
	} catch (err) {
		if (err instanceof ImportFileError) throw err;
		throw new ImportFileError("file: unreadable", "fichier introuvable ou illisible.");
	} finally {
		await handle.close();
	}
}
// src/shared/contract/errors.ts
var apiErrorCode = z.enum(apiErrorCodes);
var apiErrorSchema = z.object({
	code: apiErrorCode,
	message: z.string()
});
z.discriminatedUnion("ok", [z.object({
	ok: z.literal(true),
	value: z.unknown()
}), z.object({
	ok: z.literal(false),
	error: apiErrorSchema
})]);
// src/shared/contract/cards.ts
/** `YYYY-MM-DD` as written on the card; day or month may be `00` on real Vitale cards. */
var cardDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
var beneficiarySchema = z.object({
	index: z.number().int().nonnegative(),
	lastName: z.string(),
	firstName: z.string(),
	birthDate: cardDate,
	/** Ouvrant-droit NIR as stored on the card (15 characters incl. key). */
	nir: z.string(),
	nirKeyValid: z.boolean(),
	/** Rang de naissance, when the card gives it: tells twins on one card apart. */
	birthRank: z.number().int().min(1).max(9).optional()
});
var cardStatus = z.enum([
	"production",
	"test",
	"demo"
]);
var vitaleCardSchema = z.object({
	kind: z.literal("vitale"),
	atr: z.string(),
	status: cardStatus,
	beneficiaries: z.array(beneficiarySchema)
});
var nationalIdType = z.enum(["RPPS", "ADELI"]);
var practiceSituationSchema = z.object({
	label: z.string(),
	mode: z.string().optional(),
	sector: z.string().optional(),
	structureId: z.string().optional()
});
var cpxHolderSchema = z.object({
	/** `8`+RPPS or `0`+ADELI, as carried by the card. */
	nationalId: z.string(),
	nationalIdType,
	civility: z.string().optional(),
	lastName: z.string(),
	firstName: z.string(),
	/** ANS profession code (TRE_G15): 10 médecin, 21 pharmacien, 60 infirmier… */
	professionCode: z.string(),
	professionLabel: z.string(),
	specialtyCode: z.string().optional(),
	specialtyLabel: z.string().optional(),
	situations: z.array(practiceSituationSchema)
});
var pinStateSchema = z.object({
	triesLeft: z.number().int().min(0),
	triesMax: z.number().int().min(1),
	blocked: z.boolean()
});
var cpxCardSchema = z.object({
	kind: z.enum([
		"cps",
		"cpe",
		"cpf"
	]),
	atr: z.string(),
	serial: z.string(),
	status: cardStatus,
	holder: cpxHolderSchema,
	pin: pinStateSchema
});
var otherCardSchema = z.object({
	kind: z.enum(["unsupported", "unknown"]),
	atr: z.string(),
	/** French, for the user. */
	reason: z.string()
});
var cardInfoSchema = z.discriminatedUnion("kind", [
	vitaleCardSchema,
	cpxCardSchema,
	otherCardSchema
]);
var readerViewSchema = z.object({
	name: z.string(),
	card: cardInfoSchema.nullable(),
	/** Set while a card is present but could not be read; French. */
	error: z.string().optional(),
	/** True while the card in this reader is being read. */
	busy: z.boolean().optional()
});
/**
* What the renderer may learn of a Vitale while no professional is authenticated (CPS or CPE +
* PIN): that one is in the reader, and whether it is a test card. No names, NIR, birth dates,
* beneficiary count or ATR.
*/
var vitaleHiddenSchema = z.object({
	kind: z.literal("vitale-hidden"),
	status: cardStatus
});
var displayedCardSchema = z.discriminatedUnion("kind", [
	vitaleCardSchema,
	vitaleHiddenSchema,
	cpxCardSchema,
	otherCardSchema
]);
/** A reader as the renderer sees it (`cards.list`, `cards.changed`): a Vitale is hidden before login. */
var readerDisplaySchema = readerViewSchema.extend({ card: displayedCardSchema.nullable() });
// src/shared/contract/patient.ts
var insOid = z.enum(insOidValues);
/** RNIV: provisoire, récupérée (identity reference), validée (identity document checked), qualifiée (both). */
var insStatus = z.enum([
	"provisional",
	"fetched",
	"validated",
	"qualified"
]);
var sexSchema = z.enum([
	"M",
	"F",
	"U"
]);
/** 15-character matricule (NIR or NIA, key included); lower-case 2a/2b accepted as typed. */
var matriculeSchema = z.string().regex(new RegExp(`^${matriculeSource}$`, "i"));
var insSchema = z.object({
	matricule: matriculeSchema,
	oid: insOid,
	status: insStatus
});
var identitySchema$1 = z.object({
	birthName: z.string(),
	usedName: z.string().optional(),
	firstNames: z.string(),
	birthDate: z.string(),
	sex: sexSchema,
	birthPlaceCode: z.string().optional()
});
/** The key the UI and the CLI use to name a dossier: `<matricule>@<oid>`. */
var insKey = z.string().regex(new RegExp(insKeyPattern.source, "i"));
/**
* One identity as the identity reference (the INSi stand-in) answers it: the INS and the five
* reference traits. Shown side by side when several people match, for a human choice.
*/
var referenceIdentitySchema = z.object({
	matricule: matriculeSchema,
	oid: insOid,
	birthName: z.string(),
	firstNames: z.string(),
	birthDate: z.string(),
	sex: sexSchema,
	birthPlaceCode: z.string()
});
var dossierStatus = z.enum(["active", "closed"]);
var dossierRefSchema = z.object({
	insKey,
	ins: insSchema,
	identity: identitySchema$1,
	status: dossierStatus,
	testIdentity: z.boolean()
});
var provenanceSchema = z.object({
	documentId: z.string(),
	documentTitle: z.string(),
	author: z.string().optional(),
	date: z.string().optional(),
	/** The stored entry this fact was read from, for « Source » to open the document at that entry. */
	entryId: z.string().optional(),
	/** Narrative anchor (`ID` of the section text the entry references); the document HTML carries it as `id="cda-<anchor>"`. */
	anchor: z.string().optional()
});
var codedSchema = z.object({
	code: z.string(),
	system: z.string().optional(),
	display: z.string().optional()
});
/** A labelled detail already phrased in French (« Posologie », « Voie », « Réaction »…): the view renders the list as is. */
var entryFactSchema = z.object({
	label: z.string(),
	value: z.string()
});
/**
* Where a treatment stands on the summary's date, derived from its effective time (never from the
* CDA statusCode, which CI-SIS fixes to `completed`): `current`, `ended`, `planned` (starts later or
* intent), `unknown` (no usable period: shown apart, « à vérifier »), `not-done` (vaccination not given).
*/
var entryStateSchema = z.enum([
	"current",
	"ended",
	"planned",
	"unknown",
	"not-done"
]);
var clinicalEntrySchema = z.object({
	id: z.string(),
	/** The coded name in French as the document gives it (never a narrative « Oui »/« Non »). */
	label: z.string(),
	code: codedSchema.optional(),
	/** Every labelled detail joined in one line (kept for plain-text outputs such as the CLI). */
	detail: z.string().optional(),
	/** The same details, one per line, for the view. */
	facts: z.array(entryFactSchema).optional(),
	startDate: z.string().optional(),
	endDate: z.string().optional(),
	/** French label of the clinical status (« Actif », « Intermittent », « Non administré »…), never a raw code. */
	status: z.string().optional(),
	state: entryStateSchema.optional(),
	/** French severity label (« Modérée », « Sévère »…). */
	severity: z.string().optional(),
	/** True when the document states the absence of the thing (risk factors: « Absence de … »). */
	negated: z.boolean().optional(),
	/** Contacts: the person's role (« Personne de confiance », « Médecin traitant », « Personne à prévenir »…). */
	role: z.string().optional(),
	author: z.string().optional(),
	/** The newest source; `sources` lists every document that states the same fact (merged lines). */
	provenance: provenanceSchema,
	sources: z.array(provenanceSchema).min(1)
});
/**
* An explicit « nothing known » statement of a document (« Aucune allergie connue », « Aucun traitement »),
* kept apart from the items so the view can tell it from « nothing recorded ».
*/
var summarySectionKey = z.enum([
	"allergies",
	"medications",
	"problems",
	"immunizations",
	"devices",
	"procedures",
	"riskFactors",
	"labResults",
	"reimbursements"
]);
var noneKnownAssertionSchema = z.object({
	section: summarySectionKey,
	/** French sentence, e.g. « Aucune allergie connue ». */
	text: z.string(),
	provenance: provenanceSchema,
	sources: z.array(provenanceSchema).min(1)
});
/** Abnormal flag of a lab result, from its interpretationCode (HL7 ObservationInterpretation). */
var labFlagSchema = z.enum([
	"normal",
	"low",
	"high",
	"critical-low",
	"critical-high",
	"abnormal"
]);
var labValueSchema = z.object({
	/** Value as written (number, titre, or coded/text result), French decimal comma not applied. */
	value: z.string(),
	/** Unit in French (« UI/mL », « mmol/L »). */
	unit: z.string().optional(),
	date: z.string().optional(),
	flag: labFlagSchema.optional(),
	/** French label of the flag (« Élevé », « Bas », « Anormal »…). */
	flagLabel: z.string().optional(),
	/** Reference range in French (« 0,4 – 4 mUI/L », « < 5 mg/L »). */
	referenceRange: z.string().optional(),
	provenance: provenanceSchema
});
/** Latest value per analyte, with the earlier ones and the trend when there are several numeric results. */
var labResultSchema = z.object({
	id: z.string(),
	analyte: z.string(),
	code: codedSchema.optional(),
	latest: labValueSchema,
	previous: z.array(labValueSchema),
	trend: z.enum([
		"up",
		"down",
		"stable"
	]).optional(),
	/** French phrase of the trend (« en hausse depuis le 02/03/2024 »). */
	trendLabel: z.string().optional(),
	sources: z.array(provenanceSchema).min(1)
});
var reimbursementKindSchema = z.enum([
	"medicine",
	"act",
	"stay",
	"device",
	"vaccine",
	"other"
]);
/** One reimbursed care (CNAM-HR line). */
var reimbursementLineSchema = z.object({
	id: z.string(),
	date: z.string().optional(),
	label: z.string(),
	kind: reimbursementKindSchema,
	/** French label of the kind (« Médicament », « Acte », « Séjour »…). */
	kindLabel: z.string(),
	code: codedSchema.optional(),
	quantity: z.string().optional(),
	prescriber: z.string().optional(),
	/** Pharmacy, supplier or place of care. */
	pharmacy: z.string().optional(),
	/** Performer of an act (professional). */
	performer: z.string().optional(),
	/** Therapeutic class for the filter (ATC level 1 label when the document codes it, else the kind label). */
	therapeuticClass: z.string(),
	provenance: provenanceSchema
});
var reimbursementGroupSchema = z.object({
	label: z.string(),
	kind: reimbursementKindSchema,
	code: codedSchema.optional(),
	count: z.number().int(),
	lastDate: z.string().optional(),
	entries: z.array(clinicalEntrySchema)
});
var documentSummarySchema = z.object({
	id: z.string(),
	title: z.string(),
	typeCode: z.string(),
	typeLabel: z.string(),
	author: z.string().optional(),
	date: z.string().optional()
});
var emergencySummarySchema = z.object({
	dossier: dossierRefSchema,
	/** When this summary was computed (ISO date-time): the date current treatments are judged against. */
	generatedAt: z.string(),
	/** Last deposit of a document the reader may see (ISO date-time), absent for an empty dossier. */
	dossierUpdatedAt: z.string().optional(),
	allergies: z.array(clinicalEntrySchema),
	/** Treatments current on `generatedAt` (state `current`), one line per product across documents. */
	medications: z.array(clinicalEntrySchema),
	/** Treatments that are not current: ended, planned, or without a usable period (state says which). */
	otherMedications: z.array(clinicalEntrySchema),
	problems: z.array(clinicalEntrySchema),
	immunizations: z.array(clinicalEntrySchema),
	/** Implanted devices (pacemaker, defibrillator, stents…). */
	devices: z.array(clinicalEntrySchema),
	/** Procedures and surgical history. */
	procedures: z.array(clinicalEntrySchema),
	/** Risk factors (tobacco, exposures…) and vigilance points; stated absences have `negated: true`. */
	riskFactors: z.array(clinicalEntrySchema),
	labResults: z.array(labResultSchema),
	/** Explicit « nothing known » statements, per section, with their source. */
	noneKnown: z.array(noneKnownAssertionSchema),
	reimbursements: z.array(reimbursementGroupSchema),
	/** Reimbursements line by line (24 months), newest first. */
	reimbursementLines: z.array(reimbursementLineSchema),
	/** People to notify and other contacts (neither the personne de confiance nor the médecin traitant). */
	contacts: z.array(clinicalEntrySchema),
	trustedPersons: z.array(clinicalEntrySchema),
	treatingPhysicians: z.array(clinicalEntrySchema),
	advanceDirectives: z.array(clinicalEntrySchema),
	latestDocuments: z.array(documentSummarySchema)
});
// src/shared/contract/session.ts
var accessMode = z.enum([
	"normal",
	"bris_de_glace",
	"centre_15"
]);
var sessionStatus = z.enum([
	"no_card",
	"pin_required",
	"pin_blocked",
	"situation_required",
	"authenticated",
	"locked"
]);
var professionalSchema = z.object({
	reader: z.string(),
	cardKind: z.enum([
		"cps",
		"cpe",
		"cpf"
	]),
	serial: z.string(),
	holder: cpxHolderSchema,
	/** Index in `holder.situations` of the practice situation chosen after the PIN; null or absent until chosen. */
	situationIndex: z.number().int().nonnegative().nullable().optional(),
	/** True when that situation is a SAMU–Centre 15 regulation one: only then is Centre 15 offered. */
	centre15Regulation: z.boolean().optional()
});
var patientContextSchema = z.object({
	/** Vitale beneficiaries when the patient came from a card, so the UI can offer a picker. */
	beneficiaries: z.array(beneficiarySchema),
	selectedIndex: z.number().int().nullable(),
	source: z.enum(["vitale", "search"]),
	keepOpen: z.boolean(),
	dossier: dossierRefSchema.nullable(),
	/** French explanation when no dossier could be opened for the selected beneficiary. */
	notice: z.string().optional(),
	/**
	* The selected beneficiary's identity as the identity reference answered it (INS and the five
	* traits); absent until it answers exactly one identity, or a person picks one of several.
	*/
	identity: referenceIdentitySchema.optional(),
	/** Several identities match the card: shown side by side with all five traits for a human choice. */
	candidates: z.array(referenceIdentitySchema).optional(),
	/** A dossier exists for the identity (whether or not this professional may open it): never offer to create one. */
	dossierExists: z.boolean().optional(),
	/** The dossier exists and the professional is not yet authorised: the patient, present, may authorise them. */
	authorizationRequired: z.boolean().optional(),
	access: z.object({
		mode: accessMode,
		reason: z.string().optional(),
		since: z.string(),
		/** Bris de glace and Centre 15 end at this time (ISO) if the patient's context has not closed before. */
		until: z.string().optional()
	}).nullable()
});
/**
* Why the shared DMP host ended the professional's session on its side (issue 13): the card was
* revoked since its proof, the session was idle past the host's limit, or the host no longer knows
* the session (it forgot it: restart of its sessions, a session ended elsewhere).
*/
var hostSessionEndCause = z.enum([
	"card-revoked",
	"inactivity",
	"unknown-session"
]);
var hostSessionEndSchema = z.strictObject({
	cause: hostSessionEndCause,
	/** The host's own French reason, shown as is in the card bar. */
	message: z.string().min(1).max(1e3)
});
var sessionStateSchema = z.object({
	status: sessionStatus,
	professional: professionalSchema.nullable(),
	pin: pinStateSchema.nullable(),
	patient: patientContextSchema.nullable(),
	/**
	* The session is locked because the shared DMP host ended it (not a local lock): why, in the
	* host's words. Kept while the same card stays in the reader and is not authenticated again; a
	* revoked card cannot be used again (its PIN is not asked).
	*/
	endedByHost: hostSessionEndSchema.optional()
});
// src/shared/contract/documents.ts
var documentStatus = z.enum([
	"approved",
	"obsolete",
	"archived"
]);
/** DMP visibility flags, kept as booleans here; the store keeps the DMP bitmask (2, 4, 8). */
var visibilitySchema = z.object({
	hiddenFromPatient: z.boolean(),
	maskedFromProfessionals: z.boolean(),
	hiddenFromLegalRepresentatives: z.boolean()
});
var documentMetaSchema = z.object({
	id: z.string(),
	insKey: z.string(),
	title: z.string(),
	typeCode: z.string(),
	typeLabel: z.string(),
	category: z.string(),
	format: z.enum([
		"cda-structured",
		"cda-unstructured",
		"pdf",
		"text"
	]),
	author: z.string().optional(),
	authorProfession: z.string().optional(),
	date: z.string().optional(),
	depositedAt: z.string(),
	status: documentStatus,
	visibility: visibilitySchema,
	version: z.number().int().min(1),
	replacesId: z.string().optional()
});
var documentContentSchema = z.object({
	meta: documentMetaSchema,
	/** Narrative as safe, inert HTML produced by the main process (no script, no external resource). */
	narrativeHtml: z.string().optional(),
	/** Embedded PDF as base64, when the document carries one. */
	pdfBase64: z.string().optional(),
	/** Files embedded in a structured document (e.g. the PDF of a lab report in an observationMedia), base64. */
	attachments: z.array(z.object({
		/** The observationMedia `ID`, or its position. */
		id: z.string(),
		mediaType: z.string(),
		/** French label (« Compte rendu PDF »…). */
		label: z.string(),
		base64: z.string()
	})).optional(),
	/** French warnings to show before the content (e.g. not visible to the patient). */
	warnings: z.array(z.string())
});
var documentFilterSchema = z.strictObject({
	category: z.string().optional(),
	from: z.string().optional(),
	to: z.string().optional(),
	includeArchived: z.boolean().optional()
});
// src/shared/contract/audit.ts
var auditActionSchema = z.enum([
	"dossier.read",
	"dossier.create",
	"dossier.close",
	"dossier.reactivate",
	"summary.read",
	"document.read",
	"document.deposit",
	"document.update",
	"document.delete",
	"access.denied",
	"patient.search",
	"access.authorize",
	"professional.block",
	"professional.unblock",
	"accessCodes.print",
	"document.refused",
	"identity.lookup",
	"host.refused",
	"settings.host"
]);
/**
* One line of a dossier's access history, as the patient would read it: a French sentence, no
* internal id; someone else's emergency reason only for those entitled to it.
*/
var accessHistoryEntrySchema = z.object({
	at: z.string(),
	actor: z.string(),
	profession: z.string(),
	action: auditActionSchema,
	/** What happened, in French (« A consulté le document « Compte rendu » »). */
	description: z.string(),
	mode: accessMode.optional(),
	reason: z.string().optional(),
	/** A reason was given but this reader is not entitled to read it. */
	reasonWithheld: z.boolean().optional()
});
// src/shared/contract/host.ts
/**
* The shared DMP host (issue 13): where this workstation's dossiers live, and how it reaches them.
* Shared with the renderer, so the settings form checks exactly what the main process will accept.
*/
/** `https://host[:port]`: an origin only, never credentials, a path, a query or a fragment. */
function hostUrlProblem(value) {
	let url;
	try {
		url = new URL(value);
	} catch {
		return "adresse invalide (attendu : https://serveur:port)";
	}
	if (url.protocol !== "https:") return "l’adresse du serveur DMP doit commencer par https://";
	if (url.username || url.password) return "l’adresse ne doit pas contenir d’identifiant ni de mot de passe";
	if (url.pathname !== "/" && url.pathname !== "" || url.search || url.hash) return "indiquez seulement https://serveur:port, sans chemin ni paramètre";
	return null;
}
var hostUrlSchema = z.string().trim().min(1).max(300).superRefine((value, ctx) => {
	const problem = hostUrlProblem(value);
	if (problem) ctx.addIssue({
		code: "custom",
		message: problem
	});
}).transform((value) => new URL(value).origin);
/** A file on this workstation, by absolute path (the main process resolves nothing relative to its cwd). */
var localFileSchema = z.string().trim().min(2).max(1024).regex(/^\/[^\0]*$/, "chemin absolu attendu (commençant par /)");
/** What the settings screen edits and `host-settings.json` stores (paths, never the keys themselves). */
var hostSettingsSchema = z.strictObject({
	url: hostUrlSchema,
	/** The deployment CA that issued the host's certificate (PEM). */
	caFile: localFileSchema,
	/** This workstation's client certificate and private key (PEM), issued by the deployment CA. */
	certFile: localFileSchema,
	keyFile: localFileSchema,
	/** PKCS#11 module reaching the professional's card (CryptoLib CPS, OpenSC…). */
	pkcs11Module: localFileSchema.optional()
});
var hostConnectionState = z.enum([
	"connected",
	"unreachable",
	"refused"
]);
/** Which DMP this workstation is using right now, for the card bar and the patient banner. */
var hostStatusSchema = z.discriminatedUnion("mode", [z.object({ mode: z.literal("embedded") }), z.object({
	mode: z.literal("remote"),
	url: z.string(),
	state: hostConnectionState,
	/** French detail from the host client (why it is unreachable or refused). */
	message: z.string(),
	since: z.string()
})]);
// src/shared/contract/methods.ts
var empty = z.strictObject({});
var pdfFileSchema = z.object({
	fileName: z.string(),
	pdfBase64: z.string()
});
/**
* Every request the renderer can make. Inputs are strict: unknown fields are refused, so a payload
* crafted outside the UI cannot slip extra options past the main process.
*/
var methods = {
	"app.info": {
		input: empty,
		output: z.object({
			version: z.string(),
			host: z.enum(["desktop", "web"]),
			simulation: z.boolean(),
			production: z.boolean(),
			/** French warnings an administrator must see (unprotected key file…). */
			warnings: z.array(z.string())
		})
	},
	"cards.list": {
		input: empty,
		output: z.array(readerDisplaySchema)
	},
	/** Embedded store or shared DMP host, and whether the host answers this workstation. */
	"host.status": {
		input: empty,
		output: hostStatusSchema
	},
	/**
	* The shared host settings in effect at the next start (`host-settings.json` in the data folder,
	* or the file IT manages); null: the embedded store. The status above tells what is in use now.
	* Readable without a session: the card bar and the screen explain the state to anyone.
	*/
	"settings.getHost": {
		input: empty,
		output: z.strictObject({
			saved: hostSettingsSchema.nullable(),
			/** The file they come from. */
			file: z.string(),
			/** IT manages them (a managed settings file exists): shown read-only, `settings.saveHost` refused. */
			managed: z.boolean()
		})
	},
	/**
	* Saves them for the next start. Requires an authenticated professional (card + PIN: LOCKED
	* otherwise) and settings not managed by IT (FORBIDDEN); every change and refusal is logged and
	* audited (action `settings.host`).
	*/
	"settings.saveHost": {
		input: z.strictObject({ settings: hostSettingsSchema.nullable() }),
		output: z.strictObject({
			saved: hostSettingsSchema.nullable(),
			file: z.string(),
			appliesAtRestart: z.literal(true)
		})
	},
	"session.get": {
		input: empty,
		output: sessionStateSchema
	},
	"session.verifyPin": {
		input: z.strictObject({
			reader: z.string().min(1).max(200),
			pin: z.string().regex(/^\d{4,8}$/)
		}),
		output: z.object({
			success: z.boolean(),
			pin: pinStateSchema
		})
	},
	"session.lock": {
		input: empty,
		output: sessionStateSchema
	},
	"session.selectSituation": {
		input: z.strictObject({ index: z.number().int().min(0).max(31) }),
		output: sessionStateSchema
	},
	"patient.selectBeneficiary": {
		input: z.strictObject({ index: z.number().int().min(0).max(32) }),
		output: sessionStateSchema
	},
	/** Picks one of several identities the identity reference answered for the card's beneficiary. */
	"patient.chooseIdentity": {
		input: z.strictObject({ index: z.number().int().min(0).max(50) }),
		output: sessionStateSchema
	},
	/**
	* « Le patient présent autorise l'accès » (TD0.3): the explicit action, with the patient's Vitale in
	* the reader, after which the professional is authorised on the dossier found for the card.
	*/
	"patient.authorizeAccess": {
		input: empty,
		output: sessionStateSchema
	},
	/** WS2: the identity reference queried with the five traits, when the card's own look-up found no one. */
	"identity.searchByTraits": {
		input: z.strictObject({
			birthName: z.string().trim().min(1).max(100),
			firstNames: z.string().trim().min(1).max(200),
			birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
			sex: sexSchema,
			birthPlaceCode: z.string().trim().max(10).optional()
		}),
		output: z.array(referenceIdentitySchema)
	},
	/**
	* The identity step of the creation: refuses an identity that cannot be this card beneficiary's
	* (the parent's NIR for a child…), and tells whether a dossier exists for this person already or
	* for a homonym (same five traits).
	*/
	"dossier.checkCreation": {
		input: z.strictObject({
			beneficiaryIndex: z.number().int().min(0).max(32),
			identity: z.strictObject({
				matricule: matriculeSchema,
				oid: insOid
			})
		}),
		output: z.object({
			existing: dossierRefSchema.nullable(),
			homonyms: z.array(dossierRefSchema)
		})
	},
	"patient.keepOpen": {
		input: z.strictObject({ keep: z.boolean() }),
		output: sessionStateSchema
	},
	"patient.close": {
		input: empty,
		output: sessionStateSchema
	},
	"patient.search": {
		input: z.strictObject({
			insKey: insKey.optional(),
			/** Birth-name prefix (3 letters at least), only with a complete birth date; checked in the main process. */
			name: z.string().min(1).max(100).optional(),
			birthDate: cardDate.optional()
		}),
		output: z.array(dossierRefSchema)
	},
	"patient.open": {
		input: z.strictObject({
			insKey,
			mode: accessMode,
			reason: z.string().trim().min(1).max(1e3).optional()
		}),
		output: sessionStateSchema
	},
	"summary.get": {
		input: z.strictObject({ insKey }),
		output: emergencySummarySchema
	},
	"documents.list": {
		input: z.strictObject({
			insKey,
			filter: documentFilterSchema.optional()
		}),
		output: z.array(documentMetaSchema)
	},
	"documents.get": {
		input: z.strictObject({
			insKey,
			id: z.string().min(1).max(200)
		}),
		output: documentContentSchema
	},
	"documents.deposit": {
		input: z.strictObject({
			insKey,
			fileName: z.string().min(1).max(255),
			/** Up to ~20 MB of content. */
			contentBase64: z.string().min(1).max(28e6),
			title: z.string().max(300).optional(),
			typeCode: z.string().max(40).optional(),
			visibility: visibilitySchema,
			replacesId: z.string().max(200).optional()
		}),
		output: documentMetaSchema
	},
	"documents.update": {
		input: z.strictObject({
			insKey,
			id: z.string().min(1).max(200),
			status: documentStatus.optional(),
			visibility: visibilitySchema.optional(),
			/** The patient, present, asked for this visibility change (recorded in the audit trail). */
			atPatientRequest: z.boolean().optional()
		}),
		output: documentMetaSchema
	},
	"documents.delete": {
		input: z.strictObject({
			insKey,
			id: z.string().min(1).max(200)
		}),
		output: z.object({ deleted: z.literal(true) })
	},
	"dossier.create": {
		input: z.strictObject({
			beneficiaryIndex: z.number().int().min(0).max(32),
			/** The INS the identity reference answered for this beneficiary; the traits are read back from the reference, never taken from here. */
			identity: z.strictObject({
				matricule: matriculeSchema,
				oid: insOid
			}),
			/** An identity document of high trust was checked: the INS is then qualified (RNIV). */
			identityDocumentChecked: z.boolean(),
			/** A minor's legal representative(s), who give consent in their name. */
			legalRepresentatives: z.array(z.strictObject({
				lastName: z.string().trim().min(1).max(100),
				firstNames: z.string().trim().min(1).max(200),
				relation: z.enum([
					"mère",
					"père",
					"tuteur",
					"autre"
				])
			})).max(2),
			consent: z.strictObject({
				givenBy: z.enum(["patient", "legal-representative"]),
				informed: z.literal(true),
				brisDeGlaceOpposition: z.boolean(),
				centre15Opposition: z.boolean()
			}),
			/** The desk checked that the dossiers with the same five traits are other people (homonyms). */
			homonymsConfirmed: z.boolean().optional()
		}),
		output: z.object({
			dossier: dossierRefSchema,
			accessCodes: pdfFileSchema
		})
	},
	/** Patient presence is established by the main process from the Vitale in the session, never sent. */
	"dossier.close": {
		input: z.strictObject({
			insKey,
			reason: z.string().trim().min(1).max(500),
			atPatientRequest: z.boolean()
		}),
		output: dossierRefSchema
	},
	"dossier.reactivate": {
		input: z.strictObject({
			insKey,
			reason: z.string().trim().min(1).max(500),
			atPatientRequest: z.boolean()
		}),
		output: dossierRefSchema
	},
	/** The dossier of the patient whose Vitale is in the session, even when it cannot be opened (closed, CPE). */
	"dossier.ofPresentPatient": {
		input: empty,
		output: dossierRefSchema.nullable()
	},
	"dossier.declareTreatingPhysician": {
		input: z.strictObject({
			insKey,
			patientConsent: z.literal(true)
		}),
		output: z.object({ ok: z.literal(true) })
	},
	"dossier.professionals": {
		input: z.strictObject({ insKey }),
		output: z.array(z.object({
			nationalId: z.string(),
			name: z.string(),
			relation: z.enum(["authorized", "blocked"]),
			treatingPhysician: z.boolean()
		}))
	},
	"dossier.recordBlock": {
		input: z.strictObject({
			insKey,
			nationalId: z.string().regex(/^[0-9]{9,12}$/),
			blocked: z.boolean(),
			atPatientRequest: z.literal(true)
		}),
		output: z.object({ ok: z.literal(true) })
	},
	"dossier.accessHistory": {
		input: z.strictObject({ insKey }),
		output: z.array(accessHistoryEntrySchema)
	},
	"simulator.profiles": {
		input: empty,
		output: z.array(z.object({
			id: z.string(),
			label: z.string(),
			kind: z.string()
		}))
	},
	"simulator.insert": {
		input: z.strictObject({
			reader: z.string().min(1).max(200),
			profileId: z.string().min(1).max(100)
		}),
		output: z.object({ ok: z.literal(true) })
	},
	"simulator.remove": {
		input: z.strictObject({ reader: z.string().min(1).max(200) }),
		output: z.object({ ok: z.literal(true) })
	}
};
Object.keys(methods);
// src/shared/contract/events.ts
/** Everything the main process pushes to the renderer. */
var events = {
	"cards.changed": z.array(readerDisplaySchema),
	"session.changed": sessionStateSchema,
	"host.changed": hostStatusSchema
};
Object.keys(events);
// src/main/app/user-messages.ts
/**
* The French the user reads about the local store, in one place. The store reports reasons and
* facts (errors.ts); every boundary — the bridge dispatcher (desktop app and browser host), the
* CLI, the browser host's start-up, the composition's warnings — words them through this table.
*/
/** Where to point the user when the store cannot be opened as is. */
var manualRestoreHint = "Restauration manuelle : fermez l’application, conservez une copie du dossier de données, puis remplacez le fichier « snapshot » par « snapshot.prev » (ou par une sauvegarde) et relancez.";
/** What the administrator runs to seal the values of a host database created in clear or sealed in version 1. */
var sealExistingCommand = "npm run host -- seal-existing --config FICHIER";
var updateTheApp = "Mettez l’application à jour.";
var useOriginalKey = "Utilisez la clé d’origine ou sa copie de secours.";
var storeErrorWording = {
	WRONG_KEY: {
		code: "CORRUPT_DATA",
		message: (f) => f.subject === "journal" ? `La clé de chiffrement ne correspond pas au journal des données. ${useOriginalKey}` : f.subject === "field-key" ? "Clé de chiffrement des champs différente de celle de la base : le serveur ne démarre pas. Configurez le fichier de clé avec lequel la base a été scellée (fieldKeyFile, le même sur tous les serveurs)." : f.subject === "audit-key" ? `Clé du journal d’audit différente de celle de la base : ${f.path ?? "audit.key"}. Le serveur ne démarre pas et rien n’a été écrit : des entrées signées avec une autre clé ne seraient vérifiables par personne. Tous les serveurs d’une même base utilisent le même fichier de clé d’audit (auditKeyFile) : copiez celui des serveurs déjà en service (ou sa copie de secours).` : f.subject === "sealed-field" ? "Des données chiffrées ne peuvent pas être lues : clé de chiffrement différente ou données altérées." : `La clé de chiffrement ne correspond pas à ces données : elles ne peuvent pas être ouvertes avec cette clé. ${useOriginalKey}`
	},
	FOREIGN_FILE: {
		code: "CORRUPT_DATA",
		message: (f) => f.subject === "journal" ? `Un fichier du journal des données n’a pas été créé par Poste DMP. ${manualRestoreHint}` : `Le fichier de données n’a pas été créé par Poste DMP ; il n’a pas été ouvert. ${manualRestoreHint}`
	},
	UNSUPPORTED_VERSION: {
		code: "UNSUPPORTED",
		message: (f) => f.subject === "journal" ? `Le journal des données a été écrit par une version plus récente de Poste DMP. ${updateTheApp}` : `Les données ont été enregistrées par une version plus récente de Poste DMP. ${updateTheApp}`
	},
	CORRUPT_SNAPSHOT: {
		code: "CORRUPT_DATA",
		message: () => `Le fichier de données est endommagé ou incomplet. ${manualRestoreHint}`
	},
	CORRUPT_JOURNAL: {
		code: "CORRUPT_DATA",
		message: () => `Le journal des données est endommagé. ${manualRestoreHint}`
	},
	MISSING_FILE: {
		code: "CORRUPT_DATA",
		message: (f) => {
			switch (f.subject) {
				case "store": return "Aucune donnée n’a été trouvée dans ce dossier.";
				case "key-file": return `Le fichier de clé « ${f.path ?? "store.key"} » est introuvable.`;
				case "latest-journal": return `Le journal des données le plus récent est introuvable. ${manualRestoreHint}`;
				case "journal-part": return `Une partie du journal des données est introuvable. ${manualRestoreHint}`;
				default: return `Le fichier principal des données est introuvable alors que son journal existe. ${manualRestoreHint}`;
			}
		}
	},
	TOO_NEW: {
		code: "UNSUPPORTED",
		message: () => `Ces données ont été enregistrées par une version plus récente de Poste DMP. ${updateTheApp}`
	},
	MIGRATION_FAILED: {
		code: "INTERNAL",
		message: (f) => f.subject === "migration-list" ? "La mise à jour du schéma des données est invalide." : "La mise à jour du schéma des données a échoué ; les données n’ont pas été modifiées."
	},
	REPLAY_FAILED: {
		code: "CORRUPT_DATA",
		message: () => `Le journal des données n’a pas pu être rejoué. ${manualRestoreHint}`
	},
	SQL: {
		code: "INTERNAL",
		message: (f) => f.subject === "read" ? "La lecture des données a échoué." : f.subject === "write" ? "L’enregistrement a échoué ; aucune modification n’a été faite." : "Requête invalide vers le stockage local."
	},
	READ_ONLY_VIOLATION: {
		code: "INTERNAL",
		message: (f) => f.subject === "read-only-store" ? "Le stockage est ouvert en lecture seule." : "Opération de lecture invalide."
	},
	IO: {
		code: "UNAVAILABLE",
		message: (f) => f.subject === "write" ? "Le stockage local n’a pas pu enregistrer la dernière modification (disque plein ou indisponible). Redémarrez l’application." : f.subject === "database" ? "La base de données est injoignable." : "Erreur inattendue du stockage local."
	},
	LOCKED: {
		code: "LOCKED",
		message: (f) => {
			return `Le dossier de données est déjà utilisé par une autre instance de Poste DMP (${f.pid === void 0 ? "contenu illisible" : `processus ${f.pid}${f.host ? ` sur ${f.host}` : ""}`}). Fermez-la puis réessayez. Fichier de verrou : ${f.path ?? "LOCK"}`;
		}
	},
	CLOSED: {
		code: "UNAVAILABLE",
		message: (f) => f.subject === "database" ? "La base de données est fermée." : "Le stockage local est fermé."
	},
	WORKER_FAILED: {
		code: "UNAVAILABLE",
		message: () => "Le stockage local s’est arrêté de manière inattendue. Redémarrez l’application."
	},
	KEY_INVALID: {
		code: "CORRUPT_DATA",
		message: (f) => {
			switch (f.subject) {
				case "key-file": return "Le fichier de clé de chiffrement est illisible ou endommagé.";
				case "wrapped-key-file": return "Le fichier de clé protégée est illisible ou endommagé.";
				case "recovery-key": return "La clé de secours saisie est invalide (64 caractères hexadécimaux attendus).";
				default: return "La clé de chiffrement des données est invalide.";
			}
		}
	},
	KEY_MISSING: {
		code: "CORRUPT_DATA",
		message: (f) => f.subject === "field-key" ? "La base est scellée (colonnes chiffrées) mais aucune clé de chiffrement des champs n’est configurée : le serveur ne démarre pas. Configurez le fichier de clé avec lequel la base a été scellée." : f.subject === "audit-key" ? `Fichier de clé introuvable : ${f.path ?? "audit.key"}. C’est la clé du journal d’audit : sans elle, les entrées existantes ne peuvent plus être authentifiées ni le journal prolongé ; restaurez ce fichier (ou sa copie de secours). Aucune nouvelle clé n’a été créée.` : `Fichier de clé introuvable : ${f.path ?? "store.key"}. Les données existantes ne peuvent pas être lues sans lui ; restaurez ce fichier (ou la copie de secours de la clé). Aucune nouvelle clé n’a été créée.`
	},
	NO_STORE: {
		code: "NOT_FOUND",
		message: (f) => `Aucune donnée Poste DMP dans ${f.path ?? "ce dossier"} (pas de stockage « store »). Vérifiez le dossier de données indiqué ; rien n’a été créé.`
	},
	NOT_A_DATA_FOLDER: {
		code: "INVALID_INPUT",
		message: (f) => `${f.path ?? "Ce dossier"} contient directement les fichiers du stockage chiffré : c’est le dossier « ${basename(f.path ?? "store")} » d’un dossier de données, pas le dossier de données lui-même. Indiquez le dossier qui le contient : --data ${f.suggestedPath ?? ".."}`
	},
	KEY_UNWRAP_FAILED: {
		code: "CORRUPT_DATA",
		message: (f) => f.recordedBackend !== void 0 ? `La clé de chiffrement a été protégée par le trousseau « ${f.recordedBackend} », qui n’est plus celui utilisé (« ${f.currentBackend ?? "?"} »). Relancez avec le même trousseau ou utilisez la copie de secours de la clé.` : "Le trousseau du système n’a pas pu déchiffrer la clé des données. Utilisez la copie de secours de la clé."
	},
	NOT_SEALED: {
		code: "UNSUPPORTED",
		message: () => `La base contient des données enregistrées avant son scellement (en clair ou dans l’ancien format de chiffrement) : le serveur ne démarre pas. Arrêtez les serveurs, sauvegardez la base, puis lancez une fois « ${sealExistingCommand} » (la configuration du serveur) avant de redémarrer.`
	}
};
/**
* What a boundary sends or shows for an error: a StoreError becomes the ApiError its reason maps
* to (French message, reason and detail kept for the log); an ApiError is already worded; anything
* else is not for the user (null).
*/
function toApiError$1(err) {
	if (err instanceof ApiError) return err;
	if (err instanceof StoreError) {
		const wording = storeErrorWording[err.reason];
		return new ApiError(wording.code, wording.message(err.facts), err.detail ? `${err.reason}: ${err.detail}` : err.reason);
	}
	return null;
}
/** The French sentence for a recovery notice of a store open. */
function recoveryNoticeMessage(notice) {
	switch (notice.kind) {
		case "previous-snapshot-used": return "Le fichier principal des données était endommagé ou absent : les données ont été reconstituées à partir de la copie précédente et du journal." + (notice.quarantined ? ` Le fichier endommagé a été conservé sous le nom « ${notice.quarantined} ».` : "");
		case "snapshot-without-journal": return "Les données ont été ouvertes à partir du seul fichier principal, sans journal : les dernières modifications peuvent manquer.";
		case "journal-tail-dropped": return "La dernière modification, interrompue avant d’avoir été confirmée, a été annulée.";
	}
}
/** Shown whenever the key sits in a plain file (browser host, CLI). */
var plainKeyFileWarning = "Clé de chiffrement stockée en clair dans un fichier : protégez ce poste (session verrouillée, disque chiffré) ou utilisez l’application de bureau, qui protège la clé par le trousseau du système.";
/** The desktop app found no secure OS keyring and the administrator has not accepted running without. */
var insecureKeyringMessage = "Aucun trousseau sécurisé du système n’est disponible pour protéger la clé de chiffrement. Déverrouillez ou installez un trousseau (GNOME Keyring, KWallet), ou confirmez explicitement le mode dégradé.";
// src/main/bridge/dispatcher.ts
var isMethodName = (name) => typeof name === "string" && Object.prototype.hasOwnProperty.call(methods, name);
/**
* The single gate between a transport (Electron IPC, loopback WebSocket) and the services:
* unknown method → refused; input validated against the contract; output validated too, so a
* service bug can never push fields the contract does not name; errors mapped to `{code, message}`.
*/
function createDispatcher(handlers, log) {
	return async (method, input) => {
		if (!isMethodName(method)) {
			log.warn("refused unknown method", { method: typeof method === "string" ? method.slice(0, 80) : typeof method });
			return {
				ok: false,
				error: {
					code: "UNKNOWN_METHOD",
					message: "Opération inconnue."
				}
			};
		}
		const spec = methods[method];
		const parsed = spec.input.safeParse(input ?? {});
		if (!parsed.success) {
			const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}:${i.code}`).join(", ");
			log.warn("refused invalid input", {
				method,
				detail
			});
			return {
				ok: false,
				error: {
					code: "INVALID_INPUT",
					message: `Requête invalide (${method}) : ${frenchIssues(parsed.error)}.`
				}
			};
		}
		try {
			const handler = handlers[method];
			const value = await handler(parsed.data);
			const checked = spec.output.safeParse(value);
			if (!checked.success) {
				log.error("handler returned a value outside the contract", {
					method,
					detail: checked.error.issues.map((i) => `${i.path.join(".")}:${i.code}`).join(", ")
				});
				return {
					ok: false,
					error: {
						code: "INTERNAL",
						message: "Erreur interne : réponse non conforme."
					}
				};
			}
			return {
				ok: true,
				value: checked.data
			};
		} catch (err) {
			const refusal = toApiError$1(err);
			if (refusal) {
				log.info("request refused", {
					method,
					code: refusal.code,
					detail: refusal.logDetail
				});
				return {
					ok: false,
					error: {
						code: refusal.code,
						message: refusal.message
					}
				};
			}
			log.error("handler failed", {
				method,
				error: err instanceof Error ? `${err.name}: ${err.message}` : "unknown"
			});
			return {
				ok: false,
				error: {
					code: "INTERNAL",
					message: "Erreur interne. L’incident a été journalisé."
				}
			};
		}
	};
}
/** The first issues of a refused input in French, naming fields but never their values. */
function frenchIssues(error) {
	return error.issues.slice(0, 3).map((i) => {
		const where = i.path.length ? `champ « ${i.path.join(".")} »` : "contenu";
		switch (i.code) {
			case "unrecognized_keys": return `champ(s) non autorisé(s) ${i.keys.map((k) => `« ${k} »`).join(", ")}`;
			case "invalid_type": return `${where} : type incorrect`;
			case "too_small": return `${where} : trop court ou manquant`;
			case "too_big": return `${where} : trop long`;
			case "invalid_format": return `${where} : format incorrect`;
			default: return `${where} : valeur refusée`;
		}
	}).join(" ; ");
}
/** Validated event fan-out shared by every transport. */
var EventBus = class {
	log;
	listeners = /* @__PURE__ */ new Set();
	constructor(log) {
		this.log = log;
	}
	emit(event, payload) {
		const checked = events[event].safeParse(payload);
		if (!checked.success) {
			this.log.error("event payload outside the contract, dropped", { event });
			return;
		}
		for (const listener of this.listeners) listener(event, checked.data);
	}
	subscribe(listener) {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
};
// src/main/cards/atr.ts
var full = (n) => Array(n).fill(255);
/**
* ATR table (cards.md §1.1/§1.2): Vitale 2 from pcsc-tools' smartcard_list, CPS3/CPS4 from ANS
* CryptoLib card-cps3.c (the CPS3 contact mask ignores the interface bytes and the chip version).
*/
var patterns = [
	{
		family: "vitale-2",
		atr: [
			59,
			117,
			19,
			0,
			0,
			64,
			9,
			234,
			144,
			0
		],
		mask: [
			...full(5),
			240,
			...full(4)
		]
	},
	{
		family: "cps3",
		atr: [
			59,
			172,
			0,
			64,
			42,
			0,
			18,
			37,
			0,
			100,
			128,
			0,
			3,
			16,
			0,
			144,
			0
		],
		mask: [
			255,
			0,
			0,
			0,
			0,
			...full(6),
			0,
			0,
			0,
			255,
			255,
			255
		]
	},
	{
		family: "cps3-contactless",
		atr: [
			59,
			143,
			128,
			1,
			0,
			49,
			184,
			100,
			4,
			176,
			236,
			193,
			115,
			148,
			1,
			128,
			130,
			144,
			0,
			14
		],
		mask: full(20)
	},
	{
		family: "cps4",
		atr: [
			59,
			155,
			24,
			128,
			1,
			0,
			18,
			37,
			0,
			100,
			128,
			4,
			1,
			0,
			0,
			144,
			68
		],
		mask: full(17)
	}
];
function identifyAtr(atr) {
	if (atr[0] === 63) return "vitale-1";
	for (const pattern of patterns) {
		if (atr.length !== pattern.atr.length) continue;
		if (pattern.atr.every((byte, i) => ((atr[i] ?? 0) & (pattern.mask[i] ?? 0)) === (byte & (pattern.mask[i] ?? 0)))) return pattern.family;
	}
	return "unknown";
}
function isVitale2Atr(atr) {
	const x = (atr[5] ?? 0) & 15;
	return identifyAtr(atr) === "vitale-2" && x >= 3 && x <= 9;
}
/**
* Protocols offered by an ATR (ISO 7816-3 §8.2): T=0 unless a TDi byte announces others. The first
* offered protocol is the default a reader negotiates.
*/
function atrProtocols(atr) {
	const found = /* @__PURE__ */ new Set();
	let y = (atr[1] ?? 0) >> 4;
	let pos = 2;
	for (let guard = 0; guard < 8 && pos < atr.length; guard++) {
		pos += (y & 1) + (y >> 1 & 1) + (y >> 2 & 1);
		if (!(y & 8) || pos >= atr.length) break;
		const td = atr[pos] ?? 0;
		found.add(td & 15);
		y = td >> 4;
		pos++;
	}
	const out = [];
	if (found.size === 0 || found.has(0)) out.push("T0");
	if (found.has(1)) out.push("T1");
	return out.length > 0 ? out : ["T0"];
}
function atrHex(atr) {
	return toHex(atr, " ");
}
// src/main/cards/errors.ts
var defaultMessages = {
	removed: "La carte a été retirée du lecteur.",
	reset: "La carte a été réinitialisée par une autre application ; veuillez recommencer.",
	"no-card": "Aucune carte dans le lecteur.",
	"no-reader": "Lecteur de cartes introuvable.",
	"no-service": "Le service des cartes à puce (PC/SC) est indisponible.",
	closed: "La connexion à la carte est fermée.",
	protocol: "Erreur de communication avec la carte.",
	malformed: "La carte a renvoyé des données illisibles.",
	status: "La carte a refusé la commande.",
	"pin-wrong": "Code porteur incorrect.",
	"pin-blocked": "Carte bloquée : le code porteur a été saisi trop de fois. Débloquez-la avec le code de déblocage (procédure ANS).",
	"pin-format": "Le code porteur doit comporter de 4 à 8 chiffres.",
	"not-cpx": "La carte présente n'est pas une carte de professionnel (CPS/CPE).",
	unsupported: "Ce type de carte n'est pas pris en charge.",
	io: "Erreur du lecteur de cartes."
};
var CardError = class extends Error {
	name = "CardError";
	kind;
	/** Technical detail for logs (English); never a PIN, a NIR or a name. */
	detail;
	constructor(kind, options = {}) {
		super(options.message ?? defaultMessages[kind], options.cause === void 0 ? void 0 : { cause: options.cause });
		this.kind = kind;
		this.detail = options.detail;
	}
};
function isCardError(value, kind) {
	return value instanceof CardError && (kind === void 0 || value.kind === kind);
}
// src/main/cards/iso7816/apdu.ts
function needsExtendedLength(apdu) {
	return (apdu.data?.length ?? 0) > 255 || (apdu.le ?? 0) > 256;
}
function checkByte(value, field) {
	if (!Number.isInteger(value) || value < 0 || value > 255) throw new CardError("protocol", { detail: `APDU ${field} out of range: ${value}` });
}
/**
* Encodes per ISO 7816-4 §5.1. Over T=0 a case-4 command goes out without Le (ISO 7816-3 maps it
* to case 3; the card answers 61xx) and extended lengths are impossible, so they are refused.
*/
function encodeApdu(apdu, options = {}) {
	checkByte(apdu.cla, "CLA");
	checkByte(apdu.ins, "INS");
	checkByte(apdu.p1, "P1");
	checkByte(apdu.p2, "P2");
	const data = apdu.data ?? /* @__PURE__ */ new Uint8Array(0);
	if (data.length > 65535) throw new CardError("protocol", { detail: `APDU data too long: ${data.length}` });
	if (apdu.le !== void 0 && (!Number.isInteger(apdu.le) || apdu.le < 1 || apdu.le > 65536)) throw new CardError("protocol", { detail: `APDU Le out of range: ${apdu.le}` });
	const extended = needsExtendedLength(apdu);
	if (extended && options.protocol === "T0") throw new CardError("protocol", {
		message: "Commande trop longue pour le protocole T=0 de cette carte.",
		detail: "extended-length APDU refused over T=0"
	});
	const le = options.protocol === "T0" && data.length > 0 ? void 0 : apdu.le;
	const out = [...[
		apdu.cla,
		apdu.ins,
		apdu.p1,
		apdu.p2
	]];
	if (!extended) {
		if (data.length > 0) out.push(data.length, ...data);
		if (le !== void 0) out.push(le === 256 ? 0 : le);
	} else {
		out.push(0);
		if (data.length > 0) out.push(data.length >> 8, data.length & 255, ...data);
		if (le !== void 0) out.push(le >> 8 & 255, le & 255);
	}
	return Uint8Array.from(out);
}
/** Parses a C-APDU the way OpenSC's sc_bytes2apdu does; trailing or missing bytes are malformed. */
function decodeApdu(bytes) {
	if (bytes.length < 4) return {
		ok: false,
		reason: "shorter than a header"
	};
	const [cla, ins, p1, p2] = [
		bytes[0] ?? 0,
		bytes[1] ?? 0,
		bytes[2] ?? 0,
		bytes[3] ?? 0
	];
	const base = {
		cla,
		ins,
		p1,
		p2
	};
	if (bytes.length === 4) return {
		ok: true,
		apdu: {
			...base,
			case: 1,
			extended: false
		}
	};
	const b4 = bytes[4] ?? 0;
	if (bytes.length === 5) return {
		ok: true,
		apdu: {
			...base,
			le: b4 === 0 ? 256 : b4,
			case: 2,
			extended: false
		}
	};
	if (b4 !== 0) {
		const data = bytes.slice(5, 5 + b4);
		if (bytes.length === 5 + b4) return {
			ok: true,
			apdu: {
				...base,
				data,
				case: 3,
				extended: false
			}
		};
		if (bytes.length === 6 + b4) {
			const le = bytes[5 + b4] ?? 0;
			return {
				ok: true,
				apdu: {
					...base,
					data,
					le: le === 0 ? 256 : le,
					case: 4,
					extended: false
				}
			};
		}
		return {
			ok: false,
			reason: `Lc=${b4} does not match ${bytes.length} bytes`
		};
	}
	if (bytes.length < 7) return {
		ok: false,
		reason: "truncated extended length"
	};
	const word = (bytes[5] ?? 0) << 8 | (bytes[6] ?? 0);
	if (bytes.length === 7) return {
		ok: true,
		apdu: {
			...base,
			le: word === 0 ? 65536 : word,
			case: 2,
			extended: true
		}
	};
	if (word === 0) return {
		ok: false,
		reason: "extended Lc of zero"
	};
	const data = bytes.slice(7, 7 + word);
	if (bytes.length === 7 + word) return {
		ok: true,
		apdu: {
			...base,
			data,
			case: 3,
			extended: true
		}
	};
	if (bytes.length === 9 + word) {
		const le = (bytes[7 + word] ?? 0) << 8 | (bytes[8 + word] ?? 0);
		return {
			ok: true,
			apdu: {
				...base,
				data,
				le: le === 0 ? 65536 : le,
				case: 4,
				extended: true
			}
		};
	}
	return {
		ok: false,
		reason: `extended Lc=${word} does not match ${bytes.length} bytes`
	};
}
/** INS codes whose data field carries a PIN or PUK (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER). */
var SENSITIVE_INS = /* @__PURE__ */ new Set([
	32,
	36,
	44
]);
/** Hex trace of a C-APDU for logs; the data of PIN-carrying commands is replaced by its length. */
function describeCommandForLog(bytes) {
	const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0").toUpperCase()).join(" ");
	const ins = bytes[1];
	if (ins !== void 0 && SENSITIVE_INS.has(ins) && bytes.length > 4) return `${hex(bytes.slice(0, 4))} [${bytes.length - 4} bytes redacted]`;
	return hex(bytes);
}
// src/main/cards/iso7816/status-words.ts
var fixed = {
	36864: ["ok", "success"],
	25218: ["end-of-file", "end of file reached before Le bytes"],
	26368: ["wrong-length", "wrong length"],
	27009: ["incompatible-file", "command incompatible with file structure"],
	27010: ["security-not-satisfied", "security status not satisfied"],
	27011: ["auth-blocked", "authentication method blocked"],
	27012: ["data-not-usable", "referenced data not usable"],
	27013: ["conditions-not-satisfied", "conditions of use not satisfied"],
	27014: ["no-current-ef", "no current EF"],
	27264: ["bad-data", "incorrect data field"],
	27265: ["function-not-supported", "function not supported"],
	27266: ["file-not-found", "file or application not found"],
	27267: ["record-not-found", "record not found"],
	27270: ["bad-p1p2", "incorrect P1-P2"],
	27272: ["data-not-found", "referenced data not found"],
	27392: ["offset-out-of-range", "wrong P1-P2 (offset outside the EF)"],
	27904: ["ins-not-supported", "INS not supported"],
	28160: ["cla-not-supported", "CLA not supported"]
};
/** Maps SW1 SW2 to a typed result (ISO 7816-4 table, meanings as in OpenSC iso7816.c). */
function interpretStatus(sw1, sw2) {
	const sw = (sw1 & 255) << 8 | sw2 & 255;
	if (sw1 === 97) return {
		sw,
		kind: "more-data",
		meaning: "more data available",
		available: sw2 === 0 ? 256 : sw2
	};
	if (sw1 === 108) return {
		sw,
		kind: "wrong-le",
		meaning: "wrong Le",
		correctLe: sw2 === 0 ? 256 : sw2
	};
	if (sw1 === 99 && (sw2 & 240) === 192) return {
		sw,
		kind: "pin-wrong",
		meaning: "verification failed",
		triesLeft: sw2 & 15
	};
	const known = fixed[sw];
	if (known) return {
		sw,
		kind: known[0],
		meaning: known[1]
	};
	return {
		sw,
		kind: "unknown",
		meaning: `unknown status ${sw.toString(16).padStart(4, "0")}`
	};
}
/** Splits an R-APDU; fewer than two bytes is a malformed reply, not a crash. */
function parseResponse(raw) {
	if (raw.length < 2) throw new CardError("malformed", { detail: `R-APDU of ${raw.length} bytes has no status word` });
	const sw1 = raw[raw.length - 2] ?? 0;
	const sw2 = raw[raw.length - 1] ?? 0;
	return {
		data: raw.slice(0, raw.length - 2),
		sw1,
		sw2,
		sw: sw1 << 8 | sw2
	};
}
function swHex(sw) {
	return sw.toString(16).padStart(4, "0").toUpperCase();
}
/** Throws a typed error unless the response is 9000 (or 6282 when `allowEof`). */
function expectSuccess(response, what, options = {}) {
	if (response.sw === 36864) return;
	if (options.allowEof && response.sw === 25218) return;
	const status = interpretStatus(response.sw1, response.sw2);
	throw new CardError("status", { detail: `${what}: SW ${swHex(response.sw)} (${status.meaning})` });
}
// src/main/cards/iso7816/t0.ts
var DEFAULT_MAX_LENGTH = 65536;
var DEFAULT_MAX_ITERATIONS = 64;
/**
* Sends one command and returns the complete response: follows `61xx` with GET RESPONSE and
* answers `6Cxx` by re-sending with the Le the card asked for (ISO 7816-3 T=0 rules, also harmless
* over T=1). The application never sees 61xx or 6Cxx.
*/
async function transmitT0(session, apdu, options = {}) {
	const maxLength = options.maxResponseLength ?? DEFAULT_MAX_LENGTH;
	const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
	const send = async (command) => {
		const encoded = encodeApdu(command, { protocol: session.protocol });
		try {
			return parseResponse(await session.transmit(encoded));
		} finally {
			if (options.sensitive) encoded.fill(0);
		}
	};
	let response = await send(apdu);
	const chunks = [];
	let gathered = 0;
	let lastCommand = apdu;
	for (let iteration = 0;; iteration++) {
		if (iteration >= maxIterations) throw new CardError("protocol", { detail: `more than ${maxIterations} GET RESPONSE/re-send round trips` });
		if (response.sw1 === 108) {
			lastCommand = {
				...lastCommand,
				le: response.sw2 === 0 ? 256 : response.sw2
			};
			response = await send(lastCommand);
			continue;
		}
		if (response.sw1 === 97) {
			gathered += response.data.length;
			chunks.push(response.data);
			if (gathered > maxLength) throw new CardError("protocol", { detail: `response longer than ${maxLength} bytes` });
			lastCommand = {
				cla: apdu.cla & 3,
				ins: 192,
				p1: 0,
				p2: 0,
				le: response.sw2 === 0 ? 256 : response.sw2
			};
			response = await send(lastCommand);
			continue;
		}
		break;
	}
	if (chunks.length === 0) return response;
	const data = concatBytes(...chunks, response.data);
	if (data.length > maxLength) throw new CardError("protocol", { detail: `response longer than ${maxLength} bytes` });
	return {
		...response,
		data
	};
}
// src/main/cards/iso7816/tlv.ts
var MAX_TAG_BYTES = 3;
var DEFAULT_MAX_DEPTH = 16;
function parseTlv(bytes, options = {}) {
	return parseLevel(bytes, 0, bytes.length, 0, options.maxDepth ?? DEFAULT_MAX_DEPTH);
}
function fail(kind, offset, message) {
	return {
		ok: false,
		error: {
			kind,
			offset,
			message
		}
	};
}
function parseLevel(bytes, start, end, depth, maxDepth) {
	if (depth > maxDepth) return fail("too-deep", start, `nesting deeper than ${maxDepth}`);
	const nodes = [];
	let pos = start;
	while (pos < end) {
		const first = bytes[pos] ?? 0;
		if (first === 0 || first === 255) {
			pos++;
			continue;
		}
		const tagStart = pos;
		let tag = first;
		pos++;
		if ((first & 31) === 31) {
			let more = true;
			while (more) {
				if (pos >= end) return fail("truncated-tag", tagStart, "multi-byte tag runs past the end");
				if (pos - tagStart >= MAX_TAG_BYTES) return fail("tag-too-long", tagStart, `tag longer than ${MAX_TAG_BYTES} bytes`);
				const next = bytes[pos] ?? 0;
				tag = tag * 256 + next;
				more = (next & 128) !== 0;
				pos++;
			}
		}
		if (pos >= end) return fail("truncated-length", pos, "length byte missing");
		const lengthByte = bytes[pos] ?? 0;
		pos++;
		let length = lengthByte;
		if (lengthByte === 128) return fail("unsupported-length", pos - 1, "indefinite length is not allowed");
		if (lengthByte > 128) {
			const count = lengthByte & 127;
			if (count > 3) return fail("unsupported-length", pos - 1, `length on ${count} bytes`);
			if (pos + count > end) return fail("truncated-length", pos - 1, "long-form length runs past the end");
			length = 0;
			for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos + i] ?? 0);
			pos += count;
		}
		if (pos + length > end) return fail("length-out-of-bounds", tagStart, `length ${length} exceeds the ${end - pos} bytes left`);
		const constructed = (first & 32) !== 0;
		let children = [];
		if (constructed) {
			const inner = parseLevel(bytes, pos, pos + length, depth + 1, maxDepth);
			if (!inner.ok) return inner;
			children = inner.nodes;
		}
		nodes.push({
			tag,
			tagHex: tag.toString(16).toUpperCase().padStart(first === tag ? 2 : 4, "0"),
			constructed,
			offset: tagStart,
			value: bytes.slice(pos, pos + length),
			children
		});
		pos += length;
	}
	return {
		ok: true,
		nodes
	};
}
/** First node with this tag, depth-first. */
function findTlv(nodes, tag) {
	for (const node of nodes) {
		if (node.tag === tag) return node;
		const inner = findTlv(node.children, tag);
		if (inner) return inner;
	}
}
/** Every node with this tag, depth-first, in document order. */
function findAllTlv(nodes, tag) {
	const out = [];
	for (const node of nodes) {
		if (node.tag === tag) out.push(node);
		out.push(...findAllTlv(node.children, tag));
	}
	return out;
}
/** Direct child with this tag. */
function childTlv(node, tag) {
	return node.children.find((child) => child.tag === tag);
}
function tagBytes(tag) {
	if (!Number.isInteger(tag) || tag <= 0 || tag > 16777215) throw new RangeError(`invalid tag ${tag}`);
	const out = [];
	let rest = tag;
	while (rest > 0) {
		out.unshift(rest & 255);
		rest = Math.floor(rest / 256);
	}
	return Uint8Array.from(out);
}
function encodeLength(length) {
	if (length < 128) return Uint8Array.of(length);
	if (length <= 255) return Uint8Array.of(129, length);
	if (length <= 65535) return Uint8Array.of(130, length >> 8, length & 255);
	if (length <= 16777215) return Uint8Array.of(131, length >> 16, length >> 8 & 255, length & 255);
	throw new RangeError(`TLV length too large: ${length}`);
}
function encodeTlv(tag, value) {
	const t = tagBytes(tag);
	const l = encodeLength(value.length);
	const out = new Uint8Array(t.length + l.length + value.length);
	out.set(t, 0);
	out.set(l, t.length);
	out.set(value, t.length + l.length);
	return out;
}
// src/main/cards/apps/card-status.ts
/**
* Project-defined (docs/cards.md §Statut) : the public layouts do not say how a test card is
* marked, so our profiles carry a private primitive tag `DF01` whose ASCII value is `TEST` or
* `DEMO`. Absent means production. An unrecognised value is treated as a test card so that an
* odd card is refused in production rather than trusted.
*/
var CARD_STATUS_TAG = 57089;
function cardStatusFrom(nodes) {
	const node = findTlv(nodes, CARD_STATUS_TAG);
	if (!node) return "production";
	return new TextDecoder("latin1").decode(node.value).trim().toUpperCase() === "DEMO" ? "demo" : "test";
}
// src/main/cards/apps/cpx-codes.ts
/**
* Labels for the codes a CPS carries. Profession codes (TRE_G15) are labelled by the domain's table
* (src/main/domain/professions.ts). Specialty codes: TRE_R38 SpecialiteOrdinale
* (OID 1.2.250.1.213.2.28), labels as published by ANS without the "(SM)" suffix.
*/
var specialtyLabels = {
	SM01: "Anatomie et cytologie pathologiques",
	SM02: "Anesthésie-réanimation",
	SM03: "Biologie médicale",
	SM04: "Cardiologie et maladies vasculaires",
	SM05: "Chirurgie générale",
	SM26: "Médecine générale",
	SM59: "Médecine d'urgence"
};
/** Mode d'exercice (TRE_R23): L libéral, S salarié, B bénévole. */
var practiceModeLabels = {
	L: "Libéral",
	S: "Salarié",
	B: "Bénévole"
};
/** Civilité d'exercice (project display of TRE_R11 / TRE_R81 codes). */
var civilityLabels = {
	DR: "Dr",
	PR: "Pr",
	M: "M.",
	MME: "Mme"
};
// src/main/domain/professions.ts
/**
* Health professions of the ANS nomenclature TRE_G15 (code carried by CPS/CPF cards, OID 1.2.250.1.71.1.2.7).
* Only the codes the matrice d'habilitations covers are listed; see docs/access-rules.md for the codes
* whose label could not be checked against the published nomenclature.
*/
var healthProfessions = {
	"10": "Médecin",
	"21": "Pharmacien",
	"26": "Audioprothésiste",
	"28": "Opticien-lunetier",
	"35": "Aide-soignant",
	"36": "Ambulancier",
	"37": "Auxiliaire de puériculture",
	"39": "Préparateur en pharmacie",
	"40": "Chirurgien-dentiste",
	"50": "Sage-femme",
	"60": "Infirmier",
	"69": "Infirmier psychiatrique",
	"70": "Masseur-kinésithérapeute",
	"80": "Pédicure-podologue",
	"81": "Orthoprothésiste",
	"82": "Podo-orthésiste",
	"83": "Orthopédiste-orthésiste",
	"84": "Oculariste",
	"85": "Épithésiste",
	"86": "Technicien de laboratoire médical",
	"91": "Orthophoniste",
	"92": "Orthoptiste",
	"93": "Psychologue",
	"94": "Ergothérapeute",
	"95": "Diététicien",
	"96": "Psychomotricien",
	"98": "Manipulateur en électroradiologie médicale"
};
var professionCodes = {
	medecin: "10",
	pharmacien: "21",
	chirurgienDentiste: "40",
	sageFemme: "50",
	infirmier: "60",
	infirmierPsychiatrique: "69",
	masseurKinesitherapeute: "70",
	pedicurePodologue: "80"
};
/** Card profession codes are sometimes written `G15_10` (CDA author codes); both forms are accepted. */
function normaliseProfessionCode(code) {
	return code.trim().replace(/^G15_/i, "");
}
/** The TRE_G15 code for a card's profession, or undefined for non-health staff and unknown codes. */
function toHealthProfession(code) {
	const normalised = normaliseProfessionCode(code);
	return Object.hasOwn(healthProfessions, normalised) ? normalised : void 0;
}
function professionLabel(code) {
	const known = toHealthProfession(code);
	return known ? healthProfessions[known] : "Profession non reconnue";
}
// src/main/cards/apps/file-io.ts
var CHUNK = 256;
var DEFAULT_MAX_FILE = 16384;
/** SELECT without asking for FCP/FCI where possible; returns the raw response so callers can test 6A82. */
async function select(session, mode, id, p2 = 12) {
	return transmitT0(session, {
		cla: 0,
		ins: 164,
		p1: mode === "aid" ? 4 : mode === "path-from-mf" ? 9 : 0,
		p2,
		data: id
	});
}
/**
* Reads a transparent EF in 256-byte chunks until a short chunk, 6282 (end of file) or 6B00
* (offset past the end), as Cardpeek does. The first read may use
* the SFI form; it makes the EF current, so later chunks use plain offsets.
*/
async function readBinaryAll(session, options) {
	const maxSize = options.maxSize ?? DEFAULT_MAX_FILE;
	const chunks = [];
	let offset = 0;
	for (;;) {
		const bySfi = options.sfi !== void 0 && offset === 0;
		if (!bySfi && offset > 32767) break;
		const response = await transmitT0(session, {
			cla: 0,
			ins: 176,
			p1: bySfi ? 128 | (options.sfi ?? 0) : offset >> 8,
			p2: bySfi ? 0 : offset & 255,
			le: CHUNK
		});
		if (response.sw === 27392) break;
		expectSuccess(response, `READ BINARY ${options.what} @${offset}`, { allowEof: true });
		chunks.push(response.data);
		offset += response.data.length;
		if (offset > maxSize) throw new CardError("malformed", { detail: `${options.what}: file larger than ${maxSize} bytes` });
		if (response.sw === 25218 || response.data.length < CHUNK) break;
	}
	return concatBytes(...chunks);
}
function parseTlvOrThrow(bytes, what) {
	const parsed = parseTlv(bytes);
	if (!parsed.ok) throw new CardError("malformed", { detail: `${what}: ${parsed.error.kind} at ${parsed.error.offset} (${parsed.error.message})` });
	return parsed.nodes;
}
var latin1 = new TextDecoder("latin1");
var utf8Strict = new TextDecoder("utf-8", { fatal: true });
function decodeLatin1(bytes) {
	return latin1.decode(bytes).trim();
}
function decodeUtf8(bytes, what) {
	try {
		return utf8Strict.decode(bytes).trim();
	} catch {
		throw new CardError("malformed", { detail: `${what}: invalid UTF-8` });
	}
}
// src/main/cards/apps/cpx.ts
/** IAS-ECC PKCS#15 application of CPS3 (contact), ANS CryptoLib card-cps3.c. */
var CPX_PKCS15_AID = fromHex("E8 28 BD 08 0F 80 25 00 00 01 FF 00 10");
/** Issuer id at offset 2 of EF.SN.ICC: the card-match test of CryptoLib. */
var CPX_ISSUER_ID = fromHex("80 25 00 00 01");
var PATH_SN_ICC = fromHex("3F00 D003");
/** Project-defined (docs/cards.md): public holder identity, then up to 16 PIN-protected situations. */
var PATH_HOLDER = fromHex("3F00 0001 D100");
var SITUATION_FIDS = Array.from({ length: 16 }, (_, i) => 53536 + i);
var TAG_HOLDER = 224;
var TAG_SITUATION = 225;
/** Reads what a CPS/CPE shows without PIN: serial, tries counter, holder identity. */
async function readCpxPublic(session) {
	const serial = await readSerial(session);
	await selectCpxApplication(session);
	const pin = await readPinState(session, 1);
	const holderFile = await selectAndRead(session, PATH_HOLDER, "CPx holder");
	if (!holderFile) throw new CardError("malformed", { detail: "CPx holder file not found" });
	const nodes = parseTlvOrThrow(holderFile, "CPx holder");
	const { kind, holder } = decodeHolder(nodes);
	return {
		kind,
		atr: atrHex(session.atr),
		serial,
		status: cardStatusFrom(nodes),
		holder,
		pin
	};
}
async function readSerial(session) {
	const bytes = await selectAndRead(session, PATH_SN_ICC, "EF.SN.ICC");
	if (!bytes || bytes.length < 12 || !bytesEqual(bytes.slice(2, 7), CPX_ISSUER_ID)) throw new CardError("not-cpx", { detail: "EF.SN.ICC missing or without the ANS issuer id" });
	return toHex(bytes.slice(7, 12));
}
/** null when the file does not exist (6A82). */
async function selectAndRead(session, path, what) {
	const selected = await select(session, "path-from-mf", path);
	if (selected.sw === 27266) return null;
	if (selected.sw === 27010) throw new CardError("status", { detail: `SELECT ${what}: security status not satisfied` });
	if (selected.sw !== 36864) throw new CardError("status", { detail: `SELECT ${what}: SW ${swHex(selected.sw)}` });
	return readBinaryAll(session, {
		what,
		maxSize: 4096
	});
}
/**
* Selects the IAS-ECC application. Needed before GET DATA / VERIFY: the PIN belongs to it, and
* selecting it afterwards would drop the verified state (ISO 7816-4 application change).
*/
async function selectCpxApplication(session) {
	const response = await select(session, "aid", CPX_PKCS15_AID);
	if (response.sw !== 36864) throw new CardError("not-cpx", { detail: `SELECT IAS-ECC AID: SW ${swHex(response.sw)}` });
}
/** GET DATA of the IAS-ECC tries-counter object, read before asking for the PIN (cards.md §1.2). */
async function readPinState(session, reference) {
	const response = await transmitT0(session, {
		cla: 0,
		ins: 203,
		p1: 63,
		p2: 255,
		data: Uint8Array.of(77, 8, 112, 6, 191, 129, reference, 2, 160, 128),
		le: 256
	});
	if (response.sw !== 36864) throw new CardError("status", { detail: `GET DATA tries counter: SW ${swHex(response.sw)}` });
	const nodes = parseTlvOrThrow(response.data, "tries counter");
	const max = findTlv(nodes, 154)?.value[0];
	const left = findTlv(nodes, 155)?.value[0];
	if (max === void 0 || left === void 0 || max < 1 || left > max) throw new CardError("malformed", { detail: "tries counter without a consistent 9A/9B" });
	return {
		triesLeft: left,
		triesMax: max,
		blocked: left === 0
	};
}
function isPinDigits(pin) {
	return pin.length >= 4 && pin.length <= 8 && pin.every((b) => b >= 48 && b <= 57);
}
/**
* One VERIFY, never retried. The caller's PIN buffer and every APDU buffer that held it are
* zeroed whatever happens.
*/
async function verifyCpxPin(session, pin, known, reference = 1) {
	const data = pin.slice();
	try {
		if (!isPinDigits(data)) throw new CardError("pin-format");
		const response = await transmitT0(session, {
			cla: 0,
			ins: 32,
			p1: 0,
			p2: reference,
			data
		}, { sensitive: true });
		if (response.sw === 36864) return {
			success: true,
			pin: {
				triesLeft: known.triesMax,
				triesMax: known.triesMax,
				blocked: false
			}
		};
		if (response.sw1 === 99 && (response.sw2 & 240) === 192) {
			const left = response.sw2 & 15;
			return {
				success: false,
				pin: {
					triesLeft: left,
					triesMax: known.triesMax,
					blocked: left === 0
				}
			};
		}
		if (response.sw === 27011) throw new CardError("pin-blocked", { detail: "VERIFY: 6983" });
		throw new CardError("status", { detail: `VERIFY: SW ${swHex(response.sw)}` });
	} finally {
		data.fill(0);
		pin.fill(0);
	}
}
/** PIN-protected practice situations; call only after a successful VERIFY in the same session. */
async function readCpxSituations(session) {
	const situations = [];
	for (const fid of SITUATION_FIDS) {
		const bytes = await selectAndRead(session, Uint8Array.of(63, 0, 0, 1, fid >> 8, fid & 255), `situation ${fid.toString(16)}`);
		if (!bytes) break;
		const entry = findTlv(parseTlvOrThrow(bytes, "situation"), TAG_SITUATION);
		if (!entry) continue;
		situations.push(decodeSituation(entry));
	}
	return situations;
}
var text = (node, tag, what) => {
	const child = childTlv(node, tag);
	return child ? decodeUtf8(child.value, what) : void 0;
};
function decodeHolder(nodes) {
	const root = findTlv(nodes, TAG_HOLDER);
	if (!root) throw new CardError("malformed", { detail: "CPx holder template E0 missing" });
	const cardType = text(root, 128, "card type");
	const kind = cardType === "CPS" ? "cps" : cardType === "CPE" || cardType === "CPA" ? "cpe" : cardType === "CPF" ? "cpf" : null;
	if (!kind) throw new CardError("malformed", { detail: "CPx card type unknown" });
	const nationalId = text(root, 130, "national id") ?? "";
	const nationalIdType = /^8\d{11}$/.test(nationalId) ? "RPPS" : /^0\d{9}$/.test(nationalId) ? "ADELI" : null;
	if (!nationalIdType) throw new CardError("malformed", { detail: `CPx national id not 8+RPPS / 0+ADELI (${nationalId.length} chars)` });
	const lastName = text(root, 132, "last name");
	const firstName = text(root, 133, "first name") ?? "";
	if (!lastName) throw new CardError("malformed", { detail: "CPx holder last name missing" });
	const civilityCode = text(root, 131, "civility");
	const professionCode = text(root, 134, "profession") ?? "";
	const specialtyCode = text(root, 135, "specialty");
	const role = text(root, 136, "role");
	const holder = {
		nationalId,
		nationalIdType,
		lastName,
		firstName,
		professionCode,
		professionLabel: (toHealthProfession(professionCode) ? professionLabel(professionCode) : void 0) ?? role ?? (professionCode ? `Profession ${professionCode}` : "Personnel non professionnel de santé"),
		situations: []
	};
	if (civilityCode) holder.civility = civilityLabels[civilityCode] ?? civilityCode;
	if (specialtyCode) {
		holder.specialtyCode = specialtyCode;
		holder.specialtyLabel = specialtyLabels[specialtyCode] ?? specialtyCode;
	}
	return {
		kind,
		holder
	};
}
function decodeSituation(entry) {
	const label = text(entry, 128, "situation label");
	if (!label) throw new CardError("malformed", { detail: "situation without label" });
	const situation = { label };
	const mode = text(entry, 129, "situation mode");
	const sector = text(entry, 130, "situation sector");
	const structureId = text(entry, 131, "situation structure");
	if (mode) situation.mode = practiceModeLabels[mode] ?? mode;
	if (sector) situation.sector = sector;
	if (structureId) situation.structureId = structureId;
	return situation;
}
// src/main/cards/apps/vitale.ts
/** AID "VITALE" under the national RID D2 50 (Cardpeek vitale_2.lua, Rufus lecteurvitale.cpp). */
var VITALE_AID = fromHex("D2 50 00 00 02 56 49 54 41 4C 45");
var MF = fromHex("3F00");
var TAG_BENEFICIARY = 101;
var TAG_LAST_NAME = 128;
var TAG_FIRST_NAME = 129;
var TAG_BIRTH_DATE = 130;
/** Project-defined (docs/cards.md): the on-card coding of the rang de naissance is not public. One ASCII digit. */
var TAG_BIRTH_RANK = 131;
var TAG_NIR = 147;
/**
* Reads a Vitale 2 the way Rufus does (field-tested on real readers): SELECT MF, READ BINARY
* SFI 2 for the beneficiaries, SELECT the VITALE AID, READ BINARY SFI 2 for the NIR file. A NIR
* inside a beneficiary's `65` wins; otherwise NIRs of the NIR file are matched by order, or the
* single ouvrant-droit NIR applies to every beneficiary.
*/
async function readVitale(session) {
	const mf = await select(session, "fid", MF, 0);
	if (mf.sw !== 36864) throw new CardError("status", { detail: `SELECT MF: SW ${swHex(mf.sw)}` });
	const identity = parseTlvOrThrow(await readBinaryAll(session, {
		sfi: 2,
		what: "Vitale identity"
	}), "Vitale identity");
	const app = await select(session, "aid", VITALE_AID, 0);
	let nirFile = [];
	if (app.sw === 36864) nirFile = parseTlvOrThrow(await readBinaryAll(session, {
		sfi: 2,
		what: "Vitale NIR"
	}), "Vitale NIR");
	else if (app.sw !== 27266) throw new CardError("status", { detail: `SELECT VITALE: SW ${swHex(app.sw)}` });
	return {
		kind: "vitale",
		atr: atrHex(session.atr),
		status: cardStatusFrom([...identity, ...nirFile]),
		beneficiaries: decodeBeneficiaries(identity, nirFile)
	};
}
function decodeBeneficiaries(identity, nirFile) {
	const entries = findAllTlv(identity, TAG_BENEFICIARY);
	if (entries.length === 0) throw new CardError("malformed", { detail: "Vitale identity file has no beneficiary (tag 65)" });
	const fileNirs = findAllTlv(nirFile, TAG_NIR).map((n) => decodeLatin1(n.value));
	return entries.map((entry, index) => {
		const lastName = requiredText(entry, TAG_LAST_NAME, index);
		const firstName = requiredText(entry, TAG_FIRST_NAME, index);
		const birthDate = decodeBirthDate(entry, index);
		const own = childTlv(entry, TAG_NIR);
		const nir = own ? decodeLatin1(own.value) : fileNirs.length === entries.length ? fileNirs[index] ?? "" : fileNirs[0] ?? "";
		const rank = childTlv(entry, TAG_BIRTH_RANK);
		const birthRank = rank ? Number(decodeLatin1(rank.value)) : NaN;
		return {
			index,
			lastName,
			firstName,
			birthDate,
			nir,
			nirKeyValid: matriculeKeyValid(nir),
			...Number.isInteger(birthRank) && birthRank >= 1 && birthRank <= 9 ? { birthRank } : {}
		};
	});
}
function requiredText(entry, tag, index) {
	const node = childTlv(entry, tag);
	const text = node ? decodeLatin1(node.value) : "";
	if (!text) throw new CardError("malformed", { detail: `beneficiary ${index}: tag ${tag.toString(16)} missing or empty` });
	return text;
}
/** ASCII YYYYMMDD; day or month `00` (unknown) are kept as written, per the card. */
function decodeBirthDate(entry, index) {
	const node = childTlv(entry, TAG_BIRTH_DATE);
	const text = node ? decodeLatin1(node.value) : "";
	const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (!match) throw new CardError("malformed", { detail: `beneficiary ${index}: birth date not YYYYMMDD (${text.length} chars)` });
	const [, year, month, day] = match;
	if (Number(month) > 12 || Number(day) > 31) throw new CardError("malformed", { detail: `beneficiary ${index}: birth date out of range` });
	return `${year}-${month}-${day}`;
}
// src/main/cards/read-card.ts
/** Identifies a card by its ATR and reads what can be read without a PIN. */
async function readCardInfo(session) {
	const atr = atrHex(session.atr);
	switch (identifyAtr(session.atr)) {
		case "vitale-2":
			if (!isVitale2Atr(session.atr)) break;
			return readVitale(session);
		case "vitale-1": return {
			kind: "unsupported",
			atr,
			reason: "Carte Vitale 1 : cette ancienne génération n'est plus lue par le poste. Demandez au patient sa carte Vitale 2 ou utilisez l'appli carte Vitale."
		};
		case "cps3":
		case "cps3-contactless":
		case "cps4": return readCpxPublic(session);
	}
	return {
		kind: "unknown",
		atr,
		reason: "Carte non reconnue : ce n'est ni une carte Vitale ni une carte de professionnel de santé."
	};
}
// src/main/cards/trace.ts
/**
* Wraps a session so every exchange leaves a debug line: the command in hex with the data of
* VERIFY / CHANGE / RESET RETRY COUNTER redacted, and for the answer only its length and SW (answers
* carry names and NIRs).
*/
function traceSession(session, log) {
	return {
		reader: session.reader,
		protocol: session.protocol,
		atr: session.atr,
		async transmit(apdu) {
			log.debug("apdu command", {
				reader: session.reader,
				apdu: describeCommandForLog(apdu)
			});
			const response = await session.transmit(apdu);
			const sw = response.length >= 2 ? (response[response.length - 2] ?? 0) << 8 | (response[response.length - 1] ?? 0) : -1;
			log.debug("apdu response", {
				reader: session.reader,
				length: response.length,
				sw: sw < 0 ? "none" : sw.toString(16).padStart(4, "0")
			});
			return response;
		},
		close: (disposition) => session.close(disposition)
	};
}
// src/main/cards/card-service.ts
/** Name of the line the card bar shows while the PC/SC service is unreachable. */
var SERVICE_VIEW_NAME = "Service des cartes (PC/SC)";
var MESSAGES = {
	removedDuringRead: "La carte a été retirée pendant sa lecture : réinsérez-la.",
	serviceLost: "Le service des cartes à puce (PC/SC) ne répond plus ; nouvelle tentative en cours.",
	testCardRefused: "Carte de test ou de démonstration : refusée sur un poste en production.",
	unexpected: "Erreur inattendue lors de la lecture de la carte."
};
var isCpx = (card) => card !== null && (card.kind === "cps" || card.kind === "cpe" || card.kind === "cpf");
/**
* Watches the readers, reads each inserted card once (Vitale beneficiaries, CPS public identity and
* tries counter) and publishes `ReaderView`s. Every failure ends up as a French `error` on the view
* and a log line, never as an exception out of an event handler.
*/
var CardService = class {
	transport;
	production;
	log;
	states = /* @__PURE__ */ new Map();
	serviceLost = false;
	changeListeners = /* @__PURE__ */ new Set();
	removedListeners = /* @__PURE__ */ new Set();
	queues = /* @__PURE__ */ new Map();
	unsubscribe = null;
	constructor(options) {
		this.transport = options.transport;
		this.production = options.production;
		this.log = options.log;
	}
	async start() {
		if (this.unsubscribe) return;
		this.unsubscribe = this.transport.onEvent((event) => this.onEvent(event));
		await this.transport.start();
		for (const reader of this.transport.readers()) {
			const state = this.ensureState(reader.name);
			if (reader.atr && !state.present) this.cardInserted(reader.name);
		}
		this.publish();
	}
	async stop() {
		this.unsubscribe?.();
		this.unsubscribe = null;
		await this.transport.stop();
		await Promise.all([...this.queues.values()].map((queue) => queue.idle()));
	}
	readers() {
		const views = [...this.states.values()].map((state) => {
			const view = {
				name: state.name,
				card: state.card ? structuredClone(state.card) : null
			};
			if (state.error !== void 0) view.error = state.error;
			if (state.busy) view.busy = true;
			return view;
		});
		if (this.serviceLost) views.push({
			name: SERVICE_VIEW_NAME,
			card: null,
			error: MESSAGES.serviceLost
		});
		return views;
	}
	onChange(listener) {
		this.changeListeners.add(listener);
		return () => this.changeListeners.delete(listener);
	}
	onCardRemoved(listener) {
		this.removedListeners.add(listener);
		return () => this.removedListeners.delete(listener);
	}
	/**
	* Presents the PIN to the CPS/CPE in `reader` once (no automatic retry). On success reads the
	* PIN-protected practice situations into the reader's view. The session is closed with a reset so
	* the verified state never outlives this call. `pin` (ASCII digits) is zeroed before returning.
	*/
	async verifyPin(reader, pin) {
		try {
			const state = this.states.get(reader);
			if (!state || !state.present) throw new CardError("no-card", { detail: "verifyPin: no card in reader" });
			if (!isCpx(state.card)) throw new CardError("not-cpx", { detail: "verifyPin: card is not a CPx" });
			if (state.card.pin.blocked) throw new CardError("pin-blocked", { detail: "verifyPin: counter already at 0" });
			return await this.enqueue(reader, () => this.verifyOnCard(state, pin));
		} finally {
			pin.fill(0);
		}
	}
	async verifyOnCard(state, pin) {
		const generation = state.generation;
		if (!state.present) throw new CardError("removed", { detail: "verifyPin: card removed while queued" });
		const session = traceSession(await this.transport.connect(state.name), this.log);
		try {
			await selectCpxApplication(session);
			const current = await readPinState(session, 1);
			if (current.blocked) {
				this.updateCpx(state, generation, (card) => card.pin = current);
				throw new CardError("pin-blocked", { detail: "verifyPin: tries counter at 0" });
			}
			const result = await verifyCpxPin(session, pin, current);
			const situations = result.success ? await readCpxSituations(session) : null;
			this.updateCpx(state, generation, (card) => {
				card.pin = result.pin;
				if (situations) card.holder.situations = situations;
			});
			this.log.info("PIN verification", {
				reader: state.name,
				success: result.success,
				triesLeft: result.pin.triesLeft
			});
			return result;
		} catch (error) {
			if (isCardError(error, "pin-blocked")) this.updateCpx(state, generation, (card) => card.pin = {
				...card.pin,
				triesLeft: 0,
				blocked: true
			});
			this.log.warn("PIN verification failed", {
				reader: state.name,
				...errorFields(error)
			});
			throw error;
		} finally {
			await this.closeQuietly(session, "reset");
		}
	}
	updateCpx(state, generation, change) {
		if (state.generation !== generation || !isCpx(state.card)) return;
		change(state.card);
		this.publish();
	}
	onEvent(event) {
		switch (event.type) {
			case "reader-added":
				this.ensureState(event.reader);
				this.publish();
				return;
			case "reader-removed": {
				const state = this.states.get(event.reader);
				if (!state) return;
				if (state.present) this.cardRemoved(event.reader);
				this.states.delete(event.reader);
				this.publish();
				return;
			}
			case "card-inserted":
				if (this.ensureState(event.reader).present) return;
				this.cardInserted(event.reader);
				this.publish();
				return;
			case "card-removed":
				this.cardRemoved(event.reader);
				this.publish();
				return;
			case "service-lost":
				this.serviceLost = true;
				this.log.error("smart-card service lost", { detail: event.detail });
				for (const state of this.states.values()) {
					if (state.present) this.cardRemoved(state.name);
					state.error = MESSAGES.serviceLost;
				}
				this.publish();
				return;
			case "service-restored":
				this.serviceLost = false;
				this.log.info("smart-card service restored");
				for (const state of this.states.values()) state.error = void 0;
				for (const reader of this.transport.readers()) {
					const state = this.ensureState(reader.name);
					if (reader.atr && !state.present) this.cardInserted(reader.name);
				}
				this.publish();
				return;
		}
	}
	ensureState(name) {
		let state = this.states.get(name);
		if (!state) {
			state = {
				name,
				present: false,
				card: null,
				error: void 0,
				busy: false,
				generation: 0
			};
			this.states.set(name, state);
		}
		return state;
	}
	cardInserted(reader) {
		const state = this.ensureState(reader);
		state.generation++;
		state.present = true;
		state.card = null;
		state.error = void 0;
		state.busy = true;
		const generation = state.generation;
		this.enqueue(reader, () => this.readCard(state, generation)).catch((error) => {
			this.log.error("card read task failed", {
				reader,
				...errorFields(error)
			});
		});
	}
	cardRemoved(reader) {
		const state = this.states.get(reader);
		if (!state) return;
		const previous = state.card;
		const wasReading = state.busy;
		state.generation++;
		state.present = false;
		state.card = null;
		state.busy = false;
		state.error = wasReading ? MESSAGES.removedDuringRead : void 0;
		this.log.info("card removed", {
			reader,
			kind: previous?.kind ?? "none",
			duringRead: wasReading
		});
		for (const listener of [...this.removedListeners]) try {
			listener(reader, previous);
		} catch (error) {
			this.log.error("card-removed listener failed", {
				reader,
				...errorFields(error)
			});
		}
	}
	async readCard(state, generation) {
		if (state.generation !== generation) return;
		let session = null;
		try {
			session = traceSession(await this.transport.connect(state.name), this.log);
			const info = await readCardInfo(session);
			if (state.generation !== generation) return;
			state.card = info;
			state.busy = false;
			state.error = this.production && "status" in info && info.status !== "production" ? MESSAGES.testCardRefused : void 0;
			this.log.info("card read", {
				reader: state.name,
				...describeCard(info)
			});
		} catch (error) {
			if (state.generation !== generation) return;
			state.card = null;
			state.busy = false;
			state.error = isCardError(error) ? readErrorMessage(error) : MESSAGES.unexpected;
			this.log.warn("card read failed", {
				reader: state.name,
				...errorFields(error)
			});
		} finally {
			if (session) await this.closeQuietly(session, "leave");
			if (state.generation === generation) this.publish();
		}
	}
	async closeQuietly(session, disposition) {
		try {
			await session.close(disposition);
		} catch (error) {
			this.log.debug("session close failed", {
				reader: session.reader,
				...errorFields(error)
			});
		}
	}
	/** One card operation at a time per reader: reads and PIN checks never interleave their APDUs. */
	enqueue(reader, task) {
		let queue = this.queues.get(reader);
		if (!queue) {
			queue = new SerialQueue();
			this.queues.set(reader, queue);
		}
		return queue.run(task);
	}
	publish() {
		const views = this.readers();
		for (const listener of [...this.changeListeners]) try {
			listener(views);
		} catch (error) {
			this.log.error("cards change listener failed", errorFields(error));
		}
	}
};
function readErrorMessage(error) {
	switch (error.kind) {
		case "removed": return MESSAGES.removedDuringRead;
		case "malformed":
		case "status":
		case "protocol": return `Lecture de la carte impossible : ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`;
		default: return error.message;
	}
}
function errorFields(error) {
	if (isCardError(error)) return {
		kind: error.kind,
		detail: error.detail ?? error.message
	};
	if (error instanceof Error) return {
		kind: "unexpected",
		detail: `${error.name}: ${error.message}`
	};
	return {
		kind: "unexpected",
		detail: String(error)
	};
}
function describeCard(info) {
	switch (info.kind) {
		case "vitale": return {
			kind: info.kind,
			status: info.status,
			beneficiaries: info.beneficiaries.length
		};
		case "cps":
		case "cpe":
		case "cpf": return {
			kind: info.kind,
			status: info.status,
			idType: info.holder.nationalIdType,
			triesLeft: info.pin.triesLeft
		};
		default: return {
			kind: info.kind,
			atr: info.atr
		};
	}
}
// src/main/domain/habilitations.ts
var clinicalCore = [
	"syntheses",
	"traitements_soins",
	"comptes_rendus",
	"imagerie",
	"biologie",
	"prevention"
];
var habilitationMatrix = {
	"10": [...[
		...clinicalCore,
		"certificats",
		"remboursement",
		"espace_patient",
		"sante_mentale",
		"telemedecine"
	], "non_classe"],
	"21": [
		...clinicalCore,
		"remboursement",
		"espace_patient"
	],
	"40": [
		...clinicalCore,
		"certificats",
		"remboursement",
		"espace_patient",
		"telemedecine"
	],
	"50": [
		...clinicalCore,
		"certificats",
		"remboursement",
		"espace_patient",
		"telemedecine"
	],
	"60": [
		...clinicalCore,
		"remboursement",
		"espace_patient",
		"telemedecine"
	],
	"69": [
		...clinicalCore,
		"remboursement",
		"espace_patient",
		"telemedecine",
		"sante_mentale"
	],
	"80": [
		...clinicalCore,
		"espace_patient",
		"telemedecine"
	],
	"70": [
		...clinicalCore,
		"espace_patient",
		"telemedecine"
	],
	"91": [...clinicalCore, "espace_patient"],
	"92": [...clinicalCore, "espace_patient"],
	"93": [
		"syntheses",
		"comptes_rendus",
		"espace_patient",
		"sante_mentale"
	],
	"94": [...clinicalCore, "espace_patient"],
	"95": [...clinicalCore, "espace_patient"],
	"96": [
		...clinicalCore,
		"espace_patient",
		"sante_mentale"
	],
	"98": [
		"syntheses",
		"comptes_rendus",
		"imagerie",
		"prevention"
	],
	"86": [
		"syntheses",
		"biologie",
		"prevention"
	],
	"26": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"28": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"81": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"82": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"83": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"84": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"85": [
		"syntheses",
		"traitements_soins",
		"comptes_rendus"
	],
	"39": ["traitements_soins"],
	"35": [
		"syntheses",
		"traitements_soins",
		"prevention"
	],
	"36": ["syntheses"],
	"37": [
		"syntheses",
		"traitements_soins",
		"prevention"
	]
};
/** Document types a profession may not read although it may read their category. */
var kindExclusions = {
	"10": ["residence_certificate"],
	"40": ["psychiatric_summary", "telemedicine_request"],
	"80": ["delivery_report"]
};
/**
* Non-health staff ("professions rôles" of the social and médico-social sectors) read nothing: their rows
* of the annex were suspended after the CNOM appeal, so any unknown profession code gets no category.
*/
function canProfessionReadCategory(professionCode, category) {
	const profession = toHealthProfession(professionCode);
	if (!profession) return false;
	return habilitationMatrix[profession].includes(category);
}
function canProfessionReadKind(professionCode, kind) {
	const profession = toHealthProfession(professionCode);
	if (!profession) return false;
	return !(kindExclusions[profession] ?? []).includes(kind);
}
/** Category and, when the type is singled out by the annex, the type itself. */
function canProfessionReadDocument(professionCode, category, kind) {
	return canProfessionReadCategory(professionCode, category) && (kind === void 0 || canProfessionReadKind(professionCode, kind));
}
// src/main/domain/access-policy.ts
var allow = { allowed: true };
function refuse$2(code, rule, message) {
	return {
		allowed: false,
		code,
		rule,
		message
	};
}
/** Stable rule ids, for logs and tests. */
var rules = {
	cpeNoMedicalContent: "card.cpe-no-medical-content",
	notHealthProfession: "profession.not-health",
	cardCannotManage: "card.cannot-manage",
	cardCannotDeposit: "card.cannot-deposit",
	dossierClosed: "dossier.closed",
	blockedByPatient: "patient.blocked-professional",
	notInCareTeam: "normal.not-in-care-team",
	bdgProfession: "bdg.profession-not-allowed",
	bdgReasonRequired: "bdg.reason-required",
	bdgOpposed: "bdg.patient-opposed",
	c15NotRegulator: "c15.not-regulator",
	c15Opposed: "c15.patient-opposed",
	documentMasked: "document.masked",
	habilitation: "document.habilitation-matrix"
};
/** Secretaries and other CPE holders manage dossiers but never read medical content; nor do non-health staff. */
function canReadMedicalContent(actor) {
	return actor.cardKind !== "cpe" && toHealthProfession(actor.professionCode) !== void 0;
}
/**
* CSP L1111-17 III opens emergency access to health professionals; we restrict it to the professions that
* act alone in vital emergencies (doctors, midwives, nurses) and to a CPS: a student card (CPF) acts under
* supervision. Decision recorded in docs/access-rules.md.
*/
var brisDeGlaceProfessions = [
	professionCodes.medecin,
	professionCodes.sageFemme,
	professionCodes.infirmier,
	professionCodes.infirmierPsychiatrique
];
function professionAllowsBrisDeGlace(actor) {
	const profession = toHealthProfession(actor.professionCode);
	return actor.cardKind === "cps" && profession !== void 0 && brisDeGlaceProfessions.includes(profession);
}
/** CSP L1111-17: the regulating doctor of the SAMU–Centre 15, with a CPS, working in a regulation situation. */
function isCentre15Regulator(actor) {
	return actor.cardKind === "cps" && toHealthProfession(actor.professionCode) === professionCodes.medecin && actor.centre15Regulation === true;
}
/** Practice situations of a regulation centre; the label is the only marker the CPS gives us. */
function situationIsCentre15Regulation(situation) {
	return /\b(samu|centre\s*15|crra|r[ée]gulation\s+m[ée]dicale)\b/i.test(situation.label);
}
function isTreatingPhysician(actor, dossier) {
	return dossier.treatingPhysicianId !== void 0 && dossier.treatingPhysicianId === actor.nationalId;
}
function isBlocked(actor, dossier) {
	return dossier.blockedProfessionalIds.includes(actor.nationalId) && !isTreatingPhysician(actor, dossier);
}
/** Everything a dossier read checks except the bris-de-glace reason, which belongs to the opening only. */
function dossierGate(actor, dossier, mode) {
	if (actor.cardKind === "cpe") return refuse$2("FORBIDDEN", rules.cpeNoMedicalContent, "Une carte CPE (personnel non soignant) ne permet pas de consulter le contenu médical du DMP.");
	if (!canReadMedicalContent(actor)) return refuse$2("FORBIDDEN", rules.notHealthProfession, "Votre profession ne permet pas de consulter le contenu médical du DMP.");
	if (dossier.status === "closed") return refuse$2("LOCKED", rules.dossierClosed, "Ce DMP est fermé : il ne peut plus être consulté. Il peut être réactivé à la demande du patient.");
	if (isBlocked(actor, dossier)) return refuse$2("FORBIDDEN", rules.blockedByPatient, "Le patient a bloqué votre accès à son DMP. Vous ne pouvez pas le consulter, quel que soit le mode d'accès.");
	switch (mode) {
		case "normal":
			if (isTreatingPhysician(actor, dossier) || dossier.authorizedProfessionalIds.includes(actor.nationalId)) return allow;
			return refuse$2("FORBIDDEN", rules.notInCareTeam, "Vous n'êtes pas autorisé à consulter ce DMP. Informez le patient et enregistrez son autorisation avant d'ouvrir son dossier.");
		case "bris_de_glace":
			if (!professionAllowsBrisDeGlace(actor)) return refuse$2("FORBIDDEN", rules.bdgProfession, "Le mode bris de glace est réservé aux médecins, sages-femmes et infirmiers munis d'une carte CPS.");
			if (dossier.brisDeGlaceOpposition) return refuse$2("FORBIDDEN", rules.bdgOpposed, "Le patient s'est opposé à l'accès en mode bris de glace à son DMP.");
			return allow;
		case "centre_15":
			if (!isCentre15Regulator(actor)) return refuse$2("FORBIDDEN", rules.c15NotRegulator, "Le mode Centre 15 est réservé au médecin régulateur du SAMU, en situation de régulation.");
			if (dossier.centre15Opposition) return refuse$2("FORBIDDEN", rules.c15Opposed, "Le patient s'est opposé à l'accès à son DMP par le médecin régulateur du Centre 15.");
			return allow;
	}
}
function decideDossierAccess(actor, dossier, mode, reason) {
	const gate = dossierGate(actor, dossier, mode);
	if (!gate.allowed) return gate;
	if (mode === "bris_de_glace" && (reason ?? "").trim() === "") return refuse$2("FORBIDDEN", rules.bdgReasonRequired, "Le motif de l'accès en mode bris de glace est obligatoire.");
	return allow;
}
/**
* Archived and obsolete documents are readable: the caller flags or filters them. Masked documents stay
* hidden in every mode, bris de glace included (CNIL finding on early pilots), except to the médecin traitant
* and to their author; NOT_FOUND so that their existence is not revealed.
*/
function decideDocumentRead(actor, dossier, mode, doc) {
	const gate = dossierGate(actor, dossier, mode);
	if (!gate.allowed) return gate;
	const isAuthor = doc.authorId !== void 0 && doc.authorId === actor.nationalId;
	if (doc.visibility.maskedFromProfessionals && !isAuthor && !isTreatingPhysician(actor, dossier)) return refuse$2("NOT_FOUND", rules.documentMasked, "Ce document n'est pas disponible : il a été masqué aux professionnels de santé.");
	if (!isAuthor && !canProfessionReadDocument(actor.professionCode, doc.category, doc.kind)) return refuse$2("FORBIDDEN", rules.habilitation, "Votre profession n'est pas habilitée à consulter ce type de document (matrice d'habilitations).");
	return allow;
}
/** CPS and CPE holders create, close and reactivate dossiers and print access codes; students (CPF) do not. */
function decideDossierManagement(actor, _action) {
	if (actor.cardKind === "cpf") return refuse$2("FORBIDDEN", rules.cardCannotManage, "Une carte CPF (étudiant) ne permet pas de gérer un DMP.");
	return allow;
}
/**
* Feeding the DMP needs no prior authorisation (CSP L1111-15), but it needs a health professional's CPS:
* a CPE is not a signature and a CPF acts under supervision.
*/
function decideDeposit(actor, dossier) {
	if (actor.cardKind !== "cps" || toHealthProfession(actor.professionCode) === void 0) return refuse$2("FORBIDDEN", rules.cardCannotDeposit, "Seul un professionnel de santé muni d'une carte CPS peut alimenter le DMP.");
	if (dossier.status === "closed") return refuse$2("LOCKED", rules.dossierClosed, "Ce DMP est fermé : aucun document ne peut y être ajouté.");
	if (isBlocked(actor, dossier)) return refuse$2("FORBIDDEN", rules.blockedByPatient, "Le patient a bloqué votre accès à son DMP : vous ne pouvez pas y ajouter de document.");
	return allow;
}
// src/main/session/session-rules.ts
var defaultSessionRules = {
	inactivityLockMs: 6e5,
	emergencyAccessMs: 36e5
};
var realScheduler = {
	now: () => Date.now(),
	setTimeout: (run, ms) => {
		const handle = setTimeout(run, ms);
		handle.unref?.();
		return handle;
	},
	clearTimeout: (handle) => clearTimeout(handle)
};
/** A one-shot deadline that can be pushed back or cancelled; fires `run` once it has really passed. */
var Deadline = class {
	scheduler;
	run;
	handle = null;
	at = 0;
	constructor(scheduler, run) {
		this.scheduler = scheduler;
		this.run = run;
	}
	/** (Re)sets the deadline to `ms` from now. */
	set(ms) {
		this.at = this.scheduler.now() + ms;
		if (this.handle === null) this.arm(ms);
	}
	cancel() {
		if (this.handle !== null) this.scheduler.clearTimeout(this.handle);
		this.handle = null;
	}
	get active() {
		return this.handle !== null;
	}
	arm(ms) {
		this.handle = this.scheduler.setTimeout(() => {
			this.handle = null;
			const left = this.at - this.scheduler.now();
			if (left > 0) this.arm(left);
			else this.run();
		}, ms);
	}
};
// src/main/session/session-service.ts
/** The patient context of one beneficiary before anything is known of their identity and dossier. */
function freshSelection(patient, index) {
	return {
		beneficiaries: patient.beneficiaries,
		selectedIndex: index,
		source: patient.source,
		keepOpen: patient.keepOpen,
		dossier: null,
		access: null
	};
}
/**
* The clinician's session: who is authenticated (CPS + PIN), in which practice situation, which
* patient is in context and how the dossier was opened. Card events drive it; removing the CPS
* locks it at once, and so does inactivity. Bris de glace and Centre 15 cover the one patient they
* were opened for, and end with that patient's context or after a set time.
*/
var SessionService = class {
	cards;
	dossiers;
	log;
	options;
	state = {
		status: "no_card",
		professional: null,
		pin: null,
		patient: null
	};
	authenticatedSerial = null;
	/**
	* The card whose session is locked: only that card resumes it (« Session verrouillée… »). Another
	* professional's card starts afresh (« code porteur »): the lock is not theirs to resume.
	*/
	lockedSerial = null;
	/** Situation chosen for a card; kept across a lock so resuming with the PIN does not ask again. */
	situationChoice = null;
	rules;
	scheduler;
	inactivity;
	emergencyEnd;
	/** Which Vitale (reader, ATR, beneficiaries) the patient context was built from, to ignore repeated events. */
	vitaleSeen = null;
	listeners = /* @__PURE__ */ new Set();
	unsubscribe;
	constructor(cards, dossiers, log, options = { production: false }) {
		this.cards = cards;
		this.dossiers = dossiers;
		this.log = log;
		this.options = options;
		this.rules = {
			...defaultSessionRules,
			...options.rules
		};
		this.scheduler = options.scheduler ?? realScheduler;
		this.inactivity = new Deadline(this.scheduler, () => this.lockAfterInactivity());
		this.emergencyEnd = new Deadline(this.scheduler, () => this.endExpiredEmergencyAccess());
		this.unsubscribe = cards.onChange((readers) => void this.onReaders(readers));
		this.onReaders(cards.readers());
	}
	now() {
		return (this.options.now?.() ?? new Date(this.scheduler.now())).toISOString();
	}
	get() {
		return structuredClone(this.state);
	}
	onChange(listener) {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	dispose() {
		this.unsubscribe();
		this.listeners.clear();
		this.inactivity.cancel();
		this.emergencyEnd.cancel();
	}
	/** A request from the clinician: pushes the inactivity lock back. */
	touch() {
		if (this.authenticatedSerial) this.inactivity.set(this.rules.inactivityLockMs);
	}
	/** The PIN arrives as digits once; it is copied into a buffer that is zeroed whatever happens. */
	async verifyPin(reader, pin) {
		const card = this.professionalCard();
		if (!card || card.reader !== reader) throw new ApiError("CARD_ERROR", "Aucune carte professionnelle dans ce lecteur.");
		const hostEnd = this.state.endedByHost;
		if (hostEnd?.cause === "card-revoked" && this.lockedSerial === card.info.serial) throw new ApiError("FORBIDDEN", hostEnd.message, "card revoked (shared DMP host)");
		if (card.info.pin.blocked) throw new ApiError("PIN_BLOCKED", "Carte bloquée : trop de codes erronés. Débloquez-la avec votre code de déblocage (procédure ANS).");
		const buffer = new TextEncoder().encode(pin);
		const proofPin = this.options.professionalProof ? buffer.slice() : null;
		let result;
		try {
			result = await this.cards.verifyPin(reader, buffer);
			if (result.success && proofPin) await this.proveToHost(card, proofPin, result.pin);
		} catch (err) {
			throw toApiError(err);
		} finally {
			buffer.fill(0);
			proofPin?.fill(0);
		}
		if (result.success) {
			this.authenticatedSerial = card.info.serial;
			this.lockedSerial = null;
			if (this.situationChoice?.serial !== card.info.serial) this.situationChoice = null;
			if (!this.situationChoice && card.info.holder.situations.length === 1) this.situationChoice = {
				serial: card.info.serial,
				index: 0
			};
			this.log.info("professional authenticated", { cardKind: card.info.kind });
			this.update({ pin: result.pin });
			this.touch();
			await this.onReaders(this.cards.readers());
		} else this.update({
			status: result.pin.blocked ? "pin_blocked" : "pin_required",
			pin: result.pin
		});
		return result;
	}
	/**
	* The card accepted the PIN; with a shared host, the host must accept the card too. A refusal
	* leaves the session without access, with the host's reason in French.
	*/
	async proveToHost(card, pin, pinState) {
		const proof = this.options.professionalProof;
		if (!proof) return;
		try {
			await proof.prove({
				reader: card.reader,
				serial: card.info.serial
			}, pin);
		} catch (err) {
			this.log.warn("professional refused by the DMP host", { code: err instanceof ApiError ? err.code : "INTERNAL" });
			this.update({ pin: pinState });
			throw err instanceof ApiError ? err : new ApiError("FORBIDDEN", "Le serveur DMP n’a pas pu vérifier votre carte : accès impossible.", err instanceof Error ? err.message : "unknown");
		}
		if (this.professionalCard()?.info.serial !== card.info.serial) {
			this.endProof();
			throw new ApiError("CARD_ERROR", "La carte professionnelle a été retirée pendant la vérification.");
		}
	}
	/** Forgets who is authenticated; with a shared host, ends the professional's session there too. */
	endAuthentication() {
		const wasAuthenticated = this.authenticatedSerial !== null;
		if (wasAuthenticated) this.lockedSerial = this.authenticatedSerial;
		this.authenticatedSerial = null;
		if (wasAuthenticated) this.endProof();
	}
	endProof() {
		const proof = this.options.professionalProof;
		if (!proof) return;
		proof.end().catch((err) => this.log.warn("ending the professional session on the DMP host failed", { error: err instanceof Error ? err.message : "unknown" }));
	}
	lock() {
		this.lockWith({});
		return this.get();
	}
	/**
	* The shared DMP host ended the professional's session on its side (card revoked, inactivity,
	* session unknown to it): locked exactly as a local lock is — patient closed, the PIN needed
	* again — with the host's French reason in the state for the card bar. A revoked card cannot
	* be used again: its PIN is refused until another card (or the same one reinserted) is read.
	*/
	endedByHost(end) {
		if (!this.authenticatedSerial) return;
		this.log.warn("session locked: professional session ended by the DMP host", { cause: end.cause });
		this.lockWith({ endedByHost: end });
	}
	lockWith(extra) {
		this.endAuthentication();
		this.inactivity.cancel();
		const card = this.professionalCard();
		this.update({
			status: card ? "locked" : "no_card",
			patient: null,
			professional: card ? this.professionalView(card.reader, card.info) : null,
			...extra
		});
	}
	/** The practice situation (lieu / mode d'exercice) the professional works in for this session. */
	async selectSituation(index) {
		const card = this.professionalCard();
		if (!card || this.authenticatedSerial !== card.info.serial) throw new ApiError("LOCKED", "Session verrouillée : insérez votre carte professionnelle et saisissez votre code.");
		if (!card.info.holder.situations[index]) throw new ApiError("NOT_FOUND", "Cette situation d’exercice ne figure pas sur la carte.");
		const changed = this.situationChoice?.index !== index;
		this.situationChoice = {
			serial: card.info.serial,
			index
		};
		this.touch();
		if (changed && this.state.patient) this.update({ patient: null });
		this.vitaleSeen = null;
		await this.onReaders(this.cards.readers());
		return this.get();
	}
	lockAfterInactivity() {
		if (!this.authenticatedSerial) return;
		this.log.info("session locked after inactivity", { minutes: Math.round(this.rules.inactivityLockMs / 6e4) });
		this.lock();
	}
	/** Time is up for bris de glace / Centre 15: the patient's context closes (reopening needs a new reason). */
	endExpiredEmergencyAccess() {
		const access = this.state.patient?.access;
		if (!access || access.mode === "normal") return;
		this.log.info("emergency access ended: time limit reached", { mode: access.mode });
		this.update({ patient: null });
	}
	async selectBeneficiary(index) {
		const patient = this.state.patient;
		const actor = this.actor("normal");
		const vitale = this.vitaleCard();
		if (!patient || patient.source !== "vitale" || !vitale) throw new ApiError("NOT_FOUND", "Aucune carte Vitale n’est lue.");
		const beneficiary = vitale.info.beneficiaries[index];
		if (!beneficiary) throw new ApiError("NOT_FOUND", "Ce bénéficiaire ne figure pas sur la carte.");
		const base = freshSelection(patient, index);
		this.update({ patient: base });
		const outcome = await this.dossiers.identifyBeneficiary(beneficiary, vitale.info.status);
		switch (outcome.kind) {
			case "unknown":
				this.update({ patient: {
					...base,
					notice: outcome.notice
				} });
				return this.get();
			case "several":
				this.update({ patient: {
					...base,
					candidates: outcome.candidates,
					notice: "Plusieurs identités correspondent à ce bénéficiaire : comparez les traits et choisissez la bonne personne."
				} });
				return this.get();
			case "identity": return this.applyIdentity(actor, base, outcome.identity);
		}
	}
	/** A human picks the right person among the identities the reference answered. */
	async chooseIdentity(index) {
		const patient = this.state.patient;
		const actor = this.actor("normal");
		const chosen = patient?.candidates?.[index];
		if (!patient || patient.selectedIndex === null || !chosen) throw new ApiError("NOT_FOUND", "Cette identité ne figure pas parmi les identités proposées.");
		return this.applyIdentity(actor, freshSelection(patient, patient.selectedIndex), chosen);
	}
	/**
	* « Le patient présent autorise l'accès »: only for the dossier found from the Vitale card still
	* in the reader, so that the authorisation really comes from the patient in front of the professional.
	*/
	async authorizeAccess() {
		const patient = this.state.patient;
		const actor = this.actor("normal");
		if (!patient || patient.source !== "vitale" || !patient.identity || !patient.authorizationRequired || patient.selectedIndex === null) throw new ApiError("NOT_FOUND", "Aucun dossier en attente de l’autorisation du patient.");
		if (!this.vitaleCard()) throw new ApiError("FORBIDDEN", "La carte Vitale du patient doit être dans le lecteur pour qu’il autorise l’accès.");
		const base = freshSelection(patient, patient.selectedIndex);
		return this.applyOutcome({
			...base,
			identity: patient.identity,
			dossierExists: true
		}, await this.dossiers.authorizeAndOpen(actor, patient.identity));
	}
	async applyIdentity(actor, base, identity) {
		const withIdentity = {
			...base,
			identity
		};
		this.update({ patient: withIdentity });
		let outcome;
		try {
			outcome = await this.dossiers.openForIdentity(actor, identity);
		} catch (err) {
			if (err instanceof ApiError) this.update({ patient: {
				...withIdentity,
				dossierExists: true,
				notice: err.message
			} });
			throw err;
		}
		return this.applyOutcome(withIdentity, outcome);
	}
	applyOutcome(base, outcome) {
		switch (outcome.kind) {
			case "none":
				this.update({ patient: {
					...base,
					dossierExists: false,
					notice: "Ce patient n’a pas de DMP."
				} });
				break;
			case "open":
				this.update({ patient: {
					...base,
					dossierExists: true,
					dossier: outcome.dossier,
					access: {
						mode: "normal",
						since: this.now()
					}
				} });
				break;
			case "authorization-required":
				this.update({ patient: {
					...base,
					dossierExists: true,
					authorizationRequired: true,
					notice: "Ce patient a un DMP. Vous n’êtes pas encore autorisé à le consulter : informez le patient et enregistrez son autorisation."
				} });
				break;
			case "refused": this.update({ patient: {
				...base,
				dossierExists: true,
				notice: outcome.notice
			} });
		}
		return this.get();
	}
	keepOpen(keep) {
		if (!this.state.patient) throw new ApiError("NOT_FOUND", "Aucun dossier patient n’est ouvert.");
		this.update({ patient: {
			...this.state.patient,
			keepOpen: keep
		} });
		return this.get();
	}
	closePatient() {
		this.update({ patient: null });
		return this.get();
	}
	async openDossier(insKey, mode, reason) {
		const actor = this.actor(mode, reason);
		const opened = await this.dossiers.open(actor, insKey);
		const emergency = mode !== "normal";
		const until = emergency ? new Date(this.scheduler.now() + this.rules.emergencyAccessMs).toISOString() : void 0;
		this.update({ patient: {
			beneficiaries: [],
			selectedIndex: null,
			source: "search",
			keepOpen: true,
			dossier: opened,
			access: {
				mode,
				...reason ? { reason } : {},
				since: this.now(),
				...until ? { until } : {}
			}
		} });
		if (emergency) this.emergencyEnd.set(this.rules.emergencyAccessMs);
		return this.get();
	}
	/** The actor for a request, or LOCKED when nobody is authenticated. Counts as activity. */
	actor(mode, reason) {
		if (this.state.status === "situation_required") throw new ApiError("LOCKED", "Choisissez d’abord votre situation d’exercice (lieu et mode d’exercice).");
		if (this.state.status !== "authenticated" || !this.state.professional) throw new ApiError("LOCKED", "Session verrouillée : insérez votre carte professionnelle et saisissez votre code.");
		this.touch();
		const access = this.state.patient?.access;
		if (access?.until && this.scheduler.now() >= Date.parse(access.until)) {
			this.endExpiredEmergencyAccess();
			if (mode === void 0) throw new ApiError("FORBIDDEN", emergencyEndedMessage);
		}
		const effectiveMode = mode ?? access?.mode ?? "normal";
		const effectiveReason = reason ?? (mode === void 0 ? access?.reason : void 0);
		return {
			professional: this.state.professional,
			mode: effectiveMode,
			...effectiveReason ? { reason: effectiveReason } : {}
		};
	}
	/** The dossier currently open, with the mode it was opened in; refuses any other INS. */
	currentAccess(insKey) {
		const actor = this.actor();
		const dossier = this.state.patient?.dossier;
		if (!dossier || dossier.insKey.toUpperCase() !== insKey.toUpperCase()) throw new ApiError("FORBIDDEN", "Ce dossier n’est pas ouvert dans la session : ouvrez-le d’abord.");
		return actor;
	}
	async onReaders(readers) {
		const cpx = findCard(readers, (c) => c.kind === "cps" || c.kind === "cpe" || c.kind === "cpf");
		if (!cpx) {
			if (this.authenticatedSerial) this.log.info("professional card removed: session locked");
			this.endAuthentication();
			this.situationChoice = null;
			this.inactivity.cancel();
			this.vitaleSeen = null;
			this.update({
				status: this.state.status === "authenticated" || this.state.status === "situation_required" || this.state.status === "locked" ? "locked" : "no_card",
				professional: null,
				pin: null,
				patient: null
			});
			return;
		}
		if (this.options.production && cpx.info.status !== "production") {
			this.log.warn("test or demo professional card refused in production");
			this.endAuthentication();
			this.update({
				status: "no_card",
				professional: null,
				pin: null,
				patient: null
			});
			return;
		}
		if (!(this.authenticatedSerial === cpx.info.serial)) {
			this.endAuthentication();
			this.inactivity.cancel();
			if (this.situationChoice?.serial !== cpx.info.serial) this.situationChoice = null;
			const professional = this.professionalView(cpx.reader, cpx.info);
			this.update({
				status: cpx.info.pin.blocked ? "pin_blocked" : this.state.status === "locked" && this.lockedSerial === cpx.info.serial ? "locked" : "pin_required",
				professional,
				pin: cpx.info.pin,
				patient: null
			});
			return;
		}
		const professional = this.professionalView(cpx.reader, cpx.info);
		if (!this.situationChoice && cpx.info.holder.situations.length > 1) {
			this.update({
				status: "situation_required",
				professional,
				patient: null
			});
			return;
		}
		this.update({
			status: "authenticated",
			professional
		});
		await this.onVitale(readers);
	}
	/** The professional as the session shows it, with the chosen situation when there is one. */
	professionalView(reader, info) {
		const index = this.situationChoice?.serial === info.serial ? this.situationChoice.index : null;
		const situation = index === null ? void 0 : info.holder.situations[index];
		return {
			reader,
			cardKind: info.kind,
			serial: info.serial,
			holder: info.holder,
			situationIndex: index,
			centre15Regulation: situation ? situationIsCentre15Regulation(situation) : false
		};
	}
	async onVitale(readers) {
		const vitale = findCard(readers, (c) => c.kind === "vitale");
		const patient = this.state.patient;
		if (!vitale) {
			this.vitaleSeen = null;
			if (patient?.source === "vitale" && !patient.keepOpen) this.update({ patient: null });
			return;
		}
		if (this.options.production && vitale.info.status !== "production") {
			this.log.warn("test or demo Vitale card refused in production");
			if (patient?.source === "vitale" && !patient.keepOpen) this.update({ patient: null });
			return;
		}
		const identity = `${vitale.reader}|${vitale.info.atr}|${vitale.info.beneficiaries.map((b) => b.nir + b.birthDate).join(",")}`;
		if (identity === this.vitaleSeen && patient?.source === "vitale") return;
		if (patient?.keepOpen && patient.source === "search") return;
		this.vitaleSeen = identity;
		this.update({ patient: {
			beneficiaries: vitale.info.beneficiaries,
			selectedIndex: null,
			source: "vitale",
			keepOpen: false,
			dossier: null,
			access: null
		} });
		if (vitale.info.beneficiaries.length === 1) try {
			await this.selectBeneficiary(0);
		} catch (err) {
			this.log.info("automatic dossier opening refused", { code: err instanceof ApiError ? err.code : "INTERNAL" });
		}
	}
	professionalCard() {
		return findCard(this.cards.readers(), (c) => c.kind === "cps" || c.kind === "cpe" || c.kind === "cpf");
	}
	vitaleCard() {
		return findCard(this.cards.readers(), (c) => c.kind === "vitale");
	}
	update(patch) {
		if ("patient" in patch && (!patch.patient?.access || patch.patient.access.mode === "normal")) this.emergencyEnd.cancel();
		const next = {
			...this.state,
			...patch
		};
		if (next.status !== "locked" || next.professional === null) delete next.endedByHost;
		this.state = next;
		const snapshot = this.get();
		for (const listener of this.listeners) listener(snapshot);
	}
};
var emergencyEndedMessage = "L’accès exceptionnel (bris de glace ou Centre 15) a pris fin : rouvrez le dossier avec un nouveau motif si nécessaire.";
function findCard(readers, match) {
	for (const reader of readers) if (reader.card && match(reader.card)) return {
		reader: reader.name,
		info: reader.card
	};
	return null;
}
/** Card failures keep their French message; the code tells the UI whether the card is blocked. */
function toApiError(err) {
	if (!isCardError(err)) return err;
	const code = err.kind === "pin-blocked" ? "PIN_BLOCKED" : err.kind === "pin-format" ? "INVALID_INPUT" : "CARD_ERROR";
	return new ApiError(code, err.message, `card error ${err.kind}${err.detail ? `: ${err.detail}` : ""}`);
}
// src/main/session/reader-display.ts
/**
* What the renderer may be told about the readers. Before a professional has authenticated (CPS or
* CPE + PIN), a Vitale is reduced to "a Vitale is present": the renderer is a separate, less
* trusted process and nobody has yet proved they may see who the patient is.
*/
function readersForDisplay(readers, session) {
	const authenticated = session.status === "authenticated";
	return readers.map((reader) => {
		if (authenticated || reader.card?.kind !== "vitale") return reader;
		return {
			...reader,
			card: {
				kind: "vitale-hidden",
				status: reader.card.status
			}
		};
	});
}
// src/main/domain/governance.ts
var governanceRules = {
	emergency: "governance.emergency-mode",
	cardNotAllowed: "governance.card-not-allowed",
	patientAbsent: "governance.patient-absent",
	notInCareTeam: "governance.not-in-care-team",
	reasonRequired: "governance.reason-required",
	notDoctor: "governance.treating-physician-not-doctor",
	treatingNotBlockable: "governance.treating-physician-not-blockable"
};
function refuse$1(rule, message) {
	return {
		allowed: false,
		code: "FORBIDDEN",
		rule,
		message
	};
}
function isHealthCps(actor) {
	return actor.cardKind === "cps" && toHealthProfession(actor.professionCode) !== void 0;
}
function inCareTeam(actor, dossier) {
	return !(dossier.blockedProfessionalIds.includes(actor.nationalId) && dossier.treatingPhysicianId !== actor.nationalId) && (dossier.treatingPhysicianId === actor.nationalId || dossier.authorizedProfessionalIds.includes(actor.nationalId));
}
/**
* Assumption G2: a health professional's CPS or a front-desk CPE may close or reactivate, in normal
* mode only, with the patient present; on the patient's written request without them, only a CPS
* holder of the care team (someone the patient already trusts with the dossier). Never a student (CPF).
*/
function decideDossierGovernance(actor, dossier, mode, action, basis, reason) {
	if (mode !== "normal") return refuse$1(governanceRules.emergency, "Un accès en mode bris de glace ou Centre 15 ne permet ni de clôturer ni de réactiver un DMP.");
	if (!isHealthCps(actor) && actor.cardKind !== "cpe") return refuse$1(governanceRules.cardNotAllowed, "Votre carte ne permet pas de clôturer ou de réactiver un DMP.");
	if (!basis.patientPresent) {
		if (!basis.atPatientRequest) return refuse$1(governanceRules.patientAbsent, action === "close" ? "Un DMP ne se clôture qu’avec le patient présent (sa carte Vitale lue) ou à sa demande écrite." : "Un DMP ne se réactive qu’avec le patient présent (sa carte Vitale lue) ou à sa demande écrite.");
		if (!isHealthCps(actor) || !inCareTeam(actor, dossier)) return refuse$1(governanceRules.notInCareTeam, "Sans le patient présent, seul un professionnel de santé autorisé par le patient peut enregistrer sa demande de clôture ou de réactivation.");
	}
	if (reason.trim() === "") return refuse$1(governanceRules.reasonRequired, action === "close" ? "Le motif de clôture est obligatoire." : "Le motif de réactivation est obligatoire.");
	return { allowed: true };
}
/**
* Declaring the médecin traitant (TD0.3 `i_setTreatingPhysician`): the doctor themself, with a CPS, in
* normal mode, with the patient present and consenting (assumption T1).
*/
function decideTreatingPhysicianDeclaration(actor, mode, basis) {
	if (mode !== "normal") return refuse$1(governanceRules.emergency, "Un accès en mode bris de glace ou Centre 15 ne permet pas de déclarer un médecin traitant.");
	if (actor.cardKind !== "cps" || toHealthProfession(actor.professionCode) !== "10") return refuse$1(governanceRules.notDoctor, "Seul un médecin muni de sa carte CPS peut être déclaré médecin traitant.");
	if (!basis.patientPresent || !basis.patientConsent) return refuse$1(governanceRules.patientAbsent, "La déclaration du médecin traitant se fait avec le patient présent (sa carte Vitale lue) et son accord.");
	return { allowed: true };
}
/**
* Recording the patient's block (or unblock) of one professional: a professional of the care team, in
* normal mode, with the patient present or on their written request; the médecin traitant cannot be
* blocked (Mon espace santé rule, assumption B2).
*/
function decideBlockRecording(actor, dossier, mode, target, basis) {
	if (mode !== "normal") return refuse$1(governanceRules.emergency, "Un accès en mode bris de glace ou Centre 15 ne permet pas de modifier les choix du patient.");
	if (!isHealthCps(actor) && actor.cardKind !== "cpe") return refuse$1(governanceRules.cardNotAllowed, "Votre carte ne permet pas d’enregistrer les choix du patient.");
	if (!basis.patientPresent && !(basis.atPatientRequest && isHealthCps(actor) && inCareTeam(actor, dossier))) return refuse$1(governanceRules.patientAbsent, "Le blocage d’un professionnel s’enregistre avec le patient présent (sa carte Vitale lue) ou à sa demande écrite.");
	if (target.blocked && dossier.treatingPhysicianId === target.nationalId) return refuse$1(governanceRules.treatingNotBlockable, "Le médecin traitant ne peut pas être bloqué : le patient doit d’abord en changer.");
	return { allowed: true };
}
// src/main/domain/history-policy.ts
/**
* The reason someone gave for a bris de glace or Centre 15 access is shown to the patient, to the
* professional who wrote it, and to the médecin traitant; not to other readers (assumption H1).
*/
function mayReadAccessReason(reader, entryActorId, dossier) {
	if (reader.kind === "patient") return true;
	return reader.nationalId === entryActorId || dossier.treatingPhysicianId !== void 0 && dossier.treatingPhysicianId === reader.nationalId;
}
// src/main/domain/write-policy.ts
var writeRules = {
	emergencyReadOnly: "write.emergency-read-only",
	notAuthor: "write.not-author",
	deleted: "write.document-deleted"
};
var changeVerb = {
	status: "archiver ou désarchiver",
	visibility: "modifier la visibilité d’",
	replace: "remplacer",
	delete: "supprimer"
};
/** Same person, or (establishments) the structure the author deposited from. */
function isAuthorOrAuthorStructure(actor, doc) {
	if (doc.authorId !== void 0 && doc.authorId === actor.nationalId) return true;
	return doc.authorStructureId !== void 0 && (actor.structureIds ?? []).includes(doc.authorStructureId);
}
function decideDocumentChange(actor, dossier, change, doc, ctx) {
	if (ctx.mode !== "normal") return {
		allowed: false,
		code: "FORBIDDEN",
		rule: writeRules.emergencyReadOnly,
		message: "En mode bris de glace ou Centre 15, le DMP est en lecture seule : aucun document ne peut être modifié, remplacé ou supprimé."
	};
	const deposit = decideDeposit(actor, dossier);
	if (!deposit.allowed) return deposit;
	if (doc.deleted) return {
		allowed: false,
		code: "NOT_FOUND",
		rule: writeRules.deleted,
		message: "Ce document n’existe pas dans ce DMP."
	};
	if (!ctx.read.allowed) return ctx.read;
	if (isAuthorOrAuthorStructure(actor, doc)) return { allowed: true };
	if (change === "visibility" && ctx.atPatientRequest && ctx.patientPresent) return { allowed: true };
	const verb = changeVerb[change];
	const target = change === "visibility" ? "un document" : "ce document";
	return {
		allowed: false,
		code: "FORBIDDEN",
		rule: writeRules.notAuthor,
		message: change === "visibility" ? `Seul l’auteur du document (ou sa structure) peut ${verb}${target}, ou un professionnel à la demande du patient présent.` : `Seul l’auteur du document (ou sa structure) peut ${verb} ${target}.`
	};
}
// src/shared/catalog/document-categories.ts
/**
* The eleven document categories of the matrice d'habilitations (arrêté du 26 octobre 2023, annexe),
* plus `non_classe` for codes the product does not know, with their French labels. Shared so the
* main process (access rules) and the renderer (filters, lists) name them the same way; see
* docs/access-rules.md for how each id maps to the published matrix.
*/
var documentCategories = [
	"syntheses",
	"traitements_soins",
	"comptes_rendus",
	"imagerie",
	"biologie",
	"prevention",
	"certificats",
	"remboursement",
	"espace_patient",
	"sante_mentale",
	"telemedecine",
	"non_classe"
];
documentCategories.filter((c) => c !== "non_classe");
// src/main/domain/categories.ts
function isDocumentCategory(value) {
	return documentCategories.includes(value);
}
/** Categories arrive as plain strings from the store and the contract; anything unknown is treated as unclassified. */
function toDocumentCategory(value) {
	return isDocumentCategory(value) ? value : "non_classe";
}
// src/main/domain/document-types.ts
/** Code systems a DMP `typeCode` comes from. */
var typeCodeSystems = {
	loinc: "2.16.840.1.113883.6.1",
	/** TRE_A05-TypeDocComplementaire: DMP types with no LOINC code (REMB, SYNTH…). */
	treA05: "1.2.250.1.213.1.1.4.12"
};
var loinc = typeCodeSystems.loinc;
/**
* The types the product handles. "fixture": read from ClinicalDocument/code of the CI-SIS examples in
* ../shared/fixtures/cda. Labels follow TRE_A04-Loinc (ANS, version 2023-01-27, as published in
* ansforge/IG-fhir-mesures-de-sante); the DMP accepts the JDV_J66 subset of it.
*/
var documentTypes = [
	{
		code: "60591-5",
		system: loinc,
		label: "Synthèse du dossier médical (VSM / IPS)",
		category: "syntheses"
	},
	{
		code: "SYNTH",
		system: typeCodeSystems.treA05,
		label: "Synthèse",
		category: "syntheses"
	},
	{
		code: "74207-2",
		system: loinc,
		label: "Dossier de liaison d'urgence (DLU)",
		category: "syntheses"
	},
	{
		code: "34133-9",
		system: loinc,
		label: "Synthèse d'épisode de soins",
		category: "syntheses"
	},
	{
		code: "34112-3",
		system: loinc,
		label: "Compte rendu hospitalier (séjour)",
		category: "comptes_rendus"
	},
	{
		code: "11490-0",
		system: loinc,
		label: "Lettre de liaison à la sortie d'un établissement de soins",
		category: "comptes_rendus"
	},
	{
		code: "18761-7",
		system: loinc,
		label: "Note de transfert (dont lettre de liaison à l'entrée)",
		category: "comptes_rendus"
	},
	{
		code: "15507-7",
		system: loinc,
		label: "Compte rendu de passage aux urgences",
		category: "comptes_rendus"
	},
	{
		code: "11488-4",
		system: loinc,
		label: "Compte rendu de consultation ou de visite",
		category: "comptes_rendus"
	},
	{
		code: "34874-8",
		system: loinc,
		label: "Compte rendu opératoire",
		category: "comptes_rendus"
	},
	{
		code: "34794-8",
		system: loinc,
		label: "Compte rendu de réunion de concertation pluridisciplinaire",
		category: "comptes_rendus"
	},
	{
		code: "11506-3",
		system: loinc,
		label: "Compte rendu de suivi de soins par auxiliaire médical",
		category: "comptes_rendus"
	},
	{
		code: "47420-5",
		system: loinc,
		label: "Compte rendu de bilan fonctionnel",
		category: "comptes_rendus"
	},
	{
		code: "11526-1",
		system: loinc,
		label: "Compte rendu d'anatomie et de cytologie pathologiques",
		category: "comptes_rendus"
	},
	{
		code: "15508-5",
		system: loinc,
		label: "Compte rendu d'accouchement",
		category: "comptes_rendus",
		kind: "delivery_report"
	},
	{
		code: "11502-2",
		system: loinc,
		label: "Compte rendu d'examens biologiques",
		category: "biologie"
	},
	{
		code: "51969-4",
		system: loinc,
		label: "Compte rendu de génétique moléculaire",
		category: "biologie"
	},
	{
		code: "18748-4",
		system: loinc,
		label: "Compte rendu d'imagerie médicale",
		category: "imagerie"
	},
	{
		code: "55115-0",
		system: loinc,
		label: "Demande d'actes d'imagerie",
		category: "imagerie"
	},
	{
		code: "87273-9",
		system: loinc,
		label: "Note de vaccination",
		category: "prevention"
	},
	{
		code: "11369-6",
		system: loinc,
		label: "Historique des vaccinations",
		category: "prevention"
	},
	{
		code: "96173-0",
		system: loinc,
		label: "Attestation de dépistage",
		category: "prevention"
	},
	{
		code: "68817-6",
		system: loinc,
		label: "Bilan de santé et de prévention de l'enfant",
		category: "prevention"
	},
	{
		code: "60593-1",
		system: loinc,
		label: "Dispensation médicamenteuse",
		category: "traitements_soins"
	},
	{
		code: "57833-6",
		system: loinc,
		label: "Prescription de produits de santé",
		category: "traitements_soins"
	},
	{
		code: "57832-8",
		system: loinc,
		label: "Prescription de soins",
		category: "traitements_soins"
	},
	{
		code: "57828-6",
		system: loinc,
		label: "Prescription (autre)",
		category: "traitements_soins"
	},
	{
		code: "18776-5",
		system: loinc,
		label: "Plan personnalisé de soins",
		category: "traitements_soins"
	},
	{
		code: "56445-0",
		system: loinc,
		label: "Bilan médicamenteux",
		category: "traitements_soins"
	},
	{
		code: "77604-7",
		system: loinc,
		label: "Planification thérapeutique",
		category: "traitements_soins"
	},
	{
		code: "89601-9",
		system: loinc,
		label: "Certificat médical",
		category: "certificats"
	},
	{
		code: "68599-0",
		system: loinc,
		label: "Synthèse psychiatrique",
		category: "sante_mentale",
		kind: "psychiatric_summary"
	},
	{
		code: "83901-9",
		system: loinc,
		label: "Bilan psychologique",
		category: "sante_mentale"
	},
	{
		code: "75496-0",
		system: loinc,
		label: "Demande d'acte de télémédecine",
		category: "telemedecine",
		kind: "telemedicine_request"
	},
	{
		code: "85208-7",
		system: loinc,
		label: "Compte rendu de télémédecine",
		category: "telemedecine"
	},
	{
		code: "REMB",
		system: typeCodeSystems.treA05,
		label: "Historique des remboursements",
		category: "remboursement"
	}
];
var byCode = new Map(documentTypes.map((t) => [t.code.toUpperCase(), t]));
function normalise$1(code) {
	return code.trim().toUpperCase();
}
/** The known type for a code, or undefined; codes are compared trimmed and case-insensitively. */
function findDocumentType(code) {
	return byCode.get(normalise$1(code));
}
/** Unknown or malformed codes fall back to the unclassified category rather than throwing. */
function categoryForTypeCode(code) {
	return findDocumentType(code)?.category ?? "non_classe";
}
function typeLabel(code) {
	const known = findDocumentType(code);
	if (known) return known.label;
	const shown = code.trim();
	return shown === "" ? "Document de type non précisé" : `Document de type ${shown.slice(0, 40)}`;
}
function kindForTypeCode(code) {
	return findDocumentType(code)?.kind;
}
// src/main/domain/visibility.ts
/** DMP visibility bitmask (DmpConnect-JS): 1 normal, 2 hidden from patient, 4 masked, 8 hidden from representatives. */
var visibilityBits = {
	normal: 1,
	hiddenFromPatient: 2,
	maskedFromProfessionals: 4,
	hiddenFromLegalRepresentatives: 8
};
function encodeVisibility(v) {
	const mask = (v.hiddenFromPatient ? visibilityBits.hiddenFromPatient : 0) | (v.maskedFromProfessionals ? visibilityBits.maskedFromProfessionals : 0) | (v.hiddenFromLegalRepresentatives ? visibilityBits.hiddenFromLegalRepresentatives : 0);
	return mask === 0 ? visibilityBits.normal : mask;
}
/** Accepts 1 alone or any combination of 2, 4 and 8; "normal" mixed with a restriction is contradictory. */
function isValidVisibilityMask(mask) {
	return Number.isInteger(mask) && mask >= 1 && mask <= 14 && (mask === 1 || (mask & 1) === 0);
}
function decodeVisibility(mask) {
	if (!isValidVisibilityMask(mask)) throw new RangeError(`Valeur de visibilité DMP invalide : ${String(mask)}.`);
	return {
		hiddenFromPatient: (mask & visibilityBits.hiddenFromPatient) !== 0,
		maskedFromProfessionals: (mask & visibilityBits.maskedFromProfessionals) !== 0,
		hiddenFromLegalRepresentatives: (mask & visibilityBits.hiddenFromLegalRepresentatives) !== 0
	};
}
/** Upload rules, DMP guide (devbox-santé #113). */
function validateVisibilityAtDeposit(v, context) {
	if (v.hiddenFromPatient && v.maskedFromProfessionals && !context.allowInvisibleAndMasked) return {
		ok: false,
		message: "Un document ne peut pas être à la fois non visible par le patient et masqué aux professionnels."
	};
	if (context.secretMinor && !v.hiddenFromLegalRepresentatives) return {
		ok: false,
		message: "Ce patient mineur a demandé le secret : le document doit être rendu non visible par ses représentants légaux."
	};
	return { ok: true };
}
/** Shown before opening a document the patient or the representatives cannot see (devbox-santé #147). */
function displayWarnings(v) {
	const warnings = [];
	if (v.hiddenFromPatient) warnings.push("Ce document n'est pas visible par le patient.");
	if (v.hiddenFromLegalRepresentatives) warnings.push("Ce document n'est pas visible par les représentants légaux du patient.");
	if (v.maskedFromProfessionals) warnings.push("Ce document est masqué aux autres professionnels de santé.");
	return warnings;
}
// src/main/dmp/entry-data.ts
/**
* What an extracted entry carries beyond the fixed columns of `clinical_entries`, stored as JSON in
* `data`. Read back through a strict schema: a row written by an older version (NULL) or damaged
* (unparsable) reads as `{}`, so the summary degrades to the fixed columns instead of failing.
*/
var entryDataSchema = z.strictObject({
	facts: z.array(z.strictObject({
		label: z.string(),
		value: z.string()
	})).optional(),
	severity: z.string().optional(),
	negated: z.boolean().optional(),
	moodCode: z.string().optional(),
	anchor: z.string().optional(),
	lab: z.strictObject({
		value: z.string(),
		unit: z.string().optional(),
		numeric: z.number().optional(),
		referenceRange: z.string().optional(),
		flag: z.enum([
			"normal",
			"low",
			"high",
			"critical-low",
			"critical-high",
			"abnormal"
		]).optional(),
		flagLabel: z.string().optional()
	}).optional(),
	contactRole: z.enum([
		"trusted",
		"treating",
		"notify",
		"legal",
		"other"
	]).optional(),
	noneKnownSection: z.enum([
		"allergies",
		"medications",
		"problems",
		"immunizations",
		"devices",
		"procedures",
		"riskFactors",
		"labResults",
		"reimbursements"
	]).optional(),
	reimbursement: z.strictObject({
		quantity: z.string().optional(),
		prescriber: z.string().optional(),
		pharmacy: z.string().optional(),
		performer: z.string().optional(),
		therapeuticClass: z.string().optional()
	}).optional(),
	sectionCode: z.string().optional()
});
function encodeEntryData(entry) {
	const data = {
		...entry.facts ? { facts: entry.facts } : {},
		...entry.severity ? { severity: entry.severity } : {},
		...entry.negated ? { negated: true } : {},
		...entry.moodCode ? { moodCode: entry.moodCode } : {},
		...entry.anchor ? { anchor: entry.anchor } : {},
		...entry.lab ? { lab: entry.lab } : {},
		...entry.contactRole ? { contactRole: entry.contactRole } : {},
		...entry.noneKnownSection ? { noneKnownSection: entry.noneKnownSection } : {},
		...entry.reimbursement && Object.keys(entry.reimbursement).length > 0 ? { reimbursement: entry.reimbursement } : {},
		...entry.sectionCode ? { sectionCode: entry.sectionCode } : {}
	};
	return Object.keys(data).length > 0 ? JSON.stringify(data) : null;
}
function decodeEntryData(raw) {
	if (!raw) return {};
	try {
		const parsed = entryDataSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : {};
	} catch {
		return {};
	}
}
// src/main/dmp/document-rows.ts
var documentColumns = [
	"id",
	"ins_key",
	"title",
	"type_code",
	"category",
	"format",
	"media_type",
	"author_name",
	"author_id",
	"author_profession",
	"document_date",
	"deposited_at",
	"status",
	"visibility",
	"version",
	"replaces_id",
	"set_id",
	"author_structure_id",
	"deleted_at"
];
function toDocumentMeta(row, insKey) {
	return {
		id: row.id,
		insKey,
		title: row.title,
		typeCode: row.type_code,
		typeLabel: typeLabel(row.type_code),
		category: row.category,
		format: row.format,
		...row.author_name ? { author: row.author_name } : {},
		...row.author_profession ? { authorProfession: row.author_profession } : {},
		...row.document_date ? { date: row.document_date } : {},
		depositedAt: row.deposited_at,
		status: row.status,
		visibility: decodeVisibility(Number(row.visibility)),
		version: Number(row.version),
		...row.replaces_id ? { replacesId: row.replaces_id } : {}
	};
}
function toDocumentFacts(row) {
	const kind = kindForTypeCode(row.type_code);
	return {
		category: toDocumentCategory(row.category),
		status: row.status,
		visibility: decodeVisibility(Number(row.visibility)),
		...row.author_id ? { authorId: row.author_id } : {},
		...kind ? { kind } : {}
	};
}
function toDocumentAuthorship(row) {
	return {
		...row.author_id ? { authorId: row.author_id } : {},
		...row.author_structure_id ? { authorStructureId: row.author_structure_id } : {},
		deleted: row.deleted_at !== null
	};
}
var entryColumns = [
	"id",
	"document_id",
	"kind",
	"label",
	"code",
	"code_system",
	"code_display",
	"detail",
	"start_date",
	"end_date",
	"status",
	"author",
	"reimbursement_kind",
	"data"
];
/**
* An entry with where it came from, so a clinician can check it against its source document. A status
* stored by an older version as a raw code (« G-A397 », « completed ») is shown in French or not at all.
*/
function toClinicalEntry(row, source) {
	const data = decodeEntryData(row.data);
	const status = row.status ? looksLikeCode(row.status) ? statusLabel(row.status) : row.status : void 0;
	const provenance = {
		...provenanceOf(row, source),
		...data.anchor ? { anchor: data.anchor } : {}
	};
	return {
		id: row.id,
		label: row.label,
		...row.code ? { code: {
			code: row.code,
			...row.code_system ? { system: row.code_system } : {},
			...row.code_display ? { display: row.code_display } : {}
		} } : {},
		...row.detail ? { detail: row.detail } : {},
		...row.start_date ? { startDate: row.start_date } : {},
		...row.end_date ? { endDate: row.end_date } : {},
		...data.facts ? { facts: data.facts } : {},
		...status ? { status } : {},
		...data.severity ? { severity: data.severity } : {},
		...data.negated ? { negated: true } : {},
		...row.author ? { author: row.author } : {},
		provenance,
		sources: [provenance]
	};
}
function provenanceOf(row, source) {
	return {
		documentId: source.id,
		documentTitle: source.title,
		...source.author_name ? { author: source.author_name } : {},
		...source.document_date ? { date: source.document_date } : {},
		entryId: row.id
	};
}
// src/main/dmp/access-history.ts
/** Why an access was refused, as the patient would say it; never the internal rule id. */
var refusalCauses = {
	[rules.cpeNoMedicalContent]: "une carte de personnel non soignant ne donne pas accès au contenu médical",
	[rules.notHealthProfession]: "sa profession ne donne pas accès au contenu médical",
	[rules.cardCannotManage]: "une carte d’étudiant ne permet pas de gérer un DMP",
	[rules.cardCannotDeposit]: "sa carte ne permet pas d’alimenter le DMP",
	[rules.dossierClosed]: "le DMP est clôturé",
	[rules.blockedByPatient]: "vous avez bloqué ce professionnel",
	[rules.notInCareTeam]: "vous ne l’aviez pas autorisé à consulter votre dossier",
	[rules.bdgProfession]: "sa profession ne permet pas l’accès en urgence (bris de glace)",
	[rules.bdgReasonRequired]: "le motif de l’accès en urgence manquait",
	[rules.bdgOpposed]: "vous vous êtes opposé à l’accès en urgence (bris de glace)",
	[rules.c15NotRegulator]: "il n’est pas médecin régulateur du Centre 15",
	[rules.c15Opposed]: "vous vous êtes opposé à l’accès par le Centre 15",
	[rules.documentMasked]: "le document est masqué aux professionnels",
	[rules.habilitation]: "sa profession n’est pas habilitée à lire ce type de document",
	[writeRules.emergencyReadOnly]: "un accès en urgence ne permet aucune modification",
	[writeRules.notAuthor]: "seul l’auteur d’un document peut le modifier",
	[writeRules.deleted]: "le document a été supprimé",
	[governanceRules.emergency]: "un accès en urgence ne permet pas de gérer le dossier",
	[governanceRules.cardNotAllowed]: "sa carte ne permet pas de gérer le dossier",
	[governanceRules.patientAbsent]: "vous n’étiez pas présent et n’en aviez pas fait la demande",
	[governanceRules.notInCareTeam]: "vous ne l’aviez pas autorisé à consulter votre dossier",
	[governanceRules.reasonRequired]: "le motif manquait",
	[governanceRules.notDoctor]: "seul un médecin peut être médecin traitant",
	[governanceRules.treatingNotBlockable]: "le médecin traitant ne peut pas être bloqué"
};
/** Reading the audit trail back: the dossier's history in French sentences, and the chain's integrity check. */
var AccessHistory = class {
	ctx;
	constructor(ctx) {
		this.ctx = ctx;
	}
	/**
	* The dossier's history, newest first, as sentences: no internal id (rule, document, NIR), a
	* document's title only when the reader may read that document, and someone else's emergency
	* reason only for those entitled to it. A professional's reading is recorded first, so it shows.
	*/
	async accessHistory(by, insKey) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		if ("actor" in by) await this.ctx.write([this.ctx.event(by.actor, "dossier.read", row.ins_key, "historique des accès")]);
		const reader = "actor" in by ? {
			kind: "professional",
			nationalId: by.actor.professional.holder.nationalId
		} : { kind: "patient" };
		const { db } = this.ctx.sql;
		const docs = await this.ctx.sql.rows(this.ctx.store, db.selectFrom("documents").select(documentColumns).where("ins_key", "=", row.ins_key));
		const titles = /* @__PURE__ */ new Map();
		for (const doc of docs) if ("actor" in by ? this.ctx.mayRead(by.actor, facts, doc) : !toDocumentFacts(doc).visibility.hiddenFromPatient) titles.set(doc.id, doc.title);
		const names = new Map((await this.ctx.sql.rows(this.ctx.store, db.selectFrom("dossier_professionals").select(["national_id", "display_name"]).where("ins_key", "=", row.ins_key))).map((p) => [p.national_id, p.display_name]));
		return (await (await this.ctx.audit).entriesForDossier(row.ins_key)).map((e) => {
			const reason = e.reason && mayReadAccessReason(reader, e.actorId, facts) ? e.reason : void 0;
			return {
				at: e.at,
				actor: e.actorName,
				profession: e.profession,
				action: e.action,
				description: describe(e, titles, names),
				...e.mode ? { mode: e.mode } : {},
				...reason ? { reason } : {},
				...e.reason && !reason ? { reasonWithheld: true } : {}
			};
		});
	}
	async verifyAudit() {
		return (await this.ctx.audit).verify();
	}
};
function documentPhrase(id, titles) {
	const title = id ? titles.get(id) : void 0;
	return title ? `le document « ${title} »` : "un document";
}
/** The part of a target after the document id (what changed, on whose decision). */
function afterId(target) {
	const space = (target ?? "").indexOf(" ");
	return space < 0 ? "" : (target ?? "").slice(space + 1);
}
function firstToken(target) {
	return target?.split(" ")[0] || void 0;
}
/** One French sentence per audit entry; the subject is the professional shown in the same row. */
function describe(e, titles, names) {
	const doc = () => documentPhrase(firstToken(e.target), titles);
	return {
		"dossier.read": () => e.target === "historique des accès" ? "A consulté l’historique des accès au dossier." : e.target ? "A consulté la liste des documents." : "A ouvert le dossier.",
		"dossier.create": () => "A créé le dossier.",
		"dossier.close": () => `A clôturé le DMP (${e.target ?? "motif non précisé"}).`,
		"dossier.reactivate": () => `A réactivé le DMP (${e.target ?? "motif non précisé"}).`,
		"summary.read": () => "A consulté la synthèse d’urgence.",
		"document.read": () => `A consulté ${doc()}.`,
		"document.deposit": () => `A déposé ${doc()}.`,
		"document.update": () => {
			const what = afterId(e.target);
			return `A modifié ${doc()}${what ? ` (${what})` : ""}.`;
		},
		"document.delete": () => `A supprimé ${doc()}.`,
		"access.denied": () => {
			const cause = refusalCauses[firstToken(e.target) ?? ""];
			return cause ? `Accès refusé : ${cause}.` : "Accès refusé.";
		},
		"patient.search": () => e.target ? `A trouvé votre dossier par une recherche (${e.target}).` : "A recherché un patient.",
		"access.authorize": () => e.target === "médecin traitant" ? "A été déclaré médecin traitant, avec votre accord." : "A été autorisé à consulter votre dossier.",
		"professional.block": () => `A enregistré votre blocage de ${names.get(e.target ?? "") ?? "un professionnel"}.`,
		"professional.unblock": () => `A enregistré la levée de votre blocage de ${names.get(e.target ?? "") ?? "un professionnel"}.`,
		"accessCodes.print": () => "A imprimé vos codes d’accès à Mon espace santé.",
		"document.refused": () => "Un document adressé à votre dossier a été refusé.",
		"identity.lookup": () => "A vérifié votre identité auprès du référentiel INS.",
		"host.refused": () => "Une requête sur votre dossier a été refusée par le serveur DMP (contrôle de sécurité).",
		"settings.host": () => "A modifié (ou tenté de modifier) les réglages du serveur DMP du poste."
	}[e.action]();
}
// src/main/db/dialect.ts
/**
* The few things the two dialects cannot say the same way, in one place; every other query and
* migration is written once with Kysely and compiled for the store's dialect.
*/
/** Column type for bytes (document contents). */
function binaryColumnType(dialect) {
	return dialect === "sqlite" ? "blob" : "bytea";
}
/**
* Triggers refusing UPDATE and DELETE on `table` (and, on PostgreSQL, TRUNCATE, which row triggers do
* not see), so an ordinary code path cannot rewrite it. Trigger names: `<table>_no_update` / `_no_delete`.
*/
function appendOnlyTriggers(dialect, table) {
	const message = `${table} is append-only`;
	if (dialect === "sqlite") return ["UPDATE", "DELETE"].map((op) => `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`);
	const fn = `${table}_append_only`;
	return [
		`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`,
		`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
		`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
		`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`
	];
}
/** The column names of a table as the store holds it (a store opened read-only may predate a migration). */
async function tableColumns(q, reader, table) {
	const query = q.dialect === "sqlite" ? sql`select name from pragma_table_info(${table})` : sql`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ${table}`;
	return (await q.rows(reader, { compile: () => query.compile(q.db) })).map((r) => r.name);
}
/**
* `column` begins with `prefix` (case-sensitive in both dialects). SQLite: GLOB, which (unlike its
* LIKE) is case-sensitive and can use the column's index. PostgreSQL: LIKE. The prefixes searched are
* normalised names (A–Z and spaces) and dates (digits and `-`), never a wildcard of either.
*/
function startsWith(dialect, column, prefix) {
	if (/[*?[\]%_\\]/.test(prefix)) throw new TypeError("startsWith: the prefix holds a wildcard character");
	return dialect === "sqlite" ? sql`${sql.ref(column)} glob ${`${prefix}*`}` : sql`${sql.ref(column)} like ${`${prefix}%`}`;
}
/** A write refused by a unique constraint or index, from the store's error text (either dialect). */
function isUniqueViolation(text) {
	return /UNIQUE constraint failed|duplicate key value violates unique constraint/i.test(text);
}
// src/main/db/query-builder.ts
/**
* Kysely here only BUILDS and COMPILES queries; our `Store` executes them (the sql.js worker and its
* journal, or the PostgreSQL store). Hence a driver that never connects: a query sent to Kysely's own
* executor fails instead of bypassing the store.
*/
function compileOnly(dialect) {
	return dialect === "sqlite" ? {
		createAdapter: () => new SqliteAdapter(),
		createDriver: () => new DummyDriver(),
		createIntrospector: (db) => new SqliteIntrospector(db),
		createQueryCompiler: () => new SqliteQueryCompiler()
	} : {
		createAdapter: () => new PostgresAdapter(),
		createDriver: () => new DummyDriver(),
		createIntrospector: (db) => new PostgresIntrospector(db),
		createQueryCompiler: () => new PostgresQueryCompiler()
	};
}
function queryBuilder(dialect, options = {}) {
	return new Kysely({
		dialect: compileOnly(dialect),
		plugins: [...options.plugins ?? []]
	});
}
function isSqlValue(value) {
	return value === null || typeof value === "string" || value instanceof Uint8Array || typeof value === "number" && Number.isFinite(value);
}
function sqlValue(value, index, sql) {
	if (isSqlValue(value)) return value;
	throw new TypeError(`query parameter ${index} is not string, number, null or bytes: ${sql}`);
}
/** A compiled query as our store's statement. */
function toStatement(compiled) {
	return {
		sql: compiled.sql,
		params: compiled.parameters.map((v, i) => sqlValue(v, i, compiled.sql))
	};
}
/**
* The DMP's queries for one store: the builder (compiling for the store's dialect, with its plugins)
* and the two ways a query reaches the store, as rows read or as a statement of a write.
*/
var DmpSql = class {
	dialect;
	db;
	plugins;
	/** SQL of single-row inserts by table and column list (see `insert`). */
	insertSql = /* @__PURE__ */ new Map();
	constructor(dialect, options = {}) {
		this.dialect = dialect;
		this.plugins = [...options.plugins ?? []];
		this.db = queryBuilder(dialect, { plugins: this.plugins });
	}
	/**
	* The rows of a query built with `this.db`, read through `reader` (the store, or the inside of a
	* transaction), each plugin's `transformResult` applied as Kysely's own executor would.
	*/
	async rows(reader, query) {
		const compiled = query.compile();
		const { sql, params } = toStatement(compiled);
		let result = { rows: await reader.all(sql, params) };
		for (const plugin of this.plugins) result = await plugin.transformResult({
			queryId: compiled.queryId,
			result
		});
		return result.rows;
	}
	/** The first row, or null. */
	async first(reader, query) {
		return (await this.rows(reader, query))[0] ?? null;
	}
	/** A query of a write (insert, update, delete), for `Store.write` / `transaction`. */
	statement(query) {
		return toStatement(query.compile());
	}
	/**
	* `insertInto(table).values(row)` as a statement. Bulk writes (population generator, imports) insert
	* thousands of rows of a few shapes: the SQL of each shape is compiled once and reused, its
	* parameters being the row's values in column order, as Kysely binds them. When a plugin may rewrite
	* queries (sealing values), or a value is an expression, every row is compiled as usual.
	*/
	insert(table, row) {
		const entries = Object.entries(row).filter(([, v]) => v !== void 0);
		if (this.plugins.length > 0 || !entries.every(([, v]) => isSqlValue(v))) return this.statement(this.db.insertInto(table).values(row));
		const shape = `${table}(${entries.map(([c]) => c).join(",")})`;
		let sql = this.insertSql.get(shape);
		if (sql === void 0) {
			sql = this.statement(this.db.insertInto(table).values(row)).sql;
			this.insertSql.set(shape, sql);
		}
		return {
			sql,
			params: entries.map(([, v]) => v)
		};
	}
	/**
	* Rows of one table as multi-row INSERTs, in order, each of at most `maxParams` parameters (SQLite
	* and PostgreSQL cap the parameters of one statement: 32 766 and 65 535). One statement per chunk
	* instead of one per row: a deposit's sections and clinical entries reach the database in a few
	* round trips and are compiled (and sealed, on the host) a few times instead of once per row.
	* Every row must give the same columns (`null` for an absent value).
	*/
	insertRows(table, rows, maxParams = 8e3) {
		const first = rows[0];
		if (!first) return [];
		const columns = Object.keys(first).join(",");
		for (const row of rows) if (Object.keys(row).join(",") !== columns || Object.values(row).includes(void 0)) throw new TypeError(`insertRows(${table}): every row must give every column, in the same order`);
		const perStatement = Math.max(1, Math.floor(maxParams / Object.keys(first).length));
		const statements = [];
		for (let start = 0; start < rows.length; start += perStatement) statements.push(this.statement(this.db.insertInto(table).values(rows.slice(start, start + perStatement))));
		return statements;
	}
};
var perStore = /* @__PURE__ */ new WeakMap();
/** The queries for this store (one builder per store, built with the store's dialect and plugins). */
function sqlFor(store) {
	let sql = perStore.get(store);
	if (!sql) {
		sql = new DmpSql(store.dialect, { plugins: store.queryPlugins });
		perStore.set(store, sql);
	}
	return sql;
}
// src/main/audit/audit-entry.ts
/** The hash that precedes the first entry of a chain. */
var GENESIS_HASH = "0".repeat(64);
/**
* Every hashed field, in one fixed order (that of the columns of audit_log before `hash`): the
* hash covers each of them, so none can be changed without breaking the chain.
*/
function auditFieldValues(entry) {
	return [
		entry.seq,
		entry.at,
		entry.actorId,
		entry.actorName,
		entry.cardSerial,
		entry.profession,
		entry.mode,
		entry.reason,
		entry.action,
		entry.insKey,
		entry.target,
		entry.prevHash
	];
}
/**
* JSON-encoded as an array: the same entry always serialises to the same bytes, whatever order an
* object's keys happen to be in, and a null can never be confused with "null".
*/
function canonicalAuditPayload(entry) {
	return JSON.stringify(auditFieldValues(entry));
}
function hashAuditEntry(entry) {
	return createHash("sha256").update(canonicalAuditPayload(entry), "utf8").digest("hex");
}
// src/main/audit/audit-keys.ts
var macLabel = "poste-dmp/audit/entry-hmac/v1";
var signingLabel = "poste-dmp/audit/checkpoint-ed25519/v1";
/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): fixed prefix + 32 bytes. */
var ed25519Pkcs8Prefix = Buffer.from("302e020100300506032b657004220420", "hex");
function deriveAuditKeys(secret) {
	if (secret.length !== 32) throw new Error(`audit secret has ${secret.length} bytes, expected 32`);
	const derive = (label) => Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), label, 32));
	const seed = derive(signingLabel);
	const signingKey = createPrivateKey({
		key: Buffer.concat([ed25519Pkcs8Prefix, seed]),
		format: "der",
		type: "pkcs8"
	});
	seed.fill(0);
	return {
		macKey: derive(macLabel),
		signingKey,
		publicKey: createPublicKey(signingKey)
	};
}
/**
* Keys that live only in this process: for in-memory stores and unit tests, where nothing outside
* the process will ever verify the entries. Real hosts pass keys loaded from `audit.key`.
*/
function ephemeralAuditKeys() {
	return deriveAuditKeys(randomBytes(32));
}
/** HMAC of an entry's hash; the hash covers every field and the previous hash, so this covers them too. */
function macAuditHash(keys, hash) {
	return createHmac("sha256", keys.macKey).update(`${macLabel}\n${hash}`, "utf8").digest("hex");
}
function auditMacMatches(keys, hash, mac) {
	const expected = Buffer.from(macAuditHash(keys, hash), "hex");
	const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : "", "hex");
	return given.length === expected.length && timingSafeEqual(given, expected);
}
/** The checkpoint verification key, for an auditor: PEM (SPKI). */
function exportAuditPublicKey(keys) {
	return keys.publicKey.export({
		type: "spki",
		format: "pem"
	}).toString();
}
// src/main/audit/verify.ts
/**
* Checks a chain given in storage order (seq ascending). Each entry's hash must match its own
* content, its prevHash must be its predecessor's hash, and seqs must run 1, 2, 3… without gaps.
* The first failure is classified so an administrator knows what kind of tampering to look for.
* `from`: the entries are the end of the chain, following entry `from.count` whose hash is
* `from.lastHash` (a check from a trusted point, such as a signed checkpoint); by default the whole
* chain from the genesis.
*/
function verifyAuditChain(entries, anchor, keys, from = {
	count: 0,
	lastHash: GENESIS_HASH
}) {
	const count = from.count + entries.length;
	let unauthenticatedPrefix = 0;
	let seenMac = false;
	const knownHashes = new Map(entries.map((e, i) => [e.hash, i]));
	let prevHash = from.lastHash;
	for (let i = 0; i < entries.length; i++) {
		const entry = entries[i];
		const expectedSeq = from.count + i + 1;
		const bad = (problem, seq = entry.seq) => ({
			ok: false,
			count,
			firstBadSeq: seq,
			problem
		});
		if (hashAuditEntry(entry) !== entry.hash) return bad(entries.find((other) => other.seq !== entry.seq && hashAuditEntry({
			...entry,
			seq: other.seq
		}) === entry.hash) ? "reordered" : "edited");
		if (entry.seq > expectedSeq) return bad("deleted");
		if (entry.seq < expectedSeq) return bad("reordered");
		if (entry.prevHash !== prevHash) {
			const linkedTo = knownHashes.get(entry.prevHash);
			if (linkedTo !== void 0 && linkedTo !== i - 1) return bad("reordered");
			if (i > 0) return bad("edited", entries[i - 1].seq);
			return bad("deleted");
		}
		if (keys) {
			if (entry.mac === null) {
				if (seenMac) return bad("unauthenticated");
				unauthenticatedPrefix += 1;
			} else {
				seenMac = true;
				if (!auditMacMatches(keys, entry.hash, entry.mac)) return bad("unauthenticated");
			}
		}
		prevHash = entry.hash;
	}
	if (anchor && (anchor.count !== count || anchor.lastHash !== prevHash)) {
		if (anchor.count > count) return {
			ok: false,
			count,
			firstBadSeq: count + 1,
			problem: "truncated"
		};
		return {
			ok: false,
			count,
			firstBadSeq: Math.max(1, Math.min(anchor.count, count)),
			problem: "edited"
		};
	}
	return unauthenticatedPrefix > 0 ? {
		ok: true,
		count,
		unauthenticatedPrefix
	} : {
		ok: true,
		count
	};
}
// src/main/audit/checkpoints.ts
var signedLabel = "poste-dmp/audit-checkpoint/v1";
function signedBytes(c) {
	return Buffer.from(`${signedLabel}\n${c.seq}\n${c.head}\n${c.at}`, "utf8");
}
function signCheckpoint(keys, head, at) {
	const unsigned = {
		seq: head.count,
		head: head.lastHash,
		at
	};
	return {
		v: 1,
		...unsigned,
		sig: sign(null, signedBytes(unsigned), keys.signingKey).toString("base64")
	};
}
function checkpointSignatureValid(publicKey, c) {
	try {
		return verify(null, signedBytes(c), publicKey, Buffer.from(c.sig, "base64"));
	} catch {
		return false;
	}
}
/**
* Appends a checkpoint after each durable audit write. Writes are serialised and coalesced: while
* one line is being written and synced, later heads replace each other and only the newest is
* written next. A failure is logged by the caller's `onError` and never blocks the audited action.
*/
var CheckpointLog = class {
	path;
	keys;
	options;
	pending = null;
	running = null;
	constructor(path, keys, options = {}) {
		this.path = path;
		this.keys = keys;
		this.options = options;
		if (options.checkOnVerify) this.attested = () => this.readValid();
	}
	/** Set when `checkOnVerify`: the validly signed checkpoints in the file (unreadable lines skipped). */
	attested;
	readValid() {
		return readCheckpointFile(this.path, this.keys.publicKey).checkpoints;
	}
	note(head) {
		if (head.count === 0) return;
		this.pending = { ...head };
		this.running ??= this.drain().finally(() => {
			this.running = null;
		});
	}
	/** Resolves once every noted head has been written (or has failed). */
	async flush() {
		while (this.running) await this.running;
	}
	async drain() {
		while (this.pending) {
			const head = this.pending;
			this.pending = null;
			const line = `${JSON.stringify(signCheckpoint(this.keys, head, (this.options.now?.() ?? /* @__PURE__ */ new Date()).toISOString()))}\n`;
			try {
				const file = await open(this.path, "a", 384);
				try {
					await file.write(line);
					await file.datasync();
				} finally {
					await file.close();
				}
			} catch (err) {
				this.options.onError?.(err);
			}
		}
	}
};
function readCheckpointFile(path, publicKey) {
	if (!existsSync(path)) return {
		checkpoints: [],
		problems: [],
		tornLastLine: false,
		missing: true
	};
	const lines = readFileSync(path, "utf8").split("\n");
	const tornLastLine = lines.at(-1) !== "";
	const complete = lines.slice(0, -1);
	const checkpoints = [];
	const problems = [];
	complete.forEach((line, i) => {
		const parsed = parseCheckpoint(line);
		if (!parsed) problems.push(`ligne ${i + 1} du fichier des points de contrôle illisible`);
		else if (!checkpointSignatureValid(publicKey, parsed)) problems.push(`ligne ${i + 1} du fichier des points de contrôle : signature invalide`);
		else checkpoints.push(parsed);
	});
	return {
		checkpoints,
		problems,
		tornLastLine,
		missing: false
	};
}
function parseCheckpoint(line) {
	let value;
	try {
		value = JSON.parse(line);
	} catch {
		return null;
	}
	const c = value;
	if (!c || c.v !== 1 || !Number.isInteger(c.seq) || (c.seq ?? 0) < 1 || typeof c.head !== "string" || typeof c.at !== "string" || typeof c.sig !== "string") return null;
	return {
		v: 1,
		seq: c.seq,
		head: c.head,
		at: c.at,
		sig: c.sig
	};
}
/**
* The first checkpoint the chain contradicts: `truncated` when the chain no longer holds the entry it
* names, `edited` when that entry's hash differs. Null when all match.
*/
function checkpointContradiction(entries, checkpoints) {
	for (const c of checkpoints) {
		const entry = entries[c.seq - 1];
		if (!entry || entry.seq !== c.seq) return {
			problem: "truncated",
			checkpoint: c
		};
		if (entry.hash !== c.head) return {
			problem: "edited",
			checkpoint: c
		};
	}
	return null;
}
// src/main/audit/audit-log.ts
var chainColumns = [
	"seq",
	"at",
	"actor_id",
	"actor_name",
	"card_serial",
	"profession",
	"mode",
	"reason",
	"action",
	"ins_key",
	"target",
	"prev_hash",
	"hash"
];
function fromRow(row) {
	return {
		seq: Number(row.seq),
		at: row.at,
		actorId: row.actor_id,
		actorName: row.actor_name,
		cardSerial: row.card_serial,
		profession: row.profession,
		mode: row.mode,
		reason: row.reason,
		action: row.action,
		insKey: row.ins_key,
		target: row.target,
		prevHash: row.prev_hash,
		hash: row.hash,
		mac: row.mac ?? null
	};
}
function toRow(entry) {
	return {
		seq: entry.seq,
		at: entry.at,
		actor_id: entry.actorId,
		actor_name: entry.actorName,
		card_serial: entry.cardSerial,
		profession: entry.profession,
		mode: entry.mode,
		reason: entry.reason,
		action: entry.action,
		ins_key: entry.insKey,
		target: entry.target,
		prev_hash: entry.prevHash,
		hash: entry.hash,
		mac: entry.mac
	};
}
function headStatement(q, head) {
	return q.statement(q.db.insertInto("audit_head").values({
		id: 1,
		count: head.count,
		last_hash: head.lastHash
	}).onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({
		count: eb.ref("excluded.count"),
		last_hash: eb.ref("excluded.last_hash")
	}))));
}
/**
* The head row as stored (count and last hash). Without parameters (the id is a literal): inside a
* chained write the PostgreSQL store sends it in one round trip with the lock (pg-store.ts).
*/
async function readHead(q, reader) {
	const row = await q.first(reader, q.db.selectFrom("audit_head").select(["count", "last_hash"]).where("id", "=", sql.lit(1)));
	return row ? {
		count: Number(row.count),
		lastHash: row.last_hash
	} : {
		count: 0,
		lastHash: GENESIS_HASH
	};
}
/**
* At most this many entries in one transaction: 14 parameters each, far below either engine's limit
* on the parameters of one statement, and a bounded wait for the first caller of a group.
*/
var maxGroupedEntries = 500;
/**
* The entry rows as one multi-row INSERT per `maxGroupedEntries`, then the head. On PostgreSQL the
* head update rides in the last INSERT's statement (a data-modifying CTE, always run to completion):
* one round trip under the chain lock for the whole append.
*/
function appendStatements(q, entries, head) {
	if (entries.length === 0) return [];
	const inserts = [];
	for (let i = 0; i < entries.length; i += maxGroupedEntries) inserts.push(q.statement(q.db.insertInto("audit_log").values(entries.slice(i, i + maxGroupedEntries).map(toRow))));
	const headUpdate = headStatement(q, head);
	if (q.dialect === "sqlite") return [...inserts, headUpdate];
	const last = inserts.pop();
	const lastParams = positional(last);
	const headSql = headUpdate.sql.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + lastParams.length}`);
	return [...inserts, {
		sql: `with appended as (${last.sql}) ${headSql}`,
		params: [...lastParams, ...positional(headUpdate)]
	}];
}
function positional(statement) {
	if (!Array.isArray(statement.params)) throw new TypeError("expected positional parameters");
	return statement.params;
}
/**
* Appends to the hash-chained audit log. Every append is written in the same transaction as the
* change it records; the store's chained write (`Store.writeChained`) keeps every other append out
* between the head read and the commit, so two requests — in this process or on another host
* sharing the database — cannot claim the same seq or chain onto the same predecessor.
*
* Group commit: appends that record no change (reads: opening a dossier, a summary, a search…)
* and arrive while one is being committed wait and are written together in the next transaction —
* one lock and one commit for all of them. That transaction is all or nothing: if it fails, every
* caller of the group is rejected with its error and none of their entries is written (a failure
* at COMMIT may leave the outcome unknown, so nothing is retried here). One `AuditLog` per store
* and process, so that all its reads group together.
*/
var AuditLog = class AuditLog {
	store;
	q;
	head;
	keys;
	witness;
	hasMacColumn;
	grouped = [];
	flushing = false;
	/** The highest head handed to the witness: concurrent appends may complete out of order. */
	noted;
	constructor(store, q, head, keys, witness, hasMacColumn) {
		this.store = store;
		this.q = q;
		this.head = head;
		this.keys = keys;
		this.witness = witness;
		this.hasMacColumn = hasMacColumn;
		this.noted = head.count;
	}
	/** Loads the head (last hash and count) once, at start, and has the witness record it. */
	static async open(store, options = {}) {
		const q = sqlFor(store);
		const head = await readHead(q, store);
		const columns = await tableColumns(q, store, "audit_log");
		const log = new AuditLog(store, q, head, options.keys ?? ephemeralAuditKeys(), options.witness ?? null, columns.includes("mac"));
		if (head.count > 0) log.witness?.note(head);
		return log;
	}
	/** The newest head this process wrote or loaded. */
	currentHead() {
		return { ...this.head };
	}
	/**
	* Writes `statements` and one audit entry per event as a single transaction. If the write fails,
	* nothing is recorded. Without statements the entries may share their transaction with other
	* callers' (group commit, see the class).
	*/
	record(events, statements = []) {
		if (statements.length > 0 || events.length === 0 || this.store.writeCarriesContext?.()) return this.append(events, statements);
		return new Promise((resolve, reject) => {
			this.grouped.push({
				events,
				resolve,
				reject
			});
			if (!this.flushing) this.flushGroups();
		});
	}
	/** Commits the waiting appends, a group per transaction, until none is left. */
	async flushGroups() {
		this.flushing = true;
		try {
			while (this.grouped.length > 0) {
				let count = 0;
				let take = 0;
				while (take < this.grouped.length && (take === 0 || count + this.grouped[take].events.length <= maxGroupedEntries)) count += this.grouped[take++].events.length;
				const group = this.grouped.splice(0, take);
				try {
					const entries = await this.append(group.flatMap((w) => w.events), []);
					let at = 0;
					for (const waiting of group) {
						waiting.resolve(entries.slice(at, at + waiting.events.length));
						at += waiting.events.length;
					}
				} catch (err) {
					for (const waiting of group) waiting.reject(err);
				}
			}
		} finally {
			this.flushing = false;
		}
	}
	/** One chained write: `statements`, then the entries chained onto the head read under the store's chain lock. */
	async append(events, statements) {
		let entries = [];
		let head = this.head;
		await this.store.writeChained({
			statements,
			chain: async (tx) => {
				head = await readHead(this.q, tx);
				entries = [];
				for (const event of events) {
					const unhashed = {
						...event,
						seq: head.count + 1,
						prevHash: head.lastHash
					};
					const hash = hashAuditEntry(unhashed);
					const entry = {
						...unhashed,
						hash,
						mac: macAuditHash(this.keys, hash)
					};
					entries.push(entry);
					head = {
						count: entry.seq,
						lastHash: entry.hash
					};
				}
				return appendStatements(this.q, entries, head);
			}
		});
		if (head.count > this.head.count) this.head = head;
		if (entries.length > 0 && head.count > this.noted) {
			this.noted = head.count;
			this.witness?.note(head);
		}
		return entries;
	}
	/** Entries with their MAC, unless the store predates the column (read-only, not migrated). */
	selectEntries() {
		return this.q.db.selectFrom("audit_log").select(chainColumns).$if(this.hasMacColumn, (qb) => qb.select("mac"));
	}
	async entries(reader = this.store) {
		return (await this.q.rows(reader, this.selectEntries().orderBy("seq"))).map(fromRow);
	}
	async entriesForDossier(insKey) {
		return (await this.q.rows(this.store, this.selectEntries().where("ins_key", "=", insKey).orderBy("seq", "desc"))).map(fromRow);
	}
	/** The head row as stored (count and last hash), re-read rather than taken from memory. */
	async storedHead() {
		return readHead(this.q, this.store);
	}
	/**
	* Verifies only the end of the chain, from a checkpoint this host signed (the host's start): the
	* entry it names must still be there with the same hash, and the entries after it must be intact,
	* linked, authenticated and end at the stored head — at most the last `maxEntries` of them (other
	* hosts may have appended many since this one's checkpoint; the start must not grow with that
	* either). Without a checkpoint, the last entry against the head. What lies before the entries
	* read is `verify`'s to find.
	*/
	async verifySince(checkpoint, maxEntries = 1e4) {
		const { pinned, tail, head } = await this.store.readSnapshot(async (tx) => {
			const stored = await readHead(this.q, tx);
			const from = Math.max(1, checkpoint?.seq ?? stored.count, stored.count - Math.max(1, maxEntries) + 1);
			const rows = await this.q.rows(tx, this.selectEntries().where("seq", ">=", from).orderBy("seq"));
			return {
				pinned: (checkpoint && checkpoint.seq < from ? await this.q.rows(tx, this.selectEntries().where("seq", "=", checkpoint.seq)) : rows.filter((r) => Number(r.seq) === checkpoint?.seq)).map(fromRow)[0],
				tail: rows.map(fromRow),
				head: stored
			};
		});
		if (checkpoint) {
			if (!pinned) return {
				ok: false,
				count: head.count,
				firstBadSeq: checkpoint.seq,
				problem: head.count < checkpoint.seq ? "truncated" : "deleted"
			};
			if (pinned.hash !== checkpoint.head || hashAuditEntry(pinned) !== pinned.hash) return {
				ok: false,
				count: head.count,
				firstBadSeq: checkpoint.seq,
				problem: "edited"
			};
		}
		const first = tail[0];
		if (!first) return verifyAuditChain([], head, this.keys);
		return verifyAuditChain(tail, head, this.keys, {
			count: first.seq - 1,
			lastHash: first.prevHash
		});
	}
	/** Verifies the stored rows against the stored head and each entry's HMAC under this log's keys. */
	async verify() {
		const attested = this.witness?.attested?.() ?? null;
		const { entries, head } = await this.store.readSnapshot(async (tx) => ({
			entries: await this.entries(tx),
			head: await readHead(this.q, tx)
		}));
		const verdict = verifyAuditChain(entries, head, this.keys);
		if (!verdict.ok || attested === null) return verdict;
		const found = checkpointContradiction(entries, attested);
		if (!found) return verdict;
		const seq = found.checkpoint.seq;
		return found.problem === "truncated" ? {
			ok: false,
			count: entries.length,
			firstBadSeq: entries.length + 1,
			problem: "truncated"
		} : {
			ok: false,
			count: entries.length,
			firstBadSeq: seq,
			problem: "edited"
		};
	}
};
// src/main/dmp/actors.ts
function isSystemActor(actor) {
	return "system" in actor;
}
function professionalName(professional) {
	const { firstName, lastName } = professional.holder;
	return `${firstName} ${lastName}`.trim();
}
/** What the domain rules need to know about the person acting. */
function toDomainActor(professional) {
	const holder = professional.holder;
	return {
		nationalId: holder.nationalId,
		cardKind: professional.cardKind,
		professionCode: holder.professionCode,
		...holder.specialtyCode ? { specialtyCode: holder.specialtyCode } : {},
		centre15Regulation: selectedSituationIsRegulation(professional),
		structureIds: (selectedSituation(professional) ? [selectedSituation(professional)] : holder.situations).flatMap((s) => s.structureId ? [s.structureId] : [])
	};
}
function selectedSituation(professional) {
	const index = professional.situationIndex;
	return index === null || index === void 0 ? null : professional.holder.situations[index] ?? null;
}
function selectedSituationIsRegulation(professional) {
	const situation = selectedSituation(professional);
	return situation !== null && situationIsCentre15Regulation(situation);
}
/** The "who" part of an audit entry. */
function auditWho(actor) {
	if (isSystemActor(actor)) return {
		actorId: `system:${actor.system}`,
		actorName: `Système (${actor.system}${actor.via ? `, via ${actor.via}` : ""})`,
		cardSerial: null,
		profession: "Système",
		mode: null,
		reason: null
	};
	return {
		actorId: actor.professional.holder.nationalId,
		actorName: professionalName(actor.professional),
		cardSerial: actor.professional.serial,
		profession: actor.professional.holder.professionLabel,
		mode: actor.mode,
		reason: actor.mode !== "normal" && actor.reason ? actor.reason : null
	};
}
// src/main/dmp/dossier-rows.ts
var dossierColumns = [
	"ins_key",
	"matricule",
	"oid",
	"ins_status",
	"identity_verified",
	"status",
	"birth_name",
	"birth_name_norm",
	"used_name",
	"first_names",
	"birth_date",
	"sex",
	"birth_place_code",
	"test_identity",
	"bris_de_glace_opposition",
	"centre15_opposition",
	"treating_physician_id"
];
function toDossierRef(row) {
	return {
		insKey: formatInsKey({
			matricule: row.matricule,
			oid: row.oid
		}),
		ins: {
			matricule: row.matricule,
			oid: row.oid,
			status: rnivStatusOf(row)
		},
		identity: {
			birthName: row.birth_name,
			...row.used_name ? { usedName: row.used_name } : {},
			firstNames: row.first_names,
			birthDate: row.birth_date,
			sex: row.sex,
			...row.birth_place_code ? { birthPlaceCode: row.birth_place_code } : {}
		},
		status: row.status === "closed" ? "closed" : "active",
		testIdentity: row.test_identity === 1
	};
}
/** The RNIV status, from where the INS came from and whether an identity document was checked. */
function rnivStatusOf(row) {
	if (row.ins_status === "qualified") return "qualified";
	return rnivStatus({
		retrieved: row.ins_status === "fetched",
		documentChecked: row.identity_verified === 1
	});
}
async function loadDossierRow(q, store, insKey) {
	return q.first(store, q.db.selectFrom("dossiers").select(dossierColumns).where("ins_key", "=", insKey));
}
/** The facts the access rules decide on: status, oppositions, who is authorised or blocked. */
async function loadDossierFacts(q, store, row) {
	const people = await q.rows(store, q.db.selectFrom("dossier_professionals").select(["national_id", "relation"]).where("ins_key", "=", row.ins_key));
	return {
		status: row.status === "closed" ? "closed" : "active",
		...row.treating_physician_id ? { treatingPhysicianId: row.treating_physician_id } : {},
		blockedProfessionalIds: people.filter((p) => p.relation === "blocked").map((p) => p.national_id),
		authorizedProfessionalIds: people.filter((p) => p.relation === "authorized").map((p) => p.national_id),
		brisDeGlaceOpposition: row.bris_de_glace_opposition === 1,
		centre15Opposition: row.centre15_opposition === 1
	};
}
// src/main/dmp/dmp-context.ts
function notFound() {
	return new ApiError("NOT_FOUND", "Aucun DMP n’existe pour cet INS sur ce poste.");
}
/**
* What every DMP operation shares: the store, the clock, the randomness and the audit writer, so
* that each change and its audit entries go through one place and one transaction.
*/
var DmpContext = class {
	store;
	/** The queries for this store: its dialect, its plugins (`Store.queryPlugins`). */
	sql;
	log;
	now;
	random;
	audit;
	cdaParser;
	constructor(options) {
		this.store = options.store;
		this.sql = sqlFor(options.store);
		this.log = options.log;
		this.now = options.now ?? (() => /* @__PURE__ */ new Date());
		this.random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
		this.cdaParser = options.cdaParser ?? inlineCdaParser;
		this.audit = options.auditLog ?? AuditLog.open(this.store, options.audit);
		this.audit.catch(() => void 0);
	}
	event(actor, action, insKey, target) {
		return {
			at: this.now().toISOString(),
			...auditWho(actor),
			action,
			insKey,
			target
		};
	}
	async write(events, statements = []) {
		try {
			await (await this.audit).record(events, statements);
		} catch (err) {
			if (isUniqueViolation(err instanceof ApiError ? `${err.logDetail ?? ""} ${err.message}` : err instanceof Error ? err.message : "")) throw new ApiError("CONFLICT", "Cet élément existe déjà (dossier ou document identique déjà enregistré).", "unique constraint");
			throw err;
		}
	}
	/** Throws the domain's refusal after recording it, so denied attempts show in the patient's history. */
	async enforce(actor, insKey, decision, target) {
		if (decision.allowed) return;
		const detail = target ? `${decision.rule} ${target}` : decision.rule;
		try {
			await this.write([this.event(actor, "access.denied", insKey, detail)]);
		} catch (err) {
			this.log.error("could not audit a denied access", {
				rule: decision.rule,
				error: err instanceof Error ? err.message : "unknown"
			});
		}
		this.log.info("access denied", {
			rule: decision.rule,
			mode: actor.mode
		});
		throw new ApiError(decision.code, decision.message, `rule ${decision.rule}`);
	}
	/**
	* Refuses a document (import or deposit): the precise cause goes to the log and, as a stable code
	* that names no one, to the audit trail (on the dossier when one exists); the user gets `message`.
	* A failure to audit is logged, never allowed to hide the refusal.
	*/
	async refuseDocument(actor, insKey, cause, message) {
		try {
			await this.write([this.event(actor, "document.refused", insKey, cause)]);
		} catch (err) {
			this.log.error("could not audit a refused document", {
				cause,
				error: err instanceof Error ? err.message : "unknown"
			});
		}
		this.log.warn("document refused", {
			cause,
			dossier: insKey !== null
		});
		throw new ApiError("INVALID_INPUT", message, `document refused: ${cause}`);
	}
	/**
	* System actors (CLI, imports) are trusted local administration: they see what any professional
	* could, but never a document the patient masked from professionals.
	*/
	mayRead(actor, facts, doc) {
		const docFacts = toDocumentFacts(doc);
		if (isSystemActor(actor)) return !docFacts.visibility.maskedFromProfessionals;
		return decideDocumentRead(toDomainActor(actor.professional), facts, actor.mode, docFacts).allowed;
	}
	async requireDossier(insKey) {
		const ins = tryParseInsKey(insKey);
		if (!ins) throw new ApiError("INVALID_INPUT", "Identifiant INS invalide : format attendu « matricule@OID ».");
		const row = await loadDossierRow(this.sql, this.store, formatInsKey(ins));
		if (!row) throw notFound();
		return {
			row,
			facts: await loadDossierFacts(this.sql, this.store, row)
		};
	}
};
// src/shared/identity/traits.ts
/**
* Identity traits (RNIV): birth name, first names, birth date, sex, birth place code. Pure rules
* shared by the main process and the renderer.
*/
/**
* Control, format (bidirectional overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width
* characters…), private-use and unassigned code points, and line or paragraph separators: none
* belongs in a name, and bidirectional controls can make one name display as another.
*/
var hiddenOrControl = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
/** Letters (any script, with their accents), spaces, hyphens, apostrophes and the dot of « ST. ». */
var nameCharacters = /^[\p{L}\p{M}' ’.-]+$/u;
/** A French error when `value` cannot be a name trait; null when it can. */
function nameTraitProblem(value, what) {
	if (hiddenOrControl.test(value)) return `${what} contient des caractères invisibles ou de contrôle : identité refusée.`;
	if (value.trim() === "") return `${what} est vide.`;
	if (!nameCharacters.test(value)) return `${what} contient des caractères qui ne peuvent pas figurer dans un nom (chiffres, symboles).`;
	if (value.length > 100) return `${what} est trop long (100 caractères au plus).`;
	return null;
}
var fullDate = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A card date (`1962-03-00`: day unknown) or a full one, as three numbers; null when malformed. */
function dateParts(date) {
	const m = fullDate.exec(date);
	return m ? [
		Number(m[1]),
		Number(m[2]),
		Number(m[3])
	] : null;
}
/**
* Whether a card's birth date (month or day may be `00`, unknown) is compatible with a full birth
* date: the known parts must be equal. Never the other way round: a reference identity's unknown part
* does not match anything.
*/
function cardDateMatches(cardDate, fullBirthDate) {
	const card = dateParts(cardDate);
	const full = dateParts(fullBirthDate);
	if (!card || !full) return false;
	return card.every((part, i) => part === 0 || part === full[i]);
}
/** Age in whole years on `on` (both `YYYY-MM-DD`; an unknown day or month counts as the first). */
function ageOn(birthDate, on) {
	const birth = dateParts(birthDate);
	const day = dateParts(on);
	if (!birth || !day) return null;
	const [by, bm, bd] = birth.map((n) => Math.max(n, 1));
	const [y, m, d] = day;
	return y - by - (m < bm || m === bm && d < bd ? 1 : 0);
}
// src/main/dmp/names.ts
/**
* Search form of a name: accents removed, upper case, anything but letters turned into single spaces
* ("Élise-Marie d’Arc" → "ELISE MARIE D ARC"). Only A–Z and spaces remain, which makes it safe inside
* a GLOB pattern.
*/
function normaliseName(name) {
	return name.normalize("NFD").replace(/\p{Diacritic}/gu, "").replace(/ß/g, "SS").replace(/æ/gi, "AE").replace(/œ/gi, "OE").toUpperCase().replace(/[^A-Z]+/g, " ").trim();
}
// src/main/identity/document-identity.ts
/**
* Whether a document may be attached to a patient's dossier, as identity vigilance requires: the
* INS it carries is well formed, its key right, consistent with the document's own sex and birth
* date, and the document's patient is the dossier's person (same birth name, first name, birth
* date and sex). Pure; the callers refuse, log and audit.
*/
/** The INS among a CDA header's patient ids: the first whose root is an INS OID and whose extension has a matricule's layout. */
function insFromPatientIds(ids) {
	for (const id of ids) {
		const matricule = normaliseMatricule(id.extension);
		if (isInsOid(id.root) && matriculePattern.test(matricule)) return {
			matricule,
			oid: id.root
		};
	}
	return null;
}
/** The INS checked against the traits the same document gives, and the names checked for hidden characters. */
function documentIdentityProblems(ins, patient) {
	const problems = checkIns(ins, {
		sex: patient.sex,
		birthDate: patient.birthDate
	}).map((p) => ({
		code: p.code,
		message: `INS du document : ${lowerFirst(p.message)}`
	}));
	const names = [
		[patient.birthName, "Le nom de naissance du patient"],
		[patient.usedName, "Le nom utilisé du patient"],
		[patient.firstNames, "Les prénoms du patient"]
	];
	for (const [value, what] of names) {
		const problem = value === void 0 ? null : nameTraitProblem(value, what);
		if (problem) problems.push({
			code: "name-characters",
			message: problem
		});
	}
	return problems;
}
function firstWord(names) {
	return normaliseName(names).split(" ")[0] ?? "";
}
/**
* The traits of a document's patient against the dossier's: a document whose patient is someone
* else must never be attached, even when it carries the dossier's INS (a wrong INS upstream).
* A trait the document does not give is not compared; the first first-name is compared, since
* the rest of the list is not always known to the sender.
*/
function traitsDiffer(patient, dossier) {
	const problems = [];
	const documentBirthName = patient.birthName ?? patient.usedName;
	if (documentBirthName !== void 0 && normaliseName(documentBirthName) !== normaliseName(dossier.birthName)) problems.push({
		code: "birth-name",
		message: "Le nom de naissance du patient du document diffère de celui du dossier."
	});
	if (patient.firstNames !== void 0 && firstWord(patient.firstNames) !== firstWord(dossier.firstNames)) problems.push({
		code: "first-name",
		message: "Le premier prénom du patient du document diffère de celui du dossier."
	});
	if (patient.birthDate !== void 0 && patient.birthDate !== dossier.birthDate) problems.push({
		code: "birth-date",
		message: "La date de naissance du patient du document diffère de celle du dossier."
	});
	if (patient.sex !== void 0 && patient.sex !== "U" && dossier.sex !== "U" && patient.sex !== dossier.sex) problems.push({
		code: "sex-differs",
		message: "Le sexe du patient du document diffère de celui du dossier."
	});
	return problems;
}
function lowerFirst(text) {
	return text.charAt(0).toLowerCase() + text.slice(1);
}
// src/main/log/logger.ts
var defaultRotation = {
	maxFileBytes: 10485760,
	keptFiles: 4
};
/**
* Field names that may hold identifying data, whatever the caller meant: a second line of defence
* behind `redactNir` / `maskName` at the call site. pino applies them by path, at serialisation.
*/
var secretKeys = [
	"pin",
	"puk",
	"password",
	"secret",
	"token",
	"key",
	"birthDate"
];
var nirKeys = [
	"nir",
	"ins",
	"insKey",
	"matricule"
];
var nameKeys = [
	"name",
	"nom",
	"prenom",
	"firstName",
	"lastName",
	"givenName",
	"familyName",
	"birthName",
	"usedName"
];
var redactedPaths = [
	...secretKeys,
	...nirKeys,
	...nameKeys
].flatMap((k) => [k, `*.${k}`]);
function censor(value, path) {
	const key = path[path.length - 1] ?? "";
	if (typeof value !== "string") return value === void 0 || value === null ? value : "[masqué]";
	if (nirKeys.includes(key)) return redactNir(value);
	if (nameKeys.includes(key)) return maskName(value);
	return "[masqué]";
}
function createLogger(options = {}) {
	const level = options.level ?? (process.env.POSTE_DMP_LOG_LEVEL || "info");
	const destination = options.sink ? sinkDestination(options.sink) : options.file ? rollingDestination(options.file, options.rotation ?? defaultRotation) : {
		stream: pino.destination({
			fd: 2,
			sync: true
		}),
		flush: () => Promise.resolve()
	};
	const root = pino({
		level,
		base: void 0,
		messageKey: "msg",
		timestamp: () => `,"t":"${(/* @__PURE__ */ new Date()).toISOString()}"`,
		formatters: { level: (label) => ({ lvl: label }) },
		redact: {
			paths: redactedPaths,
			censor
		}
	}, destination.stream);
	const make = (scope) => ({
		debug: (m, f) => root.debug({
			scope,
			...f
		}, m),
		info: (m, f) => root.info({
			scope,
			...f
		}, m),
		warn: (m, f) => root.warn({
			scope,
			...f
		}, m),
		error: (m, f) => root.error({
			scope,
			...f
		}, m),
		child: (s) => make(scope ? `${scope}.${s}` : s)
	});
	return {
		...make(options.scope),
		flush: destination.flush
	};
}
function sinkDestination(sink) {
	return {
		stream: { write: (line) => sink(line.replace(/\n$/, "")) },
		flush: () => Promise.resolve()
	};
}
/** Synchronous last flushes of every file logger, run once when the process exits. */
var atExit = /* @__PURE__ */ new Set();
process.once("exit", () => {
	for (const flush of atExit) try {
		flush();
	} catch {}
});
/** Lines logged while pino-roll opens its file (it looks for the last numbered file first). */
var MAX_PENDING_LINES = 1e4;
/**
* pino-roll (pinojs) over sonic-boom: asynchronous appends, size-based rotation, a bounded number of
* files. It opens asynchronously while `createLogger` must stay synchronous for its callers, so lines
* are held in a bounded queue until the file is open; at exit whatever is buffered is written
* synchronously, so a CLI that calls `process.exit` does not lose its last lines.
*/
function rollingDestination(file, rotation) {
	const dir = dirname(file);
	mkdirSync(dir, {
		recursive: true,
		mode: 448
	});
	chmodSync(dir, 448);
	const extension = extname(file);
	const base = extension ? file.slice(0, -extension.length) : file;
	let stream = null;
	let failed = false;
	const pending = [];
	let dropped = 0;
	let queued = 0;
	let written = 0;
	const send = (s, line) => {
		queued += Buffer.byteLength(line);
		s.write(line);
	};
	const opening = pinoRoll({
		file: base,
		extension,
		size: `${rotation.maxFileBytes}b`,
		limit: {
			count: rotation.keptFiles,
			removeOtherLogFiles: true
		},
		mode: 384
	}).then((opened) => {
		opened.on("error", (err) => process.stderr.write(`Poste DMP : journal — ${err.message}\n`));
		if (dropped > 0) pending.push(`${JSON.stringify({
			t: (/* @__PURE__ */ new Date()).toISOString(),
			lvl: "warn",
			msg: "log lines dropped at start-up",
			dropped
		})}\n`);
		opened.on("write", (n) => written += n);
		for (const line of pending.splice(0)) send(opened, line);
		stream = opened;
	}, (err) => {
		failed = true;
		process.stderr.write(`Poste DMP : journal indisponible (${file}) — ${err instanceof Error ? err.message : String(err)}\n`);
		for (const line of pending.splice(0)) process.stderr.write(line);
	});
	atExit.add(() => {
		if (stream) stream.flushSync();
		else if (pending.length > 0 && !failed) appendFileSync(`${base}.1${extension}`, pending.join(""), { mode: 384 });
	});
	return {
		stream: { write(line) {
			if (stream) send(stream, line);
			else if (failed) process.stderr.write(line);
			else if (pending.length < MAX_PENDING_LINES) pending.push(line);
			else dropped++;
		} },
		flush: async () => {
			await opening;
			const s = stream;
			if (!s) return;
			while (written < queued) await new Promise((resolve) => {
				s.once("write", resolve);
				s.once("error", resolve);
			});
		}
	};
}
/** A logger that drops everything, for code paths that do not care. */
var silentLogger = createLogger({
	sink: () => void 0,
	level: "error"
});
/** Keeps the first character and the key so support can correlate without exposing the NIR. */
function redactNir(nir) {
	if (nir.length < 4) return "***";
	return `${nir.slice(0, 1)}${"*".repeat(nir.length - 3)}${nir.slice(-2)}`;
}
function maskName(name) {
	return name.length === 0 ? "" : `${name[0]}***`;
}
// src/main/bridge/base64.ts
/**
* The bytes `text` encodes when it is standard base64 with its padding (RFC 4648 §4) — a multiple of
* four characters of A–Z a–z 0–9 + /, the last one or two of which may be `=`; no whitespace —,
* else null. The empty string encodes no bytes (callers that need content check the length).
*
* The one definition of that check: deposits (dmp/deposit-input.ts), the local import protocol
* (local-import/json-check.ts). It accepts exactly what
* `text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)` accepts
* (tests/unit/contract/base64.test.ts, property test against that expression), which cost the host
* 12–25 ms of CPU per 2 MB deposit (docs/performance.md, « CPU per IPS-FR deposit »).
*
* How, in native code only (decode and encode, ~1 ms each for 2 MB; a JavaScript loop over the
* characters takes ~6): the canonical encoding of the decoded bytes holds alphabet characters then
* its padding, nothing else. If `text` equals it at every position but the last alphabet one, and
* that character is in the alphabet too, `text` has the form above, whatever the decoder made of
* it. Conversely a well-formed `text` decodes exactly and encodes back to itself, but for the unused
* low bits of its last character before padding (RFC 4648 §3.5: a decoder ignores them).
*/
function decodePaddedBase64(text) {
	const bytes = Buffer.from(text, "base64");
	const canonical = bytes.toString("base64");
	if (canonical.length !== text.length) return null;
	let last = canonical.length - 1;
	while (last >= 0 && canonical.charCodeAt(last) === equals) last--;
	if (last < 0) return bytes;
	if (!isAlphabet(text.charCodeAt(last))) return null;
	if (canonical.slice(0, last) !== text.slice(0, last)) return null;
	if (canonical.slice(last + 1) !== text.slice(last + 1)) return null;
	return bytes;
}
var equals = 61;
function isAlphabet(c) {
	return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c >= 48 && c <= 57 || c === 43 || c === 47;
}
/** Whether `text` is standard base64 with its padding (see decodePaddedBase64). */
function isPaddedBase64(text) {
	return decodePaddedBase64(text) !== null;
}
// src/main/dmp/deposit-input.ts
/**
* Strict base64: Buffer.from silently skips junk, which would store a different file than was sent.
* Whitespace (a MIME encoder's line breaks) is dropped; what workstations send has none, so the text
* is decoded as it is first, and copied without its whitespace only when that fails.
*/
function decodeBase64(value) {
	const bytes = decodePaddedBase64(value) ?? decodePaddedBase64(value.replace(/\s+/g, ""));
	if (bytes === null || bytes.length === 0) throw new ApiError("INVALID_INPUT", "Le contenu du fichier est mal encodé (base64 attendu).");
	return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
}
function firstNonSpace(bytes) {
	let i = bytes[0] === 239 && bytes[1] === 187 && bytes[2] === 191 ? 3 : 0;
	while (i < bytes.length && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13)) i++;
	return i;
}
/** Which kind of file a deposit is: by extension first, then by its first bytes. */
function depositKind(fileName, bytes) {
	const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
	if (ext === "xml") return "cda";
	if (ext === "pdf") return "pdf";
	if (ext === "txt") return "text";
	if (looksLikePdf(bytes)) return "pdf";
	if (bytes[firstNonSpace(bytes)] === 60) return "cda";
	throw new ApiError("UNSUPPORTED", "Format de fichier non pris en charge : déposez un document CDA (XML), un PDF ou un texte.");
}
/** Text deposits must be valid UTF-8: a mis-decoded file would be stored as gibberish. */
function decodeText(bytes) {
	try {
		return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
	} catch {
		throw new ApiError("INVALID_INPUT", "Le fichier texte n’est pas encodé en UTF-8.");
	}
}
// src/main/dmp/html.ts
/** Escapes text for inclusion in the inert HTML the renderer displays. */
function escapeHtml(text) {
	return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
/** True when an HTML fragment carries no visible text (tags and whitespace only). */
function isBlankHtml(html) {
	return html.replace(/<[^>]*>/g, "").replace(/&nbsp;|&#160;/g, " ").trim() === "";
}
// src/main/dmp/document-writes.ts
function sha256Hex(bytes) {
	return createHash("sha256").update(bytes).digest("hex");
}
/**
* Nothing a reader could use: no section with text or entries, no wrapped content. Entries the
* parser draws from the header (contacts) do not count: every CDA header has them.
*/
function isEmptyDocument(doc) {
	if (doc.format === "cda-unstructured") return !doc.payload || doc.payload.length === 0;
	if (doc.format === "pdf" || doc.format === "text") return doc.content.length === 0;
	return doc.sections.every((s) => s.entryCount === 0 && isBlankHtml(s.narrativeHtml));
}
/** Entry counts per kind plus the number of sections, for the import report. */
function countEntries(doc) {
	const counts = { sections: doc.sections.length };
	for (const entry of doc.entries) counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
	return counts;
}
function insertDocumentStatements(q, doc) {
	const statements = [q.insert("documents", {
		id: doc.id,
		ins_key: doc.insKey,
		title: doc.title,
		type_code: doc.typeCode,
		category: doc.category,
		format: doc.format,
		media_type: doc.mediaType ?? null,
		author_name: doc.authorName ?? null,
		author_id: doc.authorId ?? null,
		author_profession: doc.authorProfession ?? null,
		document_date: doc.date ?? null,
		deposited_at: doc.depositedAt,
		deposited_by: doc.depositedBy,
		status: "approved",
		visibility: doc.visibilityMask,
		version: doc.version,
		replaces_id: doc.replacesId ?? null,
		set_id: doc.setId ?? null,
		cda_id: doc.cdaId ?? null,
		content: doc.content,
		payload: doc.payload ?? null,
		content_sha256: doc.sha256,
		author_structure_id: doc.authorStructureId ?? null
	})];
	statements.push(...q.insertRows("document_sections", doc.sections.map((section, position) => ({
		document_id: doc.id,
		position,
		code: section.code?.code ?? null,
		title: section.title ?? null,
		narrative_html: section.narrativeHtml,
		entry_count: section.entryCount
	}))), ...q.insertRows("clinical_entries", doc.entries.map((entry, position) => ({
		id: `${doc.id}-${position}`,
		document_id: doc.id,
		ins_key: doc.insKey,
		kind: entry.kind,
		label: entry.label,
		code: entry.code?.code ?? null,
		code_system: entry.code?.system ?? null,
		code_display: entry.code?.display ?? null,
		detail: entry.detail ?? null,
		start_date: entry.startDate ?? null,
		end_date: entry.endDate ?? null,
		status: entry.status ?? null,
		author: entry.author ?? null,
		reimbursement_kind: entry.reimbursementKind ?? null,
		section_code: entry.sectionCode ?? null,
		position,
		data: encodeEntryData(entry)
	}))));
	if (doc.replacesId) statements.push(q.statement(q.db.updateTable("documents").set({ status: "obsolete" }).where("id", "=", doc.replacesId).where("ins_key", "=", doc.insKey)));
	return statements;
}
// src/main/dmp/dossier-writes.ts
function insertDossierStatement(q, row, consentBy, access, clock) {
	const now = clock().toISOString();
	return q.statement(q.db.insertInto("dossiers").values({
		...row,
		birth_name_norm: normaliseName(row.birth_name),
		used_name_norm: row.used_name ? normaliseName(row.used_name) : null,
		consent_by_id: consentBy.id,
		consent_by_name: consentBy.name,
		consent_at: now,
		created_at: now,
		access_login: access?.login ?? null,
		access_code_hash: access?.codeHash ?? null,
		access_code_expires_at: access?.expiresAt ?? null,
		consent_given_by: consentBy.giver
	}));
}
/** A dossier opened by the first document received for a patient (hospital feeds, imports). */
function dossierFromCda(q, cda, matricule, oid, actor, clock) {
	const patient = cda.header.patient;
	const birthName = (patient.birthName ?? patient.usedName ?? "").trim();
	if (!birthName || !patient.firstNames?.trim() || !patient.birthDate) throw new ApiError("INVALID_INPUT", "Le document ne donne pas les traits d’identité du patient (nom, prénoms, date de naissance) : le DMP ne peut pas être créé.");
	const row = {
		ins_key: formatInsKey({
			matricule,
			oid
		}),
		matricule,
		oid,
		ins_status: "qualified",
		identity_verified: 0,
		status: "active",
		birth_name: birthName,
		birth_name_norm: normaliseName(birthName),
		used_name: patient.usedName?.trim() && patient.usedName.trim() !== birthName ? patient.usedName.trim() : null,
		first_names: patient.firstNames.trim(),
		birth_date: patient.birthDate,
		sex: patient.sex ?? "U",
		birth_place_code: patient.birthPlaceCode ?? null,
		test_identity: isTestOid(oid) ? 1 : 0,
		bris_de_glace_opposition: 0,
		centre15_opposition: 0,
		treating_physician_id: null
	};
	const who = auditWho(actor);
	return {
		row,
		statement: insertDossierStatement(q, row, {
			id: who.actorId,
			name: `${who.actorName} — système émetteur`,
			giver: "sending-system"
		}, null, clock)
	};
}
// src/main/cda/attachments.ts
var BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/**
* Files a structured CDA embeds as `observationMedia` (the PDF of a lab report, a scanned advance
* directive). Only PDFs that are complete (header and trailer) are returned: a truncated one could not
* be opened and is reported by the caller as missing rather than served.
*/
function readPdfAttachments(content) {
	const { root } = parseXml(content);
	const attachments = [];
	let unreadable = 0;
	findDescendants(root, (e) => e.local === "observationMedia").forEach((media, index) => {
		const value = child(media, "value");
		if ((attr(value, "mediaType") ?? "").toLowerCase() !== "application/pdf" || attr(value, "representation") !== "B64") return;
		const compact = text$1(value).replace(/\s+/g, "");
		const bytes = compact.length > 0 && compact.length % 4 === 0 && BASE64.test(compact) ? new Uint8Array(Buffer.from(compact, "base64")) : void 0;
		if (!bytes || !looksLikeCompletePdf(bytes)) {
			unreadable++;
			return;
		}
		attachments.push({
			id: media.attrs["ID"] ?? `media-${index + 1}`,
			mediaType: "application/pdf",
			label: `Document PDF joint n° ${attachments.length + 1}`,
			content: bytes
		});
	});
	return {
		attachments,
		unreadable
	};
}
// src/main/dmp/document-operations.ts
/** Documents of a dossier: import and deposit, listing and reading, archiving, visibility changes and deletion. */
var DocumentOperations = class {
	ctx;
	constructor(ctx) {
		this.ctx = ctx;
	}
	/** Deposits a CDA into the dossier of the INS it carries (hospital feeds, demo seeding, CLI). */
	async importCda(bytes, opts) {
		const actor = opts.depositor === "system" ? { system: "import" } : opts.depositor;
		if (bytes.length === 0) return this.ctx.refuseDocument(actor, null, "file: empty", "Le fichier est vide.");
		const parsed = await this.parseOrRefuse(actor, null, bytes);
		const cda = parsed.document;
		const ins = insFromPatientIds(cda.header.patient.ids);
		if (!ins) return this.ctx.refuseDocument(actor, null, "identity: no INS", "Le document ne porte pas l’INS du patient : il ne peut pas être rattaché à un DMP.");
		const insKey = formatInsKey(ins);
		let row = await loadDossierRow(this.ctx.sql, this.ctx.store, insKey);
		await this.checkDocumentIdentity(actor, cda, ins, row);
		const statements = [];
		const events = [];
		const created = row === null;
		if (!row) {
			if (!opts.create) throw new ApiError("NOT_FOUND", "Aucun DMP n’existe pour le patient de ce document. Créez d’abord le dossier (option --create pour un import).");
			const draft = dossierFromCda(this.ctx.sql, cda, ins.matricule, ins.oid, actor, this.ctx.now);
			if (!isSystemActor(actor)) {
				const domainActor = toDomainActor(actor.professional);
				await this.ctx.enforce(actor, insKey, decideDossierManagement(domainActor, "create"));
				await this.ctx.enforce(actor, insKey, decideDeposit(domainActor, { ...freshDossierFacts }));
			}
			statements.push(draft.statement);
			events.push(this.ctx.event(actor, "dossier.create", insKey, "import CDA"));
			row = draft.row;
		} else if (!isSystemActor(actor)) await this.ctx.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), await loadDossierFacts(this.ctx.sql, this.ctx.store, row)));
		else if (row.status === "closed") throw new ApiError("LOCKED", "Ce DMP est fermé : aucun document ne peut y être ajouté.");
		const doc = await this.documentFromCda(cda, parsed.bytes, insKey, actor, { visibilityMask: encodeVisibility(normal) }, isSystemActor(actor) ? null : await loadDossierFacts(this.ctx.sql, this.ctx.store, row));
		statements.push(...insertDocumentStatements(this.ctx.sql, doc));
		events.push(this.ctx.event(actor, "document.deposit", insKey, doc.id));
		await this.ctx.write(events, statements);
		this.ctx.log.info("CDA imported", {
			ins: redactNir(ins.matricule),
			documentId: doc.id,
			created,
			entries: doc.entries.length
		});
		return {
			insKey,
			documentId: doc.id,
			created,
			counts: countEntries(doc)
		};
	}
	/** Deposit from the workstation: CDA (structured or not), plain PDF or text, authored by the CPS holder. */
	async depositDocument(actor, input) {
		const { row, facts } = await this.ctx.requireDossier(input.insKey);
		const insKey = row.ins_key;
		await this.ctx.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), facts));
		if (rnivStatusOf(row) !== "qualified") return this.ctx.refuseDocument(actor, insKey, "identity: INS not qualified", "L’INS de ce patient n’est pas qualifiée (identité non vérifiée sur une pièce d’identité à haut niveau de confiance) : le DMP ne peut pas être alimenté.");
		const check = validateVisibilityAtDeposit(input.visibility, {
			allowInvisibleAndMasked: false,
			secretMinor: false
		});
		if (!check.ok) throw new ApiError("INVALID_INPUT", check.message);
		const bytes = decodeBase64(input.contentBase64);
		if (bytes.length === 0) return this.ctx.refuseDocument(actor, insKey, "file: empty", "Le fichier est vide.");
		const kind = depositKind(input.fileName, bytes);
		const visibilityMask = encodeVisibility(input.visibility);
		let doc;
		if (kind === "cda") {
			const parsed = await this.parseOrRefuse(actor, insKey, bytes);
			const cda = parsed.document;
			const ins = insFromPatientIds(cda.header.patient.ids);
			if (!ins || formatInsKey(ins) !== insKey) return this.ctx.refuseDocument(actor, insKey, "identity: other INS", "Ce document concerne un autre patient que le dossier ouvert (INS différent).");
			await this.checkDocumentIdentity(actor, cda, ins, row);
			doc = await this.documentFromCda(cda, parsed.bytes, insKey, actor, {
				visibilityMask,
				replacesId: input.replacesId,
				title: input.title
			}, facts);
		} else doc = await this.documentFromFile(kind, bytes, insKey, actor, input, visibilityMask, facts);
		Object.assign(doc, this.authorFromCps(actor));
		await this.ctx.write([this.ctx.event(actor, "document.deposit", insKey, doc.id)], insertDocumentStatements(this.ctx.sql, doc));
		this.ctx.log.info("document deposited", {
			ins: redactNir(row.matricule),
			documentId: doc.id,
			format: doc.format
		});
		return toDocumentMeta(await this.documentRow(insKey, doc.id), insKey);
	}
	/**
	* Identity vigilance before anything is written: the INS a document carries must be well formed,
	* its key right and consistent with the document's own traits, the names free of hidden
	* characters, and, when the dossier exists, the document's patient must be the dossier's person.
	*/
	async checkDocumentIdentity(actor, cda, ins, row) {
		const patient = cda.header.patient;
		const problems = documentIdentityProblems(ins, patient);
		if (row) problems.push(...traitsDiffer(patient, {
			birthName: row.birth_name,
			usedName: row.used_name ?? void 0,
			firstNames: row.first_names,
			birthDate: row.birth_date,
			sex: row.sex
		}));
		if (problems.length === 0) return;
		await this.ctx.refuseDocument(actor, row ? row.ins_key : null, `identity: ${problems.map((p) => p.code).join(", ")}`, `Document refusé, identité du patient incohérente : ${problems.map((p) => p.message).join(" ")}`);
	}
	async listDocuments(actor, insKey, filter = {}) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		const key = row.ins_key;
		await this.ctx.enforce(actor, key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
		const docs = await this.ctx.sql.rows(this.ctx.store, this.ctx.sql.db.selectFrom("documents").select(documentColumns).where("ins_key", "=", key).where("deleted_at", "is", null).orderBy((eb) => eb.fn.coalesce("document_date", "deposited_at"), "desc").orderBy("deposited_at", "desc"));
		const from = filter.from?.slice(0, 10);
		const to = filter.to?.slice(0, 10);
		const listed = docs.filter((d) => {
			if (!filter.includeArchived && d.status !== "approved") return false;
			if (filter.category && d.category !== filter.category) return false;
			const day = (d.document_date ?? d.deposited_at).slice(0, 10);
			if (from && day < from) return false;
			if (to && day > to) return false;
			return this.ctx.mayRead(actor, facts, d);
		});
		await this.ctx.write([this.ctx.event(actor, "dossier.read", key, "liste des documents")]);
		return listed.map((d) => toDocumentMeta(d, key));
	}
	async getDocument(actor, insKey, id) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		const key = row.ins_key;
		const doc = await this.documentRow(key, id);
		if (!doc || doc.deleted_at !== null) {
			await this.ctx.enforce(actor, key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
			throw new ApiError("NOT_FOUND", "Ce document n’existe pas dans ce DMP.");
		}
		await this.ctx.enforce(actor, key, decideDocumentRead(toDomainActor(actor.professional), facts, actor.mode, toDocumentFacts(doc)), id);
		const meta = toDocumentMeta(doc, key);
		const { attachmentWarnings, ...body } = await this.documentBody(doc);
		await this.ctx.write([this.ctx.event(actor, "document.read", key, id)]);
		const warnings = [...displayWarnings(meta.visibility)];
		if (meta.status === "obsolete") warnings.push("Ce document a été remplacé par une version plus récente.");
		if (meta.status === "archived") warnings.push("Ce document est archivé.");
		warnings.push(...attachmentWarnings ?? []);
		return {
			meta,
			...body,
			warnings
		};
	}
	async updateDocument(actor, insKey, id, change, basis = {}) {
		const { row, facts, doc } = await this.requireChangeableDocument(actor, insKey, id, change.visibility !== void 0 ? "visibility" : "status", basis);
		if (change.visibility !== void 0 && change.status !== void 0) await this.requireChangeableDocument(actor, insKey, id, "status", basis);
		const key = row.ins_key;
		const set = {};
		const what = [];
		if (change.status !== void 0 && change.status !== doc.status) {
			if (!(doc.status === "approved" && change.status === "archived" || doc.status === "archived" && change.status === "approved")) throw new ApiError("INVALID_INPUT", "Seul l’archivage (ou le désarchivage) d’un document à jour est possible.");
			set.status = change.status;
			what.push(change.status === "archived" ? "archivage" : "désarchivage");
		}
		if (change.visibility !== void 0) {
			const check = validateVisibilityAtDeposit(change.visibility, {
				allowInvisibleAndMasked: false,
				secretMinor: facts.isMinorInSecretMode === true
			});
			if (!check.ok) throw new ApiError("INVALID_INPUT", check.message);
			set.visibility = encodeVisibility(change.visibility);
			what.push("visibilité");
		}
		if (Object.keys(set).length > 0) {
			const onBehalf = basis.atPatientRequest ? " à la demande du patient" : "";
			await this.ctx.write([this.ctx.event(actor, "document.update", key, `${id} ${what.join(" et ")}${onBehalf}`)], [this.ctx.sql.statement(this.ctx.sql.db.updateTable("documents").set(set).where("id", "=", id).where("ins_key", "=", key))]);
		}
		return toDocumentMeta(await this.documentRow(key, id), key);
	}
	/**
	* Logical deletion: the document stays for the legal retention period, hidden from lists, readers and
	* the summary (its entries go with it); nothing is erased or cascaded.
	*/
	async deleteDocument(actor, insKey, id) {
		const { row, doc } = await this.requireChangeableDocument(actor, insKey, id, "delete", {});
		const at = this.ctx.now().toISOString();
		const { db } = this.ctx.sql;
		const live = (docId) => db.updateTable("documents").where("id", "=", docId).where("ins_key", "=", row.ins_key).where("deleted_at", "is", null);
		const statements = [this.ctx.sql.statement(live(id).set({
			deleted_at: at,
			deleted_by: auditWho(actor).actorId
		}))];
		if (doc.replaces_id && doc.status === "approved") statements.push(this.ctx.sql.statement(live(doc.replaces_id).where("status", "=", "obsolete").set({ status: "approved" })));
		await this.ctx.write([this.ctx.event(actor, "document.delete", row.ins_key, id)], statements);
	}
	/** Changing a document: the write policy decides, from the read rules and who wrote it. Refusals are audited. */
	async requireChangeableDocument(actor, insKey, id, change, basis) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		const doc = await this.documentRow(row.ins_key, id);
		const domainActor = toDomainActor(actor.professional);
		if (!doc) {
			await this.ctx.enforce(actor, row.ins_key, decideDeposit(domainActor, facts));
			throw new ApiError("NOT_FOUND", "Ce document n’existe pas dans ce DMP.");
		}
		await this.enforceChange(actor, row.ins_key, facts, doc, change, basis);
		return {
			row,
			facts,
			doc
		};
	}
	async enforceChange(actor, insKey, facts, doc, change, basis) {
		const domainActor = toDomainActor(actor.professional);
		const decision = decideDocumentChange(domainActor, facts, change, toDocumentAuthorship(doc), {
			mode: actor.mode,
			read: decideDocumentRead(domainActor, facts, actor.mode, toDocumentFacts(doc)),
			atPatientRequest: basis.atPatientRequest === true,
			patientPresent: basis.patientPresent === true
		});
		await this.ctx.enforce(actor, insKey, decision, doc.id);
	}
	async documentRow(insKey, id) {
		return this.ctx.sql.first(this.ctx.store, this.ctx.sql.db.selectFrom("documents").select(documentColumns).where("id", "=", id).where("ins_key", "=", insKey));
	}
	/** PDFs embedded in a structured CDA (lab report PDF…), read from the stored document so « Ouvrir » works. */
	async embeddedPdfs(doc) {
		const content = (await this.ctx.sql.first(this.ctx.store, this.ctx.sql.db.selectFrom("documents").select("content").where("id", "=", doc.id)))?.content;
		if (!content) return {};
		let found;
		try {
			found = readPdfAttachments(content);
		} catch {
			this.ctx.log.warn("stored CDA unreadable for attachments", { documentId: doc.id });
			return {};
		}
		const attachments = found.attachments.map((a) => ({
			id: a.id,
			mediaType: a.mediaType,
			label: a.label,
			base64: Buffer.from(a.content).toString("base64")
		}));
		return {
			...attachments.length > 0 ? { attachments } : {},
			...found.unreadable > 0 ? { attachmentWarnings: [`${found.unreadable} document(s) PDF joint(s) incomplet(s) ou illisible(s) : non affiché(s).`] } : {}
		};
	}
	async documentBody(doc) {
		if (doc.format === "cda-structured") return {
			narrativeHtml: (await this.ctx.sql.rows(this.ctx.store, this.ctx.sql.db.selectFrom("document_sections").select(["title", "narrative_html"]).where("document_id", "=", doc.id).orderBy("position"))).map((s) => `<section>${s.title ? `<h2>${escapeHtml(s.title)}</h2>` : ""}${s.narrative_html}</section>`).join("\n"),
			...await this.embeddedPdfs(doc)
		};
		const column = doc.format === "cda-unstructured" ? "payload" : "content";
		const data = (await this.ctx.sql.first(this.ctx.store, this.ctx.sql.db.selectFrom("documents").select((eb) => eb.ref(column).as("data")).where("id", "=", doc.id)))?.data;
		if (!data) throw new ApiError("CORRUPT_DATA", "Le contenu de ce document est introuvable dans le stockage local.");
		const mediaType = doc.format === "pdf" ? "application/pdf" : doc.format === "text" ? "text/plain" : doc.media_type ?? "";
		if (mediaType === "application/pdf") return { pdfBase64: Buffer.from(data).toString("base64") };
		if (mediaType.startsWith("text/")) return { narrativeHtml: `<pre>${escapeHtml(Buffer.from(data).toString("utf8"))}</pre>` };
		return { narrativeHtml: `<p>${escapeHtml(`Contenu au format ${mediaType || "inconnu"} : il ne peut pas être affiché ici.`)}</p>` };
	}
	/**
	* Parses a CDA (through the context's parser, which takes `bytes` over: use the bytes it returns); a
	* document the importer cannot read safely is refused through the one refusal path (log + audit
	* line), with the importer's French reason for the user.
	*/
	async parseOrRefuse(actor, insKey, bytes) {
		try {
			return await this.ctx.cdaParser.parse(bytes);
		} catch (err) {
			if (err instanceof ApiError && err.code === "INVALID_INPUT") {
				this.ctx.log.warn("CDA unreadable", { detail: err.logDetail ?? "unknown" });
				return this.ctx.refuseDocument(actor, insKey, `cda: ${cdaRefusalCode(err.logDetail)}`, err.message);
			}
			throw err;
		}
	}
	/** A file refused before it could be read (too large, not a file): audited without a dossier. */
	async refuseImportFile(cause, message, actor = { system: "import" }) {
		return this.ctx.refuseDocument(actor, null, cause, message);
	}
	newId() {
		return Buffer.from(this.ctx.random(16)).toString("hex");
	}
	authorFromCps(actor) {
		if (isSystemActor(actor)) return {};
		const holder = actor.professional.holder;
		const structureId = holder.situations.find((s) => s.structureId)?.structureId;
		return {
			authorName: professionalName(actor.professional),
			authorId: holder.nationalId,
			authorProfession: holder.professionLabel,
			...structureId ? { authorStructureId: structureId } : {}
		};
	}
	/**
	* Version chain: an explicit `replacesId`, or else the CDA setId of a document already in force. A
	* professional replaces only what the write policy lets them change (which needs reading it too);
	* `facts` is null for system imports.
	*/
	async predecessor(insKey, replacesId, setId, actor, facts) {
		let previous = null;
		if (replacesId !== void 0) {
			const doc = await this.documentRow(insKey, replacesId);
			if (!doc || doc.deleted_at !== null) {
				if (!isSystemActor(actor) && facts) await this.ctx.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), facts));
				throw new ApiError("NOT_FOUND", "Le document à remplacer n’existe pas dans ce DMP.");
			}
			previous = doc;
		} else if (setId !== void 0) previous = await this.ctx.sql.first(this.ctx.store, this.ctx.sql.db.selectFrom("documents").select(documentColumns).where("ins_key", "=", insKey).where("set_id", "=", setId).where("status", "=", "approved").where("deleted_at", "is", null).orderBy("version", "desc").limit(1));
		if (!previous) return null;
		if (!isSystemActor(actor) && facts) await this.enforceChange(actor, insKey, facts, previous, "replace", {});
		if (previous.status !== "approved") throw new ApiError("CONFLICT", "Seule la version en vigueur d’un document peut être remplacée.");
		return previous;
	}
	async refuseDuplicate(insKey, sha256) {
		if ((await this.ctx.sql.rows(this.ctx.store, this.ctx.sql.db.selectFrom("documents").select("id").where("ins_key", "=", insKey).where("content_sha256", "=", sha256))).length > 0) throw new ApiError("CONFLICT", "Ce document a déjà été déposé dans ce DMP (contenu identique) : envoi refusé.");
	}
	async documentFromCda(cda, bytes, insKey, actor, opts, facts) {
		const sha256 = sha256Hex(bytes);
		await this.refuseDuplicate(insKey, sha256);
		const { header, body } = cda;
		const previous = await this.predecessor(insKey, opts.replacesId, header.setId, actor, facts);
		const author = header.author;
		const doc = {
			id: this.newId(),
			insKey,
			title: opts.title?.trim() || header.title.trim() || "Document sans titre",
			typeCode: header.type.code,
			category: categoryForTypeCode(header.type.code),
			format: body.kind === "structured" ? "cda-structured" : "cda-unstructured",
			...body.kind === "unstructured" ? {
				mediaType: body.mediaType,
				payload: body.content
			} : {},
			...author?.name ? { authorName: author.name } : {},
			...author?.nationalId ? { authorId: author.nationalId } : {},
			...author?.profession?.display || author?.profession?.code ? { authorProfession: author.profession.display ?? author.profession.code } : {},
			...header.effectiveTime ? { date: header.effectiveTime } : {},
			depositedAt: this.ctx.now().toISOString(),
			depositedBy: auditWho(actor).actorId,
			visibilityMask: opts.visibilityMask,
			version: previous ? Number(previous.version) + 1 : 1,
			...previous ? { replacesId: previous.id } : {},
			...header.setId ? { setId: header.setId } : {},
			cdaId: header.documentId,
			content: bytes,
			sha256,
			sections: body.kind === "structured" ? body.sections : [],
			entries: cda.entries
		};
		if (isEmptyDocument(doc)) return this.ctx.refuseDocument(actor, insKey, "file: empty document", "Le document est vide : un envoi sans contenu est refusé.");
		return doc;
	}
	async documentFromFile(kind, bytes, insKey, actor, input, visibilityMask, facts) {
		if (kind === "pdf" && !looksLikeCompletePdf(bytes)) return this.ctx.refuseDocument(actor, insKey, "pdf: incomplete", "Ce fichier n’est pas un PDF complet et lisible.");
		if (kind === "text" && decodeText(bytes).trim() === "") return this.ctx.refuseDocument(actor, insKey, "file: empty document", "Le document est vide : un envoi sans contenu est refusé.");
		const typeCode = input.typeCode?.trim();
		if (!typeCode) throw new ApiError("INVALID_INPUT", "Précisez le type de document (code LOINC) pour un dépôt PDF ou texte.");
		const sha256 = sha256Hex(bytes);
		await this.refuseDuplicate(insKey, sha256);
		const previous = await this.predecessor(insKey, input.replacesId, void 0, actor, facts);
		return {
			id: this.newId(),
			insKey,
			title: input.title?.trim() || input.fileName,
			typeCode,
			category: categoryForTypeCode(typeCode),
			format: kind,
			mediaType: kind === "pdf" ? "application/pdf" : "text/plain",
			date: this.ctx.now().toISOString(),
			depositedAt: this.ctx.now().toISOString(),
			depositedBy: auditWho(actor).actorId,
			visibilityMask,
			version: previous ? Number(previous.version) + 1 : 1,
			...previous ? {
				replacesId: previous.id,
				...previous.set_id ? { setId: previous.set_id } : {}
			} : {},
			content: bytes,
			sha256,
			sections: [],
			entries: []
		};
	}
};
/** The stable part of a parser refusal (`cda encoding: …` → `encoding`), for the audit line. */
function cdaRefusalCode(detail) {
	return /^cda ([a-z-]+):/.exec(detail ?? "")?.[1] ?? "unreadable";
}
var freshDossierFacts = {
	status: "active",
	blockedProfessionalIds: [],
	authorizedProfessionalIds: [],
	brisDeGlaceOpposition: false,
	centre15Opposition: false
};
var normal = {
	hiddenFromPatient: false,
	maskedFromProfessionals: false,
	hiddenFromLegalRepresentatives: false
};
// src/main/identity/identity-reference.ts
/** Thrown when the query itself cannot be answered (a card NIR whose key is wrong). French. */
var IdentityQueryError = class extends Error {
	detail;
	constructor(message, detail) {
		super(message);
		this.detail = detail;
		this.name = "IdentityQueryError";
	}
};
var columns = [
	"matricule",
	"oid",
	"birth_name",
	"first_names",
	"birth_date",
	"sex",
	"birth_place_code",
	"birth_rank"
];
/** A module function, not a method: the class's methods are the identity port (src/main/dmp/dmp-port.ts). */
function selectReference(q) {
	return q.db.selectFrom("identity_reference").select(columns);
}
function toIdentity(row) {
	return {
		matricule: row.matricule,
		oid: row.oid,
		birthName: row.birth_name,
		firstNames: row.first_names,
		birthDate: row.birth_date,
		sex: row.sex,
		birthPlaceCode: row.birth_place_code
	};
}
function answer$1(rows) {
	const [first] = rows;
	if (!first) return { kind: "none" };
	return rows.length === 1 ? {
		kind: "one",
		identity: toIdentity(first)
	} : {
		kind: "several",
		candidates: rows.map(toIdentity)
	};
}
/** The words of a first-name list, normalised: `Jean-Pierre Marie` → JEAN, PIERRE, MARIE. */
function nameWords(value) {
	return normaliseName(value).split(" ").filter(Boolean);
}
/** A card's first name (one or more words) must be the reference list's first names, word for word, from the start. */
function firstNameFits(cardFirstName, referenceFirstNames) {
	const card = nameWords(cardFirstName);
	const reference = nameWords(referenceFirstNames);
	return card.length > 0 && card.every((word, i) => reference[i] === word);
}
/** Whether an identity can be this card beneficiary: birth date compatible with the card's, first name fitting. */
function identityFitsCardBeneficiary(identity, beneficiary) {
	return cardDateMatches(beneficiary.birthDate, identity.birthDate) && firstNameFits(beneficiary.firstName, identity.firstNames);
}
function referenceInsertStatement(q, record) {
	return referenceRowInsert(q, referenceRow(record));
}
/** Inserts a `referenceRow`; an INS the reference already knows is left as it is. */
function referenceRowInsert(q, row) {
	return q.statement(q.db.insertInto("identity_reference").values(row).onConflict((oc) => oc.columns(["matricule", "oid"]).doNothing()));
}
/** The `identity_reference` row of a record (normalised keys included), as every writer stores it. */
function referenceRow(record) {
	return {
		matricule: normaliseMatricule(record.matricule),
		oid: record.oid,
		birth_name: record.birthName,
		first_names: record.firstNames,
		birth_date: record.birthDate,
		sex: record.sex,
		birth_place_code: record.birthPlaceCode,
		birth_name_norm: normaliseName(record.birthName),
		first_name_norm: nameWords(record.firstNames)[0] ?? "",
		card_nir: record.cardNir ? normaliseMatricule(record.cardNir) : null,
		birth_rank: record.birthRank ?? null
	};
}
var IdentityReference = class {
	store;
	q;
	constructor(store) {
		this.store = store;
		this.q = sqlFor(store);
	}
	/** Adds people the reference did not know (population generator, demo data); known INS are left as they are. */
	async register(records) {
		if (records.length > 0) await this.store.write(records.map((r) => referenceInsertStatement(this.q, r)));
	}
	/**
	* WS1, from the Vitale card: the people carried by that card NIR whose birth date agrees with the
	* card's (its unknown parts excepted), whose birth rank agrees when both are known, and whose first
	* names begin with the card's first name. The card NIR's key is checked first: a card whose NIR is
	* altered identifies nobody.
	*/
	async lookupByCard(query) {
		const cardNir = normaliseMatricule(query.cardNir);
		if (!matriculeKeyValid(cardNir)) throw new IdentityQueryError("La carte Vitale porte un NIR dont la clé est fausse : l’identité du patient ne peut pas être vérifiée. Recherchez-la par ses traits d’identité.", "card NIR key invalid");
		const oid = insOidForCardStatus(query.cardStatus);
		return answer$1((await this.q.rows(this.store, selectReference(this.q).where("card_nir", "=", cardNir).where("oid", "=", oid).orderBy("birth_rank", (ob) => ob.asc().nullsFirst()).orderBy("matricule"))).filter((r) => identityFitsCardBeneficiary(toIdentity(r), query) && (query.birthRank === void 0 || r.birth_rank === null || r.birth_rank === query.birthRank)));
	}
	/**
	* WS2, from the five traits: birth name and birth date equal, sex equal, the first first-name
	* equal (the rest of the list may be unknown to the person asking), and the birth place when given.
	*/
	async lookupByTraits(query) {
		const birthName = normaliseName(query.birthName);
		const first = nameWords(query.firstNames)[0] ?? "";
		if (!birthName || !first) return { kind: "none" };
		const rows = await this.q.rows(this.store, selectReference(this.q).where("birth_name_norm", "=", birthName).where("birth_date", "=", query.birthDate).where("first_name_norm", "=", first).where("sex", "=", query.sex).orderBy("matricule").orderBy("oid"));
		const place = query.birthPlaceCode?.trim().toUpperCase();
		return answer$1(place ? rows.filter((r) => r.birth_place_code.toUpperCase() === place) : rows);
	}
	/** The reference's identity for one INS, to check what a document or a form claims. */
	async byIns(ins) {
		const row = await this.q.first(this.store, selectReference(this.q).where("matricule", "=", normaliseMatricule(ins.matricule)).where("oid", "=", ins.oid));
		return row ? toIdentity(row) : null;
	}
};
/** Letters only, accents removed: what counts towards the minimum prefix. */
function letters(name) {
	return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toUpperCase().replace(/[^A-Z]/g, "");
}
/** A real calendar date with no unknown (`00`) part. */
function isCompleteBirthDate(date) {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!match) return false;
	const [y, m, d] = [
		Number(match[1]),
		Number(match[2]),
		Number(match[3])
	];
	if (m < 1 || m > 12 || d < 1) return false;
	const day = new Date(Date.UTC(y, m - 1, d));
	return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
/** An INS alone, or a birth-name prefix of three letters or more with a complete birth date. */
function checkSearchQuery(query) {
	if (query.insKey !== void 0 && query.insKey.trim() !== "") return {
		ok: true,
		search: {
			kind: "ins",
			insKey: query.insKey.trim()
		}
	};
	if (letters(query.name ?? "").length < 3 || !isCompleteBirthDate(query.birthDate ?? "")) return {
		ok: false,
		message: `Recherche par INS, ou par les 3 premières lettres du nom de naissance au moins avec la date de naissance complète (jour, mois et année).`
	};
	return {
		ok: true,
		search: {
			kind: "identity",
			name: (query.name ?? "").trim(),
			birthDate: query.birthDate
		}
	};
}
var searchRatePolicy = {
	capacity: 10,
	refillMs: 6e3
};
function takeToken(bucket, nowMs, policy = searchRatePolicy) {
	const start = bucket ?? {
		tokens: policy.capacity,
		at: nowMs
	};
	const elapsed = Math.max(0, nowMs - start.at);
	const tokens = Math.min(policy.capacity, start.tokens + elapsed / policy.refillMs);
	if (tokens >= 1) return {
		allowed: true,
		bucket: {
			tokens: tokens - 1,
			at: nowMs
		}
	};
	return {
		allowed: false,
		bucket: {
			tokens,
			at: nowMs
		},
		retryInMs: Math.ceil((1 - tokens) * policy.refillMs)
	};
}
function rateLimitMessage(retryInMs) {
	const seconds = Math.max(1, Math.ceil(retryInMs / 1e3));
	return `Trop de recherches de patients en peu de temps : patientez ${seconds} seconde${seconds > 1 ? "s" : ""} avant de recommencer.`;
}
// src/main/dmp/access-codes-pdf.ts
var A4 = [595.28, 841.89];
var margin = 56;
/** Characters the standard Helvetica (WinAnsi) can draw; anything else is replaced, never thrown on. */
function printable(text) {
	return [...text.normalize("NFC")].map((ch) => {
		const code = ch.codePointAt(0) ?? 0;
		if (code >= 32 && code <= 126 || code >= 160 && code <= 255 || "’‘“”–—€œŒ…".includes(ch)) return ch;
		const base = ch.normalize("NFD").replace(/\p{Diacritic}/gu, "");
		return /^[\x20-\x7e]+$/.test(base) ? base : "?";
	}).join("");
}
function frenchDate(iso) {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
	return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}
function maskedMatricule(matricule) {
	return `${matricule.slice(0, 1)} ${"*".repeat(Math.max(0, matricule.length - 5))} ${matricule.slice(-4)}`;
}
var Writer = class {
	page;
	regular;
	bold;
	ink;
	y = A4[1] - margin;
	constructor(page, regular, bold, ink) {
		this.page = page;
		this.regular = regular;
		this.bold = bold;
		this.ink = ink;
	}
	line(text, options = {}) {
		const size = options.size ?? 11;
		const font = options.bold ? this.bold : this.regular;
		for (const chunk of this.wrap(printable(text), font, size)) {
			this.page.drawText(chunk, {
				x: margin,
				y: this.y,
				size,
				font,
				color: this.ink
			});
			this.y -= size * 1.4;
		}
		this.y -= options.gap ?? 2;
	}
	space(points) {
		this.y -= points;
	}
	wrap(text, font, size) {
		const width = A4[0] - 112;
		const lines = [];
		let current = "";
		for (const word of text.split(" ")) {
			const candidate = current ? `${current} ${word}` : word;
			if (font.widthOfTextAtSize(candidate, size) > width && current) {
				lines.push(current);
				current = word;
			} else current = candidate;
		}
		lines.push(current);
		return lines;
	}
};
/**
* The one-page sheet handed to a patient who has neither phone nor e-mail on file (hl_createDmpAndOtp
* prints it instead of sending). The code is drawn into the page and nowhere else: the caller keeps
* only its hash.
*/
async function accessCodesPdf(letter) {
	const { PDFDocument, StandardFonts, rgb } = await import("pdf-lib");
	const pdf = await PDFDocument.create();
	pdf.setTitle("Mon espace santé — vos codes d’accès");
	pdf.setLanguage("fr-FR");
	pdf.setCreator("Poste DMP");
	const w = new Writer(pdf.addPage(A4), await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold), rgb(.1, .1, .1));
	w.line("Mon espace santé", {
		size: 20,
		bold: true
	});
	w.line("Vos codes d’accès à votre Dossier Médical Partagé (DMP)", {
		size: 13,
		bold: true,
		gap: 14
	});
	w.line("Titulaire", { bold: true });
	w.line(letter.patientName);
	w.line(`Né(e) le ${frenchDate(letter.birthDate)} — n° de sécurité sociale ${maskedMatricule(letter.matricule)}`, { gap: 14 });
	w.line("Identifiant", { bold: true });
	w.line(letter.login, {
		size: 16,
		bold: true,
		gap: 8
	});
	w.line("Code d’accès provisoire (à usage unique)", { bold: true });
	w.line(letter.oneTimeCode, {
		size: 16,
		bold: true
	});
	w.line(`Ce code est valable 6 semaines, jusqu’au ${frenchDate(letter.validUntil)}. Il ne peut servir qu’une fois.`, { gap: 14 });
	w.line("Comment activer votre espace", { bold: true });
	w.line("1. Rendez-vous sur monespacesante.fr et choisissez « Activer mon profil ».");
	w.line("2. Saisissez le code provisoire ci-dessus, votre numéro de sécurité sociale et le numéro de série de votre carte Vitale.");
	w.line("3. Choisissez ensuite comment recevoir vos prochains codes de connexion (SMS ou courriel).");
	w.line("Vous pourrez y consulter vos documents, l’historique des accès à votre dossier, et bloquer un professionnel ou masquer un document.", { gap: 14 });
	w.line("Conservez ce document en lieu sûr et ne le communiquez à personne. Aucun professionnel ne vous demandera ce code.", {
		bold: true,
		gap: 14
	});
	w.space(20);
	w.line(`Remis le ${frenchDate(letter.issuedAt)} par ${letter.issuedBy}.`, { size: 9 });
	return pdf.save();
}
// src/main/dmp/access-codes.ts
/** 32 symbols without look-alikes (0/O, 1/I): a byte modulo 32 is unbiased. */
var alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
function randomCode(random, length) {
	return [...random(length)].map((b) => alphabet[b % 32]).join("");
}
/** Identifier printed for the patient, grouped for reading aloud over the counter. */
function newLogin(random) {
	const raw = randomCode(random, 12);
	return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}
function newOneTimeCode(random) {
	return randomCode(random, 8);
}
/**
* Only this derivation is stored, for the patient's first login to Mon espace santé: nothing on this
* workstation verifies the code (docs/access-rules.md §13). scrypt rather than a bare hash: the code is short enough that a
* stolen database could otherwise be searched exhaustively. The login, unique per dossier, salts it.
*/
function hashOneTimeCode(login, code) {
	return scryptSync(code, `poste-dmp:${login}`, 32).toString("hex");
}
function validUntil(now) {
	return new Date(now.getTime() + 36288e5);
}
// src/main/dmp/dossier-operations.ts
/** The session's own look-up for a Vitale beneficiary (not a professional's search). */
var searchLimit = 50;
/** `1979-03-00` (unknown day on the card) searches the whole month; `1979-00-00` the whole year. */
function birthDateMatch(dialect, date) {
	const [y = "", m = "", d = ""] = date.split("-");
	if (/^0+$/.test(m)) return startsWith(dialect, "birth_date", `${y}-`);
	if (/^0+$/.test(d)) return startsWith(dialect, "birth_date", `${y}-${m}-`);
	return sql`${sql.ref("birth_date")} = ${date}`;
}
/**
* The database orders by the normalised birth name (kept in clear on the shared host, where the names
* as written are sealed and cannot be ordered by), then the rows are put in display order here.
*/
function inNameOrder(rows) {
	return [...rows].sort((a, b) => a.birth_name.localeCompare(b.birth_name, "fr") || a.first_names.localeCompare(b.first_names, "fr") || a.ins_key.localeCompare(b.ins_key));
}
/** Finding a dossier, letting a professional in (or the patient keeping one out), and the dossier's life cycle. */
var DossierOperations = class {
	ctx;
	/** Search rate per professional (national id), in memory: a restart gives a fresh burst, no more. */
	searchBuckets = /* @__PURE__ */ new Map();
	constructor(ctx) {
		this.ctx = ctx;
	}
	/** The dossiers a query selects, in name order, at most `limit`. */
	async dossiers(from, limit) {
		const query = from.select(dossierColumns).orderBy("birth_name_norm").orderBy("ins_key");
		return inNameOrder(await this.ctx.sql.rows(this.ctx.store, limit === void 0 ? query : query.limit(limit)));
	}
	/**
	* A professional's search (TD0.5): an INS, or a birth-name prefix with a complete birth date, at
	* most 20 results, rate-limited per professional. It is traced (who, which criteria, how many
	* results — not the names typed), and every dossier it returns gets a line in that patient's
	* history, so a patient sees who looked them up.
	*/
	async searchDossiersAs(actor, query) {
		const who = actor.professional.holder.nationalId;
		const taken = takeToken(this.searchBuckets.get(who), this.ctx.now().getTime());
		this.searchBuckets.set(who, taken.bucket);
		if (!taken.allowed) {
			await this.ctx.write([this.ctx.event(actor, "patient.search", null, "refusée : trop de recherches en peu de temps")]);
			this.ctx.log.warn("patient search rate-limited", { retryInMs: taken.retryInMs });
			throw new ApiError("UNAVAILABLE", rateLimitMessage(taken.retryInMs), "search rate limit");
		}
		const check = checkSearchQuery(query);
		if (!check.ok) throw new ApiError("INVALID_INPUT", check.message, "search criteria too broad");
		const { db, dialect } = this.ctx.sql;
		let rows;
		let criteria;
		if (check.search.kind === "ins") {
			criteria = "INS";
			const ins = tryParseInsKey(check.search.insKey);
			rows = ins ? await this.dossiers(db.selectFrom("dossiers").where("ins_key", "=", formatInsKey(ins))) : [];
		} else {
			criteria = "début du nom de naissance et date de naissance";
			rows = await this.dossiers(db.selectFrom("dossiers").where(startsWith(dialect, "birth_name_norm", normaliseName(check.search.name))).where("birth_date", "=", check.search.birthDate), 20);
		}
		const found = rows.slice(0, 20);
		await this.ctx.write([this.ctx.event(actor, "patient.search", null, `${criteria} ; ${found.length} résultat(s)`), ...found.map((r) => this.ctx.event(actor, "patient.search", r.ins_key, criteria))]);
		return found.map(toDossierRef);
	}
	async traceIdentityLookup(actor, criteria, answers) {
		await this.ctx.write([this.ctx.event(actor, "identity.lookup", null, `${criteria} ; ${answers} identité(s)`)]);
	}
	async searchDossiers(query) {
		const { db, dialect } = this.ctx.sql;
		if (query.insKey !== void 0) {
			const ins = tryParseInsKey(query.insKey);
			if (!ins) return [];
			return (await this.dossiers(db.selectFrom("dossiers").where("ins_key", "=", formatInsKey(ins)))).filter((r) => !query.birthDate || r.birth_date === query.birthDate).map(toDossierRef);
		}
		const name = query.name !== void 0 ? normaliseName(query.name) : "";
		const birth = query.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(query.birthDate) ? birthDateMatch(dialect, query.birthDate) : null;
		const matching = (column) => db.selectFrom("dossiers").select(dossierColumns).where(startsWith(dialect, column, name)).$call((qb) => birth ? qb.where(birth) : qb);
		let selected;
		if (name.length >= 2) selected = matching("birth_name_norm").union(matching("used_name_norm"));
		else if (birth) selected = db.selectFrom("dossiers").select(dossierColumns).where(birth);
		else return [];
		return inNameOrder(await this.ctx.sql.rows(this.ctx.store, selected.orderBy("birth_name_norm").orderBy("ins_key").limit(searchLimit))).map(toDossierRef);
	}
	/** Records that the patient, present, let this professional in (TD0.3); only after an explicit user action. */
	async authorize(actor, insKey, options = {}) {
		const { row } = await this.ctx.requireDossier(insKey);
		const domainActor = toDomainActor(actor.professional);
		if (!canReadMedicalContent(domainActor)) return;
		const q = this.ctx.sql;
		const statements = [q.statement(q.db.insertInto("dossier_professionals").values({
			ins_key: row.ins_key,
			national_id: domainActor.nationalId,
			display_name: professionalName(actor.professional),
			relation: "authorized",
			since: this.ctx.now().toISOString()
		}).onConflict((oc) => oc.columns(["ins_key", "national_id"]).doNothing()))];
		if (options.treatingPhysician) statements.push(q.statement(q.db.updateTable("dossiers").set({ treating_physician_id: domainActor.nationalId }).where("ins_key", "=", row.ins_key)));
		if ((await q.rows(this.ctx.store, this.professionalRow(row.ins_key, domainActor.nationalId).select("national_id"))).length > 0 && !options.treatingPhysician) return;
		await this.ctx.write([this.ctx.event(actor, "access.authorize", row.ins_key, options.treatingPhysician ? "médecin traitant" : null)], statements);
	}
	/** The doctor in session becomes the médecin traitant, with the patient present and consenting (TD0.3 `i_setTreatingPhysician`). */
	async declareTreatingPhysician(actor, insKey, basis) {
		const { row } = await this.ctx.requireDossier(insKey);
		await this.ctx.enforce(actor, row.ins_key, decideTreatingPhysicianDeclaration(toDomainActor(actor.professional), actor.mode, basis));
		await this.authorize(actor, row.ins_key, { treatingPhysician: true });
	}
	/** A professional records the patient's block (or unblock) of another professional, at the patient's request. */
	async recordProfessionalBlock(actor, insKey, target, basis) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		await this.ctx.enforce(actor, row.ins_key, decideBlockRecording(toDomainActor(actor.professional), facts, actor.mode, target, basis));
		const known = await this.ctx.sql.rows(this.ctx.store, this.professionalRow(row.ins_key, target.nationalId).select("display_name"));
		await this.setProfessionalBlocked(row.ins_key, {
			nationalId: target.nationalId,
			displayName: known[0]?.display_name ?? "Professionnel"
		}, target.blocked, actor);
	}
	professionalRow(insKey, nationalId) {
		return this.ctx.sql.db.selectFrom("dossier_professionals").where("ins_key", "=", insKey).where("national_id", "=", nationalId);
	}
	/** The professionals the patient authorised or blocked (TD0.2 list), médecin traitant flagged. */
	async professionals(insKey) {
		const { row } = await this.ctx.requireDossier(insKey);
		return (await this.ctx.sql.rows(this.ctx.store, this.ctx.sql.db.selectFrom("dossier_professionals").select([
			"national_id",
			"display_name",
			"relation"
		]).where("ins_key", "=", row.ins_key).orderBy("display_name"))).map((p) => ({
			nationalId: p.national_id,
			name: p.display_name,
			relation: p.relation === "blocked" ? "blocked" : "authorized",
			treatingPhysician: row.treating_physician_id === p.national_id
		}));
	}
	/** The block (or unblock) itself, in the patient's name, recorded by the professional who took the request. */
	async setProfessionalBlocked(insKey, professional, blocked, recordedBy) {
		const { row } = await this.ctx.requireDossier(insKey);
		const event = this.ctx.event(recordedBy, blocked ? "professional.block" : "professional.unblock", row.ins_key, professional.nationalId);
		const { db } = this.ctx.sql;
		await this.ctx.write([event], [this.ctx.sql.statement(blocked ? db.insertInto("dossier_professionals").values({
			ins_key: row.ins_key,
			national_id: professional.nationalId,
			display_name: professional.displayName,
			relation: "blocked",
			since: this.ctx.now().toISOString()
		}).onConflict((oc) => oc.columns(["ins_key", "national_id"]).doUpdateSet((eb) => ({
			relation: "blocked",
			since: eb.ref("excluded.since")
		}))) : db.deleteFrom("dossier_professionals").where("ins_key", "=", row.ins_key).where("national_id", "=", professional.nationalId).where("relation", "=", "blocked"))]);
	}
	/** What opening the dossier would decide for this actor, without opening, auditing or authorising anything. */
	async accessDecision(actor, insKey) {
		const { facts } = await this.ctx.requireDossier(insKey);
		return decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason);
	}
	async openDossier(actor, insKey) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		await this.ctx.enforce(actor, row.ins_key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
		await this.ctx.write([this.ctx.event(actor, "dossier.read", row.ins_key, null)]);
		return toDossierRef(row);
	}
	/**
	* The identity step of a creation, before anything is written: the identity must be able to be
	* this card beneficiary's, and its INS and names must pass identity vigilance. Then, what stands
	* in the way: a dossier for the same matricule under any OID (the same person, never a second
	* dossier), and dossiers of other people with the same five traits (homonyms, for a human check).
	*/
	async creationCheck(beneficiary, identity) {
		this.checkCreationIdentity(beneficiary, identity);
		const matricule = normaliseMatricule(identity.matricule);
		const { db } = this.ctx.sql;
		const same = await this.ctx.sql.rows(this.ctx.store, db.selectFrom("dossiers").select(dossierColumns).where("matricule", "=", matricule).orderBy("oid"));
		const traits = await this.ctx.sql.rows(this.ctx.store, db.selectFrom("dossiers").select(dossierColumns).where("birth_name_norm", "=", normaliseName(identity.birthName)).where("birth_date", "=", identity.birthDate).where("sex", "=", identity.sex).where("matricule", "<>", matricule));
		const firstName = (names) => normaliseName(names).split(" ")[0] ?? "";
		const homonyms = traits.filter((r) => firstName(r.first_names) === firstName(identity.firstNames) && (r.birth_place_code === null || r.birth_place_code.toUpperCase() === identity.birthPlaceCode.toUpperCase()));
		const [existing] = same;
		return {
			existing: existing ? toDossierRef(existing) : null,
			homonyms: homonyms.map(toDossierRef)
		};
	}
	checkCreationIdentity(beneficiary, identity) {
		const matricule = normaliseMatricule(identity.matricule);
		const refuse = (cause, message) => {
			this.ctx.log.info("dossier creation refused", { cause });
			return new ApiError("INVALID_INPUT", message, `dossier creation refused: ${cause}`);
		};
		if (matricule === normaliseMatricule(beneficiary.nir) && cardNirCannotBeBeneficiarys(beneficiary.nir, beneficiary)) throw refuse("card holder NIR for another beneficiary", "Ce numéro est celui de l’ouvrant droit inscrit sur la carte Vitale, pas celui de ce bénéficiaire : son INS propre doit venir du référentiel d’identités.");
		if (!identityFitsCardBeneficiary(identity, beneficiary)) throw refuse("identity does not fit the card", "L’identité choisie ne correspond pas au bénéficiaire de la carte Vitale (date de naissance ou prénom différents).");
		const insProblems = checkIns({
			matricule,
			oid: identity.oid
		}, identity);
		if (insProblems.length > 0) throw refuse(`INS: ${insProblems.map((p) => p.code).join(", ")}`, insProblems.map((p) => p.message).join(" "));
		for (const [value, what] of [[identity.birthName, "Le nom de naissance"], [identity.firstNames, "Les prénoms"]]) {
			const problem = nameTraitProblem(value, what);
			if (problem) throw refuse("name characters", problem);
		}
	}
	async createDossier(actor, input) {
		const domainActor = toDomainActor(actor.professional);
		const management = decideDossierManagement(domainActor, "create");
		if (!management.allowed) throw new ApiError(management.code, management.message, `rule ${management.rule}`);
		const { beneficiary, identity } = input;
		const matricule = normaliseMatricule(identity.matricule);
		const check = await this.creationCheck(beneficiary, identity);
		const refuse = (cause, message) => {
			this.ctx.log.info("dossier creation refused", { cause });
			return new ApiError("INVALID_INPUT", message, `dossier creation refused: ${cause}`);
		};
		const now = this.ctx.now();
		const minor = (ageOn(identity.birthDate, now.toISOString().slice(0, 10)) ?? 18) < 18;
		const representatives = input.legalRepresentatives.map((r) => ({
			...r,
			lastName: r.lastName.trim(),
			firstNames: r.firstNames.trim()
		}));
		for (const r of representatives) {
			const problem = nameTraitProblem(r.lastName, "Le nom du représentant légal") ?? nameTraitProblem(r.firstNames, "Les prénoms du représentant légal");
			if (problem) throw refuse("name characters", problem);
		}
		if (minor && (representatives.length === 0 || input.consent.givenBy !== "legal-representative")) throw refuse("minor without legal representative", "Ce patient est mineur : indiquez son ou ses représentants légaux, qui donnent le consentement à la création du DMP en son nom.");
		if (input.consent.givenBy === "legal-representative" && representatives.length === 0) throw refuse("consent by nobody", "Le consentement est donné par un représentant légal : indiquez qui.");
		if (check.existing) throw new ApiError("CONFLICT", "Un DMP existe déjà pour ce patient (même matricule INS) : ouvrez-le au lieu d’en créer un second.", "dossier creation refused: same matricule");
		if (check.homonyms.length > 0 && !input.homonymsConfirmed) throw new ApiError("CONFLICT", `Un DMP existe déjà pour une personne aux cinq mêmes traits d’identité (${check.homonyms.length}) : vérifiez qu’il s’agit bien d’une autre personne avant de créer ce dossier.`, "dossier creation refused: homonyms not confirmed");
		const oid = identity.oid;
		const insKey = formatInsKey({
			matricule,
			oid
		});
		const login = newLogin(this.ctx.random);
		const oneTimeCode = newOneTimeCode(this.ctx.random);
		const expires = validUntil(now);
		const row = {
			ins_key: insKey,
			matricule,
			oid,
			ins_status: "fetched",
			identity_verified: input.identityDocumentChecked ? 1 : 0,
			status: "active",
			birth_name: identity.birthName.trim(),
			birth_name_norm: normaliseName(identity.birthName.trim()),
			used_name: null,
			first_names: identity.firstNames.trim(),
			birth_date: identity.birthDate,
			sex: identity.sex,
			birth_place_code: identity.birthPlaceCode,
			test_identity: isTestOid(oid) ? 1 : 0,
			bris_de_glace_opposition: input.consent.brisDeGlaceOpposition ? 1 : 0,
			centre15_opposition: input.consent.centre15Opposition ? 1 : 0,
			treating_physician_id: null
		};
		const insert = insertDossierStatement(this.ctx.sql, row, {
			id: domainActor.nationalId,
			name: professionalName(actor.professional),
			giver: input.consent.givenBy
		}, {
			login,
			codeHash: hashOneTimeCode(login, oneTimeCode),
			expiresAt: expires.toISOString()
		}, this.ctx.now);
		const representativeRows = representatives.map((r, position) => this.ctx.sql.statement(this.ctx.sql.db.insertInto("dossier_legal_representatives").values({
			ins_key: insKey,
			position,
			last_name: r.lastName,
			first_names: r.firstNames,
			relation: r.relation
		})));
		const pdf = await accessCodesPdf({
			patientName: `${row.first_names} ${row.birth_name}`,
			birthDate: row.birth_date,
			matricule,
			login,
			oneTimeCode,
			validUntil: expires.toISOString(),
			issuedAt: now.toISOString(),
			issuedBy: professionalName(actor.professional)
		});
		const consentNote = input.consent.givenBy === "legal-representative" ? "consentement du représentant légal" : "consentement du patient";
		await this.ctx.write([this.ctx.event(actor, "dossier.create", insKey, consentNote), this.ctx.event(actor, "accessCodes.print", insKey, null)], [insert, ...representativeRows]);
		this.ctx.log.info("dossier created", {
			ins: redactNir(matricule),
			minor,
			verified: input.identityDocumentChecked
		});
		return {
			dossier: toDossierRef(row),
			accessCodes: {
				login,
				oneTimeCode
			},
			pdf
		};
	}
	/** TD1.4: the patient's decision, recorded with the patient present or on their written request, with a reason. */
	async closeDossier(actor, insKey, reason, basis) {
		const { row } = await this.requireGovernance(actor, insKey, "close", reason, basis);
		if (row.status === "closed") throw new ApiError("CONFLICT", "Ce DMP est déjà clôturé.");
		const trimmed = reason.trim();
		await this.ctx.write([this.ctx.event(actor, "dossier.close", row.ins_key, governanceTarget(basis, trimmed))], [this.updateDossier(row.ins_key, {
			status: "closed",
			closed_reason: trimmed,
			closed_at: this.ctx.now().toISOString()
		})]);
		return toDossierRef({
			...row,
			status: "closed"
		});
	}
	/** TD1.2: as closing, the patient's decision. */
	async reactivateDossier(actor, insKey, reason, basis) {
		const { row } = await this.requireGovernance(actor, insKey, "reactivate", reason, basis);
		if (row.status !== "closed") throw new ApiError("CONFLICT", "Ce DMP est déjà actif.");
		await this.ctx.write([this.ctx.event(actor, "dossier.reactivate", row.ins_key, governanceTarget(basis, reason.trim()))], [this.updateDossier(row.ins_key, {
			status: "active",
			closed_reason: null,
			closed_at: null
		})]);
		return toDossierRef({
			...row,
			status: "active"
		});
	}
	updateDossier(insKey, change) {
		return this.ctx.sql.statement(this.ctx.sql.db.updateTable("dossiers").set(change).where("ins_key", "=", insKey));
	}
	async requireGovernance(actor, insKey, action, reason, basis) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		const domainActor = toDomainActor(actor.professional);
		await this.ctx.enforce(actor, row.ins_key, decideDossierManagement(domainActor, action));
		await this.ctx.enforce(actor, row.ins_key, decideDossierGovernance(domainActor, facts, actor.mode, action, basis, reason));
		return { row };
	}
};
/** What the audit keeps of a governance act: on what basis, and the reason given. */
function governanceTarget(basis, reason) {
	return `${basis.patientPresent ? "patient présent" : "à la demande écrite du patient"} ; ${reason}`;
}
var latestDocumentsShown = 10;
/**
* LOINC sections whose medications were given during a stay or a procedure (« Médicaments administrés »,
* thrombolysis): they describe what was done, not what the patient takes now.
*/
var ADMINISTERED_SECTIONS = ["18610-6", "57072-1"];
/** Care plan sections: what is planned, not taken yet. */
var PLAN_SECTIONS = ["18776-5", "61146-7"];
/** Day part of an ISO date or date-time, for ordering; missing dates sort last. */
function day(value) {
	return value ? value.slice(0, 10) : "";
}
function newestFirst(a, b) {
	const da = day(a.startDate ?? a.provenance.date);
	const db = day(b.startDate ?? b.provenance.date);
	return da === db ? 0 : da < db ? 1 : -1;
}
function monthsBefore(now, months) {
	const start = new Date(now.getTime());
	start.setUTCMonth(start.getUTCMonth() - months);
	return start.toISOString().slice(0, 10);
}
function frDate(iso) {
	const [y, m, d] = iso.slice(0, 10).split("-");
	return d && m ? `${d}/${m}/${y}` : m ? `${m}/${y}` : y ?? iso;
}
/**
* Where a medication stands on `today`, from its period, never from the CDA statusCode (fixed to
* `completed` by CI-SIS). Medications administered during a stay are history; care-plan lines are
* planned; an open-ended line is current only while its source document is recent.
*/
function medicationState(m, today, openEndedSince) {
	const start = day(m.startDate);
	const end = day(m.endDate);
	if (end !== "" && end < today) return {
		state: "ended",
		status: `Terminé le ${frDate(end)}`
	};
	if (start !== "" && start > today) return {
		state: "planned",
		status: `Débute le ${frDate(start)}`
	};
	if (m.sectionCode && ADMINISTERED_SECTIONS.includes(m.sectionCode)) return {
		state: "ended",
		status: "Administré pendant la prise en charge"
	};
	if (m.sectionCode && PLAN_SECTIONS.includes(m.sectionCode) && end === "") return {
		state: "planned",
		status: "Prévu au plan de soins"
	};
	if (end !== "") return {
		state: "current",
		status: `En cours jusqu’au ${frDate(end)}`
	};
	const reference = start !== "" ? start : day(m.documentDate);
	const documentDay = day(m.documentDate);
	if (documentDay !== "" && documentDay >= openEndedSince) return {
		state: "current",
		status: start !== "" ? `En cours depuis le ${frDate(start)}` : "En cours"
	};
	if (reference === "") return {
		state: "unknown",
		status: "Période non précisée : à vérifier"
	};
	return {
		state: "unknown",
		status: `Sans date de fin, document du ${frDate(documentDay || reference)} : à vérifier`
	};
}
var reimbursementKinds = /* @__PURE__ */ new Set([
	"medicine",
	"act",
	"stay",
	"device",
	"vaccine",
	"other"
]);
var KIND_LABELS = {
	medicine: "Médicament",
	act: "Acte",
	stay: "Séjour",
	device: "Dispositif médical",
	vaccine: "Vaccin",
	other: "Autre"
};
function reimbursementKindOf(row) {
	const kind = row.reimbursement_kind;
	return kind && reimbursementKinds.has(kind) ? kind : "other";
}
function groupKey(row) {
	const identity = row.code ? `code:${row.code_system ?? ""}:${row.code}` : `label:${row.label.trim().toUpperCase()}`;
	return `${row.reimbursement_kind ?? "other"}|${identity}`;
}
function inWindow(items, now) {
	const since = monthsBefore(now, 24);
	return items.filter((item) => {
		const when = day(item.entry.start_date ?? item.doc.document_date);
		return when === "" || when >= since;
	});
}
/** One line per medicine or act: how many times it was reimbursed, and when last. */
function groupReimbursements(items, now) {
	const groups = /* @__PURE__ */ new Map();
	for (const item of inWindow(items, now)) {
		const key = groupKey(item.entry);
		const group = groups.get(key) ?? {
			kind: reimbursementKindOf(item.entry),
			rows: []
		};
		group.rows.push(item);
		groups.set(key, group);
	}
	const result = [];
	for (const { kind, rows } of groups.values()) {
		const entries = rows.map(({ entry, doc }) => toClinicalEntry(entry, doc)).sort(newestFirst);
		const newest = entries[0];
		const lastDate = entries.map((e) => e.startDate).find((d) => d !== void 0);
		result.push({
			label: newest.label,
			kind,
			...newest.code ? { code: newest.code } : {},
			count: entries.length,
			...lastDate ? { lastDate } : {},
			entries
		});
	}
	return result.sort((a, b) => day(a.lastDate) === day(b.lastDate) ? a.label.localeCompare(b.label, "fr") : day(a.lastDate) < day(b.lastDate) ? 1 : -1);
}
/** Reimbursements line by line, newest first, within the 24-month window. */
function reimbursementLines(items, now) {
	return inWindow(items, now).map(({ entry, doc }) => {
		const data = decodeEntryData(entry.data);
		const kind = reimbursementKindOf(entry);
		const r = data.reimbursement ?? {};
		const clinical = toClinicalEntry(entry, doc);
		return {
			id: entry.id,
			...entry.start_date ? { date: entry.start_date } : {},
			label: entry.label,
			kind,
			kindLabel: KIND_LABELS[kind],
			...clinical.code ? { code: clinical.code } : {},
			...r.quantity ? { quantity: r.quantity } : {},
			...r.prescriber ? { prescriber: r.prescriber } : {},
			...r.pharmacy ? { pharmacy: r.pharmacy } : {},
			...r.performer ? { performer: r.performer } : {},
			therapeuticClass: r.therapeuticClass ?? KIND_LABELS[kind],
			provenance: clinical.provenance
		};
	}).sort((a, b) => day(a.date) === day(b.date) ? a.label.localeCompare(b.label, "fr") : day(a.date) < day(b.date) ? 1 : -1);
}
function normalise(value) {
	return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9]+/g, " ").trim().toUpperCase();
}
/** The same fact across documents: same code (or same words when uncoded), same date where dates matter. */
function factKey(e, withDate) {
	const what = e.code ? `${e.code.system ?? ""}:${e.code.code}` : normalise(e.label);
	return withDate ? `${what}|${day(e.startDate)}` : what;
}
/**
* One line per fact: entries stating the same thing are merged into the newest one, which keeps its
* own details and lists every source; details only an older source gives are added, never lost.
*/
function mergeFacts(entries, key) {
	const groups = /* @__PURE__ */ new Map();
	for (const e of [...entries].sort(newestFirst)) {
		const k = key(e);
		groups.set(k, [...groups.get(k) ?? [], e]);
	}
	return [...groups.values()].map((group) => {
		const [first, ...rest] = group;
		if (rest.length === 0) return first;
		const facts = [...first.facts ?? []];
		for (const other of rest) for (const f of other.facts ?? []) if (!facts.some((x) => x.label === f.label && x.value === f.value)) facts.push(f);
		const sources = uniqueSources(group.flatMap((e) => e.sources));
		return {
			...first,
			...facts.length > 0 ? { facts } : {},
			sources
		};
	});
}
function uniqueSources(sources) {
	const seen = /* @__PURE__ */ new Set();
	return sources.filter((s) => {
		const k = `${s.documentId}|${s.entryId ?? ""}`;
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}
var TREND_TOLERANCE = .05;
/** Latest value per analyte (code, else name), earlier ones kept, trend from the two latest numeric values. */
function labResults(items) {
	const groups = /* @__PURE__ */ new Map();
	for (const item of items) {
		const key = item.entry.code ? `${item.entry.code_system ?? ""}:${item.entry.code}` : normalise(item.entry.label);
		groups.set(key, [...groups.get(key) ?? [], item]);
	}
	const results = [];
	for (const group of groups.values()) {
		const values = group.filter((g) => g.data.lab !== void 0).map((g) => ({
			g,
			value: labValue(g)
		})).sort((a, b) => day(a.value.date) === day(b.value.date) ? 0 : day(a.value.date) < day(b.value.date) ? 1 : -1);
		const latest = values[0];
		if (!latest) continue;
		const numeric = values.filter((v) => v.g.data.lab?.numeric !== void 0 && v.g.data.lab.unit === latest.g.data.lab?.unit);
		let trend;
		let trendLabel;
		const [a, b] = numeric;
		if (a && b && a.g.data.lab?.numeric !== void 0 && b.g.data.lab?.numeric !== void 0 && day(a.value.date) !== day(b.value.date)) {
			const now = a.g.data.lab.numeric;
			const before = b.g.data.lab.numeric;
			const delta = before === 0 ? now - before : (now - before) / Math.abs(before);
			trend = Math.abs(delta) <= TREND_TOLERANCE ? "stable" : delta > 0 ? "up" : "down";
			const since = b.value.date ? ` depuis le ${frDate(b.value.date)}` : "";
			trendLabel = `${trend === "stable" ? "Stable" : trend === "up" ? "En hausse" : "En baisse"}${since} (${b.value.value}${b.value.unit ? ` ${b.value.unit}` : ""})`;
		}
		results.push({
			id: latest.g.entry.id,
			analyte: latest.g.clinical.label,
			...latest.g.clinical.code ? { code: latest.g.clinical.code } : {},
			latest: latest.value,
			previous: values.slice(1).map((v) => v.value),
			...trend ? { trend } : {},
			...trendLabel ? { trendLabel } : {},
			sources: uniqueSources(values.map((v) => v.value.provenance))
		});
	}
	return results.sort((x, y) => x.analyte.localeCompare(y.analyte, "fr"));
}
function labValue(item) {
	const lab = item.data.lab;
	const date = item.entry.start_date ?? item.doc.document_date ?? void 0;
	return {
		value: lab.value,
		...lab.unit ? { unit: lab.unit } : {},
		...date ? { date } : {},
		...lab.flag ? { flag: lab.flag } : {},
		...lab.flagLabel ? { flagLabel: lab.flagLabel } : {},
		...lab.referenceRange ? { referenceRange: lab.referenceRange } : {},
		provenance: item.clinical.provenance
	};
}
/** Explicit « nothing known » statements, one per section and wording, with every source. */
function noneKnown(items) {
	const groups = /* @__PURE__ */ new Map();
	for (const item of items) {
		const section = item.data.noneKnownSection;
		if (!section) continue;
		const key = `${section}|${normalise(item.entry.label)}`;
		const existing = groups.get(key);
		const source = item.clinical.provenance;
		if (existing) existing.sources.push(source);
		else groups.set(key, {
			section,
			text: item.entry.label,
			provenance: source,
			sources: [source]
		});
	}
	return [...groups.values()];
}
/**
* The emergency view, from entries of documents the caller has already been allowed to read. Each
* line is one fact, merged across documents with every source kept, so the clinician can check it.
*/
function buildSummary(dossier, items, readableDocs, now) {
	const today = now.toISOString().slice(0, 10);
	const sourced = items.map((i) => ({
		...i,
		data: decodeEntryData(i.entry.data),
		clinical: toClinicalEntry(i.entry, i.doc)
	}));
	const ofKind = (kind) => sourced.filter((s) => s.entry.kind === kind);
	const present = (kind) => ofKind(kind).filter((s) => !s.data.negated).map((s) => s.clinical).sort(newestFirst);
	const openEndedSince = monthsBefore(now, 12);
	const mergedMedications = mergeFacts(ofKind("medication").map((s) => {
		const { state, status } = medicationState({
			...s.entry.start_date ? { startDate: s.entry.start_date } : {},
			...s.entry.end_date ? { endDate: s.entry.end_date } : {},
			...s.data.moodCode ? { moodCode: s.data.moodCode } : {},
			...s.data.sectionCode ? { sectionCode: s.data.sectionCode } : {},
			...s.doc.document_date ? { documentDate: s.doc.document_date } : {}
		}, today, openEndedSince);
		return {
			...s.clinical,
			state,
			status
		};
	}), (e) => `${factKey(e, false)}|${e.state ?? ""}`).sort(newestFirst);
	const byRole = (roles) => mergeFacts(ofKind("contact").filter((s) => roles.includes(s.data.contactRole)).map((s) => ({
		...s.clinical,
		role: roleLabel(s.data.contactRole)
	})), (e) => normalise(e.label));
	const newestDeposit = readableDocs.map((d) => d.deposited_at).sort().at(-1);
	const latestDocuments = [...readableDocs].sort((a, b) => day(a.document_date ?? a.deposited_at) < day(b.document_date ?? b.deposited_at) ? 1 : -1).slice(0, latestDocumentsShown).map((d) => ({
		id: d.id,
		title: d.title,
		typeCode: d.type_code,
		typeLabel: typeLabel(d.type_code),
		...d.author_name ? { author: d.author_name } : {},
		...d.document_date ? { date: d.document_date } : {}
	}));
	const reimbursementItems = items.filter((i) => i.entry.kind === "reimbursement");
	return {
		dossier,
		generatedAt: now.toISOString(),
		...newestDeposit ? { dossierUpdatedAt: newestDeposit } : {},
		allergies: mergeFacts(present("allergy"), (e) => factKey(e, false)),
		medications: mergedMedications.filter((m) => m.state === "current"),
		otherMedications: mergedMedications.filter((m) => m.state !== "current"),
		problems: mergeFacts(present("problem"), (e) => factKey(e, false)),
		immunizations: mergeFacts(ofKind("immunization").map((s) => ({
			...s.clinical,
			...s.data.negated ? { state: "not-done" } : {}
		})), (e) => `${factKey(e, true)}|${e.state ?? ""}`).sort(newestFirst),
		devices: mergeFacts(present("device"), (e) => factKey(e, true)),
		procedures: mergeFacts(present("procedure"), (e) => factKey(e, true)),
		riskFactors: mergeFacts(ofKind("riskFactor").map((s) => s.clinical), (e) => `${factKey(e, false)}|${e.negated ? "neg" : ""}`),
		labResults: labResults(ofKind("labResult")),
		noneKnown: noneKnown(ofKind("noneKnown")),
		reimbursements: groupReimbursements(reimbursementItems, now),
		reimbursementLines: reimbursementLines(reimbursementItems, now),
		contacts: byRole([
			"notify",
			"legal",
			void 0
		]),
		trustedPersons: byRole(["trusted"]),
		treatingPhysicians: byRole(["treating"]),
		advanceDirectives: mergeFacts(present("advanceDirective"), (e) => `${factKey(e, false)}|${e.detail ?? ""}`),
		latestDocuments
	};
}
function roleLabel(role) {
	switch (role) {
		case "trusted": return "Personne de confiance";
		case "treating": return "Médecin traitant";
		case "legal": return "Représentant légal";
		case "notify": return "Personne à prévenir";
		default: return "Contact";
	}
}
// src/main/dmp/summary-operations.ts
/** The emergency summary: structured entries of the documents the reader may see, gathered per dossier. */
var SummaryOperations = class {
	ctx;
	constructor(ctx) {
		this.ctx = ctx;
	}
	/** `asOf` evaluates the 24-month reimbursement window at another date (audits, historical documents). */
	async getSummary(actor, insKey, options = {}) {
		const { row, facts } = await this.ctx.requireDossier(insKey);
		const key = row.ins_key;
		if (!isSystemActor(actor)) await this.ctx.enforce(actor, key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
		else if (row.status === "closed") throw new ApiError("LOCKED", "Ce DMP est fermé : il ne peut plus être consulté. Il peut être réactivé à la demande du patient.");
		const { db } = this.ctx.sql;
		const readable = (await this.ctx.sql.rows(this.ctx.store, db.selectFrom("documents").select(documentColumns).where("ins_key", "=", key).where("status", "=", "approved").where("deleted_at", "is", null))).filter((d) => this.ctx.mayRead(actor, facts, d));
		const byId = new Map(readable.map((d) => [d.id, d]));
		const items = (await this.ctx.sql.rows(this.ctx.store, db.selectFrom("clinical_entries").select(entryColumns).where("ins_key", "=", key).orderBy("document_id").orderBy("position"))).flatMap((entry) => {
			const doc = byId.get(entry.document_id);
			return doc ? [{
				entry,
				doc
			}] : [];
		});
		await this.ctx.write([this.ctx.event(actor, "summary.read", key, null)]);
		return buildSummary(toDossierRef(row), items, readable, options.asOf ?? this.ctx.now());
	}
};
// src/main/dmp/dmp-service.ts
/**
* The DMP as this workstation holds it: dossiers, documents, structured entries and the audit
* trail. Every access decision comes from the domain rules; every read or change of a dossier is
* written to the audit log, in the same transaction as the change.
*
* A façade: the callers keep one entry point while each concern lives in its own module, all
* sharing one context so that they write to the same audit chain.
*/
var DmpService = class {
	dossiers;
	documents;
	summary;
	history;
	constructor(options) {
		const ctx = new DmpContext(options);
		this.dossiers = new DossierOperations(ctx);
		this.documents = new DocumentOperations(ctx);
		this.summary = new SummaryOperations(ctx);
		this.history = new AccessHistory(ctx);
	}
	/**
	* Deposits a CDA into the dossier of the INS it carries (hospital feeds, demo seeding, CLI). The
	* service takes `bytes` over (the CDA parser may move them to a worker): do not reuse them.
	*/
	importCda(bytes, opts) {
		return this.documents.importCda(bytes, opts);
	}
	/** Records (log + audit) an import refused before the file could be read, then throws its French reason. */
	refuseImportFile(cause, message, actor) {
		return this.documents.refuseImportFile(cause, message, actor);
	}
	/** Deposit from the workstation: CDA (structured or not), plain PDF or text, authored by the CPS holder. */
	depositDocument(actor, input) {
		return this.documents.depositDocument(actor, input);
	}
	/**
	* A professional's search: INS, or birth-name prefix (3 letters) with a complete birth date; 20
	* results at most; rate-limited; each patient found gets a line in their history.
	*/
	searchDossiersAs(actor, query) {
		return this.dossiers.searchDossiersAs(actor, query);
	}
	/** The session's own look-up of a Vitale beneficiary's dossier; never exposed to a professional's query. */
	searchDossiers(query) {
		return this.dossiers.searchDossiers(query);
	}
	/** Records that the patient, present, let this professional in (TD0.3); only after an explicit user action. */
	authorize(actor, insKey, options = {}) {
		return this.dossiers.authorize(actor, insKey, options);
	}
	/** The doctor in session becomes the médecin traitant, with the patient present and consenting. */
	declareTreatingPhysician(actor, insKey, basis) {
		return this.dossiers.declareTreatingPhysician(actor, insKey, basis);
	}
	/** A professional records the patient's block (or unblock) of another professional. */
	recordProfessionalBlock(actor, insKey, target, basis) {
		return this.dossiers.recordProfessionalBlock(actor, insKey, target, basis);
	}
	/** Professionals the patient authorised or blocked, médecin traitant flagged. */
	professionals(insKey) {
		return this.dossiers.professionals(insKey);
	}
	/** What opening the dossier would decide, with nothing opened, audited or authorised. */
	accessDecision(actor, insKey) {
		return this.dossiers.accessDecision(actor, insKey);
	}
	openDossier(actor, insKey) {
		return this.dossiers.openDossier(actor, insKey);
	}
	/** A dossier for the same matricule (any OID), and the dossiers of people with the same five traits. */
	creationCheck(beneficiary, identity) {
		return this.dossiers.creationCheck(beneficiary, identity);
	}
	/** Traces a query of the identity reference (no patient named: criteria kind and number of answers). */
	traceIdentityLookup(actor, criteria, answers) {
		return this.dossiers.traceIdentityLookup(actor, criteria, answers);
	}
	createDossier(actor, input) {
		return this.dossiers.createDossier(actor, input);
	}
	/** The patient's decision, with the patient present or on their written request, and a reason. */
	closeDossier(actor, insKey, reason, basis) {
		return this.dossiers.closeDossier(actor, insKey, reason, basis);
	}
	reactivateDossier(actor, insKey, reason, basis) {
		return this.dossiers.reactivateDossier(actor, insKey, reason, basis);
	}
	/** `asOf` evaluates the 24-month reimbursement window at another date (audits, historical documents). */
	getSummary(actor, insKey, options = {}) {
		return this.summary.getSummary(actor, insKey, options);
	}
	listDocuments(actor, insKey, filter = {}) {
		return this.documents.listDocuments(actor, insKey, filter);
	}
	getDocument(actor, insKey, id) {
		return this.documents.getDocument(actor, insKey, id);
	}
	/** Only the author (or their structure); a visibility change also at the request of the patient present. */
	updateDocument(actor, insKey, id, change, basis = {}) {
		return this.documents.updateDocument(actor, insKey, id, change, basis);
	}
	deleteDocument(actor, insKey, id) {
		return this.documents.deleteDocument(actor, insKey, id);
	}
	/** The dossier's history in French sentences, newest first; a professional's reading is audited. */
	accessHistory(by, insKey) {
		return this.history.accessHistory(by, insKey);
	}
	verifyAudit() {
		return this.history.verifyAudit();
	}
};
// src/main/concurrency/worker-entry.ts
/**
* Where a worker's entry lives: `./<name>.ts` next to the calling module under tsx/vitest, `<name>.js`
* next to the bundle otherwise (every bundle build puts each worker entry beside its entries:
* scripts/node-bundle.mjs, electron.vite.config.ts). `moduleUrl` is the caller's `import.meta.url`:
* once bundled, it is the bundle's (or chunk's) own location.
*/
function resolveWorkerEntry$1(name, moduleUrl) {
	if (moduleUrl.endsWith(".ts")) return typeScriptEntry(new URL(`./${name}.ts`, moduleUrl), moduleUrl);
	const candidates = [new URL(`./${name}.js`, moduleUrl), new URL(`../${name}.js`, moduleUrl)];
	return {
		url: candidates.find((u) => u.protocol !== "file:" || existsSync(fileURLToPath(u))) ?? candidates[0],
		tsBootstrap: null
	};
}
/** An explicit entry file (tests, unusual bundling): a `.ts` one goes through the tsx bootstrap. */
function workerEntryAt(url) {
	return url.pathname.endsWith(".ts") ? typeScriptEntry(url, url.href) : {
		url,
		tsBootstrap: null
	};
}
/**
* On Node 20, `execArgv: ['--import', 'tsx']` does not reach a worker's entry module ("Unknown file
* extension .ts"), so the worker starts from a one-line script that registers tsx's ESM hooks in its
* own thread and then imports the TypeScript entry.
*/
function typeScriptEntry(url, moduleUrl) {
	let tsxApi = "tsx/esm/api";
	try {
		const tsxPackage = createRequire(moduleUrl).resolve("tsx/package.json");
		tsxApi = pathToFileURL(join(dirname(tsxPackage), "dist/esm/api/index.mjs")).href;
	} catch {}
	return {
		url,
		tsBootstrap: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`
	};
}
function startWorker(entry, options = {}) {
	if (entry.tsBootstrap) return new Worker(entry.tsBootstrap, {
		...options,
		eval: true
	});
	return new Worker(entry.url, options);
}
// src/main/dmp/cda-parser-pool.ts
/** How long a new worker may take to load the parser (a start under tsx on a loaded machine takes seconds). */
var workerStartBudgetMs = 6e4;
/** Cores minus one for the event loop, at most 4, at least 1. */
function defaultCdaParserWorkers(cores = availableParallelism()) {
	return Math.max(1, Math.min(cores - 1, 4));
}
var cdaParserMessages = {
	busy: "Serveur occupé : trop de documents sont en cours d’analyse. Réessayez dans un instant.",
	closing: "Le service s’arrête : le document n’a pas été analysé ni enregistré. Réessayez après son redémarrage.",
	timeout: (seconds) => `Document CDA illisible : son analyse a dépassé le temps alloué (${seconds} s). Le document est refusé.`,
	memory: "Document CDA illisible : son analyse demande plus de mémoire que permis. Le document est refusé.",
	crashed: "L’analyse du document CDA s’est interrompue (erreur interne de l’analyseur) : le document n’a pas été enregistré. Réessayez ; si l’erreur se répète, signalez-la à l’administrateur.",
	unavailable: "L’analyseur de documents CDA n’a pas pu démarrer : le document n’a pas été enregistré. L’incident a été journalisé."
};
/**
* Parses CDAs in worker threads, so a 1.5 MB IPS-FR (~26 ms of CPU, far more on a loaded machine)
* never holds the event loop every other request of the process waits on. One document per worker
* at a time; documents wait in a bounded queue; a worker that crashes, runs out of its heap or
* exceeds a document's time budget fails only that document (French refusal, precise log) and is
* replaced on the next document. Idle workers do not keep the process alive.
*/
var CdaParserPool = class {
	size;
	maxQueued;
	maxQueuedBytes;
	timeoutMs;
	maxHeapMb;
	log;
	entry;
	slots = [];
	queue = [];
	queuedBytes = 0;
	nextId = 1;
	closed = false;
	constructor(options) {
		this.size = Math.max(1, Math.floor(options.workers ?? defaultCdaParserWorkers()));
		this.maxQueued = options.maxQueued ?? 64;
		this.maxQueuedBytes = options.maxQueuedBytes ?? 268435456;
		this.timeoutMs = options.timeoutMs ?? 3e4;
		this.maxHeapMb = options.maxHeapMb ?? 512;
		this.log = options.log;
		this.entry = options.entry ?? resolveWorkerEntry$1("cda-parser-worker", import.meta.url);
	}
	/** Workers running (started, not yet stopped). */
	get workers() {
		return this.slots.length;
	}
	parse(bytes) {
		if (this.closed) return Promise.reject(new ApiError("UNAVAILABLE", cdaParserMessages.closing, "cda parser pool closed"));
		const size = bytes.byteLength;
		if (this.queue.length >= this.maxQueued || this.queue.length > 0 && this.queuedBytes + size > this.maxQueuedBytes) {
			this.log.warn("cda parser pool full: document refused", {
				queued: this.queue.length,
				queuedBytes: this.queuedBytes,
				bytes: size
			});
			return Promise.reject(new ApiError("UNAVAILABLE", cdaParserMessages.busy, `cda parser pool full (${this.queue.length} waiting)`));
		}
		return new Promise((resolve, reject) => {
			this.queue.push({
				bytes,
				size,
				resolve,
				reject
			});
			this.queuedBytes += size;
			this.pump();
		});
	}
	/** Stops every worker; documents waiting or in progress are refused (« le service s’arrête »). */
	async close() {
		if (this.closed) return;
		this.closed = true;
		const refusal = () => new ApiError("UNAVAILABLE", cdaParserMessages.closing, "cda parser pool closed");
		for (const job of this.queue.splice(0)) job.reject(refusal());
		this.queuedBytes = 0;
		const stopping = this.slots.splice(0).map((slot) => {
			slot.gone = true;
			if (slot.timer) clearTimeout(slot.timer);
			slot.job?.reject(refusal());
			return slot.worker.terminate();
		});
		await Promise.all(stopping);
	}
	pump() {
		while (this.queue.length > 0 && !this.closed) {
			const idle = this.slots.find((s) => s.ready && !s.job && !s.gone);
			if (!idle) {
				const starting = this.slots.filter((s) => !s.ready).length;
				if (this.slots.length < this.size && starting < this.queue.length) {
					this.spawn();
					continue;
				}
				return;
			}
			const job = this.queue.shift();
			this.queuedBytes -= job.size;
			this.dispatch(idle, job);
		}
	}
	dispatch(slot, job) {
		slot.job = job;
		slot.worker.ref();
		slot.timer = setTimeout(() => this.overBudget(slot), this.timeoutMs);
		const id = this.nextId++;
		slot.worker.postMessage({
			id,
			bytes: job.bytes
		}, transferableBuffers(job.bytes));
	}
	spawn() {
		const worker = startWorker(this.entry, {
			name: "cda-parser",
			resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb }
		});
		const slot = {
			worker,
			ready: false,
			job: null,
			timer: null,
			gone: false
		};
		this.slots.push(slot);
		slot.timer = setTimeout(() => {
			if (slot.ready || slot.gone) return;
			worker.terminate();
			this.lost(slot, /* @__PURE__ */ new Error(`not ready after ${workerStartBudgetMs} ms`));
		}, workerStartBudgetMs);
		worker.on("message", (message) => {
			if (slot.gone) return;
			if (message.kind === "ready") {
				slot.ready = true;
				if (slot.timer) clearTimeout(slot.timer);
				slot.timer = null;
				worker.unref();
				this.log.info("cda parser worker started", {
					threadId: worker.threadId,
					workers: this.slots.length
				});
				this.pump();
				return;
			}
			const job = this.finish(slot);
			if (!job) return;
			worker.unref();
			if (message.kind === "parsed") job.resolve({
				document: message.document,
				bytes: message.bytes
			});
			else job.reject(new ApiError(message.error.code, message.error.message, message.error.logDetail));
			this.pump();
		});
		worker.on("error", (err) => this.lost(slot, err));
		worker.on("exit", (code) => this.lost(slot, null, code));
	}
	/** The slot's document, its timer cleared: it is answered by the caller. */
	finish(slot) {
		const job = slot.job;
		slot.job = null;
		if (slot.timer) clearTimeout(slot.timer);
		slot.timer = null;
		return job;
	}
	remove(slot) {
		slot.gone = true;
		const i = this.slots.indexOf(slot);
		if (i >= 0) this.slots.splice(i, 1);
	}
	overBudget(slot) {
		if (slot.gone) return;
		const job = this.finish(slot);
		this.remove(slot);
		slot.worker.terminate();
		const seconds = Math.round(this.timeoutMs / 1e3);
		this.log.error("cda parse over its time budget: worker stopped, document refused", {
			budgetMs: this.timeoutMs,
			bytes: job?.size ?? 0,
			threadId: slot.worker.threadId
		});
		job?.reject(new ApiError("INVALID_INPUT", cdaParserMessages.timeout(seconds), `cda timeout: parse still running after ${this.timeoutMs} ms (${job.size} bytes), worker terminated`));
		this.pump();
	}
	/** A worker crashed or exited on its own: only its document fails; the next document starts a new one. */
	lost(slot, err, exitCode) {
		if (slot.gone) return;
		const job = this.finish(slot);
		this.remove(slot);
		const outOfMemory = err?.code === "ERR_WORKER_OUT_OF_MEMORY";
		const fields = {
			error: err ? `${err.name}: ${err.message}` : `exited with code ${exitCode ?? "unknown"}`,
			...err?.code ? { code: err.code } : {},
			started: slot.ready,
			bytes: job?.size ?? 0,
			threadId: slot.worker.threadId
		};
		if (!slot.ready) {
			this.log.error("cda parser worker failed to start", fields);
			for (const waiting of this.queue.splice(0)) waiting.reject(new ApiError("INTERNAL", cdaParserMessages.unavailable, "cda parser worker failed to start"));
			this.queuedBytes = 0;
			return;
		}
		this.log.error(outOfMemory ? "cda parser worker out of memory: document refused" : "cda parser worker crashed", fields);
		if (job) job.reject(outOfMemory ? new ApiError("INVALID_INPUT", cdaParserMessages.memory, `cda memory: worker heap limit ${this.maxHeapMb} MB exceeded (${job.size} bytes)`) : new ApiError("INTERNAL", cdaParserMessages.crashed, `cda parser worker crashed: ${fields.error}`));
		this.pump();
	}
};
// src/main/db/migration.ts
/**
* A migration written once: `build` gets a builder for the dialect asked for, and its steps are
* compiled to SQL for that dialect. DDL has no parameters (defaults are compiled as literals).
*/
function migration(version, name, build) {
	return {
		version,
		name,
		statements: (dialect) => build(queryBuilder(dialect), dialect).map((step) => {
			if (typeof step === "string") return step;
			const compiled = step.compile();
			if (compiled.parameters.length > 0) throw new TypeError(`migration ${version} (${name}): a step has parameters: ${compiled.sql}`);
			return compiled.sql;
		})
	};
}
// src/main/audit/schema.ts
/**
* Audit tables, applied by the DMP migrations. Rows are append-only: triggers refuse UPDATE and
* DELETE so an ordinary code path cannot rewrite history; the hash chain catches anyone who drops
* the triggers. `audit_head` remembers count and last hash so rows cut off the end are noticed.
*/
function auditSchemaMigration(version) {
	return migration(version, "audit-log", (db, dialect) => [
		db.schema.createTable("audit_log").addColumn("seq", "integer", (c) => c.primaryKey()).addColumn("at", "text", (c) => c.notNull()).addColumn("actor_id", "text", (c) => c.notNull()).addColumn("actor_name", "text", (c) => c.notNull()).addColumn("card_serial", "text").addColumn("profession", "text", (c) => c.notNull()).addColumn("mode", "text").addColumn("reason", "text").addColumn("action", "text", (c) => c.notNull()).addColumn("ins_key", "text").addColumn("target", "text").addColumn("prev_hash", "text", (c) => c.notNull()).addColumn("hash", "text", (c) => c.notNull()),
		db.schema.createIndex("audit_log_by_dossier").on("audit_log").columns(["ins_key", "seq"]),
		...appendOnlyTriggers(dialect, "audit_log"),
		db.schema.createTable("audit_head").addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`)).addColumn("count", "integer", (c) => c.notNull()).addColumn("last_hash", "text", (c) => c.notNull())
	]);
}
/**
* Each entry's HMAC under the audit key (kept outside the store): a rewrite with the store key alone
* can recompute the SHA-256 links but not these. Entries written before this migration keep NULL.
*/
function auditMacMigration(version) {
	return migration(version, "audit-entry-mac", (db) => [db.schema.alterTable("audit_log").addColumn("mac", "text")]);
}
/**
* The audit key's marker (issue 13): one row holding the fingerprint of the audit key every host
* writing this chain must use (`auditKeyFingerprint`), never the key. Checked by the shared host at
* start (audit-key-marker.ts); created on both engines, used on PostgreSQL only (README.md, « Keys »).
*/
function auditKeyMarkerMigration(version) {
	return migration(version, "audit-key-marker", (db) => [db.schema.createTable("audit_key_marker").addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`)).addColumn("key_fingerprint", "text", (c) => c.notNull()).addColumn("recorded_at", "text", (c) => c.notNull())]);
}
// src/main/store/host-requests.ts
/**
* Write requests made at most once, whichever host receives them and however often they are retried.
*
* A workstation sends each write request with a request id and sends the same id again when it
* retries (timeout, lost answer, another host after a failover). The host runs the request inside
* `runAsHostRequest`; the store it gave the DMP service is wrapped by `claimingStore`, whose first
* write transaction during that request also inserts the id into `host_requests`, as its first
* statement. The table's primary key, not a lock, decides: of two deliveries of one request — even
* on two hosts at once — exactly one writes; the other gets `RequestAlreadyApplied` and nothing of
* it is written.
*
* A retry is answered with that refusal, not with the first delivery's result: the workstation
* draws a new id for every call (host-client) and never retries a write by itself, so nothing would
* read a recorded result, and recording one (a document id…, known only after the write committed)
* would cost every write a second transaction. The `outcome` column of the migration is therefore
* never written (a migration is not changed once shipped).
*/
function hostRequestsMigration(version) {
	return migration(version, "host-requests", (db) => [db.schema.createTable("host_requests").addColumn("request_id", "text", (c) => c.primaryKey()).addColumn("method", "text", (c) => c.notNull()).addColumn("applied_at", "text", (c) => c.notNull()).addColumn("outcome", "text")]);
}
new AsyncLocalStorage();
Uint8Array.from([
	0,
	69,
	78,
	67,
	50
]);
Uint8Array.from([
	0,
	69,
	78,
	67,
	49
]);
// src/main/store/pg/sealing-marker.ts
/**
* The database says whether its designated columns are sealed, and under which field key: one row
* of `field_sealing` holding the key's fingerprint (an HMAC of a fixed label, field-sealing.ts), never
* the key. A host starts only if its configuration agrees with it (fail closed, docs/host.md,
* « Encryption at rest »): so a wrong key file, a missing one, or values written before sealing
* (clear text, version 1) stop the start with a reason, instead of showing unreadable or
* unauthenticated values later.
*/
var sqlIdIsOne = sql`id = 1`;
var fieldSealingMigrationName = "field-sealing-marker";
function fieldSealingMigration(version) {
	return migration(version, fieldSealingMigrationName, (db) => [db.schema.createTable("field_sealing").addColumn("id", "integer", (c) => c.primaryKey().check(sqlIdIsOne)).addColumn("key_fingerprint", "text", (c) => c.notNull()).addColumn("format", "text", (c) => c.notNull()).addColumn("sealed_at", "text", (c) => c.notNull())]);
}
// src/main/dmp/migrations.ts
/** A CHECK that `column` holds one of `values` (compiled as literals: DDL has no parameters). */
function oneOf$1(column, values) {
	return sql`${sql.ref(column)} IN (${sql.join(values.map((v) => sql.lit(v)))})`;
}
var sexes = [
	"M",
	"F",
	"U"
];
/**
* DMP schema. Names are kept twice: as written (for display) and normalised (upper case, no
* accents) so the search can use an index instead of scanning every dossier.
*/
function dossiersSchema(db) {
	return [
		db.schema.createTable("dossiers").addColumn("ins_key", "text", (c) => c.primaryKey()).addColumn("matricule", "text", (c) => c.notNull()).addColumn("oid", "text", (c) => c.notNull()).addColumn("ins_status", "text", (c) => c.notNull().check(oneOf$1("ins_status", [
			"provisional",
			"fetched",
			"qualified"
		]))).addColumn("status", "text", (c) => c.notNull().check(oneOf$1("status", ["active", "closed"]))).addColumn("birth_name", "text", (c) => c.notNull()).addColumn("used_name", "text").addColumn("first_names", "text", (c) => c.notNull()).addColumn("birth_date", "text", (c) => c.notNull()).addColumn("sex", "text", (c) => c.notNull().check(oneOf$1("sex", sexes))).addColumn("birth_place_code", "text").addColumn("birth_name_norm", "text", (c) => c.notNull()).addColumn("used_name_norm", "text").addColumn("test_identity", "integer", (c) => c.notNull()).addColumn("consent_by_id", "text", (c) => c.notNull()).addColumn("consent_by_name", "text", (c) => c.notNull()).addColumn("consent_at", "text", (c) => c.notNull()).addColumn("bris_de_glace_opposition", "integer", (c) => c.notNull().defaultTo(0)).addColumn("centre15_opposition", "integer", (c) => c.notNull().defaultTo(0)).addColumn("treating_physician_id", "text").addColumn("created_at", "text", (c) => c.notNull()).addColumn("closed_reason", "text").addColumn("closed_at", "text").addColumn("access_login", "text").addColumn("access_code_hash", "text").addColumn("access_code_expires_at", "text").addUniqueConstraint("dossiers_matricule_oid_key", ["matricule", "oid"]),
		db.schema.createIndex("dossiers_by_birth_name").on("dossiers").columns(["birth_name_norm", "birth_date"]),
		db.schema.createIndex("dossiers_by_used_name").on("dossiers").columns(["used_name_norm", "birth_date"]),
		db.schema.createIndex("dossiers_by_birth_date").on("dossiers").columns(["birth_date", "birth_name_norm"]),
		db.schema.createIndex("dossiers_by_matricule").on("dossiers").column("matricule"),
		db.schema.createTable("dossier_professionals").addColumn("ins_key", "text", (c) => c.notNull().references("dossiers.ins_key").onDelete("cascade")).addColumn("national_id", "text", (c) => c.notNull()).addColumn("display_name", "text", (c) => c.notNull()).addColumn("relation", "text", (c) => c.notNull().check(oneOf$1("relation", ["authorized", "blocked"]))).addColumn("since", "text", (c) => c.notNull()).addPrimaryKeyConstraint("dossier_professionals_pkey", ["ins_key", "national_id"])
	];
}
function documentsSchema(db, dialect) {
	return [
		db.schema.createTable("documents").addColumn("id", "text", (c) => c.primaryKey()).addColumn("ins_key", "text", (c) => c.notNull().references("dossiers.ins_key").onDelete("cascade")).addColumn("title", "text", (c) => c.notNull()).addColumn("type_code", "text", (c) => c.notNull()).addColumn("category", "text", (c) => c.notNull()).addColumn("format", "text", (c) => c.notNull().check(oneOf$1("format", [
			"cda-structured",
			"cda-unstructured",
			"pdf",
			"text"
		]))).addColumn("media_type", "text").addColumn("author_name", "text").addColumn("author_id", "text").addColumn("author_profession", "text").addColumn("document_date", "text").addColumn("deposited_at", "text", (c) => c.notNull()).addColumn("deposited_by", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().check(oneOf$1("status", [
			"approved",
			"obsolete",
			"archived"
		]))).addColumn("visibility", "integer", (c) => c.notNull()).addColumn("version", "integer", (c) => c.notNull()).addColumn("replaces_id", "text").addColumn("set_id", "text").addColumn("cda_id", "text").addColumn("content", binaryColumnType(dialect), (c) => c.notNull()).addColumn("payload", binaryColumnType(dialect)).addColumn("content_sha256", "text", (c) => c.notNull()).addUniqueConstraint("documents_ins_key_content_sha256_key", ["ins_key", "content_sha256"]),
		db.schema.createIndex("documents_by_dossier").on("documents").columns([
			"ins_key",
			"status",
			"document_date"
		]),
		db.schema.createIndex("documents_by_set").on("documents").columns(["ins_key", "set_id"]),
		db.schema.createTable("document_sections").addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade")).addColumn("position", "integer", (c) => c.notNull()).addColumn("code", "text").addColumn("title", "text").addColumn("narrative_html", "text", (c) => c.notNull()).addColumn("entry_count", "integer", (c) => c.notNull()).addPrimaryKeyConstraint("document_sections_pkey", ["document_id", "position"]),
		...clinicalEntriesSchema(db, "clinical_entries", entryKindsV2, false)
	];
}
var entryKindsV2 = [
	"allergy",
	"medication",
	"problem",
	"immunization",
	"reimbursement",
	"contact",
	"advanceDirective"
];
var entryKindsV5 = [
	...entryKindsV2,
	"device",
	"procedure",
	"riskFactor",
	"labResult",
	"noneKnown"
];
/** `clinical_entries` as created by migration 2 and rebuilt by migration 5 (more kinds, a `data` column), with its indexes. */
function clinicalEntriesSchema(db, table, kinds, withData) {
	const create = db.schema.createTable(table).addColumn("id", "text", (c) => c.primaryKey()).addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade")).addColumn("ins_key", "text", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull().check(oneOf$1("kind", kinds))).addColumn("label", "text", (c) => c.notNull()).addColumn("code", "text").addColumn("code_system", "text").addColumn("code_display", "text").addColumn("detail", "text").addColumn("start_date", "text").addColumn("end_date", "text").addColumn("status", "text").addColumn("author", "text").addColumn("reimbursement_kind", "text").addColumn("section_code", "text").addColumn("position", "integer", (c) => c.notNull());
	return [withData ? create.addColumn("data", "text") : create];
}
function clinicalEntriesIndexes(db) {
	return [db.schema.createIndex("clinical_entries_by_dossier").on("clinical_entries").columns(["ins_key", "kind"]), db.schema.createIndex("clinical_entries_by_document").on("clinical_entries").column("document_id")];
}
/**
* Identity vigilance (RNIV): the identity reference (the INSi stand-in, its own tables), whether an
* identity document was checked (validée / qualifiée), and a minor's legal representatives, who
* give consent in the minor's name. CHECK constraints cannot be altered in SQLite without
* rebuilding `dossiers` (whose cascades would empty the documents), so the RNIV status is derived
* from `ins_status` (where the INS came from) and `identity_verified`.
*/
function identitySchema(db) {
	return [
		db.schema.createTable("identity_reference").addColumn("matricule", "text", (c) => c.notNull()).addColumn("oid", "text", (c) => c.notNull()).addColumn("birth_name", "text", (c) => c.notNull()).addColumn("first_names", "text", (c) => c.notNull()).addColumn("birth_date", "text", (c) => c.notNull()).addColumn("sex", "text", (c) => c.notNull().check(oneOf$1("sex", sexes))).addColumn("birth_place_code", "text", (c) => c.notNull()).addColumn("birth_name_norm", "text", (c) => c.notNull()).addColumn("first_name_norm", "text", (c) => c.notNull()).addColumn("card_nir", "text").addColumn("birth_rank", "integer").addPrimaryKeyConstraint("identity_reference_pkey", ["matricule", "oid"]),
		db.schema.createIndex("identity_reference_by_card").on("identity_reference").columns(["card_nir", "birth_date"]),
		db.schema.createIndex("identity_reference_by_traits").on("identity_reference").columns(["birth_name_norm", "birth_date"]),
		db.schema.alterTable("dossiers").addColumn("identity_verified", "integer", (c) => c.notNull().defaultTo(0)),
		db.schema.alterTable("dossiers").addColumn("consent_given_by", "text", (c) => c.notNull().defaultTo("patient")),
		db.schema.createTable("dossier_legal_representatives").addColumn("ins_key", "text", (c) => c.notNull().references("dossiers.ins_key").onDelete("cascade")).addColumn("position", "integer", (c) => c.notNull()).addColumn("last_name", "text", (c) => c.notNull()).addColumn("first_names", "text", (c) => c.notNull()).addColumn("relation", "text", (c) => c.notNull()).addPrimaryKeyConstraint("dossier_legal_representatives_pkey", ["ins_key", "position"])
	];
}
/** The columns of `clinical_entries` before migration 5, copied over by its rebuild. */
var entryColumnsV2 = [
	"id",
	"document_id",
	"ins_key",
	"kind",
	"label",
	"code",
	"code_system",
	"code_display",
	"detail",
	"start_date",
	"end_date",
	"status",
	"author",
	"reimbursement_kind",
	"section_code",
	"position"
];
/**
* Issue 10: new entry kinds (devices, procedures, risk factors, lab results, « nothing known »
* statements) and a JSON `data` column for what a row of fixed columns cannot hold (labelled facts,
* negation, lab value, contact role…). SQLite cannot relax a CHECK in place, so the table is rebuilt
* (the same steps on PostgreSQL, where one set of migrations is simpler than two); existing rows
* keep `data` NULL and are read as before.
*/
function clinicalEntriesV5Schema(db) {
	const withV5 = db.withTables();
	return [
		...clinicalEntriesSchema(db, "clinical_entries_v5", entryKindsV5, true),
		withV5.insertInto("clinical_entries_v5").columns([...entryColumnsV2]).expression(withV5.selectFrom("clinical_entries").select([...entryColumnsV2])),
		db.schema.dropTable("clinical_entries"),
		db.schema.alterTable("clinical_entries_v5").renameTo("clinical_entries"),
		...clinicalEntriesIndexes(db)
	];
}
/**
* Logical deletion (a deleted document stays for the legal retention period, hidden from every list) and
* the author's structure, so an establishment's documents can be managed by the establishment.
*/
function documentWritesSchema(db) {
	return [
		"author_structure_id",
		"deleted_at",
		"deleted_by"
	].map((column) => db.schema.alterTable("documents").addColumn(column, "text"));
}
/**
* One dossier per person: the creation check refuses a second dossier for a matricule already
* known under any OID, but hosts sharing a database can both pass that check before either writes;
* this index makes the second write fail instead (answered as CONFLICT, like the check).
*/
function onePerMatriculeSchema(db) {
	return [db.schema.dropIndex("dossiers_by_matricule"), db.schema.createIndex("dossiers_one_per_matricule").on("dossiers").column("matricule").unique()];
}
var dmpMigrations = [
	migration(1, "dmp-dossiers", dossiersSchema),
	migration(2, "dmp-documents", (db, dialect) => [...documentsSchema(db, dialect), ...clinicalEntriesIndexes(db)]),
	auditSchemaMigration(3),
	migration(4, "identity-vigilance", identitySchema),
	migration(5, "clinical-entries-v5", clinicalEntriesV5Schema),
	auditMacMigration(6),
	migration(7, "document-logical-deletion", documentWritesSchema),
	hostRequestsMigration(8),
	migration(9, "dossiers-one-per-matricule", onePerMatriculeSchema),
	fieldSealingMigration(10),
	auditKeyMarkerMigration(11)
];
// src/main/store/migration-scripts.ts
/** The migrations as one engine applies them: resolved for its dialect, plain data (structured-clone safe). */
function migrationScripts(migrations, dialect) {
	return migrations.map((m) => ({
		version: m.version,
		name: m.name,
		statements: [...m.statements(dialect)]
	}));
}
// src/main/store/open-store.ts
/** Where the store worker's entry lives: next to this source under tsx/vitest, next to the bundle otherwise. */
function resolveWorkerEntry(moduleUrl = import.meta.url) {
	return resolveWorkerEntry$1("store-worker", moduleUrl);
}
/**
* Opens (or creates) the encrypted, journaled store. Resolves once the snapshot is loaded, the
* journal replayed and the migrations applied; rejects with a `StoreError` (French message) when
* the data cannot be opened as is — never with an empty database in place of existing data.
*/
function openStore(options) {
	const { log } = options;
	const entry = options.workerUrl ? workerEntryAt(options.workerUrl) : resolveWorkerEntry();
	const workerData = {
		dir: options.dir,
		key: new Uint8Array(options.key.key),
		migrations: migrationScripts(options.migrations, "sqlite"),
		snapshotEvery: options.snapshotEvery,
		chunkSize: options.chunkSize,
		readOnly: options.readOnly ?? false
	};
	const worker = startWorker(entry, { workerData });
	workerData.key.fill(0);
	const pending = /* @__PURE__ */ new Map();
	let nextId = 1;
	let dead = null;
	let closing = null;
	return new Promise((resolveOpen, rejectOpen) => {
		let opened = false;
		const failAll = (err) => {
			dead = err;
			for (const p of pending.values()) p.reject(err);
			pending.clear();
			if (!opened) rejectOpen(err);
		};
		worker.on("message", (message) => {
			switch (message.kind) {
				case "log":
					log[message.level](message.msg, message.fields);
					return;
				case "open-failed": {
					const err = deserializeError(message.error);
					log.error("store open failed", {
						reason: err.reason,
						detail: err.detail
					});
					failAll(err);
					return;
				}
				case "opened":
					opened = true;
					resolveOpen(makeStore(message.recovery));
					return;
				case "reply": {
					const p = pending.get(message.id);
					if (!p) return;
					pending.delete(message.id);
					if (message.ok) p.resolve(message.value);
					else p.reject(deserializeError(message.error));
					return;
				}
			}
		});
		worker.on("error", (err) => {
			log.error("store worker crashed", { detail: err.message });
			failAll(new StoreError("WORKER_FAILED", err.message));
		});
		worker.on("exit", (code) => {
			if (pending.size > 0 || !opened || !closing && !dead) failAll(dead ?? new StoreError("WORKER_FAILED", `worker exited with code ${code}`));
		});
		const call = (request) => {
			if (dead) return Promise.reject(dead);
			const id = nextId++;
			return new Promise((resolve, reject) => {
				pending.set(id, {
					resolve,
					reject
				});
				worker.postMessage({
					...request,
					id
				});
			});
		};
		const writes = new SerialQueue();
		const reader = { all: (sql, params) => call(params === void 0 ? {
			op: "all",
			sql
		} : {
			op: "all",
			sql,
			params
		}) };
		const makeStore = (recovery) => ({
			recovery,
			dialect: "sqlite",
			all: reader.all,
			write(statements) {
				return writes.run(() => call({
					op: "write",
					statements
				}));
			},
			writeChained(write) {
				return writes.run(async () => {
					const chained = await write.chain(reader);
					await call({
						op: "write",
						statements: [...write.statements, ...chained]
					});
				});
			},
			readSnapshot(read) {
				return writes.run(() => read(reader));
			},
			compact: () => call({ op: "compact" }),
			stats: () => call({ op: "stats" }),
			close() {
				closing ??= (async () => {
					if (dead) {
						await worker.terminate();
						return;
					}
					try {
						await call({ op: "close" });
					} finally {
						dead = new StoreError("CLOSED", "store used after close");
						await worker.terminate();
					}
				})();
				return closing;
			}
		});
	});
}
// src/main/app/paths.ts
/**
* The repository/app root, found from this module whether it runs from `src/main/app` (tsx) or from
* the bundle in `out/main`: the first ancestor holding `resources/`.
*/
function projectRoot() {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 6; i++) {
		if (existsSync(join(dir, "resources")) && existsSync(join(dir, "package.json"))) return dir;
		dir = dirname(dir);
	}
	return resolve(process.cwd());
}
var resourcesDir = () => join(projectRoot(), "resources");
/**
* Data folder of the browser host and the CLI: `$POSTE_DMP_DATA`, else the XDG data folder. The
* desktop app keeps its own in Electron's userData, with its key wrapped by the OS keyring.
*/
function defaultDataDir() {
	if (process.env.POSTE_DMP_DATA) return resolve(process.env.POSTE_DMP_DATA);
	const base = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
	return join(base, "poste-dmp");
}
function dataLayout(dataDir) {
	return {
		dataDir,
		storeDir: join(dataDir, "store"),
		keyFile: join(dataDir, "store.key"),
		wrappedKeyFile: join(dataDir, "store-key.wrapped"),
		lockFile: join(dataDir, lockFileName),
		logFile: join(dataDir, "logs", "poste-dmp.log"),
		auditKeyFile: join(dataDir, "audit.key"),
		auditCheckpointsFile: join(dataDir, "audit-checkpoints.log"),
		auditPublicKeyFile: join(dataDir, "audit-checkpoints.pub.pem"),
		hostSettingsFile: join(dataDir, "host-settings.json"),
		importSocket: join(dataDir, "import.sock")
	};
}
/**
* Host settings managed by the deployment (issue 13): a file hospital IT installs OUTSIDE every
* user's data folder (owned by root, read-only to the user), in the same format as
* `host-settings.json`. When it exists it decides the DMP host, the « Paramètres » screen shows it
* read-only and `settings.saveHost` is refused. A packaged build reads only this fixed path: like its
* other switches (src/main/electron/switches.ts), nothing in the user's environment moves it.
*/
var systemManagedHostSettingsFile = "/etc/poste-dmp/host-settings.json";
/** Development builds, the browser host and tests may name another file (`POSTE_DMP_MANAGED_HOST_SETTINGS`). */
function managedHostSettingsFile(env, packaged) {
	if (packaged || !env.POSTE_DMP_MANAGED_HOST_SETTINGS) return systemManagedHostSettingsFile;
	return resolve(env.POSTE_DMP_MANAGED_HOST_SETTINGS);
}
// src/main/app/store-key.ts
/**
* Call under the data-folder lock (see data-folder.ts). A key is created only when `creation`
* allows it: never beside an existing store.
*/
async function resolveStoreKey(source, log, creation) {
	if (source.kind === "file") return {
		key: loadOrCreateKeyFile(source.path, log.child("key"), creation).key,
		warnings: [plainKeyFileWarning]
	};
	const secure = source.available && source.backend !== "basic_text" && source.backend !== "unknown";
	const result = loadOrCreateWrappedKey(source.path, {
		name: source.backend,
		secure,
		wrap: source.wrap,
		unwrap: source.unwrap
	}, log.child("key"), {
		allowInsecure: source.allowInsecure ?? false,
		mayCreate: creation.mayCreate,
		...creation.subject ? { subject: creation.subject } : {}
	});
	if (!result.ok) throw new ApiError("UNAVAILABLE", insecureKeyringMessage, `key backend ${result.backend} refused`);
	const warnings = result.backendChanged ? ["Le trousseau du système a changé depuis la création de la clé : faites vérifier la copie de secours de la clé."] : [];
	if (!secure) warnings.push("Mode dégradé : la clé des données n’est pas protégée par un trousseau du système.");
	return {
		key: result.key,
		warnings
	};
}
// src/main/app/data-folder.ts
/**
* Refuses, before anything is created or locked, a store folder given in place of its data folder,
* and (for read-only use) a folder without a store.
*/
function checkDataFolder(dataDir, options) {
	const layout = dataLayout(dataDir);
	if (storeHasData(dataDir)) throw new StoreError("NOT_A_DATA_FOLDER", `store files found directly in data folder ${dataDir}`, {
		path: dataDir,
		suggestedPath: dirname(dataDir)
	});
	if (options.mustExist && !storeHasData(layout.storeDir)) throw new StoreError("NO_STORE", `no store in ${layout.storeDir}`, { path: dataDir });
}
/**
* Takes a data folder for this process: refuses a store folder given by mistake, takes the
* data-folder lock (queueing if asked), then — under that lock, so concurrent first starts agree on
* one key — resolves the key, creating it only when no store exists yet.
*/
async function claimDataFolder(dataDir, options) {
	const layout = dataLayout(dataDir);
	checkDataFolder(dataDir, { mustExist: options.mustExist ?? false });
	mkdirSync(dataDir, {
		recursive: true,
		mode: 448
	});
	const release = options.waitMs && options.waitMs > 0 ? await acquireDirectoryLockWaiting(dataDir, options.waitMs, options.onWait) : acquireDirectoryLock(dataDir);
	try {
		const { key, warnings } = await resolveStoreKey(options.key, options.log, { mayCreate: !storeHasData(layout.storeDir) });
		return {
			layout,
			key,
			warnings,
			release
		};
	} catch (err) {
		release();
		throw err;
	}
}
// src/main/app/host-config.ts
/** The option names, shared by the browser host's parseArgs and the Electron shell's switches. */
var hostOptionNames = {
	dmp: "dmp",
	hostCa: "host-ca",
	workstationCert: "workstation-cert",
	workstationKey: "workstation-key",
	pkcs11Module: "pkcs11-module"
};
/**
* `managed`: IT manages the host settings (paths.ts, `managedHostSettingsFile`); then they are the
* only source, and host options on the command line are refused rather than allowed to go round them.
*/
function resolveDmpLocation(options, saved, { cwd = process.cwd(), managed = () => false } = {}) {
	const file = (path) => path ? resolve(cwd, path) : void 0;
	const given = Object.keys(hostOptionNames).filter((k) => options[k] !== void 0);
	if (given.length > 0 && managed()) throw new ApiError("FORBIDDEN", `Serveur DMP : les réglages de ce poste sont gérés par votre service informatique ; option(s) refusée(s) : ${given.map((k) => `--${hostOptionNames[k]}`).join(", ")}.`);
	if (given.some((k) => k !== "pkcs11Module")) {
		const missing = [
			"dmp",
			"hostCa",
			"workstationCert",
			"workstationKey"
		].filter((k) => options[k] === void 0);
		if (missing.length > 0) throw new ApiError("INVALID_INPUT", `Serveur DMP partagé : ${missing.map((k) => `--${hostOptionNames[k]}`).join(", ")} manquant(s) (--dmp https://serveur:port exige --host-ca, --workstation-cert et --workstation-key).`);
		const pkcs11Module = file(options.pkcs11Module);
		const parsed = hostSettingsSchema.safeParse({
			url: options.dmp,
			caFile: file(options.hostCa),
			certFile: file(options.workstationCert),
			keyFile: file(options.workstationKey),
			...pkcs11Module ? { pkcs11Module } : {}
		});
		if (!parsed.success) throw new ApiError("INVALID_INPUT", `Serveur DMP partagé : ${parsed.error.issues.map((i) => `${optionOf(i.path[0])} — ${i.message}`).join(" ; ")}.`);
		return {
			mode: "remote",
			source: "options",
			settings: parsed.data
		};
	}
	const settings = saved();
	if (!settings) return { mode: "embedded" };
	return {
		mode: "remote",
		source: "settings",
		settings
	};
}
var optionOfField = {
	url: "--dmp",
	caFile: "--host-ca",
	certFile: "--workstation-cert",
	keyFile: "--workstation-key",
	pkcs11Module: "--pkcs11-module"
};
var optionOf = (field) => optionOfField[String(field)] ?? String(field ?? "option");
/**
* The same options from a raw command line (`--dmp=URL` or `--dmp URL`), for the Electron shell,
* whose argv also carries Chromium's own switches: only our names are read, anything else ignored.
*/
function hostOptionsFromArgv(argv) {
	const options = {};
	for (const [field, name] of Object.entries(hostOptionNames)) for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg.startsWith(`--${name}=`)) options[field] = arg.slice(name.length + 3);
		else if (arg === `--${name}` && argv[i + 1] !== void 0 && !argv[i + 1].startsWith("--")) options[field] = argv[i + 1];
	}
	return options;
}
// src/main/app/host-settings.ts
/**
* `host-settings.json` in the data folder: the shared DMP host the settings screen chose (the same
* format for the file IT manages, see `managedHostSettingsFile`). It holds paths, never key material,
* but is still written 0600 like everything else of the data folder.
* A file that does not parse is an error, never "no host": a workstation configured for the shared
* host must not quietly start on its own local dossiers instead.
*/
var settingsFileSchema = z.strictObject({
	version: z.literal(1),
	host: hostSettingsSchema.nullable()
});
/**
* Whether the managed file is there. Any answer but "absent" counts as managed (a file the process
* may not even stat is still IT's): the lock fails closed, and reading it then says why.
*/
function isManaged(source) {
	if (source.managedFile === null) return false;
	try {
		statSync(source.managedFile);
		return true;
	} catch (err) {
		return !isErrno(err, "ENOENT");
	}
}
/** Throws (French) on a damaged or unreadable file, managed or not. */
function hostSettingsInEffect(source) {
	if (source.managedFile !== null && isManaged(source)) {
		const file = source.managedFile;
		return {
			saved: readSettingsFile(file, "managed") ?? null,
			file,
			managed: true
		};
	}
	const file = dataLayout(source.dataDir).hostSettingsFile;
	return {
		saved: readSettingsFile(file, "screen") ?? null,
		file,
		managed: false
	};
}
/** The saved settings of the data folder; null when the file is absent or says "embedded". Throws (French) on a damaged file. */
function readHostSettings(dataDir) {
	return readSettingsFile(dataLayout(dataDir).hostSettingsFile, "screen") ?? null;
}
/** undefined: no such file; null: the file says "embedded". */
function readSettingsFile(file, origin) {
	let text;
	try {
		text = readFileSync(file, "utf8");
	} catch (err) {
		if (isErrno(err, "ENOENT")) return void 0;
		throw new ApiError("UNAVAILABLE", origin === "managed" ? `Réglages du serveur DMP gérés par votre service informatique illisibles (${file}) : contactez votre service informatique.` : `Réglages du serveur DMP illisibles (${file}) : corrigez les droits du fichier ou supprimez-le.`, `host settings unreadable: ${err instanceof Error ? err.message : "unknown"}`);
	}
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		throw damaged(file, origin, "not JSON");
	}
	const parsed = settingsFileSchema.safeParse(json);
	if (!parsed.success) throw damaged(file, origin, parsed.error.issues.map((i) => `${i.path.join(".")}:${i.code}`).join(", "));
	return parsed.data.host;
}
function damaged(file, origin, detail) {
	return new ApiError("CORRUPT_DATA", origin === "managed" ? `Réglages du serveur DMP gérés par votre service informatique invalides (${file}) : contactez votre service informatique. Poste DMP ne démarre pas sur d’autres données à la place.` : `Réglages du serveur DMP invalides (${file}) : corrigez-les dans l’écran « Paramètres » d’un poste, ou supprimez le fichier pour revenir au DMP intégré au poste. Poste DMP ne démarre pas sur d’autres données à la place.`, `host settings invalid: ${detail}`);
}
/**
* Checks the settings (schema, then the files they name are readable regular files) and writes them
* atomically, mode 0600. Null saves "embedded".
*/
function writeHostSettings(dataDir, settings) {
	const parsed = hostSettingsSchema.nullable().safeParse(settings);
	if (!parsed.success) throw new ApiError("INVALID_INPUT", `Réglages du serveur DMP refusés : ${parsed.error.issues.map((i) => `${i.path.join(".") || "réglages"} — ${i.message}`).join(" ; ")}.`);
	const host = parsed.data;
	if (host) {
		const problems = unreadableFiles(host);
		if (problems.length > 0) throw new ApiError("INVALID_INPUT", `Réglages du serveur DMP refusés : ${problems.join(" ; ")}.`);
	}
	const layout = dataLayout(dataDir);
	mkdirSync(layout.dataDir, {
		recursive: true,
		mode: 448
	});
	const content = JSON.stringify({
		version: 1,
		host
	}, null, 2);
	writeFileDurably(layout.hostSettingsFile, new TextEncoder().encode(`${content}\n`));
	return host;
}
var fileLabels = {
	caFile: "certificat de l’autorité (CA) du déploiement",
	certFile: "certificat du poste",
	keyFile: "clé privée du poste",
	pkcs11Module: "module PKCS#11 de la carte"
};
/** French problems with the files the settings name (missing, not a file, not readable by this process). */
function unreadableFiles(settings) {
	const problems = [];
	for (const field of Object.keys(fileLabels)) {
		const path = settings[field];
		if (path === void 0) continue;
		try {
			if (!statSync(path).isFile()) {
				problems.push(`${fileLabels[field]} : ${path} n’est pas un fichier`);
				continue;
			}
			accessSync(path, constants.R_OK);
		} catch (err) {
			problems.push(`${fileLabels[field]} : ${path} ${isErrno(err, "ENOENT") ? "introuvable" : "illisible par Poste DMP"}`);
		}
	}
	return problems;
}
// src/main/app/session-dossiers.ts
/**
* How the session goes from a Vitale beneficiary to a dossier (docs/identity.md): the identity
* reference answers the beneficiary's INS (one, none or several identities), then the dossier of
* exactly that INS is looked up. No name search ever opens or authorises a dossier. The
* professional is authorised only by the explicit « Le patient présent autorise l'accès » action.
*/
function sessionDossiers(dmp, identities) {
	return {
		async identifyBeneficiary(beneficiary, status) {
			let answer;
			try {
				answer = await identities.lookupByCard({
					cardNir: beneficiary.nir,
					firstName: beneficiary.firstName,
					birthDate: beneficiary.birthDate,
					birthRank: beneficiary.birthRank,
					cardStatus: status
				});
			} catch (err) {
				if (err instanceof IdentityQueryError) return {
					kind: "unknown",
					notice: err.message
				};
				throw err;
			}
			switch (answer.kind) {
				case "none": return {
					kind: "unknown",
					notice: "Identité introuvable au référentiel INS pour ce bénéficiaire : vérifiez la carte, ou recherchez l’identité par ses traits (création du DMP)."
				};
				case "several": return {
					kind: "several",
					candidates: answer.candidates
				};
				case "one": return {
					kind: "identity",
					identity: answer.identity
				};
			}
		},
		async openForIdentity(actor, identity) {
			const insKey = formatInsKey(identity);
			const [dossier] = await dmp.searchDossiers({ insKey });
			if (!dossier) return { kind: "none" };
			const decision = await dmp.accessDecision(actor, insKey);
			if (decision.allowed) return {
				kind: "open",
				dossier: await dmp.openDossier(actor, insKey)
			};
			if (decision.rule === rules.notInCareTeam) return {
				kind: "authorization-required",
				dossier
			};
			if (decision.rule === rules.cpeNoMedicalContent) return {
				kind: "refused",
				dossier,
				notice: "Ce patient a déjà un DMP. Votre carte (CPE) ne permet pas d’en consulter le contenu médical."
			};
			return {
				kind: "refused",
				dossier,
				notice: decision.message
			};
		},
		async authorizeAndOpen(actor, identity) {
			const insKey = formatInsKey(identity);
			await dmp.authorize(actor, insKey);
			return {
				kind: "open",
				dossier: await dmp.openDossier(actor, insKey)
			};
		},
		open(actor, insKey) {
			return dmp.openDossier(actor, insKey);
		}
	};
}
// src/main/app/audit-trail.ts
/**
* The audit secret is stored like the store key but in a file of its own: a 0600 `audit.key` in
* the data folder when the store key is a plain file, `audit-key.wrapped` (same OS keyring) next to
* the wrapped store key in the desktop app. Losing one key never exposes the other.
*/
function auditKeySource(storeKey, dataDir) {
	if (storeKey.kind === "file") return {
		kind: "file",
		path: dataLayout(dataDir).auditKeyFile
	};
	return {
		...storeKey,
		path: join(dirname(storeKey.path), "audit-key.wrapped")
	};
}
/**
* Loads (or, for a folder that never had one, creates) the audit secret, writes the public
* checkpoint key, opens the checkpoint log. Call under the data-folder lock (`claimDataFolder`).
*/
async function openAuditTrail(source, dataDir, log) {
	const layout = dataLayout(dataDir);
	const secret = await resolveStoreKey(source, log.child("audit-key"), {
		mayCreate: !existsSync(layout.auditCheckpointsFile),
		subject: "audit-key"
	});
	const keys = deriveAuditKeys(secret.key.key);
	secret.key.key.fill(0);
	const pem = exportAuditPublicKey(keys);
	if (!existsSync(layout.auditPublicKeyFile) || readFileSync(layout.auditPublicKeyFile, "utf8") !== pem) writeFileDurably(layout.auditPublicKeyFile, Buffer.from(pem, "utf8"));
	return {
		keys,
		checkpoints: new CheckpointLog(layout.auditCheckpointsFile, keys, { onError: (err) => log.error("audit checkpoint not written", { detail: err instanceof Error ? err.message : String(err) }) }),
		warnings: secret.warnings
	};
}
// src/main/audit/security-events.ts
/** A value that cannot break the `key=value` list (no spaces, no `=`), bounded. */
function token(value) {
	if (value === null || value === void 0 || value === "") return "-";
	return value.replace(/[\s=]+/g, "_").slice(0, 120);
}
var hostSettingsAction = "settings.host";
function hostSettingsTarget(change) {
	const url = (value) => value === null ? "embedded" : token(value);
	return [
		`outcome=${change.outcome}`,
		`cause=${token(change.cause)}`,
		`old=${url(change.oldUrl)}`,
		`new=${url(change.newUrl)}`
	].join(" ");
}
function hostSettingsEvent(change, at) {
	const who = change.actor ? auditWho(change.actor) : {
		actorId: "workstation:local",
		actorName: "Poste (aucune carte authentifiée)",
		cardSerial: null,
		profession: "Poste de travail"
	};
	return {
		at: at.toISOString(),
		...who,
		mode: null,
		reason: null,
		action: hostSettingsAction,
		insKey: null,
		target: hostSettingsTarget(change)
	};
}
/** As `auditLogSecurityTrail`: the log is the DMP service's own instance, so both share one chain. */
function auditLogHostSettingsTrail(log, now = () => /* @__PURE__ */ new Date()) {
	return { async record(change) {
		await (await log).record([hostSettingsEvent(change, now())]);
	} };
}
// src/main/identity/reference-file.ts
var fileSchema = z.object({
	description: z.string().optional(),
	oid: insOid,
	identities: z.array(z.strictObject({
		matricule: matriculeSchema,
		birthName: z.string().min(1),
		firstNames: z.string().min(1),
		birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
		sex: sexSchema,
		birthPlaceCode: z.string().min(1),
		cardNir: matriculeSchema.optional(),
		birthRank: z.number().int().min(1).max(9).optional()
	}))
});
/**
* Reads a file of reference identities (the demo data that goes with the simulated Vitale cards).
* Every INS must pass the same checks as any other: a wrong key in demo data is a bug, not a demo.
*/
async function readReferenceFile(path) {
	const parsed = fileSchema.parse(JSON.parse(await readFile(path, "utf8")));
	return parsed.identities.map((identity, index) => {
		const problems = checkIns({
			matricule: identity.matricule,
			oid: parsed.oid
		}, identity);
		if (problems.length > 0) throw new Error(`${path}: identity #${index}: ${problems.map((p) => p.code).join(", ")}`);
		return {
			...identity,
			oid: parsed.oid
		};
	});
}
// src/main/app/patient-presence.ts
/**
* "The patient is present": their Vitale is in a reader now, the session's patient context was built
* from it, and the identity reference gave the selected beneficiary's INS, which names this dossier.
* Computed here from the cards and the session, never taken from the renderer.
*/
function patientPresence(deps) {
	const presentInsKey = () => {
		const patient = deps.session.get().patient;
		const vitaleInReader = deps.readers().some((r) => r.card?.kind === "vitale");
		if (!patient || patient.source !== "vitale" || !vitaleInReader || !patient.identity) return null;
		return formatInsKey(patient.identity);
	};
	return {
		async dossierOfPresentPatient(actor) {
			const insKey = presentInsKey();
			if (!insKey) return null;
			const patient = deps.session.get().patient;
			if (patient?.dossier && patient.dossier.insKey.toUpperCase() === insKey.toUpperCase()) return patient.dossier;
			const [found] = await deps.dmp.searchDossiers({ insKey });
			return found ?? null;
		},
		async isPresentFor(actor, insKey) {
			const present = presentInsKey();
			return present !== null && present.toUpperCase() === insKey.toUpperCase();
		}
	};
}
// src/main/app/host-settings-change.ts
var managedRefusal = "Ces réglages sont gérés par votre service informatique : ils ne peuvent pas être modifiés depuis ce poste.";
var notAuthenticatedRefusal = "Modifier le serveur DMP du poste exige une carte professionnelle authentifiée : insérez votre carte et saisissez votre code.";
/**
* `settings.saveHost`: which DMP host the workstation talks to, and with which certificate files, is
* changed only by an authenticated professional (card + PIN), never when IT manages the settings,
* and every change or refused attempt leaves a log line and an audit entry naming who, the old and
* the new host URL. Applied at the next start, as before (switching DMP under an open session would
* mix two DMPs' data).
*/
async function saveHostSettingsAs(deps, settings) {
	const { source, session, log } = deps;
	const file = dataLayout(source.dataDir).hostSettingsFile;
	const oldUrl = currentUrl(source.dataDir);
	const newUrl = settings?.url ?? null;
	const actor = session.get().status === "authenticated" ? session.actor("normal") : null;
	const refuse = async (cause, error) => {
		log.warn("host settings change refused", {
			cause,
			actor: actor?.professional.holder.nationalId ?? "-",
			from: oldUrl ?? "embedded",
			to: newUrl ?? "embedded"
		});
		await record$1(deps, {
			outcome: "refused",
			cause,
			actor,
			oldUrl,
			newUrl
		}).catch(() => void 0);
		throw error;
	};
	if (isManaged(source)) return refuse("managed", new ApiError("FORBIDDEN", managedRefusal));
	if (!actor) return refuse("not-authenticated", new ApiError("LOCKED", notAuthenticatedRefusal));
	const before = previousBytes(file);
	const saved = writeHostSettings(source.dataDir, settings);
	try {
		await record$1(deps, {
			outcome: "saved",
			actor,
			oldUrl,
			newUrl: saved?.url ?? null
		});
	} catch {
		if (before === null) rmSync(file, { force: true });
		else writeFileDurably(file, before);
		throw new ApiError("UNAVAILABLE", "Réglages du serveur DMP non enregistrés : le journal d’audit du poste n’a pas pu les tracer. Réessayez.");
	}
	log.info("host settings saved for the next start", {
		actor: actor.professional.holder.nationalId,
		from: oldUrl ?? "embedded",
		to: saved?.url ?? "embedded"
	});
	return {
		saved,
		file,
		appliesAtRestart: true
	};
}
/** Records in the local trail, when there is one; a failure is logged and rethrown. */
async function record$1(deps, change) {
	if (!deps.trail) return;
	try {
		await deps.trail.record(change);
	} catch (err) {
		deps.log.error("host settings audit entry not written", { detail: err instanceof Error ? err.message : "unknown" });
		throw err;
	}
}
/** The host URL saved now; a damaged file (which a change may be repairing) is named as such. */
function currentUrl(dataDir) {
	try {
		return readHostSettings(dataDir)?.url ?? null;
	} catch {
		return "unreadable";
	}
}
function previousBytes(file) {
	try {
		return readFileSync(file);
	} catch (err) {
		if (isErrno(err, "ENOENT")) return null;
		throw err;
	}
}
// src/main/app/handlers.ts
/**
* Binds each contract method to the services. Every patient-data method goes through the session:
* nobody authenticated → LOCKED; a dossier not opened in this session → FORBIDDEN.
*/
function createHandlers(deps) {
	const { session, dmp, cards, identities } = deps;
	const simulator = () => {
		if (!deps.simulator) throw new ApiError("UNSUPPORTED", "Le simulateur de cartes n’est pas activé sur ce poste.");
		return deps.simulator;
	};
	/**
	* The identity as the reference knows it: the traits are never taken from the renderer. A test or
	* demo Vitale only ever goes with test or demo identities, and a production card never with them.
	*/
	const referenceIdentity = async (ins) => {
		const identity = await identities.byIns(ins);
		if (!identity) throw new ApiError("NOT_FOUND", "Cette identité est inconnue du référentiel d’identités : recherchez-la à nouveau.");
		const vitale = cards.readers().find((r) => r.card?.kind === "vitale")?.card;
		const status = vitale?.kind === "vitale" ? vitale.status : "production";
		if (!(status === "production" ? !isTestOid(identity.oid) : identity.oid === insOidForCardStatus(status))) throw new ApiError("FORBIDDEN", "Une carte Vitale de test ne peut servir qu’à une identité de test, et une carte réelle qu’à une identité réelle.");
		return identity;
	};
	const presence = patientPresence({
		session,
		readers: () => cards.readers(),
		dmp
	});
	const identitiesOf = (answer) => answer.kind === "none" ? [] : answer.kind === "one" ? [answer.identity] : answer.candidates;
	const beneficiaryFor = (index) => {
		const beneficiary = session.get().patient?.beneficiaries[index];
		if (!beneficiary) throw new ApiError("NOT_FOUND", "Ce bénéficiaire ne figure pas sur la carte Vitale lue.");
		return beneficiary;
	};
	return {
		"app.info": async () => deps.info,
		"cards.list": async () => readersForDisplay(cards.readers(), session.get()),
		"host.status": async () => deps.host.status(),
		"settings.getHost": async () => hostSettingsInEffect(deps.host.settings),
		"settings.saveHost": async ({ settings }) => saveHostSettingsAs({
			source: deps.host.settings,
			session,
			trail: deps.host.trail,
			log: deps.host.log
		}, settings),
		"session.get": async () => session.get(),
		"session.verifyPin": async ({ reader, pin }) => session.verifyPin(reader, pin),
		"session.lock": async () => session.lock(),
		"session.selectSituation": async ({ index }) => session.selectSituation(index),
		"patient.selectBeneficiary": async ({ index }) => session.selectBeneficiary(index),
		"patient.chooseIdentity": async ({ index }) => session.chooseIdentity(index),
		"patient.authorizeAccess": async () => session.authorizeAccess(),
		"identity.searchByTraits": async (traits) => {
			const actor = session.actor("normal");
			const found = identitiesOf(await identities.lookupByTraits(traits));
			await dmp.traceIdentityLookup(actor, "traits", found.length);
			return found;
		},
		"dossier.checkCreation": async ({ beneficiaryIndex, identity }) => {
			session.actor("normal");
			return dmp.creationCheck(beneficiaryFor(beneficiaryIndex), await referenceIdentity(identity));
		},
		"patient.keepOpen": async ({ keep }) => session.keepOpen(keep),
		"patient.close": async () => session.closePatient(),
		"patient.search": async (query) => dmp.searchDossiersAs(session.actor("normal"), query),
		"patient.open": async ({ insKey, mode, reason }) => session.openDossier(insKey, mode, reason),
		"summary.get": async ({ insKey }) => dmp.getSummary(session.currentAccess(insKey), insKey),
		"documents.list": async ({ insKey, filter }) => dmp.listDocuments(session.currentAccess(insKey), insKey, filter ?? {}),
		"documents.get": async ({ insKey, id }) => dmp.getDocument(session.currentAccess(insKey), insKey, id),
		"documents.deposit": async (input) => dmp.depositDocument(session.currentAccess(input.insKey), input),
		"documents.update": async ({ insKey, id, status, visibility, atPatientRequest }) => {
			const actor = session.currentAccess(insKey);
			return dmp.updateDocument(actor, insKey, id, {
				...status ? { status } : {},
				...visibility ? { visibility } : {}
			}, {
				atPatientRequest: atPatientRequest === true,
				patientPresent: await presence.isPresentFor(actor, insKey)
			});
		},
		"documents.delete": async ({ insKey, id }) => {
			await dmp.deleteDocument(session.currentAccess(insKey), insKey, id);
			return { deleted: true };
		},
		"dossier.create": async (input) => {
			const actor = session.actor("normal");
			const created = await dmp.createDossier(actor, {
				beneficiary: beneficiaryFor(input.beneficiaryIndex),
				identity: await referenceIdentity(input.identity),
				identityDocumentChecked: input.identityDocumentChecked,
				legalRepresentatives: input.legalRepresentatives,
				consent: {
					givenBy: input.consent.givenBy,
					brisDeGlaceOpposition: input.consent.brisDeGlaceOpposition,
					centre15Opposition: input.consent.centre15Opposition
				},
				...input.homonymsConfirmed ? { homonymsConfirmed: true } : {}
			});
			return {
				dossier: created.dossier,
				accessCodes: {
					fileName: `codes-acces-${created.dossier.ins.matricule.slice(-4)}.pdf`,
					pdfBase64: Buffer.from(created.pdf).toString("base64")
				}
			};
		},
		"dossier.close": async ({ insKey, reason, atPatientRequest }) => {
			const actor = session.actor();
			return dmp.closeDossier(actor, insKey, reason, {
				atPatientRequest,
				patientPresent: await presence.isPresentFor(actor, insKey)
			});
		},
		"dossier.reactivate": async ({ insKey, reason, atPatientRequest }) => {
			const actor = session.actor();
			return dmp.reactivateDossier(actor, insKey, reason, {
				atPatientRequest,
				patientPresent: await presence.isPresentFor(actor, insKey)
			});
		},
		"dossier.ofPresentPatient": async () => presence.dossierOfPresentPatient(session.actor()),
		"dossier.declareTreatingPhysician": async ({ insKey, patientConsent }) => {
			const actor = session.currentAccess(insKey);
			await dmp.declareTreatingPhysician(actor, insKey, {
				patientConsent,
				patientPresent: await presence.isPresentFor(actor, insKey)
			});
			return { ok: true };
		},
		"dossier.professionals": async ({ insKey }) => {
			session.currentAccess(insKey);
			return dmp.professionals(insKey);
		},
		"dossier.recordBlock": async ({ insKey, nationalId, blocked, atPatientRequest }) => {
			const actor = session.currentAccess(insKey);
			await dmp.recordProfessionalBlock(actor, insKey, {
				nationalId,
				blocked
			}, {
				atPatientRequest,
				patientPresent: await presence.isPresentFor(actor, insKey)
			});
			return { ok: true };
		},
		"dossier.accessHistory": async ({ insKey }) => dmp.accessHistory({ actor: session.currentAccess(insKey) }, insKey),
		"simulator.profiles": async () => simulator().profiles(),
		"simulator.insert": async ({ reader, profileId }) => {
			simulator().insert(reader, profileId);
			return { ok: true };
		},
		"simulator.remove": async ({ reader }) => {
			simulator().remove(reader);
			return { ok: true };
		}
	};
}
// src/main/bridge/frame-limits.ts
/**
* Limits on one bridge message, checked on the raw frame before `JSON.parse`: parsing is synchronous,
* so a 28 MB nested message parsed on the main thread freezes every other client. Only a document
* deposit may be large (its `contentBase64` is capped at 28 000 000 characters by the contract).
*/
var SMALL_MESSAGE_BYTES = 65536;
var largeMethods = { "documents.deposit": 28065536 };
/** The WebSocket `maxPayload`: no frame may exceed the largest method's cap. */
var MAX_MESSAGE_BYTES = Math.max(SMALL_MESSAGE_BYTES, ...Object.values(largeMethods));
function maxMessageBytes(method) {
	return Object.prototype.hasOwnProperty.call(largeMethods, method) ? largeMethods[method] : SMALL_MESSAGE_BYTES;
}
/** The renderer writes `{"id":N,"method":"…",…` first: enough to pick the cap without parsing. */
var envelopeHead = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*,\s*"method"\s*:\s*"([A-Za-z.]{1,80})"/;
function peekEnvelope(frame) {
	const match = envelopeHead.exec(frame.subarray(0, 160).toString("latin1"));
	return match ? {
		id: Number(match[1]),
		method: match[2]
	} : null;
}
/**
* Cheap checks on a raw text frame, in order: size against the cap of the method named at its head
* (a large frame must name a large method there), then nesting depth by a linear scan that stops at
* the first level over the limit. The parsed message is checked again against its real method.
*/
function screenFrame(frame) {
	const head = peekEnvelope(frame);
	const cap = head ? maxMessageBytes(head.method) : SMALL_MESSAGE_BYTES;
	if (frame.length > cap) return {
		ok: false,
		reason: "too-large",
		id: head?.id ?? null
	};
	if (jsonDepthExceeds(frame, 32)) return {
		ok: false,
		reason: "too-deep",
		id: head?.id ?? null
	};
	return { ok: true };
}
var QUOTE = 34;
var BACKSLASH = 92;
var OPEN_BRACE = 123;
var OPEN_BRACKET = 91;
var CLOSE_BRACE = 125;
var CLOSE_BRACKET = 93;
/**
* True when `[`/`{` nest deeper than `max` outside strings. One pass, no allocation; inside a string
* it jumps to the next quote with `indexOf` (base64 content is skipped at memcpy speed). UTF-8
* continuation bytes are ≥ 0x80, so byte-wise scanning cannot mistake them for brackets or quotes.
*/
function jsonDepthExceeds(text, max) {
	let depth = 0;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const c = text[i];
		if (c === QUOTE) {
			i = endOfString(text, i + 1);
			continue;
		}
		if (c === OPEN_BRACE || c === OPEN_BRACKET) {
			if (++depth > max) return true;
		} else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
		i++;
	}
	return false;
}
/** Index just after the quote closing the string that starts at `from` (or the end of the text). */
function endOfString(text, from) {
	let i = from;
	for (;;) {
		const quote = text.indexOf(QUOTE, i);
		if (quote < 0) return text.length;
		let backslashes = 0;
		for (let j = quote - 1; j >= from && text[j] === BACKSLASH; j--) backslashes++;
		if (backslashes % 2 === 0) return quote + 1;
		i = quote + 1;
	}
}
/**
* The text of a received JSON frame (UTF-8). A deposit's frame is megabytes of base64 inside ASCII
* JSON: ASCII decodes to the same string as Latin-1, which is a plain copy, where UTF-8 decoding
* validated every byte (~7 ms of the host's CPU per 2 MB deposit). Anything else is decoded as UTF-8.
*/
function frameText(frame) {
	return isAscii(frame) ? frame.toString("latin1") : frame.toString("utf8");
}
// src/main/cli/cli-context.ts
/**
* ApiError messages are written for users, store errors are worded by user-messages.ts; anything
* else is an internal failure whose text may not be.
*/
function errorMessage(err) {
	const api = toApiError$1(err);
	if (api) return api.message;
	return "Erreur interne inattendue (voir le journal technique).";
}
// src/main/local-import/import-step.ts
/** The same, when the running instance imported the files the CLI handed to it. */
var handedOffImportActor = {
	system: "import",
	via: "ligne de commande, par l’instance en cours"
};
/**
* One file of `cli import`, wherever the store is: in the CLI's own process (cold path) or in the
* instance holding the data folder (hand-off through the local import socket). Both run this, so
* both audit, refuse and answer alike.
*/
async function importOne(target, input, create, actor) {
	if ("refused" in input) {
		await target.refuseImportFile(input.refused.cause, input.refused.userMessage, actor).catch(() => void 0);
		return {
			ok: false,
			message: input.refused.userMessage
		};
	}
	try {
		const result = await target.importCda(input.bytes, {
			create,
			depositor: actor
		});
		return {
			ok: true,
			documentId: result.documentId,
			created: result.created,
			counts: { ...result.counts }
		};
	} catch (err) {
		return {
			ok: false,
			message: errorMessage(err)
		};
	}
}
// src/main/local-import/json-check.ts
/**
* The checks the local import protocol (`protocol.ts`) is written with: type guards over parsed JSON,
* composed like zod schemas, strict (an object with a key its shape does not name is refused).
*
* Why not zod here: the CLI checks the instance's answers with the same definitions the instance
* checks requests with, and a handed-off import is a process start. Loading zod (in the CLI bundle a
* ~470 KB chunk shared with the commands that use it, `zod/mini` included: esbuild splits by file,
* and zod's core files are shared) was most of what the CLI compiled after node's own start. The
* protocol needs only these few checks, all of them obvious to read.
*/
var literal = (expected) => (value) => value === expected;
var boolean = (value) => typeof value === "boolean";
/** Standard base64 with its padding (RFC 4648 §4), at most `max` characters. */
var base64 = (max) => (value) => typeof value === "string" && value.length <= max && isPaddedBase64(value);
var oneOf = (values) => (value) => typeof value === "string" && values.includes(value);
function isObject(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
/** Exactly the keys of `shape`, each value passing its check. */
var strictObject = (shape) => (value) => isObject(value) && Object.keys(value).every((k) => Object.hasOwn(shape, k)) && Object.entries(shape).every(([k, check]) => Object.hasOwn(value, k) && check(value[k]));
/** Any one of `options` (the protocol's messages, told apart by their `type` or `ok`). */
var anyOf = (...options) => (value) => options.some((option) => option(value));
/** A file is at most the import's own cap; its base64 and the envelope fit in this. */
var maxRequestFrameBytes = Math.ceil(defaultXmlLimits.maxBytes * 4 / 3) + 65536;
var version = literal(1);
var isLocalImportRequest = anyOf(strictObject({
	v: version,
	type: literal("hello")
}), strictObject({
	v: version,
	type: literal("import"),
	create: boolean,
	contentBase64: base64(maxRequestFrameBytes)
}), strictObject({
	v: version,
	type: literal("refused-file"),
	cause: oneOf([
		"file: unreadable",
		"file: not a regular file",
		"file: too large"
	])
}));
/**
* One frame: length prefix and JSON, written into one buffer (a request carries a whole document in
* base64: no second copy of it for the concatenation).
*/
function encodeFrame(message) {
	const json = JSON.stringify(message);
	const length = Buffer.byteLength(json, "utf8");
	const frame = Buffer.allocUnsafe(4 + length);
	frame.writeUInt32BE(length, 0);
	frame.write(json, 4, "utf8");
	return frame;
}
/**
* Cuts a byte stream into frames. A frame announced over `maxBytes` is reported as soon as its
* length is read, before any of it is buffered; chunks are joined once per frame, not per chunk.
*/
var FrameReader = class {
	maxBytes;
	chunks = [];
	buffered = 0;
	constructor(maxBytes) {
		this.maxBytes = maxBytes;
	}
	/** Frames completed by `chunk`, or `too-large` (the stream is then unusable). */
	push(chunk) {
		this.chunks.push(chunk);
		this.buffered += chunk.length;
		const frames = [];
		while (this.buffered >= 4) {
			const length = (this.chunks[0].length >= 4 ? this.chunks[0] : this.join()).readUInt32BE(0);
			if (length > this.maxBytes) return "too-large";
			if (this.buffered < 4 + length) break;
			const all = this.join();
			frames.push(all.subarray(4, 4 + length));
			const rest = all.subarray(4 + length);
			this.chunks = rest.length ? [rest] : [];
			this.buffered = rest.length;
		}
		return frames;
	}
	/** True when a frame has started but not ended (the peer hung up in the middle of it). */
	get partial() {
		return this.buffered > 0;
	}
	join() {
		const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
		this.chunks = [all];
		return all;
	}
};
var utf8 = new TextDecoder("utf-8", { fatal: true });
/** A frame's JSON, or null when it is not valid UTF-8 JSON. */
function parseFrameJson(frame) {
	try {
		return JSON.parse(utf8.decode(frame));
	} catch {
		return null;
	}
}
// src/main/local-import/server.ts
/** Linux's `sun_path` holds 108 bytes with the final NUL. */
var maxSocketPathBytes = 107;
/** Hand-offs are one CLI at a time in practice; each may buffer a 40 MB frame. */
var maxConnections = 4;
/** A connection that sends nothing for this long (and has nothing in progress) is dropped. */
var idleMs = 12e4;
var noLocalStore = "Ce poste utilise le serveur DMP partagé : il n’a pas de base locale où importer. Déposez les documents sur le serveur DMP.";
/**
* Listens on the data folder's import socket for `cli import` (see README.md beside this file). The
* caller holds the data-folder lock, so a socket file already there was left by a process that was
* killed: it is replaced. Returns null (logged) when the socket cannot be offered; the instance runs
* without it and the CLI then reports the folder as in use, as before the hand-off existed.
*/
async function startLocalImportServer(options) {
	const { socketPath, target, log } = options;
	const bindPath = `${socketPath}.tmp`;
	if (Buffer.byteLength(bindPath) > maxSocketPathBytes) {
		log.warn("local import socket not offered: data folder path too long for a Unix socket", { bytes: Buffer.byteLength(bindPath) });
		return null;
	}
	const connections = /* @__PURE__ */ new Set();
	const inProgress = /* @__PURE__ */ new Set();
	let closing = false;
	const server = createServer((socket) => {
		if (closing || connections.size >= maxConnections) {
			refuse(socket, closing ? "CLOSING" : "BUSY");
			return;
		}
		connections.add(socket);
		socket.on("close", () => connections.delete(socket));
		serveConnection(socket, target, log, inProgress, () => closing);
	});
	server.on("error", (err) => log.warn("local import socket error", { error: err.message }));
	try {
		unlinkIfExists(socketPath);
		unlinkIfExists(bindPath);
		await listen(server, bindPath);
		chmodSync(bindPath, 384);
		renameSync(bindPath, socketPath);
	} catch (err) {
		server.close();
		unlinkIfExists(bindPath);
		log.warn("local import socket not offered", { error: err instanceof Error ? err.message : "unknown" });
		return null;
	}
	const inode = statSync(socketPath).ino;
	log.info("local import socket listening", { mode: target.kind });
	return {
		path: socketPath,
		async close() {
			if (closing) return;
			closing = true;
			const closed = new Promise((resolve) => server.close(() => resolve()));
			try {
				if (statSync(socketPath).ino === inode) unlinkIfExists(socketPath);
			} catch {}
			await Promise.allSettled([...inProgress]);
			for (const socket of connections) socket.destroy();
			await closed;
		}
	};
}
function listen(server, path) {
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen({
			path,
			readableAll: false,
			writableAll: false
		}, () => {
			server.off("error", reject);
			resolve();
		});
	});
}
var refusals$1 = {
	VERSION: "Version du protocole d’import local non prise en charge : utilisez la même version de Poste DMP.",
	BAD_FRAME: "Requête d’import local invalide.",
	TOO_LARGE: "Requête d’import local trop volumineuse.",
	BUSY: "Trop d’imports en cours sur cette instance : réessayez dans un instant.",
	CLOSING: "L’instance se ferme : réessayez dans un instant."
};
function refuse(socket, code) {
	answerAndClose(socket, {
		v: 1,
		type: "refused",
		code,
		message: refusals$1[code]
	});
}
function answerAndClose(socket, answer) {
	socket.on("error", () => void 0);
	socket.removeAllListeners("data");
	socket.end(encodeFrame(answer));
	socket.on("finish", () => socket.destroy());
}
function serveConnection(socket, target, log, inProgress, isClosing) {
	const reader = new FrameReader(maxRequestFrameBytes);
	const queue = [];
	let busy = false;
	let ended = false;
	socket.on("error", (err) => log.debug("local import connection error", { error: err.message }));
	socket.setTimeout(idleMs, () => {
		if (!busy) socket.destroy();
	});
	const badFrame = (code, reason) => {
		ended = true;
		queue.length = 0;
		log.warn("local import socket: request refused", { reason });
		refuse(socket, code);
	};
	const next = () => {
		if (busy || ended) return;
		const frame = queue.shift();
		if (!frame) {
			socket.resume();
			return;
		}
		busy = true;
		log.debug("local import request", { bytes: frame.length });
		const request = decode(frame);
		if ("refusal" in request) {
			busy = false;
			badFrame(request.refusal, request.reason);
			return;
		}
		const work = answer(request.ok, target, isClosing, log).then((reply) => {
			if (ended || socket.destroyed) return;
			if (reply.type === "refused") {
				ended = true;
				answerAndClose(socket, reply);
			} else socket.write(encodeFrame(reply));
		}).catch((err) => {
			log.error("local import request failed", { error: err instanceof Error ? err.message : "unknown" });
			socket.destroy();
		}).finally(() => {
			inProgress.delete(work);
			busy = false;
			next();
		});
		inProgress.add(work);
	};
	socket.on("data", (chunk) => {
		const frames = reader.push(chunk);
		if (frames === "too-large") {
			badFrame("TOO_LARGE", "frame over the size cap");
			return;
		}
		queue.push(...frames);
		if (queue.length > 0) socket.pause();
		next();
	});
}
function decode(frame) {
	if (jsonDepthExceeds(frame, 4)) return {
		refusal: "BAD_FRAME",
		reason: "nested too deep"
	};
	const json = parseFrameJson(frame);
	if (json === null) return {
		refusal: "BAD_FRAME",
		reason: "not UTF-8 JSON"
	};
	if (isLocalImportRequest(json)) return { ok: json };
	const v = typeof json === "object" && !Array.isArray(json) ? json.v : void 0;
	if (v !== void 0 && v !== 1) return {
		refusal: "VERSION",
		reason: `version ${JSON.stringify(v)}`
	};
	return {
		refusal: "BAD_FRAME",
		reason: "not a local import request"
	};
}
async function answer(request, target, isClosing, log) {
	if (target.kind === "remote") return {
		v: 1,
		type: "refused",
		code: "NO_LOCAL_STORE",
		message: noLocalStore
	};
	if (request.type === "hello") return {
		v: 1,
		type: "ready"
	};
	if (isClosing()) return {
		v: 1,
		type: "refused",
		code: "CLOSING",
		message: refusals$1.CLOSING
	};
	const started = performance.now();
	const outcome = request.type === "import" ? await importOne(target.dmp, { bytes: new Uint8Array(Buffer.from(request.contentBase64, "base64")) }, request.create, handedOffImportActor) : await importOne(target.dmp, { refused: {
		cause: request.cause,
		userMessage: "fichier illisible pour l’import."
	} }, false, handedOffImportActor);
	log.info("CLI import handed off", {
		ok: outcome.ok,
		refusedBeforeReading: request.type === "refused-file",
		ms: Math.round(performance.now() - started)
	});
	return {
		v: 1,
		type: "result",
		outcome
	};
}
// src/main/app/composition.ts
/**
* The one composition root: builds every main-process service without importing Electron, so the
* Electron shell, the browser host and the tests all run the same code.
*/
async function buildApp(options) {
	const settings = settingsSource(options);
	const location = resolveDmpLocation(options.hostOptions ?? {}, () => hostSettingsInEffect(settings).saved, { managed: () => isManaged(settings) });
	const backend = location.mode === "remote" ? await openRemoteBackend(options, location.settings) : await openEmbeddedBackend(options);
	try {
		return await assemble(options, backend);
	} catch (err) {
		await backend.close();
		throw err;
	}
}
var settingsSource = (options) => ({
	dataDir: options.dataDir,
	managedFile: options.managedHostSettingsFile ?? null
});
/** This workstation's own encrypted store, its key and its audit trail (the default). */
async function openEmbeddedBackend(options) {
	const { log } = options;
	const warnings = [];
	const folder = await claimDataFolder(options.dataDir, {
		key: options.key,
		log
	});
	warnings.push(...folder.warnings);
	let store;
	try {
		store = await openStore({
			dir: folder.layout.storeDir,
			key: folder.key,
			migrations: dmpMigrations,
			log: log.child("store")
		});
	} catch (err) {
		folder.release();
		throw err;
	}
	const cdaParser = new CdaParserPool({
		workers: 1,
		log: log.child("cda-parser")
	});
	const close = async () => {
		try {
			await cdaParser.close();
			await store.close();
		} finally {
			folder.release();
		}
	};
	try {
		warnings.push(...store.recovery.notices.map(recoveryNoticeMessage));
		const audit = await openAuditTrail(auditKeySource(options.key, options.dataDir), options.dataDir, log);
		for (const w of audit.warnings) if (!warnings.includes(w)) warnings.push(w);
		const auditLog = AuditLog.open(store, {
			keys: audit.keys,
			witness: audit.checkpoints
		});
		auditLog.catch(() => void 0);
		const dmp = new DmpService({
			store,
			log: log.child("dmp"),
			auditLog,
			cdaParser
		});
		const identities = new IdentityReference(store);
		for (const file of options.identitySeedFiles ?? []) await identities.register(await readReferenceFile(file));
		for (const file of options.seedFiles ?? []) await seed(dmp, file, log);
		const importSocket = await startLocalImportServer({
			socketPath: folder.layout.importSocket,
			target: {
				kind: "embedded",
				dmp
			},
			log: log.child("local-import")
		});
		return {
			dmp,
			identities,
			warnings,
			status: () => ({ mode: "embedded" }),
			onStatus: () => () => void 0,
			settingsTrail: auditLogHostSettingsTrail(auditLog),
			async close() {
				await importSocket?.close();
				await audit.checkpoints.flush();
				await close();
			}
		};
	} catch (err) {
		await close();
		throw err;
	}
}
/**
* The shared DMP host: nothing of the local store is opened or created (no key, no audit trail, no
* demo seeding — the host holds the dossiers). The data folder is still locked: it holds the logs
* and the host settings of this one running workstation.
*/
async function openRemoteBackend(options, settings) {
	const { log } = options;
	checkDataFolder(options.dataDir, { mustExist: false });
	mkdirSync(options.dataDir, {
		recursive: true,
		mode: 448
	});
	const release = acquireDirectoryLock(options.dataDir);
	let remote;
	try {
		const { connectRemoteDmp } = await import("./remote-dmp-B3g9Qsni.js");
		remote = await connectRemoteDmp({
			settings,
			seams: options.hostSeams ?? (await import("./host-seams-CkVDtO94.js")).realHostSeams,
			log: log.child("host"),
			production: options.production,
			env: options.env ?? process.env
		});
	} catch (err) {
		release();
		throw err;
	}
	if (options.seedFiles?.length || options.identitySeedFiles?.length) log.info("demo seeding skipped: the shared DMP host holds the dossiers");
	log.info("DMP: shared host", { host: new URL(settings.url).host });
	const importSocket = await startLocalImportServer({
		socketPath: dataLayout(options.dataDir).importSocket,
		target: { kind: "remote" },
		log: log.child("local-import")
	});
	return {
		dmp: remote.dmp,
		identities: remote.identities,
		warnings: [],
		status: () => remote.status(),
		onStatus: (listener) => remote.onStatus(listener),
		professionalProof: {
			prove: (card, pin) => remote.authenticateProfessional(card, pin),
			end: () => remote.endProfessionalSession()
		},
		settingsTrail: null,
		onProfessionalSessionEnded: (listener) => remote.onProfessionalSessionEnded(listener),
		async close() {
			try {
				await importSocket?.close();
				await remote.close();
			} finally {
				release();
			}
		}
	};
}
async function assemble(options, backend) {
	const { log } = options;
	const { dmp, identities, warnings } = backend;
	let simulator = null;
	let transport;
	if (options.transport) transport = options.transport;
	else if (options.simulation && true) {
		const simulated = (await import("./simulated-cards-IZLdqrDE.js")).createSimulatedCards();
		simulator = simulated.simulator;
		transport = simulated.transport;
	} else if (options.simulation) throw new Error("Le simulateur de cartes n’est pas inclus dans cette version de Poste DMP.");
	else {
		const { PcscliteTransport } = await import("./pcsclite-transport-B0IniDtq.js");
		transport = new PcscliteTransport({ log: log.child("pcsc") });
	}
	const cards = new CardService({
		transport,
		production: options.production,
		log: log.child("cards")
	});
	const session = new SessionService(cards, sessionDossiers(dmp, identities), log.child("session"), {
		production: options.production,
		...backend.professionalProof ? { professionalProof: backend.professionalProof } : {},
		...options.sessionRules ? { rules: options.sessionRules } : {}
	});
	const bus = new EventBus(log.child("bus"));
	let shownAsAuthenticated = false;
	cards.onChange((readers) => bus.emit("cards.changed", readersForDisplay(readers, session.get())));
	session.onChange((state) => {
		bus.emit("session.changed", state);
		const authenticated = state.status === "authenticated";
		if (authenticated !== shownAsAuthenticated) {
			shownAsAuthenticated = authenticated;
			bus.emit("cards.changed", readersForDisplay(cards.readers(), state));
		}
	});
	const offHostStatus = backend.onStatus((status) => bus.emit("host.changed", status));
	const offHostEnded = backend.onProfessionalSessionEnded?.((end) => session.endedByHost(end));
	const handlers = createHandlers({
		info: {
			version: JSON.parse(await readFile(join(resourcesDir(), "..", "package.json"), "utf8")).version,
			host: options.host,
			simulation: simulator !== null,
			production: options.production,
			warnings
		},
		session,
		dmp,
		identities,
		cards,
		simulator,
		host: {
			status: () => backend.status(),
			settings: settingsSource(options),
			trail: backend.settingsTrail,
			log: log.child("host-settings")
		}
	});
	await cards.start();
	return {
		dispatch: createDispatcher(handlers, log.child("api")),
		bus,
		handlers,
		simulator,
		async close() {
			offHostStatus();
			offHostEnded?.();
			session.dispose();
			await cards.stop();
			await backend.close();
		}
	};
}
async function seed(dmp, file, log) {
	try {
		await dmp.importCda(await readImportFile(file), {
			create: true,
			depositor: "system"
		});
		log.info("demo document imported");
	} catch (err) {
		if (err instanceof ApiError && err.code === "CONFLICT") return;
		throw err;
	}
}
// src/main/bridge/loopback-host.ts
var contentTypes = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".woff2": "font/woff2",
	".json": "application/json"
};
/** Sent with every HTTP answer, errors included: a 404 page is a page too. */
function securityHeaders(origin) {
	return {
		"Content-Security-Policy": contentSecurityPolicy(origin),
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "no-referrer",
		"X-Frame-Options": "DENY",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Cache-Control": "no-store"
	};
}
var refusals = {
	"too-large": "Requête refusée : trop volumineuse pour cette opération.",
	"too-deep": "Requête refusée : structure trop imbriquée.",
	"not-json": "Requête refusée : message illisible."
};
/**
* Serves the renderer and the contract to a browser on 127.0.0.1 only: random port, per-launch
* token, Host and Origin checked. A broken or hostile local client can close its own connection,
* never the process: every socket and server has an error handler, and a message is sized and
* depth-scanned before it is parsed. The renderer cannot tell it from Electron IPC.
*/
async function startLoopbackHost(options) {
	const { dispatch, bus, staticDir, log } = options;
	const token = randomBytes(24).toString("base64url");
	let origin = "";
	let allowedHosts = [];
	const server = createServer$1((req, res) => {
		res.on("error", (err) => log.warn("http response failed", { error: err.message }));
		if (!allowedHosts.includes(req.headers.host ?? "")) {
			log.warn("http request refused: unexpected Host header");
			return send(res, 403);
		}
		serveStatic(req, res).catch((err) => {
			log.error("static serving failed", { error: err instanceof Error ? err.message : "unknown" });
			if (!res.headersSent) send(res, 500);
			else res.destroy();
		});
	});
	server.on("error", (err) => log.error("http server error", { error: err.message }));
	server.on("clientError", (err, socket) => {
		log.warn("malformed http request", { error: err.message.slice(0, 120) });
		if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
		else socket.destroy();
	});
	function send(res, status, headers = {}, body) {
		res.writeHead(status, {
			...securityHeaders(origin),
			...headers
		});
		res.end(body);
	}
	async function serveStatic(req, res) {
		if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { Allow: "GET, HEAD" });
		let path;
		try {
			path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
		} catch {
			return send(res, 400);
		}
		const relative = normalize(path === "/" ? "/index.html" : path).replace(/^([/\\])+/, "");
		const file = join(staticDir, relative);
		if (!file.startsWith(staticDir + sep) || relative.includes("\0")) return send(res, 404);
		let body;
		try {
			body = await readFile(file);
		} catch {
			return send(res, 404);
		}
		send(res, 200, { "Content-Type": contentTypes[extname(file)] ?? "application/octet-stream" }, req.method === "HEAD" ? void 0 : body);
	}
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: MAX_MESSAGE_BYTES
	});
	wss.on("error", (err) => log.error("websocket server error", { error: err.message }));
	server.on("upgrade", (req, socket, head) => {
		socket.on("error", (err) => log.warn("bridge socket error before upgrade", { error: err.message }));
		const url = new URL(req.url ?? "/", "http://localhost");
		const offered = url.searchParams.get("token") ?? "";
		const hostOk = allowedHosts.includes(req.headers.host ?? "");
		if (url.pathname !== "/bridge" || !hostOk || req.headers.origin !== origin || !sameSecret(offered, token)) {
			log.warn("bridge connection refused", {
				path: url.pathname.slice(0, 80),
				hostMatches: hostOk,
				originMatches: req.headers.origin === origin
			});
			const headers = Object.entries(securityHeaders(origin)).map(([k, v]) => `${k}: ${v}\r\n`);
			socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n${headers.join("")}\r\n`);
			return;
		}
		wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
	});
	function attach(ws) {
		ws.on("error", (err) => log.warn("bridge connection closed on a protocol error", { error: err.message }));
		const unsubscribe = bus.subscribe((event, payload) => {
			if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({
				event,
				payload
			}));
		});
		const reply = (id, response) => {
			if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({
				id,
				response
			}));
		};
		const refuse = (reason, id, bytes) => {
			log.warn("bridge message refused", {
				reason,
				bytes
			});
			if (id !== null) reply(id, {
				ok: false,
				error: {
					code: "INVALID_INPUT",
					message: refusals[reason]
				}
			});
		};
		ws.on("message", (data, isBinary) => {
			const frame = asBuffer(data);
			if (isBinary) return refuse("not-json", peekEnvelope(frame)?.id ?? null, frame.length);
			const verdict = screenFrame(frame);
			if (!verdict.ok) return refuse(verdict.reason, verdict.id, frame.length);
			let message;
			try {
				message = JSON.parse(frameText(frame));
			} catch {
				return refuse("not-json", peekEnvelope(frame)?.id ?? null, frame.length);
			}
			if (typeof message !== "object" || message === null) return refuse("not-json", null, frame.length);
			const { id, method, input } = message;
			if (typeof id !== "number") return refuse("not-json", null, frame.length);
			if (frame.length > maxMessageBytes(typeof method === "string" ? method : "")) return refuse("too-large", id, frame.length);
			dispatch(method, input).then((response) => reply(id, response), (err) => log.error("dispatch failed", { error: err instanceof Error ? err.message : "unknown" }));
		});
		ws.on("close", unsubscribe);
	}
	await new Promise((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
	const { port } = server.address();
	origin = `http://127.0.0.1:${port}`;
	allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
	return {
		url: `${origin}/#token=${token}`,
		origin,
		close: () => new Promise((resolve) => {
			for (const client of wss.clients) client.terminate();
			wss.close();
			server.close(() => resolve());
			server.closeAllConnections();
		})
	};
}
/** ws hands over a Buffer by default; fragmented or ArrayBuffer forms are normalised too. */
function asBuffer(data) {
	if (Array.isArray(data)) return Buffer.concat(data);
	return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
function sameSecret(a, b) {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}
/** Same policy as the Electron window, plus the loopback WebSocket. */
function contentSecurityPolicy(origin) {
	return [
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self'",
		`connect-src 'self' ${origin.replace(/^http/, "ws")}`,
		"frame-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'"
	].join("; ");
}
export { emergencySummarySchema as A, documentMetaSchema as C, hostSessionEndCause as D, accessMode as E, beneficiarySchema as F, cardStatus as I, apiErrorCode as L, matriculeSchema as M, referenceIdentitySchema as N, professionalSchema as O, sexSchema as P, documentFilterSchema as S, visibilitySchema as T, isCardError as _, hostOptionsFromArgv as a, accessHistoryEntrySchema as b, managedHostSettingsFile as c, IdentityQueryError as d, createLogger as f, CardError as g, decodeApdu as h, hostOptionNames as i, insKey as j, dossierRefSchema as k, projectRoot as l, encodeTlv as m, startLoopbackHost as n, dataLayout as o, silentLogger as p, buildApp as r, defaultDataDir as s, contentSecurityPolicy as t, resourcesDir as u, atrProtocols as v, documentStatus as w, documentContentSchema as x, toApiError$1 as y };
