import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readImportFile } from '../dmp/import-file';
import { join } from 'node:path';
import { ApiError, type HostSessionEnd, type HostSettings, type HostStatus } from '../../shared/contract';
import { createDispatcher, EventBus, type Dispatch, type Handlers } from '../bridge/dispatcher';
import type { Logger } from '../log/logger';
import { CardService } from '../cards/card-service';
import type { CardTransport } from '../cards/transport/card-transport';
import { SessionService, type ProfessionalProof } from '../session/session-service';
import { readersForDisplay } from '../session/reader-display';
import type { SessionRules } from '../session/session-rules';
import { DmpService } from '../dmp/dmp-service';
import { CdaParserPool } from '../dmp/cda-parser-pool';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import { dmpMigrations } from '../dmp/migrations';
import { openStore, type OpenedStore } from '../store';
import type { KeySource } from './store-key';
import { checkDataFolder, claimDataFolder } from './data-folder';
import { recoveryNoticeMessage } from './user-messages';
import { acquireDirectoryLock } from '../store/dir-lock';
import { resolveDmpLocation, type HostOptions } from './host-config';
import { hostSettingsInEffect, isManaged, type HostSettingsSource } from './host-settings';
import type { HostSeams } from './host-seams';
import type { RemoteDmp } from './remote-dmp';
import { sessionDossiers } from './session-dossiers';
import { auditKeySource, openAuditTrail } from './audit-trail';
import { AuditLog } from '../audit/audit-log';
import { auditLogHostSettingsTrail, type HostSettingsTrail } from '../audit/security-events';
import { IdentityReference } from '../identity/identity-reference';
import { readReferenceFile } from '../identity/reference-file';
import { createHandlers } from './handlers';
import type { CardSimulator } from './card-simulator';
import { dataLayout, resourcesDir } from './paths';
import { startLocalImportServer } from '../local-import/server';
import { logStaleExtractions } from '../dmp/reextraction';

export interface BuildOptions {
  host: 'desktop' | 'web';
  /** Holds `store/` and the key; created on first use. */
  dataDir: string;
  /** Simulated readers and the simulator panel instead of pcscd. */
  simulation: boolean;
  /** Refuses test and demo cards. */
  production: boolean;
  key: KeySource;
  log: Logger;
  /** CDA files imported at start when not yet in the store (demo dossiers). */
  seedFiles?: string[];
  /** Reference identities (JSON, see resources/identity) added to the identity reference at start (demo data). */
  identitySeedFiles?: string[];
  /** Replaces the card transport (tests). */
  transport?: CardTransport;
  /** Inactivity lock and emergency-access durations (defaults in session/session-rules.ts). */
  sessionRules?: Partial<SessionRules>;
  /**
   * `--dmp …` and the workstation certificate options: the shared DMP host instead of the embedded
   * store. Without them, `host-settings.json` in the data folder decides (see host-config.ts).
   */
  hostOptions?: HostOptions;
  /**
   * The host settings file IT manages (`managedHostSettingsFile` in paths.ts): when it exists it
   * decides the DMP host and the settings screen cannot change it. Absent: none designated (tests).
   */
  managedHostSettingsFile?: string;
  /** Read for `POSTE_DMP_PKCS11_MODULE` (src/main/cards/pkcs11/module-config.ts); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The shared host's client and the card's PKCS#11 signer; replaced by doubles in unit tests. */
  hostSeams?: HostSeams;
}

export interface App {
  dispatch: Dispatch;
  bus: EventBus;
  handlers: Handlers;
  simulator: CardSimulator | null;
  close(): Promise<void>;
}

/**
 * The one composition root: builds every main-process service without importing Electron, so the
 * Electron shell, the browser host and the tests all run the same code.
 */
export async function buildApp(options: BuildOptions): Promise<App> {
  const settings = settingsSource(options);
  const location = resolveDmpLocation(options.hostOptions ?? {}, () => hostSettingsInEffect(settings).saved, {
    managed: () => isManaged(settings),
  });
  const backend =
    location.mode === 'remote'
      ? await openRemoteBackend(options, location.settings)
      : await openEmbeddedBackend(options);
  try {
    return await assemble(options, backend);
  } catch (err) {
    await backend.close();
    throw err;
  }
}

