import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IdentityReference } from '../identity/identity-reference';
import { openPostgres, type Opened } from './open-postgres';
import { openDataFolderDmp } from '../app/data-folder-dmp';
import { LocalClusterError } from '../store/pg/local-cluster';
import type { TestDeployment } from '../pki/test-deployment';
import { localDatabase, localPostgresMessage, startLocalPostgres } from './local-postgres';
import { dataLayout } from '../app/paths';
import { toApiError } from '../app/user-messages';
import { createLogger, type RootLogger } from '../log/logger';
import {
  configForCommand,
  HostConfigError,
  hostEnvironment,
  hostSessionTiming,
  loadHostConfig,
  readTlsFiles,
  type HostConfig,
} from './config';
import { startDmpHost } from './dmp-host';
import { verifyProfessionalProof } from '../pki';
import { CrlFileError } from '../pki/revocation';
import { noRevocation, openRevocation, type HostRevocation } from './host-revocation';
import { auditLogSecurityTrail } from '../audit/security-events';
import type { RunningDmpHost } from './dmp-host';
import { auditHealth, startHealthServer, type AuditHealth, type RunningHealthServer } from './health';
import { CdaParserPool } from '../dmp/cda-parser-pool';
import { logStaleExtractions, reextractReportLines } from '../dmp/reextraction';

/**
 * `npm run host -- --config FILE`: the DMP host as its own process. Exit codes like the CLI's:
 * 0 stopped normally, 1 could not start (French reason on stderr), 2 bad usage.
 */
const usage = `Serveur DMP — npm run host -- --config FICHIER.json | --data DOSSIER

  --config FICHIER   configuration JSON (défaut : $POSTE_DMP_HOST_CONFIG) ; voir docs/host.md
  --data DOSSIER     démarrage rapide : crée au premier lancement un déploiement de TEST et un cluster
                     PostgreSQL local dans DOSSIER, puis les réutilise
  test-deployment DOSSIER   crée un déploiement de TEST (autorités, certificats, host.json)
  status --config FICHIER   état du serveur en service (interface de santé « health » du fichier)
  seal-existing --config FICHIER   scelle les valeurs d’une base créée en clair ou dans l’ancien format
  reextract --config FICHIER   relit les documents importés avec d’anciennes règles d’extraction et met à
                     jour les informations qui en sont tirées (synthèse d’urgence)
  Variables qui remplacent le fichier : ${Object.keys(hostEnvironment).join(', ')}`;

const version = '0.1.0';

