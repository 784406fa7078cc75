import { _ as isCardError, g as CardError } from "./loopback-host-uxkiUcYH.js";
import { D as ApiError } from "./cda-parser-protocol-DyMpiAx7.js";
import "./pkcs11-CSe6yIA-.js";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
/** Known production modules, most specific first. */
var productionModuleCandidates = [
	"/usr/local/galss/libcps3_pkcs11_lux.so",
	"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
	"/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so",
	"/usr/lib/opensc-pkcs11.so"
];
function resolvePkcs11Module(settings, env = process.env, exists = existsSync) {
	if (settings.softhsmConf !== void 0) {
		if (settings.production) throw new CardError("no-service", {
			message: "Un poste en production ne peut pas utiliser de jetons logiciels SoftHSM2 à la place des cartes.",
			detail: "softhsmConf set on a production workstation"
		});
		env.SOFTHSM2_CONF = settings.softhsmConf;
	}
	const configured = settings.modulePath?.trim() || void 0;
	const fromEnv = env["POSTE_DMP_PKCS11_MODULE"]?.trim() || void 0;
	const chosen = configured !== void 0 ? {
		modulePath: configured,
		source: "settings"
	} : fromEnv !== void 0 ? {
		modulePath: fromEnv,
		source: "environment"
	} : void 0;
	if (!settings.production) return chosen ?? {
		modulePath: "/usr/lib/softhsm/libsofthsm2.so",
		source: "test default"
	};
	if (chosen !== void 0) {
		if (/softhsm/i.test(chosen.modulePath)) throw new CardError("no-service", {
			message: "Un poste en production ne peut pas utiliser de jetons logiciels SoftHSM2 à la place des cartes.",
			detail: `SoftHSM2 module configured on a production workstation: ${chosen.modulePath}`
		});
		return chosen;
	}
	const known = productionModuleCandidates.find((candidate) => exists(candidate));
	if (known !== void 0) return {
		modulePath: known,
		source: "known location"
	};
	throw new CardError("no-service", {
		message: "Aucun module PKCS#11 pour les cartes CPS : installez la cryptolib CPS de l’ANS (ou OpenSC) ou indiquez le chemin du module dans les réglages du poste.",
		detail: `no PKCS#11 module: none of ${productionModuleCandidates.join(", ")}`
	});
}
// src/main/app/remote-dmp.ts
/** Shown wherever patient data would be: the workstation has nothing else to show instead. */
var hostUnavailableMessage = "Serveur DMP injoignable : aucune donnée patient affichée.";
var pemLabels = {
	caFile: "certificat de l’autorité (CA) du déploiement",
	certFile: "certificat du poste",
	keyFile: "clé privée du poste"
};
/**
* Reads the workstation's TLS material (a missing file is a configuration error that stops the
* start, in French), then connects. Never opens anything in the data folder.
*/
async function connectRemoteDmp(options) {
	const { settings, seams, log } = options;
	const pem = {
		caFile: "",
		certFile: "",
		keyFile: ""
	};
	for (const field of Object.keys(pemLabels)) try {
		pem[field] = await readFile(settings[field], "utf8");
	} catch (err) {
		throw new ApiError("UNAVAILABLE", `Serveur DMP partagé : ${pemLabels[field]} illisible (${settings[field]}). Corrigez les réglages du serveur DMP.`, `cannot read ${field}: ${err instanceof Error ? err.message : "unknown"}`);
	}
	let client;
	try {
		client = await seams.connectToHost({
			url: settings.url,
			caPem: pem.caFile,
			certPem: pem.certFile,
			keyPem: pem.keyFile,
			log: log.child("host-client")
		});
	} catch (err) {
		throw err instanceof ApiError ? err : new ApiError("UNAVAILABLE", err instanceof Error ? err.message : hostUnavailableMessage, "connectToHost rejected");
	}
	const toStatus = (status) => ({
		mode: "remote",
		url: settings.url,
		...status
	});
	let openSigner = null;
	const closeSigner = async () => {
		const signer = openSigner;
		openSigner = null;
		await signer?.close().catch((err) => log.warn("card signer close failed", { error: err instanceof Error ? err.message : "unknown" }));
	};
	const offLog = client.onStatus((status) => log.info("host status", { state: status.state }));
	const offEnded = client.onProfessionalSessionEnded((end) => {
		log.warn("professional session ended by the host", { cause: end.cause });
		closeSigner();
	});
	return {
		dmp: client.dmp,
		identities: client.identities,
		status: () => toStatus(client.status()),
		onStatus: (listener) => client.onStatus((status) => listener(toStatus(status))),
		async authenticateProfessional(card, pin) {
			await closeSigner();
			let signer;
			try {
				const { modulePath } = resolvePkcs11Module({
					...settings.pkcs11Module ? { modulePath: settings.pkcs11Module } : {},
					production: options.production
				}, options.env ?? process.env);
				signer = await seams.openCardSigner({
					modulePath,
					token: card.serial,
					pin: new TextDecoder().decode(pin),
					log: log.child("pkcs11")
				});
			} catch (err) {
				throw refusal(err, "Votre carte n’a pas pu être utilisée pour vous authentifier auprès du serveur DMP.");
			}
			try {
				await client.authenticateProfessional(signer);
			} catch (err) {
				await signer.close().catch(() => void 0);
				throw refusal(err, "Le serveur DMP a refusé votre carte : accès impossible.");
			}
			openSigner = signer;
			log.info("professional authenticated by the host");
		},
		async endProfessionalSession() {
			try {
				await client.endProfessionalSession();
			} finally {
				await closeSigner();
			}
		},
		onProfessionalSessionEnded: (listener) => client.onProfessionalSessionEnded(listener),
		async close() {
			offLog();
			offEnded();
			try {
				await client.close();
			} finally {
				await closeSigner();
			}
		}
	};
}
/** French for the user: the seam's own ApiError when it gave one, else the generic sentence. */
function refusal(err, generic) {
	if (err instanceof ApiError) return err;
	if (isCardError(err)) return new ApiError("CARD_ERROR", err.message, `card error ${err.kind}: ${err.detail ?? ""}`);
	return new ApiError("FORBIDDEN", generic, err instanceof Error ? err.message : "unknown");
}
export { connectRemoteDmp };
