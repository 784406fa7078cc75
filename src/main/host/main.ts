import { parseArgs } from 'node:util';
import type { DmpService } from '../dmp/dmp-service';
import { IdentityReference } from '../identity/identity-reference';
import { openDmpForCli } from '../cli/open-dmp';
import { dataLayout } from '../app/paths';
import { createLogger, type RootLogger } from '../log/logger';
import { HostConfigError, hostEnvironment, loadHostConfig, readTlsFiles, type HostConfig } from './config';
import { startDmpHost } from './dmp-host';
import type { RunningHostServer } from './server';

/**
 * `npm run host -- --config FILE`: the DMP host as its own process. Exit codes like the CLI's:
 * 0 stopped normally, 1 could not start (French reason on stderr), 2 bad usage.
 */
const usage = `Serveur DMP — npm run host -- --config FICHIER.json

  --config FICHIER   configuration JSON (défaut : $POSTE_DMP_HOST_CONFIG) ; voir docs/host.md
  Variables qui remplacent le fichier : ${Object.keys(hostEnvironment).join(', ')}`;

const version = '0.1.0';

interface Opened {
  dmp: DmpService;
  identities: IdentityReference;
  close(): Promise<void>;
  describe: string;
}

async function openStorage(
  config: HostConfig,
  log: RootLogger,
  stderr: (s: string) => void,
): Promise<Opened> {
  const storage = config.storage;
  if (storage.kind === 'postgres') {
    throw new HostConfigError(
      'Stockage PostgreSQL : pas encore branché dans ce serveur (utilisez « storage »: { "kind": "embedded", "dataDir": … }).',
    );
  }
  // The embedded store: the same data folder rules (lock, key file, audit key) as the CLI and the browser host.
  const opened = await openDmpForCli(
    { dataDir: storage.dataDir, readOnly: false, waitMs: null },
    stderr,
    log,
  );
  return {
    dmp: opened.service,
    identities: new IdentityReference(opened.store),
    close: opened.close,
    describe: `dossier de données ${storage.dataDir}`,
  };
}

async function main(argv: string[]): Promise<number> {
  const stderr = (s: string): void => void process.stderr.write(`${s}\n`);
  let configFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    configFile = values.config ?? process.env.POSTE_DMP_HOST_CONFIG;
  } catch (err) {
    stderr(`Arguments invalides : ${err instanceof Error ? err.message : ''}\n${usage}`);
    return 2;
  }
  if (!configFile) {
    stderr(`Indiquez la configuration : --config FICHIER (ou POSTE_DMP_HOST_CONFIG).\n${usage}`);
    return 2;
  }

  let config: HostConfig;
  let tls: ReturnType<typeof readTlsFiles>;
  try {
    config = loadHostConfig(configFile);
    tls = readTlsFiles(config);
  } catch (err) {
    stderr(err instanceof HostConfigError ? err.message : `Configuration illisible : ${String(err)}`);
    return 1;
  }

  const log = createLogger(
    config.storage.kind === 'embedded' ? { file: dataLayout(config.storage.dataDir).logFile } : {},
  );
  let opened: Opened;
  try {
    opened = await openStorage(config, log, stderr);
  } catch (err) {
    stderr(
      `Impossible d’ouvrir les données du serveur DMP : ${err instanceof Error ? err.message : String(err)}`,
    );
    await log.flush();
    return 1;
  }

  let server: RunningHostServer;
  try {
    server = await startDmpHost({
      dmp: opened.dmp,
      identities: opened.identities,
      tls: { caPem: tls.caPem, certPem: tls.certPem, keyPem: tls.keyPem },
      // i13-card's verifyProfessionalProof is wired here once merged: until then every card proof is refused.
      verifyProof: null,
      allowsSystemCalls: () => false,
      log: log.child('host'),
      host: config.listen.host,
      port: config.listen.port,
      professionalIdleMs: config.professionalIdleMinutes * 60 * 1000,
      version,
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    stderr(
      code === 'EADDRINUSE'
        ? `Le port ${config.listen.port} est déjà utilisé sur ${config.listen.host}.`
        : `Le serveur DMP n’a pas pu démarrer : ${err instanceof Error ? err.message : String(err)}`,
    );
    await opened.close();
    await log.flush();
    return 1;
  }
  process.stdout.write(`Serveur DMP à l’écoute : ${server.url} (${opened.describe})\n`);
  log.info('DMP host listening', { port: server.port });

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('Arrêt du serveur DMP…\n');
  await server.close();
  await opened.close();
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