const settingsSource = (options: BuildOptions): HostSettingsSource => ({
  dataDir: options.dataDir,
  managedFile: options.managedHostSettingsFile ?? null,
});

/** Where the dossiers are: the embedded store or the shared DMP host; everything above is the same. */
interface DmpBackend {
  dmp: DmpPort;
  identities: IdentityPort;
  warnings: string[];
  status(): HostStatus;
  onStatus(listener: (status: HostStatus) => void): () => void;
  professionalProof?: ProfessionalProof;
  /** The audit chain for the host settings' changes: the local store's, or the shared host's. */
  settingsTrail: HostSettingsTrail | null;
  /** The shared host ended the professional's session on its side (card revoked, inactivity…). */
  onProfessionalSessionEnded?(listener: (end: HostSessionEnd) => void): () => void;
  close(): Promise<void>;
}

/** This workstation's own encrypted store, its key and its audit trail (the default). */
async function openEmbeddedBackend(options: BuildOptions): Promise<DmpBackend> {
  const { log } = options;
  const warnings: string[] = [];
  // The data-folder lock is held from before the key is resolved until after the store is closed.
  const folder = await claimDataFolder(options.dataDir, { key: options.key, log });
  warnings.push(...folder.warnings);
  let store: OpenedStore;
  try {
    store = await openStore({
      dir: folder.layout.storeDir,
      key: folder.key,
      migrations: dmpMigrations,
      log: log.child('store'),
    });
  } catch (err) {
    folder.release();
    throw err;
  }
  // Deposits and imports (demo seeding, `cli import` handed over) are parsed off the main thread, which
  // carries card events and the renderer's calls; one worker, started with the first document: one
  // user deposits one document at a time.
  const cdaParser = new CdaParserPool({ workers: 1, log: log.child('cda-parser') });
  const close = async (): Promise<void> => {
    try {
      await cdaParser.close();
      await store.close();
    } finally {
      folder.release();
    }
  };
  try {
    // A recovery from the previous snapshot or a dropped journal tail must reach an administrator.
    warnings.push(...store.recovery.notices.map(recoveryNoticeMessage));
    const audit = await openAuditTrail(auditKeySource(options.key, options.dataDir), options.dataDir, log);
    for (const w of audit.warnings) if (!warnings.includes(w)) warnings.push(w);
    // One AuditLog for the store: the DMP service's accesses and the host settings' changes share its chain.
    const auditLog = AuditLog.open(store, { keys: audit.keys, witness: audit.checkpoints });
    auditLog.catch(() => undefined);
    const dmp = new DmpService({ store, log: log.child('dmp'), auditLog, cdaParser });
    // Not awaited: a log line for the administrator, not something the start should wait for.
    void logStaleExtractions(dmp, log, 'npm run cli -- reextract --data <dossier de données>');
    const identities = new IdentityReference(store);
    for (const file of options.identitySeedFiles ?? [])
      await identities.register(await readReferenceFile(file));
    for (const file of options.seedFiles ?? []) await seed(dmp, file, log);
    // `cli import` hands its files to this instance while it holds the folder (local-import/README.md).
    const importSocket = await startLocalImportServer({
      socketPath: folder.layout.importSocket,
      target: { kind: 'embedded', dmp },
      log: log.child('local-import'),
    });
    return {
      dmp,
      identities,
      warnings,
      status: () => ({ mode: 'embedded' }),
      onStatus: () => () => undefined,
      settingsTrail: auditLogHostSettingsTrail(auditLog),
      async close() {
        // Imports handed over finish before the store closes.
        await importSocket?.close();
        await audit.checkpoints.flush();
        await close();
      },
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
async function openRemoteBackend(options: BuildOptions, settings: HostSettings): Promise<DmpBackend> {
  const { log } = options;
  checkDataFolder(options.dataDir, { mustExist: false });
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const release = acquireDirectoryLock(options.dataDir);
  let remote: RemoteDmp;
  try {
    // Loaded only for a shared host: the host client and the card signer (with its X.509 library)
    // are not part of an embedded workstation's start.
    const { connectRemoteDmp } = await import('./remote-dmp');
    const seams = options.hostSeams ?? (await import('./host-seams')).realHostSeams;
    remote = await connectRemoteDmp({
      settings,
      seams,
      log: log.child('host'),
      production: options.production,
      env: options.env ?? process.env,
    });
  } catch (err) {
    release();
    throw err;
  }
  if (options.seedFiles?.length || options.identitySeedFiles?.length)
    log.info('demo seeding skipped: the shared DMP host holds the dossiers');
  log.info('DMP: shared host', { host: new URL(settings.url).host });
  // No local store to import into: `cli import` is told so in French instead of "folder in use".
  const importSocket = await startLocalImportServer({
    socketPath: dataLayout(options.dataDir).importSocket,
    target: { kind: 'remote' },
    log: log.child('local-import'),
  });
  return {
    dmp: remote.dmp,
    identities: remote.identities,
    warnings: [],
    status: () => remote.status(),
    onStatus: (listener) => remote.onStatus(listener),
    professionalProof: {
      prove: (card, pin) => remote.authenticateProfessional(card, pin),
      end: () => remote.endProfessionalSession(),
    },
    // No local store: a settings change goes to the host's audit chain (docs/host.md).
    settingsTrail: remote.settingsTrail,
    onProfessionalSessionEnded: (listener) => remote.onProfessionalSessionEnded(listener),
    async close() {
      try {
        await importSocket?.close();
        await remote.close();
      } finally {
        release();
      }
    },
  };
}

async function assemble(options: BuildOptions, backend: DmpBackend): Promise<App> {
  const { log } = options;
  const { dmp, identities, warnings } = backend;
  let simulator: CardSimulator | null = null;
  let transport: CardTransport;
  if (options.transport) {
    transport = options.transport;
  } else if (options.simulation && process.env.POSTE_DMP_BUILD_SIMULATOR !== '0') {
    // electron.vite.config.ts replaces the variable with "0" in a packaging build
    // (POSTE_DMP_PACKAGE=1): the condition folds to false and the simulator's chunk is dropped.
    const simulated = (await import('./simulated-cards')).createSimulatedCards();
    simulator = simulated.simulator;
    transport = simulated.transport;
  } else if (options.simulation) {
    throw new Error('Le simulateur de cartes n’est pas inclus dans cette version de Poste DMP.');
  } else {
    const { PcscliteTransport } = await import('../cards/transport/pcsclite-transport');
    transport = new PcscliteTransport({ log: log.child('pcsc') });
  }
  const cards = new CardService({ transport, production: options.production, log: log.child('cards') });
  const session = new SessionService(cards, sessionDossiers(dmp, identities), log.child('session'), {
    production: options.production,
    ...(backend.professionalProof ? { professionalProof: backend.professionalProof } : {}),
    ...(options.sessionRules ? { rules: options.sessionRules } : {}),
  });

  const bus = new EventBus(log.child('bus'));
  // The reader list is re-sent whenever authentication is gained or lost, since what it shows depends on it.
  let shownAsAuthenticated = false;
  cards.onChange((readers) => bus.emit('cards.changed', readersForDisplay(readers, session.get())));
  session.onChange((state) => {
    bus.emit('session.changed', state);
    const authenticated = state.status === 'authenticated';
    if (authenticated !== shownAsAuthenticated) {
      shownAsAuthenticated = authenticated;
      bus.emit('cards.changed', readersForDisplay(cards.readers(), state));
    }
  });
  const offHostStatus = backend.onStatus((status) => bus.emit('host.changed', status));
  // A session the host ended locks this workstation as a local lock does, with the host's reason.
  const offHostEnded = backend.onProfessionalSessionEnded?.((end) => session.endedByHost(end));

  const packageJson = JSON.parse(await readFile(join(resourcesDir(), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const handlers = createHandlers({
    info: {
      version: packageJson.version,
      host: options.host,
      simulation: simulator !== null,
      production: options.production,
      warnings,
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
      log: log.child('host-settings'),
    },
  });
  await cards.start();

  return {
    dispatch: createDispatcher(handlers, log.child('api')),
    bus,
    handlers,
    simulator,
    async close() {
      offHostStatus();
      offHostEnded?.();
      session.dispose();
      await cards.stop();
      await backend.close();
    },
  };
}

async function seed(dmp: DmpPort, file: string, log: Logger): Promise<void> {
  try {
    await dmp.importCda(await readImportFile(file), { create: true, depositor: 'system' });
    log.info('demo document imported');
  } catch (err) {
    // Already there from a previous start: nothing to do.
    if (err instanceof ApiError && err.code === 'CONFLICT') return;
    throw err;
  }
}