async function openStorage(
  config: HostConfig,
  log: RootLogger,
  stderr: (s: string) => void,
  cdaParser: CdaParserPool,
): Promise<Opened> {
  const storage = config.storage;
  if (storage.kind === 'postgres')
    return openPostgres({
      connection: storage.connectionString,
      keyFiles: storage,
      auditCheckpointFile: config.auditCheckpointFile,
      log,
      stderr,
      describe: 'base PostgreSQL',
      cdaParser,
    });
  if (storage.kind === 'local-postgres') {
    const cluster = await startLocalPostgres(storage, log.child('local-postgres'), (notice) =>
      stderr(`Attention : ${notice}`),
    );
    try {
      const opened = await openPostgres({
        connection: cluster.connection,
        keyFiles: storage,
        auditCheckpointFile: config.auditCheckpointFile,
        log,
        stderr,
        describe: `cluster PostgreSQL local ${storage.clusterDir}, processus ${cluster.pid}`,
        cdaParser,
      });
      return {
        ...opened,
        close: async () => {
          try {
            await opened.close();
          } finally {
            await cluster.stop();
          }
        },
      };
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }
  // The embedded store: the same data folder rules (lock, key file, audit key) as the CLI and the browser host.
  const opened = await openDataFolderDmp(
    { dataDir: storage.dataDir, readOnly: false, waitMs: null, cdaParser },
    stderr,
    log,
  );
  return {
    dmp: opened.service,
    identities: new IdentityReference(opened.store),
    close: opened.close,
    describe: `dossier de données ${storage.dataDir}`,
    ping: async () => void (await opened.store.all('SELECT 1 AS one')),
    security: auditLogSecurityTrail(opened.auditLog),
  };
}

/** The host's log: the data folder's log file for the embedded and local stores, else stdout. */
function hostLogger(config: HostConfig): RootLogger {
  return createLogger(
    config.storage.kind === 'embedded'
      ? { file: dataLayout(config.storage.dataDir).logFile }
      : config.storage.kind === 'local-postgres'
        ? { file: dataLayout(dirname(config.storage.clusterDir)).logFile }
        : {},
  );
}

const reextractUsage = `Usage : npm run host -- reextract --config FICHIER.json

  Relit, depuis leur contenu stocké, les documents importés avec d’anciennes règles d’extraction et
  met à jour les informations qui en sont tirées (synthèse d’urgence) ; le document lui-même ne change
  pas. Une transaction tracée par document : interrompue, la commande reprend où elle en était ;
  relancée, elle n’a rien à faire. Une base PostgreSQL peut rester en service pendant ce temps.`;

/**
 * `npm run host -- reextract --config FILE`: DmpService.reextractStored on the host's storage, with
 * the host's parser limits (time budget). Exit codes: 0 done (or nothing to do), 1 a document could
 * not be re-read (named by id) or the storage could not be opened, 2 bad usage.
 */
async function reextractCommand(args: string[], stderr: (s: string) => void): Promise<number> {
  const config = configForCommand(args, reextractUsage, stderr);
  if (typeof config === 'number') return config;
  const log = hostLogger(config);
  const cdaParser = new CdaParserPool({
    workers: 1,
    timeoutMs: config.cdaParsing.timeoutSeconds * 1000,
    log: log.child('cda-parser'),
  });
  const opened = await openStorageOrReport(config, log, stderr, cdaParser);
  if (!opened) return 1;
  try {
    const lines = reextractReportLines(
      await opened.dmp.reextractStored({ system: 'reextract', via: 'commande du serveur DMP' }),
    );
    for (const line of lines.err) stderr(line);
    process.stdout.write(`${lines.out}\n`);
    return lines.failed ? 1 : 0;
  } catch (err) {
    stderr(
      `Ré-extraction impossible : ${toApiError(err)?.message ?? (err instanceof Error ? err.message : String(err))}`,
    );
    log.error('reextract failed', { error: err instanceof Error ? err.name : 'unknown' });
    return 1;
  } finally {
    await cdaParser.close();
    await opened.close();
    await log.flush();
  }
}

/**
 * `openStorage`, or null once its failure is reported: in French on stderr, precisely in the log
 * (flushed: the caller exits), with `cdaParser` closed. For every command that opens the storage.
 */
async function openStorageOrReport(
  config: HostConfig,
  log: RootLogger,
  stderr: (s: string) => void,
  cdaParser: CdaParserPool,
): Promise<Opened | null> {
  try {
    return await openStorage(config, log, stderr, cdaParser);
  } catch (err) {
    await cdaParser.close();
    stderr(startFailure(err, config));
    log.error('DMP host could not open its storage', {
      error: err instanceof Error ? err.message : String(err),
    });
    await log.flush();
    return null;
  }
}

/** The French reason a start failed, from the errors this process knows. */
function startFailure(err: unknown, config: HostConfig): string {
  if (err instanceof HostConfigError) return err.message;
  if (err instanceof LocalClusterError && config.storage.kind === 'local-postgres')
    return localPostgresMessage(err, config.storage.clusterDir);
  return `Impossible d’ouvrir les données du serveur DMP : ${toApiError(err)?.message ?? (err instanceof Error ? err.message : String(err))}`;
}

/** For the quick start: how to point a workstation (and psql) at this host. */
function quickStartGuide(dir: string, url: string, config: HostConfig): string {
  let manifest: TestDeployment;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'deployment.json'), 'utf8')) as TestDeployment;
  } catch {
    return '';
  }
  // The host certificate names localhost (and 127.0.0.1, ::1): the workstation checks it against the URL.
  const hostUrl = url.replace('://127.0.0.1:', '://localhost:');
  const desk = manifest.workstations.find((w) => !w.systemCalls) ?? manifest.workstations[0];
  const lines = [
    `Déploiement de TEST dans ${dir} (jamais en production : les clés des autorités sont à côté).`,
  ];
  if (desk)
    lines.push(
      `Pointer un poste sur ce serveur (${desk.name}, cartes de test SoftHSM2) :`,
      `  SOFTHSM2_CONF=${manifest.softhsm.confPath} npm run web -- --dmp ${hostUrl} --host-ca ${manifest.caPath} ` +
        `--workstation-cert ${desk.certPath} --workstation-key ${desk.keyPath} --pkcs11-module ${manifest.softhsm.modulePath}`,
      `  Autres postes : ${manifest.workstations.map((w) => `${w.name}${w.systemCalls ? ' (appels système)' : ''}`).join(', ')} (${dirname(desk.certPath)})`,
    );
  if (config.health)
    lines.push(`État du serveur (supervision) : npm run host -- status --config ${join(dir, 'host.json')}`);
  if (config.storage.kind === 'local-postgres')
    lines.push(
      `Base PostgreSQL : psql -h ${config.storage.clusterDir} -p ${config.storage.port} -U postgres ${localDatabase}`,
    );
  return `${lines.join('\n')}\n`;
}

