import { a as hostOptionsFromArgv, c as managedHostSettingsFile, f as createLogger, l as projectRoot, o as dataLayout, r as buildApp, t as contentSecurityPolicy, y as toApiError } from "./chunks/loopback-host-uxkiUcYH.js";
import { BrowserWindow, app, dialog, ipcMain, protocol, safeStorage, session } from "electron";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
// src/shared/ipc-channels.ts
/** The two Electron IPC channels; everything else is named by the contract. */
var IPC_INVOKE = "poste-dmp:invoke";
var IPC_EVENT = "poste-dmp:event";
// src/main/electron/switches.ts
function shellSwitches(env, packaged) {
	if (packaged) return {
		simulation: false,
		production: true,
		devUrl: void 0,
		devTools: false,
		allowInsecureKey: env.POSTE_DMP_ALLOW_INSECURE_KEY === "1",
		managedHostSettingsFile: managedHostSettingsFile(env, true)
	};
	return {
		simulation: env.POSTE_DMP_SIMULATION === "1",
		production: false,
		devUrl: env.ELECTRON_RENDERER_URL,
		devTools: true,
		allowInsecureKey: env.POSTE_DMP_ALLOW_INSECURE_KEY === "1",
		managedHostSettingsFile: managedHostSettingsFile(env, false)
	};
}
// src/main/electron/main.ts
/**
* The thin Electron shell: a hardened window, the app:// protocol, and the contract bound to
* ipcMain. Every service is built by the composition root, which does not import Electron.
*/
var APP_ORIGIN = "app://poste-dmp";
var here = dirname(fileURLToPath(import.meta.url));
var rendererDir = join(projectRoot(), "out", "renderer");
var switches = shellSwitches(process.env, app.isPackaged);
var devUrl = switches.devUrl;
protocol.registerSchemesAsPrivileged([{
	scheme: "app",
	privileges: {
		standard: true,
		secure: true,
		supportFetchAPI: true
	}
}]);
app.enableSandbox();
var primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
var log = createLogger({ file: join(app.getPath("userData"), "logs", "poste-dmp.log") });
var services = null;
/**
* Node's URL gives custom schemes an opaque origin ("null"), so compare scheme and host instead.
* Only the app's own pages (or the dev server while developing) may call the contract.
*/
function isAppUrl(url) {
	try {
		const parsed = new URL(url);
		if (parsed.protocol === "app:" && parsed.host === "poste-dmp") return true;
		return devUrl !== void 0 && parsed.origin === new URL(devUrl).origin;
	} catch {
		return false;
	}
}
function isTrustedSender(frame) {
	return frame !== null && frame.parent === null && isAppUrl(frame.url);
}
async function serveRenderer(request) {
	let path;
	try {
		path = decodeURIComponent(new URL(request.url).pathname);
	} catch {
		return new Response("", { status: 400 });
	}
	const relative = normalize(path === "/" ? "index.html" : path).replace(/^([/\\])+/, "");
	const file = join(rendererDir, relative);
	if (!file.startsWith(rendererDir + sep)) return new Response("", { status: 404 });
	try {
		const body = await readFile(file);
		const type = {
			".html": "text/html",
			".js": "text/javascript",
			".css": "text/css"
		}[extname(file)] ?? "application/octet-stream";
		return new Response(body, { headers: {
			"content-type": type,
			"content-security-policy": contentSecurityPolicy(APP_ORIGIN)
		} });
	} catch {
		return new Response("", { status: 404 });
	}
}
/** DevTools shortcuts, blocked in a packaged build on top of `devTools: false`. */
function isDevToolsShortcut(input) {
	const key = input.key.toLowerCase();
	if (input.type !== "keyDown") return false;
	if (key === "f12") return true;
	return (input.control || input.meta) && input.shift && [
		"i",
		"j",
		"c"
	].includes(key);
}
function lockDown() {
	const ses = session.defaultSession;
	ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
	ses.setPermissionCheckHandler(() => false);
	ses.setDevicePermissionHandler(() => false);
	ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
	ses.on("select-hid-device", (event, _details, callback) => {
		event.preventDefault();
		callback();
	});
	ses.on("select-usb-device", (event, _details, callback) => {
		event.preventDefault();
		callback();
	});
	ses.on("select-serial-port", (event, _ports, _wc, callback) => {
		event.preventDefault();
		callback("");
	});
	app.on("web-contents-created", (_event, contents) => {
		contents.setWindowOpenHandler(() => ({ action: "deny" }));
		contents.on("will-navigate", (event, url) => {
			if (!isAppUrl(url)) event.preventDefault();
		});
		contents.on("will-frame-navigate", (details) => {
			if (!isAppUrl(details.url)) details.preventDefault();
		});
		contents.on("will-redirect", (details) => {
			if (!isAppUrl(details.url)) details.preventDefault();
		});
		contents.on("will-attach-webview", (event) => event.preventDefault());
		contents.on("select-bluetooth-device", (event, _devices, callback) => {
			event.preventDefault();
			callback("");
		});
		if (!switches.devTools) {
			contents.on("before-input-event", (event, input) => {
				if (isDevToolsShortcut(input)) event.preventDefault();
			});
			contents.on("devtools-opened", () => contents.closeDevTools());
		}
	});
}
var mainWindow = null;
async function createWindow() {
	const win = new BrowserWindow({
		width: 1366,
		height: 768,
		title: "Poste DMP",
		webPreferences: {
			preload: join(here, "../preload/index.cjs"),
			sandbox: true,
			contextIsolation: true,
			nodeIntegration: false,
			webSecurity: true,
			allowRunningInsecureContent: false,
			devTools: switches.devTools
		}
	});
	const unsubscribe = services.bus.subscribe((event, payload) => {
		if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, {
			event,
			payload
		});
	});
	mainWindow = win;
	win.on("closed", () => {
		unsubscribe();
		mainWindow = null;
	});
	await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}
