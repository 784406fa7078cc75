import { _ as isCardError, g as CardError } from "./loopback-host-uxkiUcYH.js";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { createHash, webcrypto } from "node:crypto";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
// \0rolldown/runtime.js
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __exportAll = (all, no_symbols) => {
	let target = {};
	for (var name in all) __defProp(target, name, {
		get: all[name],
		enumerable: true
	});
	if (!no_symbols) __defProp(target, Symbol.toStringTag, { value: "Module" });
	return target;
};
var __copyProps = (to, from, except, desc) => {
	if (from && typeof from === "object" || typeof from === "function") for (var keys = __getOwnPropNames(from), i = 0, n = keys.length, key; i < n; i++) {
		key = keys[i];
		if (!__hasOwnProp.call(to, key) && key !== except) __defProp(to, key, {
			get: ((k) => from[k]).bind(null, key),
			enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable
		});
	}
	return to;
};
var __reExport = (target, mod, secondTarget) => (__copyProps(target, mod, "default"), secondTarget && __copyProps(secondTarget, mod, "default"));
// src/main/pki/x509.ts
var x509_exports = /* @__PURE__ */ __exportAll({});
import * as import__peculiar_x509 from "@peculiar/x509";
__reExport(x509_exports, import__peculiar_x509);
x509.cryptoProvider.set(webcrypto);
// src/main/cards/pkcs11/library.ts
var loadedModule;
/** pkcs11js is a native addon: required lazily so that a workstation without it still starts. */
function pkcs11Module() {
	loadedModule ??= createRequire(import.meta.url)("pkcs11js");
	return loadedModule;
}
/** The PKCS#11 error code of a pkcs11js failure (0 when it is not one). */
function pkcs11Code(error) {
	if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "number") return error.code;
	return 0;
}
function describePkcs11Failure(error) {
	if (error instanceof Error) return `${error.name}: ${error.message}`;
	return String(error);
}
/**
* A PKCS#11 library is initialised once per process: a second C_Initialize answers
* CKR_CRYPTOKI_ALREADY_INITIALIZED, and one user's C_Finalize would pull the library from under
* another. So libraries are shared and counted: the first user loads and initialises, the last one
* finalises and unloads.
*/
var openLibraries = /* @__PURE__ */ new Map();
function acquireLibrary(modulePath) {
	const open = openLibraries.get(modulePath) ?? initialise(modulePath);
	open.users += 1;
	let released = false;
	return {
		pkcs11: open.pkcs11,
		release: () => {
			if (released) return;
			released = true;
			open.users -= 1;
			if (open.users > 0) return;
			openLibraries.delete(modulePath);
			try {
				open.pkcs11.C_Finalize();
			} finally {
				open.pkcs11.close();
			}
		}
	};
}
function initialise(modulePath) {
	if (!existsSync(modulePath)) throw new CardError("no-service", {
		message: `Module PKCS#11 des cartes introuvable (${modulePath}) : vérifiez l’installation de la cryptolib CPS ou la configuration du poste.`,
		detail: `PKCS#11 module not found: ${modulePath}`
	});
	const module = pkcs11Module();
	const pkcs11 = new module.PKCS11();
	try {
		pkcs11.load(modulePath);
	} catch (error) {
		throw new CardError("no-service", {
			message: `Le module PKCS#11 des cartes (${modulePath}) ne peut pas être chargé : vérifiez l’installation de la cryptolib CPS.`,
			detail: `PKCS#11 module load failed: ${describePkcs11Failure(error)}`,
			cause: error
		});
	}
	try {
		pkcs11.C_Initialize();
	} catch (error) {
		if (pkcs11Code(error) !== module.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
			pkcs11.close();
			throw new CardError("no-service", {
				message: "Le module PKCS#11 des cartes ne démarre pas : vérifiez sa configuration.",
				detail: `C_Initialize failed: ${describePkcs11Failure(error)}`,
				cause: error
			});
		}
	}
	const open = {
		pkcs11,
		users: 0
	};
	openLibraries.set(modulePath, open);
	return open;
}
// src/main/cards/pkcs11/signer.ts
/**
* DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1). We sign with CKM_RSA_PKCS over
* DigestInfo‖hash rather than CKM_SHA256_RSA_PKCS: every RSA card middleware offers the raw
* mechanism (the card itself only ever sees a hash), the result is the same RSASSA-PKCS1-v1_5 signature.
*/
var sha256DigestInfo = Buffer.from("3031300d060960864801650304020105000420", "hex");
var pinMessages = {
	wrong: "Code porteur incorrect.",
	lastTry: "Code porteur incorrect. Attention : dernier essai avant le blocage de la carte."
};
async function openCardSigner(options) {
	const log = options.log.child("pkcs11");
	const lease = acquireLibrary(options.modulePath);
	let session;
	try {
		const slot = findTokenSlot(lease.pkcs11, options.token);
		session = lease.pkcs11.C_OpenSession(slot, pkcs11Module().CKF_SERIAL_SESSION);
		login(lease.pkcs11, slot, session, options.pin);
		const credential = findAuthenticationCredential(lease.pkcs11, session);
		log.info("card signer opened", { card: options.token });
		return new Pkcs11CardSigner(lease, session, credential, options.token, log);
	} catch (error) {
		if (session !== void 0) closeQuietly(lease.pkcs11, session);
		lease.release();
		const cardError = toCardError(error, "opening the card signer");
		log.warn("card signer refused", {
			card: options.token,
			kind: cardError.kind,
			detail: cardError.detail
		});
		throw cardError;
	}
}
var Pkcs11CardSigner = class {
	lease;
	session;
	credential;
	card;
	log;
	closed = false;
	constructor(lease, session, credential, card, log) {
		this.lease = lease;
		this.session = session;
		this.credential = credential;
		this.card = card;
		this.log = log;
	}
	certificatePem() {
		if (this.closed) return Promise.reject(new CardError("closed"));
		return Promise.resolve(this.credential.certificatePem);
	}
	async sign(data) {
		if (this.closed) throw new CardError("closed");
		const module = pkcs11Module();
		const digest = createHash("sha256").update(data).digest();
		try {
			this.lease.pkcs11.C_SignInit(this.session, { mechanism: module.CKM_RSA_PKCS }, this.credential.privateKey);
			const signature = await this.lease.pkcs11.C_SignAsync(this.session, Buffer.concat([sha256DigestInfo, digest]), Buffer.alloc(512));
			return new Uint8Array(signature);
		} catch (error) {
			const cardError = toCardError(error, "signing");
			this.log.warn("card signature failed", {
				card: this.card,
				kind: cardError.kind,
				detail: cardError.detail
			});
			throw cardError;
		}
	}
	close() {
		if (this.closed) return Promise.resolve();
		this.closed = true;
		try {
			closeQuietly(this.lease.pkcs11, this.session);
		} finally {
			this.lease.release();
		}
		this.log.info("card signer closed", { card: this.card });
		return Promise.resolve();
	}
};
function closeQuietly(pkcs11, session) {
	try {
		pkcs11.C_Logout(session);
	} catch {}
	try {
		pkcs11.C_CloseSession(session);
	} catch {}
}
function findTokenSlot(pkcs11, label) {
	for (const slot of pkcs11.C_GetSlotList(true)) if (pkcs11.C_GetTokenInfo(slot).label.trim() === label) return slot;
	throw new CardError("no-card", {
		message: `Carte n° ${label} introuvable par le module PKCS#11 : vérifiez qu’elle est insérée dans le lecteur.`,
		detail: `no token labelled ${label}`
	});
}
function login(pkcs11, slot, session, pin) {
	const module = pkcs11Module();
	if (!/^\d{4,8}$/.test(pin)) throw new CardError("pin-format");
	try {
		pkcs11.C_Login(session, module.CKU_USER, pin);
	} catch (error) {
		const code = pkcs11Code(error);
		if (code === module.CKR_USER_ALREADY_LOGGED_IN) return;
		if (code === module.CKR_PIN_INCORRECT) {
			const flags = pkcs11.C_GetTokenInfo(slot).flags;
			if ((flags & module.CKF_USER_PIN_LOCKED) !== 0) throw new CardError("pin-blocked", { detail: "CKR_PIN_INCORRECT, now locked" });
			const lastTry = (flags & module.CKF_USER_PIN_FINAL_TRY) !== 0;
			throw new CardError("pin-wrong", {
				message: lastTry ? pinMessages.lastTry : pinMessages.wrong,
				detail: "CKR_PIN_INCORRECT"
			});
		}
		if (code === module.CKR_PIN_LOCKED) throw new CardError("pin-blocked", { detail: "CKR_PIN_LOCKED" });
		if (code === module.CKR_PIN_LEN_RANGE) throw new CardError("pin-format", { detail: "CKR_PIN_LEN_RANGE" });
		throw error;
	}
}
function findObjects(pkcs11, session, template) {
	pkcs11.C_FindObjectsInit(session, template);
	try {
		return pkcs11.C_FindObjects(session, 64);
	} finally {
		pkcs11.C_FindObjectsFinal(session);
	}
}
function attribute(pkcs11, session, object, type) {
	const [found] = pkcs11.C_GetAttributeValue(session, object, [{ type }]);
	const value = found?.value;
	return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
}
/**
* A real CPS carries two key pairs: authentication and signature (non-repudiation). Proving who the
* professional is uses the authentication one: the certificate whose key usage has digitalSignature
* without nonRepudiation, and the private key with the same CKA_ID.
*/
function findAuthenticationCredential(pkcs11, session) {
	const module = pkcs11Module();
	const certificates = findObjects(pkcs11, session, [{
		type: module.CKA_CLASS,
		value: module.CKO_CERTIFICATE
	}, {
		type: module.CKA_CERTIFICATE_TYPE,
		value: module.CKC_X_509
	}]);
	for (const handle of certificates) {
		const der = attribute(pkcs11, session, handle, module.CKA_VALUE);
		let certificate;
		try {
			certificate = new x509_exports.X509Certificate(Uint8Array.from(der));
		} catch {
			continue;
		}
		const usages = certificate.getExtension(x509_exports.KeyUsagesExtension)?.usages ?? 0;
		if (!((usages & x509_exports.KeyUsageFlags.digitalSignature) !== 0 && (usages & x509_exports.KeyUsageFlags.nonRepudiation) === 0)) continue;
		const id = attribute(pkcs11, session, handle, module.CKA_ID);
		const [privateKey] = findObjects(pkcs11, session, [{
			type: module.CKA_CLASS,
			value: module.CKO_PRIVATE_KEY
		}, {
			type: module.CKA_ID,
			value: id
		}]);
		if (privateKey !== void 0) return {
			privateKey,
			certificatePem: certificate.toString("pem")
		};
	}
	throw new CardError("malformed", {
		message: "La carte ne présente pas de certificat d’authentification utilisable.",
		detail: `no authentication certificate with a matching private key among ${certificates.length} certificate(s)`
	});
}
function toCardError(error, during) {
	if (isCardError(error)) return error;
	const module = pkcs11Module();
	const code = pkcs11Code(error);
	const detail = `${during}: ${describePkcs11Failure(error)}`;
	if (code === module.CKR_DEVICE_REMOVED || code === module.CKR_TOKEN_NOT_PRESENT || code === module.CKR_SESSION_HANDLE_INVALID || code === module.CKR_SESSION_CLOSED) return new CardError("removed", {
		detail,
		cause: error
	});
	return new CardError("io", {
		message: "Erreur du module PKCS#11 de la carte.",
		detail,
		cause: error
	});
}
export { openCardSigner as t };
