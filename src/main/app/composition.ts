import { readFile } from 'node:fs/promises';
import { readImportFile } from '../dmp/import-file';
import { join } from 'node:path';
import { ApiError } from '../../shared/contract';
import { createDispatcher, EventBus, type Dispatch, type Handlers } from '../bridge/dispatcher';
import type { Logger } from '../log/logger';
import { CardService } from '../cards/card-service';
import type { CardTransport } from '../cards/transport/card-transport';
import { SessionService } from '../session/session-service';
import { readersForDisplay } from '../session/reader-display';
import type { SessionRules } from '../session/session-rules';
import { DmpService } from '../dmp/dmp-service';
import type { DmpPort } from '../dmp/dmp-port';
import { dmpMigrations } from '../dmp/migrations';
import { openStore, type OpenedStore } from '../store';
import type { KeySource } from './store-key';
import { claimDataFolder } from './data-folder';
import { sessionDossiers } from './session-dossiers';
import { auditKeySource, openAuditTrail } from './audit-trail';
import { IdentityReference } from '../identity/identity-reference';
import { readReferenceFile } from '../identity/reference-file';
import { createHandlers } from './handlers';
import type { CardSimulator } from './card-simulator';
import { resourcesDir } from './paths';

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
  // A recovery from the previous snapshot or a dropped journal tail must reach an administrator.
  warnings.push(...store.recovery.notices);
  const audit = await openAuditTrail(auditKeySource(options.key, options.dataDir), options.dataDir, log);
  for (const w of audit.warnings) if (!warnings.includes(w)) warnings.push(w);
  const dmp = new DmpService({
    store,
    log: log.child('dmp'),
    audit: { keys: audit.keys, witness: audit.checkpoints },
  });
  const identities = new IdentityReference(store);
  for (const file of options.identitySeedFiles ?? [])
    await identities.register(await readReferenceFile(file));

  for (const file of options.seedFiles ?? []) await seed(dmp, file, log);

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
  });
  await cards.start();

  return {
    dispatch: createDispatcher(handlers, log.child('api')),
    bus,
    handlers,
    simulator,
    async close() {
      session.dispose();
      await cards.stop();
      await audit.checkpoints.flush();
      try {
        await store.close();
      } finally {
        folder.release();
      }
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