async function start() {
	lockDown();
	protocol.handle("app", serveRenderer);
	const paths = dataLayout(app.getPath("userData"));
	services = await buildApp({
		host: "desktop",
		dataDir: paths.dataDir,
		simulation: switches.simulation,
		production: switches.production,
		key: {
			kind: "wrapped",
			path: paths.wrappedKeyFile,
			backend: process.platform === "linux" ? safeStorage.getSelectedStorageBackend() : "os",
			available: safeStorage.isEncryptionAvailable(),
			allowInsecure: switches.allowInsecureKey,
			wrap: (secret) => safeStorage.encryptString(secret),
			unwrap: (blob) => safeStorage.decryptString(blob)
		},
		log,
		hostOptions: hostOptionsFromArgv(process.argv),
		managedHostSettingsFile: switches.managedHostSettingsFile
	});
	ipcMain.handle(IPC_INVOKE, async (event, method, input) => {
		if (!isTrustedSender(event.senderFrame)) {
			log.warn("IPC refused from an untrusted frame");
			return {
				ok: false,
				error: {
					code: "FORBIDDEN",
					message: "Expéditeur non autorisé."
				}
			};
		}
		return services.dispatch(method, input);
	});
	await createWindow();
}
if (primary) {
	app.on("second-instance", () => {
		if (!mainWindow) return;
		if (mainWindow.isMinimized()) mainWindow.restore();
		mainWindow.focus();
	});
	app.whenReady().then(() => start().catch((err) => {
		log.error("start-up failed", { error: err instanceof Error ? err.message : "unknown" });
		dialog.showErrorBox("Poste DMP", toApiError(err)?.message ?? (err instanceof Error ? err.message : "Démarrage impossible."));
		app.exit(1);
	}));
	app.on("window-all-closed", () => {
		(services?.close() ?? Promise.resolve()).then(() => log.flush()).finally(() => app.quit());
	});
}
export {};