async function testDeployment(args: string[], stderr: (s: string) => void): Promise<number> {
  const [dir, ...rest] = args;
  if (!dir || rest.length > 0) {
    stderr('Usage : npm run host:test-deployment -- DOSSIER');
    return 2;
  }
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    stderr(
      `Le dossier ${target} n’est pas vide : indiquez un dossier nouveau ou vide pour le déploiement de test.`,
    );
    return 1;
  }
  const { createHostTestDeployment } = await import('./test-deployment');
  try {
    const made = await createHostTestDeployment(target);
    const lines = [
      `Déploiement de TEST créé dans ${made.dir} (jamais en production : les clés des autorités sont à côté).`,
      `  Démarrer le serveur : npm run host -- --config ${made.configPath}`,
      `  État du serveur en service : npm run host -- status --config ${made.configPath} (santé : ${made.healthUrl})`,
      `  Autorité à faire confiance (postes) : ${made.caPath}`,
      `  Cartes de test (SoftHSM2) : SOFTHSM2_CONF=${made.softhsm.confPath}, module ${made.softhsm.modulePath}`,
      ...made.workstations.map(
        (w) => `  Poste ${w.name}${w.systemCalls ? ' (appels système)' : ''} : ${w.certPath} + ${w.keyPath}`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    stderr(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

async function main(argv: string[]): Promise<number> {
  const stderr = (s: string): void => void process.stderr.write(`${s}\n`);
  if (argv[0] === 'test-deployment') return testDeployment(argv.slice(1), stderr);
  if (argv[0] === 'seal-existing') {
    const { sealExistingCommand } = await import('./seal-existing-command');
    return sealExistingCommand(argv.slice(1), (s) => void process.stdout.write(`${s}\n`), stderr);
  }
  if (argv[0] === 'reextract') return reextractCommand(argv.slice(1), stderr);
  if (argv[0] === 'status') {
    const { statusCommand } = await import('./status-command');
    return statusCommand(argv.slice(1), (s) => void process.stdout.write(`${s}\n`), stderr);
  }
  let configFile: string | undefined;
  let quickStartDir: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    if (values.config !== undefined && values.data !== undefined) {
      stderr(`--config et --data : choisissez l’un ou l’autre.\n${usage}`);
      return 2;
    }
    quickStartDir = values.data === undefined ? undefined : resolve(values.data);
    configFile = values.config ?? (quickStartDir ? undefined : process.env.POSTE_DMP_HOST_CONFIG);
  } catch (err) {
    stderr(`Arguments invalides : ${err instanceof Error ? err.message : ''}\n${usage}`);
    return 2;
  }
  if (!configFile && !quickStartDir) {
    stderr(
      `Indiquez la configuration : --config FICHIER (ou POSTE_DMP_HOST_CONFIG), ou --data DOSSIER pour un démarrage rapide.\n${usage}`,
    );
    return 2;
  }

  let config: HostConfig;
  let tls: ReturnType<typeof readTlsFiles>;
  try {
    if (quickStartDir) {
      const { ensureQuickStartDeployment } = await import('./test-deployment');
      const made = await ensureQuickStartDeployment(quickStartDir);
      if (made.created)
        process.stdout.write(`Démarrage rapide : déploiement de TEST créé dans ${quickStartDir}.\n`);
      configFile = made.configPath;
    }
    config = loadHostConfig(configFile!);
    tls = readTlsFiles(config);
  } catch (err) {
    stderr(
      err instanceof HostConfigError
        ? err.message
        : `Configuration illisible : ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }

  const log = hostLogger(config);
  let revocation: HostRevocation | null = null;
  if (config.revocation) {
    try {
      revocation = openRevocation(config.revocation, log);
    } catch (err) {
      stderr(err instanceof CrlFileError ? err.message : `Listes de révocation illisibles : ${String(err)}`);
      await log.flush();
      return 1;
    }
  }
  // Deposited CDAs are parsed off the event loop (workers start with the first document).
  const cdaParser = new CdaParserPool({
    ...(config.cdaParsing.workers ? { workers: config.cdaParsing.workers } : {}),
    maxQueued: config.cdaParsing.maxQueued,
    timeoutMs: config.cdaParsing.timeoutSeconds * 1000,
    log: log.child('cda-parser'),
  });
  const opened = await openStorageOrReport(config, log, stderr, cdaParser);
  if (!opened) return 1;

  const startedAt = Date.now();
  let server: RunningDmpHost;
  try {
    server = await startDmpHost({
      dmp: opened.dmp,
      identities: opened.identities,
      tls: { caPem: tls.caPem, certPem: tls.certPem, keyPem: tls.keyPem },
      verifyProof: (proof) =>
        verifyProfessionalProof({
          ...proof,
          trustedRoots: tls.professionalRootsPem,
          ...(revocation ? { revocation } : {}),
        }),
      revocation,
      security: opened.security,
      limits: config.limits,
      log: log.child('host'),
      host: config.listen.host,
      port: config.listen.port,
      ...hostSessionTiming(config),
      version,
      ...(opened.requests ? { requests: opened.requests } : {}),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    stderr(
      code === 'EADDRINUSE'
        ? `Le port ${config.listen.port} est déjà utilisé sur ${config.listen.host}.`
        : `Le serveur DMP n’a pas pu démarrer : ${err instanceof Error ? err.message : String(err)}`,
    );
    await cdaParser.close();
    await opened.close();
    await log.flush();
    return 1;
  }
  let stopping = false;
  let audit: AuditHealth = opened.auditCheck
    ? { state: 'pending', summary: null }
    : { state: 'not-run', summary: null };
  let health: RunningHealthServer | null = null;
  if (config.health) {
    const healthConfig = config.health;
    try {
      health = await startHealthServer({
        host: healthConfig.listen.host,
        port: healthConfig.listen.port,
        anyHostHeader: healthConfig.allowRemote,
        log: log.child('health'),
        sources: {
          version,
          startedAt,
          ping: opened.ping,
          databaseTimeoutMs: healthConfig.databaseTimeoutMs,
          audit: () => audit,
          revocation: () => revocation?.freshness() ?? noRevocation,
          openProfessionalSessions: () => server.openProfessionalSessions(),
          stopping: () => stopping,
        },
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      stderr(
        code === 'EADDRINUSE'
          ? `Le port ${healthConfig.listen.port} (health.listen) est déjà utilisé sur ${healthConfig.listen.host}.`
          : `L’interface de santé n’a pas pu démarrer : ${err instanceof Error ? err.message : String(err)}`,
      );
      await server.close();
      await cdaParser.close();
      await opened.close();
      await log.flush();
      return 1;
    }
  }
  // One write: whoever waits for the listening line gets the quick start's guide with it.
  process.stdout.write(
    `Serveur DMP à l’écoute : ${server.url} (${opened.describe})\n` +
      (health ? `Santé (équilibreur de charge, supervision) : ${health.url}/health/ready\n` : '') +
      (quickStartDir ? quickStartGuide(quickStartDir, server.url, config) : ''),
  );
  log.info('DMP host listening', { port: server.port, healthPort: health?.port ?? null });
  await logStaleExtractions(opened.dmp, log, 'npm run host -- reextract --config <fichier>');
  // The whole audit chain, now that workstations are served (the start checked its end only): its
  // verdict goes to the log, and to stderr when the chain does not verify; the health answer shows it.
  void opened.auditCheck?.().then((verdict) => (audit = auditHealth(verdict)));

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('Arrêt du serveur DMP…\n');
  // Load balancers see 503 from now on, while the workstations' connections drain.
  stopping = true;
  await server.close();
  await cdaParser.close();
  await opened.close();
  await health?.close();
  await log.flush();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `Erreur interne du serveur DMP : ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
