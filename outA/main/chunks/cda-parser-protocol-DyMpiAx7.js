import { SaxesParser } from "saxes";
// src/main/cda/xml/limits.ts
var defaultXmlLimits = Object.freeze({
	maxBytes: 31457280,
	maxDepth: 200,
	maxAttributes: 64,
	maxAttributeLength: 65536,
	maxTextLength: 31457280,
	maxElements: 5e5
});
// src/shared/contract/api-error.ts
/**
* The error type and its codes, without zod: the store worker needs them and must not load the
* whole contract (zod alone is most of a bundle's start-up). The schemas are in errors.ts.
*/
/** Error codes that cross the process boundary. The message is French and meant for the user. */
var apiErrorCodes = [
	"INVALID_INPUT",
	"UNKNOWN_METHOD",
	"FORBIDDEN",
	"NOT_FOUND",
	"CONFLICT",
	"LOCKED",
	"CARD_ERROR",
	"PIN_WRONG",
	"PIN_BLOCKED",
	"UNSUPPORTED",
	"CORRUPT_DATA",
	"UNAVAILABLE",
	"INTERNAL"
];
/**
* Thrown by services for errors the user should see. Anything else that escapes a service is reported
* as INTERNAL with a generic French message, so internals never leak to the renderer.
*/
var ApiError = class extends Error {
	code;
	logDetail;
	constructor(code, message, logDetail) {
		super(message);
		this.code = code;
		this.logDetail = logDetail;
		this.name = "ApiError";
	}
};
// src/shared/identity/ins.ts
/**
* The one definition of the INS and its matricule (NIR or NIA), shared by the contract, the main
* process (cards, CDA import, deposits, dossiers) and the renderer. Pure: no Node, no DOM.
*
* A matricule has 15 characters: S AA MM DD CCC OOO KK
*   S    sex and kind: 1 man, 2 woman (NIR); 7 man, 8 woman (NIA, registration pending)
*   AA   last two digits of the birth year
*   MM   birth month 01–12; 20 and 30–42 / 50–99 mark an unknown or fictitious month (no check)
*   DD   birth department (01–95, 2A/2B for Corsica, 97/98 overseas, 99 born abroad)
*   CCC  commune (or country), OOO order number
*   KK   key = 97 − (first 13 characters as a number mod 97), with 2A → 19 and 2B → 18
* (INSEE layout; domain.md §1 INS.) The INS is the matricule plus the OID that says which
* register it comes from.
*/
var insOids = {
	nir: "1.2.250.1.213.1.4.8",
	nia: "1.2.250.1.213.1.4.9",
	test: "1.2.250.1.213.1.4.10",
	demo: "1.2.250.1.213.1.4.11"
};
var insOidValues = [
	insOids.nir,
	insOids.nia,
	insOids.test,
	insOids.demo
];
/** Source text of the matricule pattern (upper case), for schemas that embed it. */
var matriculeSource = "[1278][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}";
var matriculePattern = new RegExp(`^${matriculeSource}$`);
/** `<matricule>@<oid>`, the key naming a dossier in the UI, the CLI and the store. */
var insKeyPattern = new RegExp(`^${matriculeSource}@1\\.2\\.250\\.1\\.213\\.1\\.4\\.(?:8|9|10|11)$`);
/** What a user may type or a document may carry: spaces removed, upper case. */
function normaliseMatricule(value) {
	return value.replace(/\s+/g, "").toUpperCase();
}
function isInsOid(oid) {
	return insOidValues.includes(oid);
}
/** Test and demo identities must be refused in production (DMP guide, devbox-santé #6). */
function isTestOid(oid) {
	return oid === insOids.test || oid === insOids.demo;
}
/** Test and demo Vitale cards only ever give test and demo identities; a production card the NIR register's. */
function insOidForCardStatus(status) {
	return status === "test" ? insOids.test : status === "demo" ? insOids.demo : insOids.nir;
}
/** The two-digit key of a 13-character matricule body (Corsica's 2A/2B counted as 19/18). */
function matriculeKey(body13) {
	const body = body13.toUpperCase();
	const numeric = body.slice(5, 7) === "2A" ? `${body.slice(0, 5)}19${body.slice(7)}` : body.slice(5, 7) === "2B" ? `${body.slice(0, 5)}18${body.slice(7)}` : body;
	if (!/^[0-9]{13}$/.test(numeric)) throw new RangeError("matricule body must be 13 digits (2A/2B allowed at 6–7)");
	return 97 - Number(BigInt(numeric) % 97n);
}
/** Layout and key. */
function matriculeKeyValid(value) {
	const matricule = normaliseMatricule(value);
	return matriculePattern.test(matricule) && matriculeKey(matricule.slice(0, 13)) === Number(matricule.slice(13));
}
/** NIR (1, 2) or NIA (7, 8), from the first digit. */
function matriculeKind(matricule) {
	const first = matricule.trim()[0];
	return first === "1" || first === "2" ? "nir" : first === "7" || first === "8" ? "nia" : null;
}
function sexOfMatricule(matricule) {
	const first = matricule.trim()[0];
	return first === "1" || first === "7" ? "M" : first === "2" || first === "8" ? "F" : null;
}
/** The birth month a matricule states, or undefined when it marks the month unknown (20, 30–42, 50–99). */
function birthMonthOfMatricule(matricule) {
	const month = Number(matricule.trim().slice(3, 5));
	return month >= 1 && month <= 12 ? month : void 0;
}
function formatInsKey(ins) {
	return `${normaliseMatricule(ins.matricule)}@${ins.oid}`;
}
/** Thrown on a malformed `<matricule>@<oid>` key; French, safe to show (no NIR in it). */
var InsKeyError = class extends RangeError {
	constructor(message) {
		super(message);
		this.name = "InsKeyError";
	}
};
/** Layout only (the key is checked by {@link checkIns}): enough to name a dossier. */
function parseInsKey(key) {
	const trimmed = key.trim();
	const at = trimmed.indexOf("@");
	if (at < 0 || at !== trimmed.lastIndexOf("@")) throw new InsKeyError("Identifiant INS invalide : format attendu « matricule@OID ».");
	const matricule = normaliseMatricule(trimmed.slice(0, at));
	const oid = trimmed.slice(at + 1);
	if (!matriculePattern.test(matricule)) throw new InsKeyError("Identifiant INS invalide : le matricule doit compter 15 caractères (NIR ou NIA).");
	if (!isInsOid(oid)) throw new InsKeyError("Identifiant INS invalide : l'OID n'est pas celui d'un NIR, d'un NIA ou d'une identité de test.");
	return {
		matricule,
		oid
	};
}
function tryParseInsKey(key) {
	try {
		return parseInsKey(key);
	} catch (error) {
		if (error instanceof InsKeyError) return void 0;
		throw error;
	}
}
/**
* Every reason this INS must not be used for a person with these traits: layout, key, register
* (a NIR OID with an NIA matricule…), and the sex, birth year and birth month the matricule states.
* An empty list means the INS is well formed and consistent; it says nothing of who it belongs to.
*/
function checkIns(ins, traits = {}) {
	const problems = [];
	const matricule = normaliseMatricule(ins.matricule);
	if (!isInsOid(ins.oid)) problems.push({
		code: "oid",
		message: "L'OID de l'INS n'est pas reconnu."
	});
	if (!matriculePattern.test(matricule)) {
		problems.push({
			code: "format",
			message: "Le matricule INS doit compter 15 caractères (NIR ou NIA) : sexe, année, mois, lieu de naissance, rang et clé."
		});
		return problems;
	}
	if (!matriculeKeyValid(matricule)) problems.push({
		code: "key",
		message: "La clé du matricule INS est incorrecte : ce numéro est mal saisi ou altéré."
	});
	const kind = matriculeKind(matricule);
	if (ins.oid === insOids.nir && kind !== "nir" || ins.oid === insOids.nia && kind !== "nia") problems.push({
		code: "kind",
		message: "Le matricule INS ne correspond pas à son registre (un NIR commence par 1 ou 2, un NIA par 7 ou 8)."
	});
	const matriculeSex = sexOfMatricule(matricule);
	if (traits.sex && traits.sex !== "U" && matriculeSex && traits.sex !== matriculeSex) problems.push({
		code: "sex",
		message: "Le sexe du patient ne correspond pas à celui que porte le matricule INS."
	});
	const birth = traits.birthDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(traits.birthDate) : null;
	if (birth) {
		const [, year = "", month = ""] = birth;
		if (year.slice(2) !== matricule.slice(1, 3)) problems.push({
			code: "birth-year",
			message: "L'année de naissance du patient ne correspond pas à celle que porte le matricule INS."
		});
		const matriculeMonth = birthMonthOfMatricule(matricule);
		if (matriculeMonth !== void 0 && Number(month) !== 0 && Number(month) !== matriculeMonth) problems.push({
			code: "birth-month",
			message: "Le mois de naissance du patient ne correspond pas à celui que porte le matricule INS."
		});
	}
	return problems;
}
/**
* A Vitale card carries the ouvrant-droit's NIR for every beneficiary (domain.md §1): true when that
* NIR cannot be this beneficiary's own (birth year or month differ). False only means it *may* be
* theirs; the identity reference decides.
*/
function cardNirCannotBeBeneficiarys(cardNir, beneficiary) {
	const nir = normaliseMatricule(cardNir);
	if (!matriculePattern.test(nir)) return true;
	return checkIns({
		matricule: nir,
		oid: insOids.nir
	}, { birthDate: beneficiary.birthDate }).some((p) => p.code === "birth-year" || p.code === "birth-month");
}
function rnivStatus(facts) {
	if (facts.retrieved) return facts.documentChecked ? "qualified" : "fetched";
	return facts.documentChecked ? "validated" : "provisional";
}
// src/main/cda/entries/labels.ts
/**
* Coded values a CDA carries (HL7 status codes, SNOMED 3.5 statuses, severities, UCUM units) in the
* French a clinician reads. The document's own displayName wins when it gives one; these tables only
* cover what a document leaves as a bare code, so no raw code reaches the screen.
*/
/** HL7 ActStatus / problem status codes and the SNOMED 3.5 status codes of CI-SIS (TA_ASIP / JDV). */
var STATUS_LABELS = {
	active: "Actif",
	inactive: "Inactif",
	resolved: "Résolu",
	remission: "En rémission",
	recurrence: "Récidive",
	relapse: "Rechute",
	completed: "Terminé",
	aborted: "Interrompu",
	suspended: "Suspendu",
	cancelled: "Annulé",
	held: "En attente",
	new: "Nouveau",
	nullified: "Annulé",
	normal: "Normal",
	"not-done": "Non administré",
	"G-A397": "Intermittent",
	"G-A230": "Actif",
	"G-A270": "Chronique",
	"G-A384": "Résolu",
	"G-A385": "Inactif",
	"G-A386": "Récidivant",
	"G-A231": "Inactif",
	"G-A389": "En rémission",
	"55561003": "Actif",
	"73425007": "Inactif",
	"413322009": "Résolu",
	"255227004": "Récurrent",
	"277022003": "En rémission"
};
/** True for a value that is a code rather than words: « G-A397 », « 55561003 », « active », « not-done ». */
function looksLikeCode(value) {
	return /^(?:[A-Z]-[A-Z0-9]+|\d+|[a-z]+(?:-[a-z]+)*)$/.test(value.trim());
}
/** French label of a status: the document's displayName when it is words, else the table, else undefined. */
function statusLabel(code, display) {
	if (display && display.trim() !== "" && display !== code) return capitalize(display.trim());
	if (!code) return void 0;
	return STATUS_LABELS[code] ?? STATUS_LABELS[code.toLowerCase()];
}
/** statusCode of a Concern act (IHE PCC): the concern is still followed (active) or closed (completed). */
function concernStatusLabel(code) {
	if (code === "completed") return "Résolu";
	if (code === "aborted") return "Abandonné";
	return statusLabel(code);
}
/** HL7 ObservationValue severity codes (L/M/H) and SNOMED CT severities. */
var SEVERITY_LABELS = {
	L: "Légère",
	M: "Modérée",
	H: "Sévère",
	"255604002": "Légère",
	"6736007": "Modérée",
	"24484000": "Sévère",
	"442452003": "Mettant en jeu le pronostic vital",
	"371923003": "Légère à modérée",
	"371924009": "Modérée à sévère"
};
function severityLabel(code, display) {
	if (code && SEVERITY_LABELS[code]) return SEVERITY_LABELS[code];
	if (display && display.trim() !== "" && display !== code) return capitalize(display.trim());
}
/** UCUM annotations and units as written in French prescriptions and lab reports. */
var UNIT_LABELS = {
	"{tablet}": "comprimé(s)",
	"{tbl}": "comprimé(s)",
	"{capsule}": "gélule(s)",
	"{puff}": "bouffée(s)",
	"{drop}": "goutte(s)",
	"{sachet}": "sachet(s)",
	"{dose}": "dose(s)",
	"{application}": "application(s)",
	"{count}": "unité(s)",
	"{score}": "",
	"{ratio}": "",
	"{pack}/a": "paquets-années",
	"{drink}/d": "verre(s) par jour",
	"[diop]": "dioptrie(s)",
	"mm[Hg]": "mmHg",
	Cel: "°C",
	deg: "°",
	d: "jour(s)",
	wk: "semaine(s)",
	mo: "mois",
	a: "an(s)",
	h: "heure(s)",
	min: "minute(s)",
	"10*9/L": "G/L",
	"10*12/L": "T/L",
	ug: "µg",
	uL: "µL"
};
/** A UCUM unit in French: « [IU]/mL » → « UI/mL », « {tbl} » → « comprimé(s) », « ug/mL » → « µg/mL ». */
function unitLabel(unit) {
	if (!unit || unit === "1") return void 0;
	const known = UNIT_LABELS[unit];
	if (known !== void 0) return known === "" ? void 0 : known;
	const french = unit.replace(/\[IU\]/g, "UI").replace(/\[iU\]/g, "UI").replace(/\bu(g|L|mol)\b/g, "µ$1").replace(/\{([^}]*)\}/g, "$1").replace(/\[([^\]]*)\]/g, "$1");
	return french === "" ? void 0 : french;
}
/** A PQ as displayed: « 1,95 mUI/L ». Decimal point kept as written when the value is not a plain number. */
function quantityLabel(value, unit) {
	const number = /^-?\d+(\.\d+)?$/.test(value) ? value.replace(".", ",") : value;
	const u = unitLabel(unit);
	return u ? `${number} ${u}` : number;
}
/** HL7 ObservationInterpretation → flag and French label. */
var INTERPRETATIONS = {
	N: {
		flag: "normal",
		label: "Normal"
	},
	L: {
		flag: "low",
		label: "Bas"
	},
	H: {
		flag: "high",
		label: "Élevé"
	},
	LL: {
		flag: "critical-low",
		label: "Très bas"
	},
	HH: {
		flag: "critical-high",
		label: "Très élevé"
	},
	LU: {
		flag: "critical-low",
		label: "Très bas"
	},
	HU: {
		flag: "critical-high",
		label: "Très élevé"
	},
	"<": {
		flag: "low",
		label: "Inférieur au seuil"
	},
	">": {
		flag: "high",
		label: "Supérieur au seuil"
	},
	A: {
		flag: "abnormal",
		label: "Anormal"
	},
	AA: {
		flag: "abnormal",
		label: "Très anormal"
	},
	POS: {
		flag: "abnormal",
		label: "Positif"
	},
	NEG: {
		flag: "normal",
		label: "Négatif"
	},
	IND: {
		flag: "abnormal",
		label: "Indéterminé"
	},
	DET: {
		flag: "abnormal",
		label: "Détecté"
	},
	ND: {
		flag: "normal",
		label: "Non détecté"
	}
};
function interpretationOf(code) {
	return code ? INTERPRETATIONS[code] : void 0;
}
/** ATC first level (anatomical main group), for the reimbursement filter. */
var ATC_GROUPS = {
	A: "Voies digestives et métabolisme",
	B: "Sang et organes hématopoïétiques",
	C: "Système cardiovasculaire",
	D: "Dermatologie",
	G: "Système génito-urinaire et hormones sexuelles",
	H: "Hormones systémiques",
	J: "Anti-infectieux généraux",
	L: "Antinéoplasiques et immunomodulateurs",
	M: "Muscle et squelette",
	N: "Système nerveux",
	P: "Antiparasitaires",
	R: "Système respiratoire",
	S: "Organes sensoriels",
	V: "Divers"
};
function atcGroupLabel(atc) {
	return atc ? ATC_GROUPS[atc.charAt(0).toUpperCase()] : void 0;
}
function capitalize(value) {
	return value.charAt(0).toUpperCase() + value.slice(1);
}
// src/main/cda/errors.ts
var CdaError = class extends Error {
	code;
	userMessage;
	detail;
	constructor(code, reason, detail) {
		const userMessage = `Document CDA illisible : ${reason}`;
		super(userMessage);
		this.name = "CdaError";
		this.code = code;
		this.userMessage = userMessage;
		this.detail = detail;
	}
};
// src/main/cda/pdf.ts
/**
* PDF sanity checks shared by every path that stores or serves a PDF (nonXMLBody, embedded
* observationMedia, plain PDF deposits): a file cut short in transfer lacks its `%%EOF` end marker,
* and refusing it beats storing something no viewer can open.
*/
function startsWithAscii(bytes, prefix) {
	if (bytes.length < prefix.length) return false;
	for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
	return true;
}
function looksLikePdf(bytes) {
	return startsWithAscii(bytes, "%PDF-");
}
/** `%PDF-` header and a `%%EOF` marker in the last kilobyte (where every writer puts it). */
function looksLikeCompletePdf(bytes) {
	if (!looksLikePdf(bytes)) return false;
	return Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString("latin1").includes("%%EOF");
}
/** CDA elements live in the HL7 namespace; tolerate a missing namespace, ignore extensions (sdtc, pharm…). */
function isCdaElement(el, local) {
	return el.local === local && (el.ns === "urn:hl7-org:v3" || el.ns === "");
}
function child(el, local) {
	if (!el) return void 0;
	for (const c of el.children) if (isCdaElement(c, local)) return c;
}
function children(el, local) {
	if (!el) return [];
	return el.children.filter((c) => isCdaElement(c, local));
}
function attr(el, name) {
	return el?.attrs[name];
}
/** Concatenated text of the element and its descendants, whitespace collapsed. */
function text(el) {
	if (!el) return "";
	const parts = [];
	collectText(el, parts);
	return parts.join("").replace(/\s+/g, " ").trim();
}
function collectText(el, parts) {
	for (const n of el.nodes) if (typeof n === "string") parts.push(n);
	else {
		if (n.local === "br") parts.push(" ");
		collectText(n, parts);
	}
}
/** `path(el, 'recordTarget', 'patientRole', 'patient')`: first match at each step. */
function path(el, ...steps) {
	let current = el;
	for (const step of steps) {
		current = child(current, step);
		if (!current) return void 0;
	}
	return current;
}
/** Depth-first search of descendants (not the element itself), iterative so depth cannot overflow the stack. */
function findDescendants(el, predicate) {
	const found = [];
	const stack = [...el.children].reverse();
	while (stack.length > 0) {
		const current = stack.pop();
		if (predicate(current)) found.push(current);
		for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]);
	}
	return found;
}
function templateIdsOf(el) {
	return children(el, "templateId").map((t) => attr(t, "root")).filter((r) => r !== void 0 && r !== "");
}
// src/main/cda/hl7/datatypes.ts
/**
* HL7 TS (`YYYYMMDDHHMMSS.UUUU±ZZZZ`, any precision) → ISO 8601 at the precision given.
* Returns undefined for nullFlavor or values that are not a TS, rather than guessing.
*/
function hl7TimeToIso(value) {
	if (!value) return void 0;
	const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?)?([+-]\d{4})?$/.exec(value.trim());
	if (!m) return void 0;
	const [, y, mo, d, h, mi, s, tz] = m;
	let iso = y;
	if (mo) iso += `-${mo}`;
	if (mo && d) iso += `-${d}`;
	if (d && h) {
		iso += `T${h}:${mi ?? "00"}:${s ?? "00"}`;
		if (tz) iso += `${tz.slice(0, 3)}:${tz.slice(3)}`;
	}
	return iso;
}
/** Date part only (`YYYY-MM-DD` or shorter). */
function hl7DateToIso(value) {
	return hl7TimeToIso(value)?.slice(0, 10);
}
/** Reads `@value` of a TS element, or `low`/`high` of an IVL_TS. */
function timeOf(el) {
	if (!el) return {};
	const point = hl7TimeToIso(attr(el, "value"));
	if (point) return { start: point };
	const start = hl7TimeToIso(attr(child(el, "low"), "value")) ?? hl7TimeToIso(attr(child(el, "center"), "value"));
	const end = hl7TimeToIso(attr(child(el, "high"), "value"));
	return {
		...start ? { start } : {},
		...end ? { end } : {}
	};
}
/** A CD/CE element as `Coded`; falls back on the first coded translation when the main code is null-flavoured. */
function codedOf(el) {
	if (!el) return void 0;
	const code = attr(el, "code");
	if (code) {
		const system = attr(el, "codeSystem");
		const display = attr(el, "displayName");
		return {
			code,
			...system ? { system } : {},
			...display ? { display } : {}
		};
	}
	for (const t of children(el, "translation")) {
		const coded = codedOf(t);
		if (coded) return coded;
	}
}
/** "Prénom NOM" from a PN, or the plain text when the name is unstructured. */
function formatName(name) {
	if (!name) return void 0;
	const given = children(name, "given").map(text).filter(Boolean);
	const family = children(name, "family").map(text).filter(Boolean);
	if (given.length === 0 && family.length === 0) return text(name) || void 0;
	return [...new Set(given.slice(0, 1)), ...new Set(family)].join(" ") || void 0;
}
// src/main/cda/narrative.ts
/**
* CDA narrative block → inert HTML. Only a whitelist of tags is emitted, text is always escaped and
* the only attributes are `class` (from a fixed styleCode map) and numeric `colspan`/`rowspan`:
* nothing that runs script, loads a resource or navigates can come out of here.
*/
var TAG_MAP = {
	paragraph: "p",
	item: "li",
	table: "table",
	thead: "thead",
	tbody: "tbody",
	tfoot: "tfoot",
	tr: "tr",
	th: "th",
	td: "td",
	caption: "caption",
	content: "span",
	sub: "sub",
	sup: "sup",
	footnote: "span",
	footnoteRef: "span",
	linkHtml: "span"
};
var STYLE_CLASSES = {
	bold: "cda-bold",
	italics: "cda-italic",
	underline: "cda-underline",
	emphasis: "cda-emphasis",
	lrule: "cda-lrule",
	rrule: "cda-rrule",
	toprule: "cda-toprule",
	botrule: "cda-botrule"
};
/** Elements whose content is layout metadata, never shown. */
var DROPPED = /* @__PURE__ */ new Set(["col", "colgroup"]);
function escapeHtml(value) {
	return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function narrativeToHtml(textBlock) {
	if (!textBlock) return "";
	const out = [];
	renderChildren(textBlock, out);
	return out.join("").trim();
}
function renderChildren(el, out) {
	for (const node of el.nodes) if (typeof node === "string") out.push(escapeHtml(node.replace(/\s+/g, " ")));
	else renderElement(node, out);
}
function renderElement(el, out) {
	const name = el.local;
	if (DROPPED.has(name)) return;
	if (name === "br") {
		out.push("<br>");
		return;
	}
	if (name === "renderMultiMedia") {
		out.push("<span class=\"cda-multimedia\">[contenu multimédia non affiché]</span>");
		return;
	}
	const tag = name === "list" ? attr(el, "listType") === "ordered" ? "ol" : "ul" : TAG_MAP[name];
	if (!tag) {
		renderChildren(el, out);
		return;
	}
	out.push(`<${tag}${safeAttributes(el, tag)}>`);
	renderChildren(el, out);
	out.push(`</${tag}>`);
}
/**
* A narrative `ID` becomes `id="cda-<ID>"` so « Source » can open the document at the entry that
* references it; only plain identifiers pass (no quote, no space), prefixed so they cannot collide
* with the application's own ids.
*/
var SAFE_ANCHOR = /^[A-Za-z0-9_.-]{1,64}$/;
function anchorId(anchor) {
	return SAFE_ANCHOR.test(anchor) ? `cda-${anchor}` : void 0;
}
function safeAttributes(el, tag) {
	const parts = [];
	const anchor = el.attrs["ID"] !== void 0 ? anchorId(el.attrs["ID"]) : void 0;
	if (anchor) parts.push(` id="${anchor}"`);
	const classes = (attr(el, "styleCode") ?? "").split(/\s+/).map((s) => STYLE_CLASSES[s.toLowerCase()]).filter((c) => c !== void 0);
	if (classes.length > 0) parts.push(` class="${[...new Set(classes)].join(" ")}"`);
	if (tag === "td" || tag === "th") for (const span of ["colspan", "rowspan"]) {
		const value = attr(el, span);
		if (value !== void 0 && /^[1-9]\d{0,2}$/.test(value)) parts.push(` ${span}="${value}"`);
	}
	return parts.join("");
}
/**
* Narrative anchors (`ID` attributes inside section `text` blocks) targeted by `reference/@value="#…"`.
* Only the narrative is indexed: an `ID` on an entry (e.g. an observationMedia holding base64) is not a label.
*/
function narrativeIdIndex(sections) {
	const index = /* @__PURE__ */ new Map();
	for (const section of sections) {
		const block = child(section, "text");
		if (!block) continue;
		for (const el of [block, ...findDescendants(block, (e) => e.attrs["ID"] !== void 0)]) {
			const id = el.attrs["ID"];
			if (id !== void 0 && !index.has(id)) index.set(id, el);
		}
	}
	return index;
}
// src/main/cda/entries/context.ts
/** Text of the narrative element a `reference` points to, when it resolves. */
function resolveReference(reference, ctx) {
	const value = attr(reference, "value");
	if (!value || !value.startsWith("#") || value.length < 2) return void 0;
	const target = ctx.idIndex.get(value.slice(1));
	return target ? capLabel(text(target)) : void 0;
}
var MAX_LABEL = 500;
/** A reference may point at a whole table cell or paragraph: keep labels displayable. */
function capLabel(value) {
	if (value === "") return void 0;
	return value.length > MAX_LABEL ? `${value.slice(0, 499)}…` : value;
}
/** originalText of a coded element: either inline text or a narrative reference. */
function originalTextOf(coded, ctx) {
	const original = child(coded, "originalText");
	if (!original) return void 0;
	return resolveReference(child(original, "reference"), ctx) ?? (textWithoutReference(original) || void 0);
}
function textWithoutReference(el) {
	return el.nodes.filter((n) => typeof n === "string").join("").replace(/\s+/g, " ").trim();
}
/** Best human label for a coded element: displayName, then originalText, then the code itself. */
function labelOfCoded(coded, ctx) {
	const c = codedOf(coded);
	return c?.display ?? notAnAnswer(originalTextOf(coded, ctx)) ?? c?.code;
}
/** Narrative words that answer a question (« Oui », « Non ») rather than name a thing. */
function isYesNo(value) {
	return /^(oui|non|yes|no|vrai|faux)$/i.test(value.trim());
}
/** A narrative used as a label must name something: a bare « Oui »/« Non » is not a name. */
function notAnAnswer(value) {
	return value !== void 0 && isYesNo(value) ? void 0 : value;
}
/** The narrative text the entry's own `text/reference` points to. */
function entryNarrative(act, ctx) {
	const textEl = child(act, "text");
	if (!textEl) return void 0;
	return notAnAnswer(resolveReference(child(textEl, "reference"), ctx) ?? (textWithoutReference(textEl) || void 0));
}
function optional(key, value) {
	return value === void 0 || value === "" ? {} : { [key]: value };
}
// src/main/cda/header.ts
function readHeader(doc) {
	const idEl = child(doc, "id");
	const root = attr(idEl, "root");
	if (!root) throw new CdaError("not-cda", "identifiant du document absent.", "ClinicalDocument/id/@root missing");
	const extension = attr(idEl, "extension");
	const type = codedOf(child(doc, "code"));
	if (!type) throw new CdaError("not-cda", "type de document (code LOINC) absent.", "ClinicalDocument/code missing");
	const setIdEl = child(doc, "setId");
	const setRoot = attr(setIdEl, "root");
	const setExt = attr(setIdEl, "extension");
	const version = Number.parseInt(attr(child(doc, "versionNumber"), "value") ?? "", 10);
	const effectiveTime = hl7TimeToIso(attr(child(doc, "effectiveTime"), "value"));
	const confidentiality = attr(child(doc, "confidentialityCode"), "code");
	const author = readAuthor(child(doc, "author"));
	return {
		documentId: extension ? `${root}^${extension}` : root,
		...setRoot ? { setId: setExt ? `${setRoot}^${setExt}` : setRoot } : {},
		...Number.isFinite(version) ? { versionNumber: version } : {},
		title: text(child(doc, "title")) || type.display || type.code,
		type,
		...effectiveTime ? { effectiveTime } : {},
		...confidentiality ? { confidentiality } : {},
		templateIds: templateIdsOf(doc),
		patient: readPatient(doc),
		...author ? { author } : {}
	};
}
function readPatient(doc) {
	const role = path(doc, "recordTarget", "patientRole");
	if (!role) throw new CdaError("not-cda", "patient (recordTarget) absent.", "recordTarget/patientRole missing");
	const ids = children(role, "id").flatMap((id) => {
		const root = attr(id, "root");
		const extension = attr(id, "extension");
		return root && extension ? [{
			root,
			extension
		}] : [];
	});
	if (!ids.some((id) => isInsOid(id.root))) throw new CdaError("missing-ins", "INS du patient absent de l'en-tête : le document ne peut pas être rattaché à un dossier.", `no patientRole/id with an INS root among ${ids.length} ids`);
	const patient = child(role, "patient");
	const name = child(patient, "name");
	const families = children(name, "family");
	const givens = children(name, "given");
	const birthFamily = families.find((f) => attr(f, "qualifier") === "BR") ?? families[0];
	const usedFamily = families.find((f) => attr(f, "qualifier") === "CL");
	const firstNames = givens.find((g) => attr(g, "qualifier") === void 0) ?? givens[0];
	const sex = attr(child(patient, "administrativeGenderCode"), "code");
	const birthDate = hl7DateToIso(attr(child(patient, "birthTime"), "value"));
	const birthPlaceCode = text(path(patient, "birthplace", "place", "addr", "county")) || void 0;
	return {
		ids,
		...birthFamily && text(birthFamily) ? { birthName: text(birthFamily) } : {},
		...usedFamily && text(usedFamily) ? { usedName: text(usedFamily) } : {},
		...firstNames && text(firstNames) ? { firstNames: text(firstNames) } : {},
		...sex === "M" || sex === "F" || sex === "U" ? { sex } : {},
		...birthDate ? { birthDate } : {},
		...birthPlaceCode ? { birthPlaceCode } : {}
	};
}
/** Author of the document or of an entry (same `assignedAuthor` shape). */
function readAuthor(author) {
	return readAssigned(child(author, "assignedAuthor"), child(author, "time"));
}
/** A professional as `assignedAuthor` or `assignedEntity` (performers share the shape). */
function readAssigned(assigned, timeEl) {
	if (!assigned) return void 0;
	const name = formatName(path(assigned, "assignedPerson", "name"));
	const profession = codedOf(child(assigned, "code"));
	const nationalId = children(assigned, "id").map((id) => attr(id, "extension")).find((e) => e !== void 0 && e !== "");
	const organization = text(path(assigned, "representedOrganization", "name")) || void 0;
	const time = hl7TimeToIso(attr(timeEl, "value"));
	const device = text(path(assigned, "assignedAuthoringDevice", "softwareName")) || void 0;
	const shownName = name ?? device;
	return {
		...shownName ? { name: shownName } : {},
		...profession ? { profession } : {},
		...nationalId ? { nationalId } : {},
		...organization ? { organization } : {},
		...time ? { time } : {}
	};
}
// src/main/cda/entries/templates.ts
/** Entry template ids (IHE PCC / CI-SIS) the importer knows how to read. */
var TEMPLATES = {
	problemConcern: "1.3.6.1.4.1.19376.1.5.3.1.4.5.2",
	problem: "1.3.6.1.4.1.19376.1.5.3.1.4.5",
	allergyConcern: "1.3.6.1.4.1.19376.1.5.3.1.4.5.3",
	allergy: "1.3.6.1.4.1.19376.1.5.3.1.4.6",
	medication: "1.3.6.1.4.1.19376.1.5.3.1.4.7",
	immunization: "1.3.6.1.4.1.19376.1.5.3.1.4.12",
	advanceDirective: "1.3.6.1.4.1.19376.1.5.3.1.4.13.7",
	procedure: "1.3.6.1.4.1.19376.1.5.3.1.4.19",
	encounter: "1.3.6.1.4.1.19376.1.5.3.1.4.14",
	/** FR-Dispositif-medical (CI-SIS). */
	medicalDevice: "1.2.250.1.213.1.1.3.20",
	/** Laboratory Observation (IHE PaLM), CI-SIS lab results. */
	labObservation: "1.3.6.1.4.1.19376.1.3.1.6",
	/** Social history observation (IHE PCC): tobacco, alcohol, exposures. */
	socialHistory: "1.3.6.1.4.1.19376.1.5.3.1.4.13.4",
	/** Severity (IHE PCC) inside an allergy or a problem. */
	severity: "1.3.6.1.4.1.19376.1.5.3.1.4.1",
	/** Problem/allergy clinical status observation (IHE PCC). */
	clinicalStatus: "1.3.6.1.4.1.19376.1.5.3.1.4.1.1"
};
/** CNAM code systems for dispensed medicines: CIP then UCD. */
var CNAM_MEDICINE_SYSTEMS = ["1.2.250.1.215.200.1.1.1", "1.2.250.1.215.200.1.1.2"];
// src/main/cda/entries/common.ts
/** Entry-level author as "Prénom NOM" (or organisation), from the act or an inner supply (prescriber). */
function authorName(act) {
	const author = readAuthor(child(act, "author"));
	return author?.name ?? author?.organization;
}
/** The clinical statements an act relates to, with the relationship type. */
function related(act, typeCode) {
	return children(act, "entryRelationship").filter((r) => typeCode === void 0 || attr(r, "typeCode") === typeCode).flatMap((r) => r.children.filter((c) => c.local !== "templateId" && c.local !== "sequenceNumber" && c.local !== "seperatableInd"));
}
function hasTemplate(el, templateId) {
	return templateIdsOf(el).includes(templateId);
}
function effectiveTimes(act) {
	return children(act, "effectiveTime");
}
/** Start/end of an act (first IVL_TS or TS effectiveTime). */
function periodOf(act) {
	for (const et of effectiveTimes(act)) {
		const type = attr(et, "xsi:type");
		if (type !== void 0 && !type.endsWith("IVL_TS") && !type.endsWith(":TS") && type !== "TS") continue;
		const { start, end } = timeOf(et);
		if (start || end) return {
			...start ? { startDate: start } : {},
			...end ? { endDate: end } : {}
		};
	}
	return {};
}
function statusOf(act) {
	return attr(child(act, "statusCode"), "code");
}
/** A PQ (`value` + UCUM `unit`) in French, or undefined when null-flavoured. */
function quantityText(pq) {
	const value = attr(pq, "value");
	if (!value) return void 0;
	return quantityLabel(value, attr(pq, "unit"));
}
function routeText(act, ctx) {
	const route = child(act, "routeCode");
	const label = codedOf(route)?.display ?? originalTextOf(route, ctx);
	return label ? label : void 0;
}
/** Product of a substanceAdministration: name, code and lot. */
function productOf(act, ctx) {
	const material = child(child(child(act, "consumable"), "manufacturedProduct"), "manufacturedMaterial");
	const codeEl = child(material, "code");
	const narrative = originalTextOf(codeEl, ctx);
	const name = text(child(material, "name")) || codedOf(codeEl)?.display || (narrative && !isYesNo(narrative) ? narrative : void 0);
	const lot = text(child(material, "lotNumberText")) || void 0;
	return {
		...name ? { name } : {},
		...codeEl ? { codeEl } : {},
		...lot ? { lot } : {}
	};
}
/** Joins non-empty detail fragments with " ; ". */
function joinDetail(parts) {
	const kept = parts.filter((p) => p !== void 0 && p !== "");
	return kept.length > 0 ? kept.join(" ; ") : void 0;
}
/** Clinical status observation (IHE PCC Problem Status, 4.1.1) in French: the document's label (« Intermittent »), never its code. */
function clinicalStatusOf(obs) {
	const value = child(related(obs, "REFR").find((r) => hasTemplate(r, TEMPLATES.clinicalStatus)), "value");
	return statusLabel(attr(value, "code"), attr(value, "displayName"));
}
/** Severity observation (IHE PCC 4.1) in French (« Modérée »), from its code or the document's label. */
function severityOf(obs) {
	const value = child(related(obs, "SUBJ").find((r) => hasTemplate(r, TEMPLATES.severity)), "value");
	return severityLabel(attr(value, "code"), attr(value, "displayName"));
}
/** The narrative anchor an entry's `text/reference` points to (without `#`). */
function anchorOf(act) {
	const value = attr(child(child(act, "text"), "reference"), "value");
	return value?.startsWith("#") && value.length > 1 ? value.slice(1) : void 0;
}
/** negationInd="true": the document states the absence of what the act names. */
function isNegated(act) {
	return attr(act, "negationInd") === "true";
}
/** Labelled facts, dropping the empty ones. */
function factsOf(pairs) {
	const facts = pairs.filter((p) => p[1] !== void 0 && p[1] !== "").map(([label, value]) => ({
		label,
		value
	}));
	return facts.length > 0 ? facts : void 0;
}
/** One-line detail from facts: « Posologie : … ; Voie : … ». */
function detailOf(facts) {
	return facts && facts.length > 0 ? facts.map((f) => `${f.label} : ${f.value}`).join(" ; ") : void 0;
}
// src/main/cda/entries/advance-directives.ts
/** Advance directive observation: which directive, and the patient's answer when coded as a boolean. */
function readAdvanceDirective(obs, ctx) {
	const value = child(obs, "value");
	const answer = attr(value, "value");
	const attachment = attachedMediaType(obs);
	const detail = answer === "true" ? "oui" : answer === "false" ? "non" : attachment ? `document joint (${attachment})` : labelOfCoded(value, ctx) ?? (isEncapsulated(value) ? void 0 : text(value) || void 0) ?? entryNarrative(obs, ctx);
	const { startDate, endDate } = periodOf(obs);
	return {
		kind: "advanceDirective",
		label: labelOfCoded(child(obs, "code"), ctx) ?? entryNarrative(obs, ctx) ?? "Directive anticipée",
		...optional("code", codedOf(child(obs, "code"))),
		...optional("detail", detail),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...optional("status", statusOf(obs)),
		...optional("author", authorName(obs)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(obs)
	};
}
/** The scanned directive travels as an observationMedia (base64): name its type, never dump its content. */
function attachedMediaType(obs) {
	const media = related(obs, "COMP").find((r) => r.local === "observationMedia");
	if (!media) return void 0;
	return attr(child(media, "value"), "mediaType") ?? "fichier";
}
function isEncapsulated(value) {
	return attr(value, "representation") === "B64";
}
// src/main/cda/entries/allergies.ts
/** Allergy and Intolerance Concern → one entry per allergy observation. */
function readAllergyConcern(concern, ctx) {
	const concernStatus = concernStatusLabel(statusOf(concern));
	return related(concern, "SUBJ").filter((obs) => hasTemplate(obs, TEMPLATES.allergy)).map((obs) => readAllergy(obs, ctx, concernStatus, authorName(concern)));
}
function readAllergy(obs, ctx, concernStatus, concernAuthor) {
	const allergenCode = path(obs, "participant", "participantRole", "playingEntity", "code");
	const allergenName = text(path(obs, "participant", "participantRole", "playingEntity", "name")) || void 0;
	const allergen = codedOf(allergenCode);
	const value = child(obs, "value");
	const valueLabel = labelOfCoded(value, ctx);
	const agent = allergen?.display ?? allergenName ?? originalTextOf(allergenCode, ctx);
	const type = codedOf(child(obs, "code"))?.display;
	const answer = originalTextOf(value, ctx) ?? resolveReference(child(child(obs, "text"), "reference"), ctx);
	const answeredNo = agent === void 0 && answer !== void 0 && /^non$/i.test(answer.trim());
	const label = agent ?? valueLabel ?? type ?? entryNarrative(obs, ctx) ?? "Allergie sans libellé";
	const valueReaction = agent !== void 0 && valueLabel !== void 0 && valueLabel !== type ? valueLabel : void 0;
	const reactions = related(obs, "MFST").map((r) => {
		const what = labelOfCoded(child(r, "value"), ctx) ?? entryNarrative(r, ctx);
		return what && isNegated(r) ? `absence de ${what}` : what;
	});
	const allReactions = [...new Set([valueReaction, ...reactions].filter((r) => r !== void 0 && r !== ""))];
	const severity = severityOf(obs);
	const facts = factsOf([
		["Type", type],
		["Réaction", allReactions.length > 0 ? allReactions.join(", ") : void 0],
		["Sévérité", severity]
	]);
	const { startDate, endDate } = periodOf(obs);
	return {
		kind: "allergy",
		label,
		...optional("code", allergen ?? codedOf(value)),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("severity", severity),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...optional("status", clinicalStatusOf(obs) ?? concernStatus),
		...isNegated(obs) || answeredNo ? { negated: true } : {},
		...optional("anchor", anchorOf(obs)),
		...optional("author", authorName(obs) ?? concernAuthor),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(obs)
	};
}
// src/main/cda/entries/devices-procedures.ts
/** Comments (FR-Commentaire-ER) attached to an entry, as one line. */
function commentOf(act, ctx) {
	const comments = related(act, "SUBJ").filter((r) => r.local === "act" && attr(child(r, "code"), "code") === "48767-8").map((r) => entryNarrative(r, ctx)).filter((c) => c !== void 0 && c !== "" && c !== "(texte libre)");
	return comments.length > 0 ? comments.join(" ; ") : void 0;
}
/** FR-Dispositif-medical (supply of a device: pacemaker, defibrillator, stent, prosthesis…) outside a reimbursement history. */
function readDevice$1(supply, ctx) {
	const device = path(supply, "participant", "participantRole", "playingDevice");
	const codeEl = child(device, "code");
	const coded = codedOf(codeEl);
	const name = text(child(device, "manufacturerModelName")) || void 0;
	const { startDate, endDate } = periodOf(supply);
	const facts = factsOf([["Modèle", name], ["Commentaire", commentOf(supply, ctx)]]);
	return {
		kind: "device",
		label: coded?.display ?? originalTextOf(codeEl, ctx) ?? name ?? entryNarrative(supply, ctx) ?? "Dispositif médical",
		...optional("code", coded),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...isNegated(supply) ? { negated: true } : {},
		...optional("anchor", anchorOf(supply)),
		...optional("author", authorName(supply)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(supply)
	};
}
/**
* A procedure that happened (moodCode EVN): surgical history, interventions. Planned procedures (INT,
* PRP… in care plans) are intents, not history, and are left to the narrative.
*/
function readProcedure(procedure, ctx) {
	if ((attr(procedure, "moodCode") ?? "EVN") !== "EVN") return void 0;
	const codeEl = child(procedure, "code");
	const { startDate, endDate } = periodOf(procedure);
	const performer = readAssigned(path(procedure, "performer", "assignedEntity"));
	const facts = factsOf([
		["Site", labelOfCoded(child(procedure, "targetSiteCode"), ctx)],
		["Réalisé par", performer?.name ?? performer?.organization],
		["Commentaire", commentOf(procedure, ctx)]
	]);
	return {
		kind: "procedure",
		label: labelOfCoded(codeEl, ctx) ?? entryNarrative(procedure, ctx) ?? "Acte",
		...optional("code", codedOf(codeEl)),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...isNegated(procedure) ? { negated: true } : {},
		...optional("anchor", anchorOf(procedure)),
		...optional("author", authorName(procedure)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(procedure)
	};
}
/**
* Social history observation (IHE PCC 4.13.4: tobacco, alcohol, drugs, exposures…): a risk factor.
* A negated one is a stated absence, phrased « Absence de … ».
*/
function readRiskFactor(obs, ctx) {
	const what = labelOfCoded(child(obs, "code"), ctx) ?? entryNarrative(obs, ctx) ?? "Facteur de risque";
	const valueText = valueTextOf(child(obs, "value"), ctx);
	const negated = isNegated(obs);
	const { startDate, endDate } = periodOf(obs);
	const facts = factsOf([["Valeur", valueText]]);
	return {
		kind: "riskFactor",
		label: negated ? absenceOf(valueText ?? what) : what,
		...optional("code", codedOf(child(obs, "code"))),
		...optional("facts", negated ? void 0 : facts),
		...optional("detail", negated ? void 0 : detailOf(facts)),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...negated ? { negated: true } : {},
		...optional("anchor", anchorOf(obs)),
		...optional("author", authorName(obs)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(obs)
	};
}
/** « Absence de tabagisme », with the article elided before a vowel. */
function absenceOf(what) {
	const lower = what.charAt(0).toLowerCase() + what.slice(1);
	return /^[aeiouyéèêàâîôûh]/i.test(lower) ? `Absence d’${lower}` : `Absence de ${lower}`;
}
/** The value of an observation in words: coded label, quantity, boolean or text. */
function valueTextOf(value, ctx) {
	if (!value) return void 0;
	const type = attr(value, "xsi:type") ?? "";
	if (type.endsWith("BL")) return attr(value, "value") === "true" ? "oui" : attr(value, "value") === "false" ? "non" : void 0;
	if (type.endsWith("PQ") || type.endsWith("INT") || type.endsWith("REAL")) {
		const v = attr(value, "value");
		return v ? quantityLabel(v, attr(value, "unit")) : void 0;
	}
	return labelOfCoded(value, ctx) ?? (text(value) || void 0);
}
// src/main/cda/entries/immunizations.ts
/** LOINC « Rang de la vaccination ». */
var DOSE_RANK_CODE = "30973-2";
/** Immunization entry: vaccine, date, dose rank, lot, route, site, reaction; a negated act is a vaccination not given. */
function readImmunization(act, ctx) {
	const product = productOf(act, ctx);
	const route = routeText(act, ctx);
	const { startDate } = periodOf(act);
	const notGiven = isNegated(act);
	const rank = related(act, "SUBJ").filter((r) => attr(child(r, "code"), "code") === DOSE_RANK_CODE).map((r) => attr(child(r, "value"), "value")).find((v) => v !== void 0);
	const reactions = related(act, "CAUS").map((r) => labelOfCoded(child(r, "value"), ctx) ?? entryNarrative(r, ctx)).filter((r) => r !== void 0 && r !== "");
	const site = codedOf(child(act, "approachSiteCode"))?.display ?? originalTextOf(child(act, "approachSiteCode"), ctx);
	const facts = factsOf([
		["Rang", rank ? rank === "1" ? "1re dose" : `${rank}e dose` : void 0],
		["Lot", product.lot],
		["Voie", route ? route.replace(/^voie\s+/i, "") : void 0],
		["Site", site],
		["Réaction", reactions.length > 0 ? reactions.join(", ") : void 0]
	]);
	return {
		kind: "immunization",
		label: product.name ?? entryNarrative(act, ctx) ?? "Vaccin sans libellé",
		...optional("code", codedOf(product.codeEl)),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("startDate", startDate),
		...notGiven ? {
			status: "Non administré",
			negated: true
		} : {},
		...optional("anchor", anchorOf(act)),
		...optional("author", authorName(act)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(act)
	};
}
// src/main/cda/entries/lab-results.ts
/**
* Every laboratory observation (IHE PaLM Laboratory Observation) an entry holds, however deeply the
* report nests it (act → organizer → component → observation), plus the untemplated observations of a
* lab battery organizer. Returned in document order, one entry per result.
*/
function readLabResults(statement, ctx) {
	const seen = /* @__PURE__ */ new Set();
	const found = [];
	const candidates = [statement, ...findDescendants(statement, (e) => e.local === "observation" || e.local === "organizer")];
	for (const el of candidates) {
		if (el.local === "observation" && hasTemplate(el, TEMPLATES.labObservation) && !seen.has(el)) {
			seen.add(el);
			found.push(el);
		}
		if (el.local === "organizer" && templateIdsOf(el).some((t) => LAB_ORGANIZERS.includes(t))) {
			for (const obs of children(el, "component").map((c) => child(c, "observation"))) if (obs && !seen.has(obs) && child(obs, "value")) {
				seen.add(obs);
				found.push(obs);
			}
		}
	}
	const fallbackDate = timeOf(child(statement, "effectiveTime")).start;
	return found.flatMap((obs) => {
		const entry = readLabObservation(obs, ctx, fallbackDate);
		return entry ? [entry] : [];
	});
}
/** Battery and isolate organizers of IHE PaLM (CI-SIS FR-Resultats-examens-de-biologie-medicale…). */
var LAB_ORGANIZERS = ["1.3.6.1.4.1.19376.1.3.1.4", "1.3.6.1.4.1.19376.1.3.1.5"];
function readLabObservation(obs, ctx, fallbackDate) {
	const reading = readingOf(obs, ctx);
	if (!reading) return void 0;
	const codeEl = child(obs, "code");
	const analyte = codedOf(codeEl)?.display ?? originalTextOf(codeEl, ctx) ?? entryNarrative(obs, ctx) ?? codedOf(codeEl)?.code ?? "Analyse";
	const date = timeOf(child(obs, "effectiveTime")).start ?? fallbackDate;
	const facts = factsOf([
		["Résultat", reading.value],
		["Valeurs de référence", reading.referenceRange],
		["Interprétation", reading.flagLabel]
	]);
	return {
		kind: "labResult",
		label: analyte,
		...optional("code", codedOf(codeEl)),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("startDate", date),
		lab: reading,
		...optional("anchor", anchorOf(obs)),
		...optional("author", authorName(obs)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(obs)
	};
}
function readingOf(obs, ctx) {
	const value = child(obs, "value");
	if (!value || attr(value, "nullFlavor")) return void 0;
	const type = attr(value, "xsi:type") ?? "";
	let shown;
	let unit;
	let numeric;
	if (type.endsWith("PQ") && !type.endsWith("IVL_PQ")) {
		const v = attr(value, "value");
		if (!v) return void 0;
		shown = quantityLabel(v, void 0);
		unit = unitLabel(attr(value, "unit"));
		numeric = Number(v);
	} else if (type.endsWith("INT") || type.endsWith("REAL")) {
		const v = attr(value, "value");
		if (!v) return void 0;
		shown = quantityLabel(v, void 0);
		numeric = Number(v);
	} else if (type.endsWith("IVL_PQ")) shown = rangeText(value);
	else if (type.endsWith("RTO") || type.endsWith("RTO_PQ_PQ")) {
		const n = attr(child(value, "numerator"), "value");
		const d = attr(child(value, "denominator"), "value");
		shown = n && d ? `${n}/${d}` : void 0;
	} else if (type.endsWith("CD") || type.endsWith("CE") || type.endsWith("CV")) shown = labelOfCoded(value, ctx);
	else if (type.endsWith("BL")) shown = attr(value, "value") === "true" ? "positif" : attr(value, "value") === "false" ? "négatif" : void 0;
	else if (type.endsWith("TS")) shown = hl7TimeToIso(attr(value, "value"));
	else shown = text(value) || void 0;
	if (!shown) return void 0;
	const interpretation = interpretationOf(attr(child(obs, "interpretationCode"), "code"));
	const range = referenceRangeOf(obs, ctx);
	return {
		value: shown,
		...optional("unit", unit),
		...numeric !== void 0 && Number.isFinite(numeric) ? { numeric } : {},
		...optional("referenceRange", range),
		...interpretation ? {
			flag: interpretation.flag,
			flagLabel: interpretation.label
		} : {}
	};
}
function rangeText(value) {
	const low = child(value, "low");
	const high = child(value, "high");
	const lv = attr(low, "value");
	const hv = attr(high, "value");
	const unit = attr(high, "unit") ?? attr(low, "unit");
	const u = unitLabel(unit);
	if (lv && hv) return `${quantityLabel(lv, void 0)} – ${quantityLabel(hv, void 0)}${u ? ` ${u}` : ""}`;
	if (hv) return `< ${quantityLabel(hv, unit)}`;
	if (lv) return `> ${quantityLabel(lv, unit)}`;
}
function referenceRangeOf(obs, ctx) {
	for (const rr of children(obs, "referenceRange")) {
		const range = child(rr, "observationRange");
		const fromValue = rangeText(child(range, "value"));
		if (fromValue) return fromValue;
		const fromText = entryNarrative(range, ctx);
		if (fromText) return fromText;
	}
}
// src/main/cda/entries/posology.ts
/**
* Structured posology (IHE PCC / CI-SIS FR-Traitement) in French:
* « 1 à 2 comprimé(s) 3 fois par jour pendant 2 jours, puis 2 fois par jour pendant 4 jours ; maximum 4 par jour ».
* Progressive doses come as COMP sub-administrations, each with an SXPR_TS (IVL_TS width + PIVL_TS period).
*/
function posologyText(act) {
	const steps = related(act, "COMP").filter((c) => c.local === "substanceAdministration").map(stepText).filter((s) => s !== void 0);
	const own = stepText(act);
	const parts = [];
	if (steps.length > 0) {
		let lastDose;
		const phrased = steps.map((step) => {
			const dose = step.dose === lastDose ? void 0 : step.dose;
			lastDose = step.dose;
			return [
				dose,
				step.frequency,
				step.duration
			].filter(Boolean).join(" ");
		});
		parts.push(phrased.filter((p) => p !== "").join(", puis "));
	} else if (own) parts.push([own.dose, own.frequency].filter(Boolean).join(" "));
	const max = maxDoseText(act);
	if (max) parts.push(max);
	const text = parts.filter((p) => p !== "").join(" ; ");
	return text === "" ? void 0 : text;
}
function stepText(act) {
	const dose = doseText(child(act, "doseQuantity"));
	let frequency;
	let duration;
	for (const et of children(act, "effectiveTime")) {
		const parts = (attr(et, "xsi:type") ?? "").endsWith("SXPR_TS") ? children(et, "comp") : [et];
		for (const part of parts) {
			const type = attr(part, "xsi:type") ?? "";
			if (type.endsWith("PIVL_TS")) frequency ??= periodText(child(part, "period"));
			if (type.endsWith("IVL_TS") && !type.endsWith("PIVL_TS")) duration ??= widthText(child(part, "width"));
			if (type.endsWith("EIVL_TS")) frequency ??= eventText(attr(child(part, "event"), "code"));
		}
	}
	if (!dose && !frequency && !duration) return void 0;
	return {
		...dose ? { dose } : {},
		...frequency ? { frequency } : {},
		...duration ? { duration } : {}
	};
}
/** doseQuantity (PQ or IVL_PQ) as « 1 comprimé(s) » or « 1 à 2 comprimé(s) ». */
function doseText(dose) {
	if (!dose) return void 0;
	const value = attr(dose, "value");
	if (value) return withUnit(value, attr(dose, "unit"));
	const low = child(dose, "low");
	const high = child(dose, "high");
	const lv = attr(low, "value");
	const hv = attr(high, "value");
	if (lv && hv) return lv === hv ? withUnit(lv, attr(low, "unit")) : `${number(lv)} à ${withUnit(hv, attr(high, "unit"))}`;
	if (lv) return `au moins ${withUnit(lv, attr(low, "unit"))}`;
	if (hv) return `jusqu’à ${withUnit(hv, attr(high, "unit"))}`;
}
function number(value) {
	return value.replace(".", ",");
}
function withUnit(value, unit) {
	const u = unitLabel(unit);
	return u ? `${number(value)} ${u}` : number(value);
}
var PER = {
	d: "jour",
	j: "jour",
	wk: "semaine",
	mo: "mois",
	a: "an",
	h: "heure",
	min: "minute"
};
var EVERY = {
	d: ["jour", "jours"],
	wk: ["semaine", "semaines"],
	mo: ["mois", "mois"],
	a: ["an", "ans"],
	h: ["heure", "heures"],
	min: ["minute", "minutes"]
};
/** A PIVL_TS period in French: 8 h → « 3 fois par jour », 1 d → « 1 fois par jour », 2 d → « tous les 2 jours ». */
function periodText(period) {
	const value = attr(period, "value");
	const rawUnit = attr(period, "unit");
	if (!value || !rawUnit) return void 0;
	const unit = rawUnit === "J" || rawUnit === "j" ? "d" : rawUnit;
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) return void 0;
	if (unit === "h" && Number.isInteger(24 / n) && n <= 24) return `${24 / n} fois par jour`;
	if (unit === "min" && Number.isInteger(1440 / n)) return `toutes les ${n} minutes`;
	if (n === 1 && PER[unit]) return `1 fois par ${PER[unit]}`;
	if (n < 1 && PER[unit] && Number.isInteger(1 / n)) return `${1 / n} fois par ${PER[unit]}`;
	const names = EVERY[unit];
	if (!names) return void 0;
	return `${unit === "h" || unit === "min" || unit === "wk" ? "toutes les" : "tous les"} ${number(value)} ${names[1]}`;
}
function widthText(width) {
	const value = attr(width, "value");
	const unit = attr(width, "unit");
	if (!value || !unit) return void 0;
	const names = EVERY[unit === "J" ? "d" : unit];
	if (!names) return void 0;
	return `pendant ${number(value)} ${value === "1" ? names[0] : names[1]}`;
}
/** HL7 TimingEvent codes of EIVL_TS. */
var EVENTS = {
	AC: "avant les repas",
	ACM: "avant le petit-déjeuner",
	ACD: "avant le déjeuner",
	ACV: "avant le dîner",
	PC: "après les repas",
	PCM: "après le petit-déjeuner",
	PCD: "après le déjeuner",
	PCV: "après le dîner",
	HS: "au coucher",
	WAKE: "au réveil",
	C: "pendant les repas",
	CM: "au petit-déjeuner",
	CD: "au déjeuner",
	CV: "au dîner"
};
function eventText(code) {
	return code ? EVENTS[code] : void 0;
}
/** maxDoseQuantity (RTO): « maximum 4 par jour ». */
function maxDoseText(act) {
	const max = child(act, "maxDoseQuantity");
	const num = child(max, "numerator");
	const den = child(max, "denominator");
	const value = attr(num, "value");
	if (!value) return void 0;
	const denValue = attr(den, "value") ?? "1";
	const denUnit = attr(den, "unit");
	const per = denUnit ? PER[denUnit] : void 0;
	const quantity = withUnit(value, attr(num, "unit"));
	if (!per) return `maximum ${quantity}`;
	return denValue === "1" ? `maximum ${quantity} par ${per}` : `maximum ${quantity} par ${number(denValue)} ${EVERY[denUnit ?? ""]?.[1] ?? per}`;
}
/** repeatNumber: how many times the prescription can be renewed. */
function renewalsText(act) {
	const value = attr(child(act, "repeatNumber"), "value");
	const n = Number(value);
	if (!value || !Number.isInteger(n) || n <= 0) return void 0;
	return n === 1 ? "renouvelable 1 fois" : `renouvelable ${n} fois`;
}
// src/main/cda/entries/medications.ts
/**
* Medication entry (substanceAdministration): product, posology, route, reason and period. The
* statusCode is not read: CI-SIS fixes it to `completed` whatever the treatment's state, which the
* summary derives from the period instead.
*/
function readMedication(act, ctx) {
	const product = productOf(act, ctx);
	const route = routeText(act, ctx);
	const { startDate, endDate } = periodOf(act);
	const prescriber = related(act, "REFR").map((supply) => authorName(supply)).find((n) => n !== void 0);
	const mood = attr(act, "moodCode");
	const facts = factsOf([
		["Posologie", posologyText(act)],
		["Voie", route ? route.replace(/^voie\s+/i, "") : void 0],
		["Motif", reasonOf(act, ctx)],
		["Renouvellement", renewalsText(act)],
		["Statut", mood === "INT" ? "Traitement prévu" : void 0]
	]);
	return {
		kind: "medication",
		label: product.name ?? entryNarrative(act, ctx) ?? "Médicament sans libellé",
		...optional("code", codedOf(product.codeEl)),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...optional("moodCode", mood),
		...optional("anchor", anchorOf(act)),
		...optional("author", authorName(act) ?? prescriber),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(act)
	};
}
/** RSON: the problem the treatment is for (an observation's value, or the act's narrative). */
function reasonOf(act, ctx) {
	const reasons = related(act, "RSON").map((r) => labelOfCoded(child(r, "value"), ctx) ?? labelOfCoded(child(r, "code"), ctx) ?? entryNarrative(r, ctx)).filter((r) => r !== void 0 && r !== "");
	return reasons.length > 0 ? [...new Set(reasons)].join(", ") : void 0;
}
// src/main/cda/entries/none-known.ts
/** HL7 IPS « absent or unknown » code system (no-known-allergies, no-known-medications…). */
var ABSENT_OR_UNKNOWN = "2.16.840.1.113883.5.1150.1";
/** SNOMED CT: no known allergy, no known drug allergy, no current medication, no implant… */
var NONE_KNOWN_SNOMED = [
	"716186003",
	"409137002",
	"428197003",
	"716220001",
	"787481004",
	"182849000",
	"160245001"
];
var DEFAULT_TEXT = {
	allergies: "Aucune allergie connue",
	medications: "Aucun traitement connu",
	problems: "Aucun problème connu",
	immunizations: "Aucune vaccination connue",
	devices: "Aucun dispositif médical connu",
	procedures: "Aucun acte connu",
	riskFactors: "Aucun facteur de risque connu",
	labResults: "Aucun résultat connu",
	reimbursements: "Aucun remboursement connu"
};
/** Words that state an absence when they are the whole name: « Aucun », « Néant », « Pas d'allergie connue ». */
function isNoneWord(value) {
	if (!value) return false;
	return /^\s*(aucun(e|s)?|n[ée]ant|rien|none|pas d[e’']|absence d[e’'])\b/i.test(value) && value.trim().length < 80;
}
/**
* The codes an entry names itself with (its own code, its value, its product, its allergen): a « nothing
* known » statement puts its « no-known-… » or « Aucun » code in one of them.
*/
function namingCodes(act) {
	return [
		child(act, "code"),
		child(act, "value"),
		path(act, "consumable", "manufacturedProduct", "manufacturedMaterial", "code"),
		path(act, "participant", "participantRole", "playingEntity", "code"),
		path(act, "participant", "participantRole", "playingDevice", "code")
	];
}
/** Does this statement say « nothing known » rather than name a thing? */
function noneKnownStatement(act) {
	for (const el of namingCodes(act)) {
		const coded = codedOf(el);
		if (!coded) continue;
		if (coded.system === ABSENT_OR_UNKNOWN || coded.code.startsWith("no-known") || coded.code.startsWith("no-")) return coded.display ?? "";
		if (NONE_KNOWN_SNOMED.includes(coded.code)) return coded.display ?? "";
		if (isNoneWord(coded.display)) return coded.display ?? "";
	}
}
/**
* A product or agent with no name and no code at all (nullFlavor NA): CNAM-HR and some producers write
* such an entry under a section whose narrative says « Aucune donnée »; it is a statement, not an item.
*/
function isNamelessPlaceholder(act, ctx) {
	const material = path(act, "consumable", "manufacturedProduct", "manufacturedMaterial");
	if (!material) return false;
	const code = child(material, "code");
	const name = child(material, "name");
	if (!((!code || attr(code, "nullFlavor") !== void 0) && (!name || attr(name, "nullFlavor") !== void 0)) || child(code, "originalText") || child(code, "translation")) return false;
	const narrative = entryNarrative(act, ctx);
	return narrative === void 0 || isNoneWord(narrative);
}
function sectionOfKind(kind, reimbursementKind) {
	if (reimbursementKind !== void 0) return "reimbursements";
	switch (kind) {
		case "allergy": return "allergies";
		case "medication": return "medications";
		case "immunization": return "immunizations";
		case "device": return "devices";
		case "procedure": return "procedures";
		case "riskFactor": return "riskFactors";
		case "labResult": return "labResults";
		default: return "problems";
	}
}
/** The « nothing known » entry that replaces an item, with the document's own words when they are a sentence. */
function noneKnownEntry(act, ctx, section, words) {
	return {
		kind: "noneKnown",
		label: [words, entryNarrative(act, ctx)].find((w) => w !== void 0 && w.trim().length > 8 && !/^aucun(e)?$/i.test(w.trim())) ?? DEFAULT_TEXT[section],
		noneKnownSection: section,
		...optional("anchor", anchorOf(act)),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(act)
	};
}
// src/main/cda/entries/problems.ts
/** Problem Concern Entry → one problem per Problem Entry observation it groups. */
function readProblemConcern(concern, ctx) {
	const concernStatus = concernStatusLabel(statusOf(concern));
	return related(concern, "SUBJ").filter((obs) => hasTemplate(obs, TEMPLATES.problem) && !hasTemplate(obs, TEMPLATES.allergy)).map((obs) => readProblem(obs, ctx, concernStatus, authorName(concern)));
}
/**
* A problem observation. `negationInd="true"` means the document states the problem is absent
* (« pas d'embolie pulmonaire »): the entry is kept, marked negated, and never shown as a problem.
*/
function readProblem(obs, ctx, concernStatus, concernAuthor) {
	const value = child(obs, "value");
	const code = codedOf(value);
	const label = labelOfCoded(value, ctx) ?? entryNarrative(obs, ctx) ?? labelOfCoded(child(obs, "code"), ctx) ?? "Problème sans libellé";
	const { startDate, endDate } = periodOf(obs);
	const severity = severityOf(obs);
	const facts = factsOf([["Sévérité", severity]]);
	return {
		kind: "problem",
		label,
		...optional("code", code),
		...optional("facts", facts),
		...optional("detail", detailOf(facts)),
		...optional("severity", severity),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...optional("status", clinicalStatusOf(obs) ?? concernStatus),
		...isNegated(obs) ? { negated: true } : {},
		...optional("anchor", anchorOf(obs)),
		...optional("author", authorName(obs) ?? concernAuthor),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(obs)
	};
}
// src/main/cda/entries/reimbursements.ts
/** Which reimbursed care an entry of the CNAM-HR document describes, from its templates. */
function classifyReimbursement(act) {
	if (hasTemplate(act, TEMPLATES.immunization)) return "vaccine";
	if (hasTemplate(act, TEMPLATES.medication)) return "medicine";
	if (hasTemplate(act, TEMPLATES.medicalDevice)) return "device";
	if (hasTemplate(act, TEMPLATES.encounter) || act.local === "encounter") return "stay";
	if (hasTemplate(act, TEMPLATES.procedure) || act.local === "procedure") return "act";
	return "other";
}
function readReimbursement(act, ctx) {
	const kind = classifyReimbursement(act);
	return {
		kind: "reimbursement",
		reimbursementKind: kind,
		...kind === "medicine" || kind === "vaccine" ? readDispensed(act, ctx) : kind === "device" ? readDevice(act, ctx) : kind === "stay" ? readStay(act, ctx) : readAct(act, ctx),
		...optional("sectionCode", ctx.sectionCode),
		templateIds: templateIdsOf(act)
	};
}
/** Medicines and vaccines: the CIP/UCD code, the dispensing date and pharmacy, the prescriber. */
function readDispensed(act, ctx) {
	const product = productOf(act, ctx);
	const supply = related(act, "REFR").find((r) => r.local === "supply");
	const dispensedOn = hl7TimeToIso(attr(path(supply, "performer", "time"), "value"));
	const pharmacy = text(path(supply, "performer", "assignedEntity", "representedOrganization", "name")) || void 0;
	const quantity = quantityText(child(supply, "quantity"));
	const prescriber = supply ? readAuthor(child(supply, "author"))?.name : void 0;
	const { startDate } = periodOf(act);
	return {
		label: product.name ?? entryNarrative(act, ctx) ?? "Produit sans libellé",
		...optional("code", cnamMedicineCode(product.codeEl) ?? codedOf(product.codeEl)),
		...optional("detail", joinDetail([quantity ? `quantité délivrée : ${quantity}` : void 0, pharmacy ? `délivré par ${pharmacy}` : void 0])),
		...optional("startDate", dispensedOn ?? startDate),
		...optional("author", prescriber ?? authorName(act)),
		reimbursement: {
			...optional("quantity", quantity),
			...optional("prescriber", prescriber ?? authorName(act)),
			...optional("pharmacy", pharmacy),
			...optional("therapeuticClass", therapeuticClassOf(product.codeEl))
		}
	};
}
/** CNAM therapeutic group (ATC, 3 characters) of a dispensed medicine, in sentence case. */
var CNAM_ATC_SYSTEM = "1.2.250.1.215.200.1.2.1";
function therapeuticClassOf(codeEl) {
	const atc = codedOf(children(codeEl, "translation").find((t) => attr(t, "codeSystem") === CNAM_ATC_SYSTEM || attr(t, "codeSystem") === "2.16.840.1.113883.6.73"));
	if (!atc) return void 0;
	const label = atc.display ?? atcGroupLabel(atc.code);
	return label ? label.charAt(0).toUpperCase() + label.slice(1).toLowerCase() : void 0;
}
function cnamMedicineCode(codeEl) {
	return codedOf(children(codeEl, "translation").find((t) => CNAM_MEDICINE_SYSTEMS.includes(attr(t, "codeSystem") ?? "")));
}
/** Medical devices (LPP): the device code sits on the DEV participant. */
function readDevice(act, ctx) {
	const deviceCode = path(act, "participant", "participantRole", "playingDevice", "code");
	const supplier = text(path(act, "performer", "assignedEntity", "representedOrganization", "name")) || void 0;
	const deliveredOn = hl7TimeToIso(attr(path(act, "performer", "time"), "value"));
	const quantity = quantityText(child(act, "quantity"));
	const { startDate, endDate } = periodOf(act);
	return {
		label: codedOf(deviceCode)?.display ?? originalTextOf(deviceCode, ctx) ?? entryNarrative(act, ctx) ?? "Dispositif sans libellé",
		...optional("code", codedOf(deviceCode)),
		...optional("detail", joinDetail([quantity ? `quantité délivrée : ${quantity}` : void 0, supplier ? `délivré par ${supplier}` : void 0])),
		...optional("startDate", deliveredOn ?? startDate),
		...optional("endDate", endDate),
		...optional("author", authorName(act)),
		reimbursement: {
			...optional("quantity", quantity),
			...optional("pharmacy", supplier),
			...optional("prescriber", authorName(act))
		}
	};
}
/** Hospital stays: the GHS/DDP code is the qualifier of the encounter code. */
function readStay(act, ctx) {
	const codeEl = child(act, "code");
	const stayCode = codedOf(path(codeEl, "qualifier", "value"));
	const place = text(path(act, "performer", "assignedEntity", "representedOrganization", "name")) || void 0;
	const { startDate, endDate } = periodOf(act);
	return {
		label: stayCode?.display ?? labelOfCoded(codeEl, ctx) ?? entryNarrative(act, ctx) ?? "Séjour",
		...optional("code", stayCode ?? codedOf(codeEl)),
		...optional("detail", joinDetail([codedOf(codeEl)?.display, place ? `lieu : ${place}` : void 0])),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		reimbursement: { ...optional("pharmacy", place) }
	};
}
/** Medical and dental acts (CCAM/NGAP) with their performer. */
function readAct(act, ctx) {
	const codeEl = child(act, "code");
	const performer = readAssigned(path(act, "performer", "assignedEntity"));
	const { startDate, endDate } = periodOf(act);
	return {
		label: labelOfCoded(codeEl, ctx) ?? entryNarrative(act, ctx) ?? "Acte",
		...optional("code", codedOf(codeEl)),
		...optional("detail", joinDetail([performer?.profession?.display, performer?.organization])),
		...optional("startDate", startDate),
		...optional("endDate", endDate),
		...optional("author", performer?.name ?? authorName(act)),
		reimbursement: {
			...optional("performer", performer?.name ?? performer?.organization),
			...optional("prescriber", authorName(act))
		}
	};
}
// src/main/cda/entries/extract.ts
/** The clinical statement an `entry` wraps (act, observation, substanceAdministration…). */
function statementOf(entry) {
	return entry.children.find((c) => c.local !== "templateId");
}
/**
* Reads one section `entry`. In a CNAM-HR document every entry is a reimbursed care, whatever clinical
* template it reuses (a vaccine there is a reimbursement, not an immunisation record).
* A « nothing known » statement (no-known-allergies, « Aucun », a nameless placeholder) becomes a
* `noneKnown` entry, never an item.
*/
function extractEntry(entry, ctx, reimbursementDocument) {
	const act = statementOf(entry);
	if (!act) return [];
	const items = readItems(act, ctx, reimbursementDocument);
	const labs = reimbursementDocument ? [] : readLabResults(act, ctx);
	if (items === void 0) return labs.length > 0 ? labs : void 0;
	return [...items, ...labs];
}
function readItems(act, ctx, reimbursementDocument) {
	if (reimbursementDocument) return [noneKnownOf(act, ctx, "reimbursements") ?? readReimbursement(act, ctx)];
	const templates = templateIdsOf(act);
	if (templates.includes(TEMPLATES.problemConcern)) return nonEmpty(readProblemConcern(act, ctx).map((e) => asNoneKnownIfSo(e, act, ctx)));
	if (templates.includes(TEMPLATES.allergyConcern)) return nonEmpty(readAllergyConcern(act, ctx).map((e) => asNoneKnownIfSo(e, act, ctx)));
	if (templates.includes(TEMPLATES.allergy)) return [noneKnownOf(act, ctx, "allergies") ?? readAllergy(act, ctx)];
	if (templates.includes(TEMPLATES.immunization)) return [noneKnownOf(act, ctx, "immunizations") ?? readImmunization(act, ctx)];
	if (templates.includes(TEMPLATES.medication)) return [noneKnownOf(act, ctx, "medications") ?? readMedication(act, ctx)];
	if (templates.includes(TEMPLATES.advanceDirective)) return [readAdvanceDirective(act, ctx)];
	if (templates.includes(TEMPLATES.medicalDevice) && act.local === "supply") return [noneKnownOf(act, ctx, "devices") ?? readDevice$1(act, ctx)];
	if (templates.includes(TEMPLATES.procedure)) {
		const none = noneKnownOf(act, ctx, "procedures");
		if (none) return [none];
		const procedure = readProcedure(act, ctx);
		return procedure ? [procedure] : [];
	}
	if (templates.includes(TEMPLATES.socialHistory)) return [readRiskFactor(act, ctx)];
}
function noneKnownOf(act, ctx, section) {
	const words = noneKnownStatement(act);
	if (words !== void 0 || isNamelessPlaceholder(act, ctx)) return noneKnownEntry(act, ctx, (section === "reimbursements" ? classifyReimbursement(act) : void 0) ? "reimbursements" : section, words);
}
/** An observation inside a concern whose value says « Aucun » (or no-known-…) is a statement, not an item. */
function asNoneKnownIfSo(entry, concern, ctx) {
	if (entry.code && (entry.code.system === "2.16.840.1.113883.5.1150.1" || entry.code.code.startsWith("no-known"))) return noneKnownEntry(concern, ctx, sectionOfKind(entry.kind), entry.code.display ?? entry.label);
	if (/^\s*(aucun(e)?|n[ée]ant)\s*\.?\s*$/i.test(entry.label) || /^(aucune?|pas d)/i.test(entry.label)) return noneKnownEntry(concern, ctx, sectionOfKind(entry.kind), entry.label);
	return entry;
}
function nonEmpty(entries) {
	return entries.length > 0 ? entries : void 0;
}
function extractSectionEntries(entries, ctx, reimbursementDocument) {
	const out = [];
	const unknownTemplates = [];
	for (const entry of entries) {
		const extracted = extractEntry(entry, ctx, reimbursementDocument);
		if (extracted === void 0) {
			const ids = templateIdsOf(statementOf(entry));
			unknownTemplates.push(ids[ids.length - 1] ?? `(${statementOf(entry)?.local ?? "vide"})`);
		} else out.push(...extracted);
	}
	return {
		entries: out,
		unknownTemplates
	};
}
// src/main/cda/body.ts
function readBody(doc, reimbursementDocument) {
	const component = child(doc, "component");
	const structured = child(component, "structuredBody");
	if (structured) return readStructured(structured, reimbursementDocument);
	const nonXml = child(component, "nonXMLBody");
	if (nonXml) return {
		body: readNonXmlBody(nonXml),
		entries: [],
		warnings: []
	};
	throw new CdaError("not-cda", "corps du document absent.", "ClinicalDocument/component has neither structuredBody nor nonXMLBody");
}
function readStructured(structured, reimbursementDocument) {
	const idIndex = narrativeIdIndex(findDescendants(structured, (e) => e.local === "section"));
	const sections = [];
	const entries = [];
	const warnings = [];
	const stack = children(structured, "component").map((c) => child(c, "section")).filter((s) => s !== void 0).map((section) => ({
		section,
		depth: 0
	})).reverse();
	while (stack.length > 0) {
		const { section, depth } = stack.pop();
		const code = codedOf(child(section, "code"));
		const title = text(child(section, "title")) || void 0;
		const sectionEntries = children(section, "entry");
		sections.push({
			...code ? { code } : {},
			...title ? { title } : {},
			templateIds: templateIdsOf(section),
			narrativeHtml: narrativeToHtml(child(section, "text")),
			entryCount: sectionEntries.length,
			depth
		});
		const extraction = extractSectionEntries(sectionEntries, {
			idIndex,
			...code ? { sectionCode: code.code } : {}
		}, reimbursementDocument);
		entries.push(...extraction.entries);
		if (extraction.unknownTemplates.length > 0) {
			const ids = [...new Set(extraction.unknownTemplates)].join(", ");
			warnings.push(`Section « ${title ?? code?.code ?? "sans titre"} » : ${extraction.unknownTemplates.length} entrée(s) non reconnue(s) (modèle ${ids}), conservée(s) sous forme narrative.`);
		}
		const subsections = children(section, "component").map((c) => child(c, "section")).filter((s) => s !== void 0);
		for (let i = subsections.length - 1; i >= 0; i--) stack.push({
			section: subsections[i],
			depth: depth + 1
		});
	}
	return {
		body: {
			kind: "structured",
			sections
		},
		entries,
		warnings
	};
}
var BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** nonXMLBody: the embedded file, base64-checked, and for a PDF its `%PDF-` header and `%%EOF` trailer. */
function readNonXmlBody(nonXml) {
	const textEl = child(nonXml, "text");
	if (!textEl) throw new CdaError("bad-body", "contenu du document non structuré absent.", "nonXMLBody/text missing");
	if (child(textEl, "reference")) throw new CdaError("bad-body", "le contenu référence un fichier externe, non pris en charge.", "nonXMLBody/text/reference is not supported");
	const mediaType = (attr(textEl, "mediaType") ?? "text/plain").toLowerCase();
	const representation = attr(textEl, "representation") ?? "TXT";
	const raw = textEl.nodes.filter((n) => typeof n === "string").join("");
	let content;
	if (representation === "B64") {
		const compact = raw.replace(/\s+/g, "");
		if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) throw new CdaError("bad-body", "le contenu encodé en base64 est invalide.", `invalid base64 payload of ${compact.length} chars`);
		content = new Uint8Array(Buffer.from(compact, "base64"));
	} else if (representation === "TXT") content = new TextEncoder().encode(raw);
	else throw new CdaError("bad-body", `représentation « ${representation.slice(0, 10)} » non prise en charge.`, "unsupported nonXMLBody representation");
	if (mediaType === "application/pdf" && !looksLikePdf(content)) throw new CdaError("bad-body", "le contenu annoncé comme PDF n'en est pas un.", "application/pdf payload without %PDF signature");
	if (mediaType === "application/pdf" && !looksLikeCompletePdf(content)) throw new CdaError("bad-body", "le PDF joint est incomplet (fichier tronqué) : il ne pourrait pas être ouvert.", "application/pdf payload without %%EOF trailer");
	return {
		kind: "unstructured",
		mediaType,
		content
	};
}
// src/main/cda/entries/contacts.ts
/**
* HL7 RoleClass of a related person → how the DMP shows the relationship. CI-SIS puts the personne de
* confiance as an informant of class NOK and the person to notify as ECON.
*/
var RELATED_ROLES = {
	ECON: ["Personne à prévenir", "notify"],
	NOK: ["Personne de confiance", "trusted"],
	GUARD: ["Tuteur", "legal"],
	CAREGIVER: ["Aidant", "notify"],
	PRS: ["Proche", "notify"],
	AGNT: ["Représentant", "legal"]
};
/** HL7 PersonalRelationshipRoleType codes in French, whatever spelling the document uses (« Soeur »). */
var RELATIONSHIPS = {
	SIS: "Sœur",
	BRO: "Frère",
	MTH: "Mère",
	FTH: "Père",
	SPS: "Conjoint(e)",
	HUSB: "Époux",
	WIFE: "Épouse",
	DAU: "Fille",
	SON: "Fils",
	CHILD: "Enfant",
	PRN: "Parent",
	FRND: "Ami(e)",
	NBOR: "Voisin(e)",
	GRMTH: "Grand-mère",
	GRFTH: "Grand-père",
	DOMPART: "Partenaire",
	ONESELF: "Le patient lui-même"
};
var PARTICIPATION_LABELS = {
	INF: "Informateur",
	REF: "Prescripteur",
	PRF: "Exécutant",
	IND: "Personne impliquée",
	CALLBCK: "Contact pour rappel"
};
/**
* Contacts declared in the header (VSM, DLU…): the patient's guardian, informants (personne de confiance,
* personne à prévenir) and participants such as the médecin traitant.
*/
function readHeaderContacts(doc) {
	const contacts = [];
	const guardian = path(doc, "recordTarget", "patientRole", "patient", "guardian");
	if (guardian) {
		const name = formatName(path(guardian, "guardianPerson", "name")) ?? (text(path(guardian, "guardianOrganization", "name")) || void 0);
		contacts.push(contact("Représentant légal", "legal", name, codedOf(child(guardian, "code")), telecomOf(guardian)));
	}
	for (const informant of children(doc, "informant")) {
		const related = child(informant, "relatedEntity");
		const assigned = child(informant, "assignedEntity");
		if (related) {
			const code = codedOf(child(related, "code"));
			const [role, kind] = RELATED_ROLES[attr(related, "classCode") ?? ""] ?? ["Proche", "notify"];
			const relationship = (code ? RELATIONSHIPS[code.code] : void 0) ?? code?.display;
			contacts.push(contact(relationship ? `${role} (${relationship})` : role, kind, formatName(path(related, "relatedPerson", "name")), code, telecomOf(related)));
		} else if (assigned) contacts.push(contact("Informateur", "other", formatName(path(assigned, "assignedPerson", "name")) ?? (text(path(assigned, "representedOrganization", "name")) || void 0), codedOf(child(assigned, "code")), telecomOf(assigned)));
	}
	for (const participant of children(doc, "participant")) {
		const entity = child(participant, "associatedEntity");
		if (!entity) continue;
		const fn = codedOf(child(participant, "functionCode"));
		const treating = fn?.code === "PCP";
		const role = treating ? "Médecin traitant" : fn?.display ?? PARTICIPATION_LABELS[attr(participant, "typeCode") ?? ""] ?? "Participant";
		const name = formatName(path(entity, "associatedPerson", "name")) ?? (text(path(entity, "scopingOrganization", "name")) || void 0);
		const kind = treating ? "treating" : attr(entity, "classCode") === "ECON" ? "notify" : "other";
		contacts.push(contact(role, kind, name, fn ?? codedOf(child(entity, "code")), telecomOf(entity)));
	}
	return contacts;
}
function telecomOf(el) {
	const values = children(el, "telecom").map((t) => attr(t, "value")).filter((v) => v !== void 0).map((v) => v.replace(/^(tel|mailto|fax):/, ""));
	return values.length > 0 ? values.join(", ") : void 0;
}
function contact(role, kind, name, code, telecom) {
	return {
		kind: "contact",
		label: name ? `${role} : ${name}` : role,
		contactRole: kind,
		...optional("code", code),
		...optional("detail", telecom),
		...optional("facts", factsOf([
			["Rôle", role],
			["Nom", name],
			["Téléphone", telecom]
		])),
		templateIds: []
	};
}
// src/main/cda/xml/decode.ts
/**
* Turns bytes into text, honouring the XML declaration's encoding (CDA is UTF-8 but ISO-8859-1 exists
* in the wild). Two mislabellings are caught rather than stored garbled: UTF-8 bytes declared
* ISO-8859-1/Windows-1252 are read as UTF-8 (valid multi-byte UTF-8 is practically never intended
* Latin-1: « Ã© » is not French), and text that was already double-encoded (« Ã© » for « é ») is refused.
*/
function decodeXmlBytes(bytes) {
	let start = 0;
	if (bytes.length >= 3 && bytes[0] === 239 && bytes[1] === 187 && bytes[2] === 191) start = 3;
	else if (bytes.length >= 2 && (bytes[0] === 255 && bytes[1] === 254 || bytes[0] === 254 && bytes[1] === 255)) throw new CdaError("encoding", "encodage UTF-16 non pris en charge.", "UTF-16 byte order mark");
	const body = bytes.subarray(start);
	const encoding = declaredEncoding(body);
	const label = encoding === void 0 || encoding === "utf-8" || encoding === "utf8" ? "utf-8" : latinLabel(encoding);
	const notes = [];
	let text;
	if (label !== "utf-8" && hasMultiByteUtf8(body)) {
		text = new TextDecoder("utf-8").decode(body);
		notes.push(`L’encodage déclaré (${(encoding ?? "").toUpperCase()}) ne correspond pas au contenu, qui est en UTF-8 : le texte a été lu en UTF-8.`);
	} else try {
		text = new TextDecoder(label, { fatal: true }).decode(body);
	} catch {
		throw new CdaError("encoding", `le contenu n'est pas un texte ${label.toUpperCase()} valide.`, `invalid byte sequence for ${label}`);
	}
	if (DOUBLE_ENCODED.test(text)) throw new CdaError("encoding", "les caractères accentués du document sont altérés (texte encodé deux fois) : demandez à l’émetteur un document correctement encodé en UTF-8.", "double-encoded UTF-8 sequences (U+00C3/U+00C2 followed by a continuation character)");
	return {
		text,
		notes
	};
}
/** « é » encoded twice reads « Ã© »: Ã or Â followed by a Latin-1 character from the UTF-8 continuation range. */
var DOUBLE_ENCODED = /[ÃÂ][\u0080-\u00BF]|â€[™œ\u009d“”˜]/;
/** True when the bytes hold at least one well-formed multi-byte UTF-8 sequence and no invalid one. */
function hasMultiByteUtf8(bytes) {
	let multi = false;
	for (const b of bytes) if (b >= 128) {
		multi = true;
		break;
	}
	if (!multi) return false;
	try {
		new TextDecoder("utf-8", { fatal: true }).decode(bytes);
		return true;
	} catch {
		return false;
	}
}
function latinLabel(encoding) {
	if ([
		"iso-8859-1",
		"latin1",
		"iso_8859-1",
		"windows-1252",
		"cp1252",
		"iso-8859-15"
	].includes(encoding)) return encoding === "iso-8859-15" ? "iso-8859-15" : "windows-1252";
	throw new CdaError("encoding", `encodage « ${encoding.slice(0, 20)} » non pris en charge.`, `unsupported declared encoding`);
}
function declaredEncoding(body) {
	const head = String.fromCharCode(...body.subarray(0, 200));
	if (!head.startsWith("<?xml")) return void 0;
	const end = head.indexOf("?>");
	const decl = end === -1 ? head : head.slice(0, end);
	return /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(decl)?.[1]?.toLowerCase();
}
// src/main/cda/xml/parse.ts
/**
* Parses XML with saxes (non-validating: it never loads external entities) and refuses any DOCTYPE,
* which is the only way to declare entities, so XXE and entity expansion bombs are impossible.
*/
function parseXml(input, limits = defaultXmlLimits) {
	const size = typeof input === "string" ? input.length : input.byteLength;
	if (size > limits.maxBytes) throw new CdaError("too-large", `le fichier dépasse la taille maximale de ${Math.round(limits.maxBytes / 1024 / 1024)} Mo.`, `input of ${size} bytes exceeds ${limits.maxBytes}`);
	const decoded = typeof input === "string" ? {
		text: input.replace(/^\uFEFF/, ""),
		notes: []
	} : decodeXmlBytes(input);
	const source = decoded.text;
	if (!source.trimStart().startsWith("<")) throw new CdaError("malformed", "le fichier n'est pas un document XML.", "input does not start with markup");
	const parser = new SaxesParser({
		xmlns: true,
		position: true
	});
	const stack = [];
	let root;
	let elementCount = 0;
	const where = () => `line ${parser.line}, column ${parser.column}`;
	const limitHit = (what, detail) => {
		throw new CdaError("limit", `structure hors limites (${what}).`, `${detail} at ${where()}`);
	};
	parser.on("doctype", () => {
		throw new CdaError("doctype", "les déclarations DOCTYPE sont interdites.", `DOCTYPE declaration at ${where()}`);
	});
	parser.on("error", (err) => {
		throw new CdaError("malformed", `XML mal formé (ligne ${parser.line}).`, `saxes error at ${where()}: ${describeSaxesError(err)}`);
	});
	parser.on("opentag", (tag) => {
		if (stack.length >= limits.maxDepth) limitHit("profondeur", `element depth above ${limits.maxDepth}`);
		if (++elementCount > limits.maxElements) limitHit("nombre d'éléments", `more than ${limits.maxElements} elements`);
		const attrs = Object.create(null);
		let count = 0;
		for (const a of Object.values(tag.attributes)) {
			if (++count > limits.maxAttributes) limitHit("nombre d'attributs", `more than ${limits.maxAttributes} attributes`);
			if (a.value.length > limits.maxAttributeLength) limitHit("taille d'attribut", `attribute value of ${a.value.length} chars exceeds ${limits.maxAttributeLength}`);
			if (a.prefix === "xmlns" || a.name === "xmlns") continue;
			const key = a.uri === "" ? a.local : a.uri === "http://www.w3.org/2001/XMLSchema-instance" ? `xsi:${a.local}` : `{${a.uri}}${a.local}`;
			attrs[key] = a.value;
		}
		stack.push({
			name: tag.name,
			local: tag.local,
			ns: tag.uri,
			attrs,
			nodes: [],
			children: [],
			line: parser.line
		});
	});
	parser.on("text", (value) => appendText(value));
	parser.on("cdata", (value) => appendText(value));
	parser.on("closetag", () => {
		const open = stack.pop();
		if (!open) return;
		const el = Object.freeze({
			name: open.name,
			local: open.local,
			ns: open.ns,
			attrs: Object.freeze(open.attrs),
			nodes: Object.freeze(open.nodes),
			children: Object.freeze(open.children),
			line: open.line
		});
		const parent = stack[stack.length - 1];
		if (parent) {
			parent.nodes.push(el);
			parent.children.push(el);
		} else root = el;
	});
	function appendText(value) {
		const parent = stack[stack.length - 1];
		if (!parent) return;
		if (value.length > limits.maxTextLength) limitHit("taille de texte", `text node of ${value.length} chars exceeds ${limits.maxTextLength}`);
		const last = parent.nodes[parent.nodes.length - 1];
		if (typeof last === "string") parent.nodes[parent.nodes.length - 1] = last + value;
		else parent.nodes.push(value);
	}
	try {
		parser.write(source).close();
	} catch (err) {
		if (err instanceof CdaError) throw err;
		throw new CdaError("malformed", "XML mal formé.", `parser failure at ${where()}: ${err instanceof Error ? describeSaxesError(err) : "unknown"}`);
	}
	if (!root) throw new CdaError("malformed", "aucun élément racine.", "no root element");
	return {
		root,
		notes: decoded.notes
	};
}
/** Keeps the reason of a saxes error but drops anything quoted from the document. */
function describeSaxesError(err) {
	return err.message.replace(/^[^:]*:\d+:\d+:\s*/, "").replace(/["'«][^"'»]*["'»]/g, "\"…\"").replace(/\s+/g, " ").slice(0, 160);
}
// src/main/cda/import.ts
/**
* Reads a CDA R2 document (bytes or text) into header, body and structured entries.
* Throws `CdaError` (French `userMessage`, log-safe `detail`) on anything it cannot read safely.
*/
function parseCda(input, options = {}) {
	const { logger } = options;
	try {
		const doc = readDocument(input, options.limits, options.maxEntries ?? 2e3);
		logger?.info("cda imported", {
			type: doc.header.type.code,
			body: doc.body.kind,
			sections: doc.body.kind === "structured" ? doc.body.sections.length : 0,
			entries: doc.entries.length,
			warnings: doc.warnings.length
		});
		return doc;
	} catch (err) {
		if (err instanceof CdaError) logger?.warn("cda refused", {
			code: err.code,
			detail: err.detail
		});
		else logger?.error("cda import failed unexpectedly", { error: err instanceof Error ? err.name : "unknown" });
		throw err;
	}
}
var XSLT_NS = "http://www.w3.org/1999/XSL/Transform";
function readDocument(input, limits, maxEntries) {
	const { root: parsedRoot, notes } = parseXml(input, limits);
	const root = clinicalDocumentOf(parsedRoot);
	const header = readHeader(root);
	const { body, entries: bodyEntries, warnings } = readBody(root, header.type.code === "REMB" || header.templateIds.includes("1.2.250.1.213.1.1.1.36"));
	const all = [...readHeaderContacts(root), ...bodyEntries];
	const entries = all.length > maxEntries ? all.slice(0, maxEntries) : all;
	if (all.length > maxEntries) warnings.push(`Le document contient ${all.length.toLocaleString("fr-FR")} entrées structurées : seules les ${maxEntries.toLocaleString("fr-FR")} premières sont reprises dans la synthèse ; le document complet reste consultable.`);
	return {
		header,
		body,
		entries,
		warnings: [...notes, ...warnings]
	};
}
/**
* The ClinicalDocument itself, or the one a CI-SIS « auto-présentable » document wraps: an XSL
* stylesheet that carries the CDA inside it so a browser can display it. Only that wrapping is
* accepted; any other root is not a CDA.
*/
function clinicalDocumentOf(root) {
	if (root.local === "ClinicalDocument" && (root.ns === "urn:hl7-org:v3" || root.ns === "")) return root;
	if (root.ns === XSLT_NS && (root.local === "stylesheet" || root.local === "transform")) {
		const wrapped = findDescendants(root, (e) => e.local === "ClinicalDocument" && e.ns === "urn:hl7-org:v3");
		if (wrapped.length === 1) return wrapped[0];
		throw new CdaError("not-cda", wrapped.length === 0 ? "feuille de style sans document CDA." : "la feuille de style contient plusieurs documents CDA.", `xsl:stylesheet wrapping ${wrapped.length} hl7:ClinicalDocument elements`);
	}
	throw new CdaError("not-cda", "ce n'est pas un document CDA (élément racine inattendu).", `root element is not hl7:ClinicalDocument (namespace ${root.ns === "urn:hl7-org:v3" ? "hl7" : "other"})`);
}
// src/main/dmp/parse-cda.ts
/** The CDA parser's failures as the user-facing error the service throws. */
function parseCdaOrThrow(bytes) {
	try {
		return parseCda(bytes);
	} catch (err) {
		if (err instanceof CdaError) throw new ApiError("INVALID_INPUT", err.userMessage, `cda ${err.code}: ${err.detail}`);
		if (err instanceof ApiError) throw err;
		throw new ApiError("INVALID_INPUT", "Document CDA illisible : le fichier n’a pas pu être analysé.", err instanceof Error ? err.name : "unknown");
	}
}
/** Parses on the calling thread: tests, the one-shot CLI (a worker would only add its start-up). */
var inlineCdaParser = { parse: (bytes) => Promise.resolve().then(() => ({
	document: parseCdaOrThrow(bytes),
	bytes
})) };
// src/main/dmp/cda-parser-protocol.ts
/**
* The buffers of `arrays` that can be moved instead of copied: whole, plain `ArrayBuffer`s only. A
* view on part of a buffer (Node's pooled small `Buffer`s share one slab) is left to be copied, so a
* transfer never empties memory something else still uses.
*/
function transferableBuffers(...arrays) {
	const buffers = /* @__PURE__ */ new Set();
	for (const a of arrays) {
		if (!a || !(a.buffer instanceof ArrayBuffer)) continue;
		if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.byteLength > 0) buffers.add(a.buffer);
	}
	return [...buffers];
}
export { matriculeSource as C, ApiError as D, tryParseInsKey as E, apiErrorCodes as O, matriculePattern as S, rnivStatus as T, insOidForCardStatus as _, attr as a, isTestOid as b, text as c, looksLikeCode as d, statusLabel as f, insKeyPattern as g, formatInsKey as h, parseXml as i, defaultXmlLimits as k, looksLikeCompletePdf as l, checkIns as m, inlineCdaParser as n, child as o, cardNirCannotBeBeneficiarys as p, parseCdaOrThrow as r, findDescendants as s, transferableBuffers as t, looksLikePdf as u, insOidValues as v, normaliseMatricule as w, matriculeKeyValid as x, isInsOid as y };
