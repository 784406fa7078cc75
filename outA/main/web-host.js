import { c as managedHostSettingsFile, f as createLogger, i as hostOptionNames, l as projectRoot, n as startLoopbackHost, o as dataLayout, r as buildApp, s as defaultDataDir, u as resourcesDir, y as toApiError } from "./chunks/loopback-host-uxkiUcYH.js";
import { join } from "node:path";
import { parseArgs } from "node:util";
// src/main/web-host.ts
/**
* `npm run web`: the real main-process services behind a loopback WebSocket, serving the built
* renderer to any browser on this machine. Simulated card readers unless `--pcsc` is given.
*/
async function main() {
	const { values } = parseArgs({ options: {
		data: { type: "string" },
		port: { type: "string" },
		pcsc: {
			type: "boolean",
			default: false
		},
		"no-seed": {
			type: "boolean",
			default: false
		},
		[hostOptionNames.dmp]: { type: "string" },
		[hostOptionNames.hostCa]: { type: "string" },
		[hostOptionNames.workstationCert]: { type: "string" },
		[hostOptionNames.workstationKey]: { type: "string" },
		[hostOptionNames.pkcs11Module]: { type: "string" }
	} });
	const root = projectRoot();
	const dataDir = values.data ?? defaultDataDir();
	const layout = dataLayout(dataDir);
	const log = createLogger({ file: layout.logFile });
	const app = await buildApp({
		host: "web",
		dataDir,
		simulation: !values.pcsc,
		production: false,
		key: {
			kind: "file",
			path: layout.keyFile
		},
		log,
		seedFiles: values["no-seed"] ? [] : [join(resourcesDir(), "demo", "VSM_1.4_2022.01.xml")],
		identitySeedFiles: values["no-seed"] ? [] : [join(resourcesDir(), "identity", "demo-identities.json")],
		hostOptions: {
			dmp: values[hostOptionNames.dmp],
			hostCa: values[hostOptionNames.hostCa],
			workstationCert: values[hostOptionNames.workstationCert],
			workstationKey: values[hostOptionNames.workstationKey],
			pkcs11Module: values[hostOptionNames.pkcs11Module]
		},
		managedHostSettingsFile: managedHostSettingsFile(process.env, false)
	});
	const host = await startLoopbackHost({
		dispatch: app.dispatch,
		bus: app.bus,
		staticDir: join(root, "out", "renderer"),
		log: log.child("host"),
		...values.port ? { port: Number(values.port) } : {}
	});
	process.stdout.write(`Poste DMP (navigateur) : ouvrez ${host.url}\n`);
	const stop = async () => {
		await host.close();
		await app.close();
		await log.flush();
		process.exit(0);
	};
	process.on("SIGINT", () => void stop());
	process.on("SIGTERM", () => void stop());
}
main().catch((err) => {
	process.stderr.write(`Poste DMP : démarrage impossible — ${toApiError(err)?.message ?? (err instanceof Error ? err.message : String(err))}\n`);
	process.exit(1);
});
export {};
