import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { dataLayout } from '../app/paths';
import { toApiError } from '../app/user-messages';
import { dmpMigrations } from '../dmp/migrations';
import { createLogger } from '../log/logger';
import { sealExistingValues } from '../store/pg/seal-existing';
import { configForCommand } from './config';
import { fieldKeyForSealing } from './host-keys';
import { startLocalPostgres } from './local-postgres';

const usage = `Usage : npm run host -- seal-existing --config FICHIER.json

  Scelle, sur place, les valeurs que la base du serveur a reçues avant son scellement (en clair, ou
  chiffrées dans l’ancien format) avec la clé de champ de la configuration, puis marque la base comme
  scellée. Arrêtez les serveurs DMP et sauvegardez la base avant. Interrompue, la commande reprend où
  elle en était quand on la relance.`;

/**
 * `npm run host -- seal-existing --config FILE` (sealExistingValues, src/main/store/pg/seal-existing.ts).
 * Exit codes as the host's: 0 done (or nothing to do), 1 failed (French reason on stderr), 2 bad usage.
 */
export async function sealExistingCommand(
  args: string[],
  out: (s: string) => void,
  stderr: (s: string) => void,
): Promise<number> {
  const config = configForCommand(args, usage, stderr);
  if (typeof config === 'number') return config;
  const storage = config.storage;
  if (storage.kind === 'embedded') {
    stderr(
      'Ce serveur garde le DMP dans un dossier de données (chiffré en entier) : il n’y a pas de colonnes à sceller.',
    );
    return 1;
  }
  const root = createLogger(
    storage.kind === 'local-postgres' ? { file: dataLayout(dirname(storage.clusterDir)).logFile } : {},
  );
  const log = root.child('seal-existing');
  let stopCluster: (() => Promise<void>) | null = null;
  /** Created by this run, nothing sealed with it yet: removed if the run fails. */
  let createdKeyFile: string | null = null;
  /** Created by this run, and values sealed with it: kept whatever happens. */
  let keptKeyFile: string | null = null;
  try {
    let connection;
    if (storage.kind === 'local-postgres') {
      const cluster = await startLocalPostgres(storage, log.child('local-postgres'), (notice) =>
        stderr(`Attention : ${notice}`),
      );
      stopCluster = () => cluster.stop();
      connection = cluster.connection;
    } else connection = storage.connectionString;
    // A new key only for a database no key has sealed yet (host-keys.ts); removed again below if the
    // sealing fails before any batch committed, so that a failed run leaves things as they were.
    const fieldKey = await fieldKeyForSealing(connection, storage.fieldKeyFile, log);
    if (fieldKey.created) createdKeyFile = storage.fieldKeyFile;
    const result = await sealExistingValues({
      connection,
      migrations: dmpMigrations,
      fieldKey: fieldKey.key.key,
      log,
      onBatch: ({ table, rows }) => {
        // Committed values are sealed with this key now: from here on, removing its file would lose
        // them for good (a second run, with a key created anew, would leave them unreadable).
        if (createdKeyFile) {
          keptKeyFile = createdKeyFile;
          createdKeyFile = null;
        }
        out(`  ${table} : ${rows} lignes scellées`);
      },
    });
    const total = Object.values(result.converted).reduce((a, b) => a + b, 0);
    if (createdKeyFile ?? keptKeyFile)
      out(
        `Clé de champ créée : ${createdKeyFile ?? keptKeyFile} (0600). Copiez ce fichier sur chaque serveur DMP de la base ` +
          'et gardez-en une copie hors ligne : sans lui, les valeurs scellées ne peuvent plus être lues.',
      );
    createdKeyFile = null;
    keptKeyFile = null;
    out(
      result.alreadySealed
        ? 'La base est déjà scellée avec cette clé : rien à faire.'
        : `Base scellée avec la clé de champ de la configuration (${total} lignes réécrites).`,
    );
    return 0;
  } catch (err) {
    stderr(
      `Scellement impossible : ${toApiError(err)?.message ?? (err instanceof Error ? err.message : String(err))}`,
    );
    log.error('seal-existing failed', { error: err instanceof Error ? err.message : String(err) });
    return 1;
  } finally {
    if (createdKeyFile) rmSync(createdKeyFile, { force: true });
    if (keptKeyFile)
      stderr(
        `Clé de champ conservée : ${keptKeyFile} (0600), créée par cette commande : des valeurs sont déjà ` +
          'scellées avec elle et ne peuvent être lues sans ce fichier. Gardez-le, corrigez la cause ci-dessus ' +
          'et relancez seal-existing : il reprendra avec cette clé. Copiez-le ensuite sur chaque serveur DMP de la base.',
      );
    if (stopCluster) await stopCluster();
    await root.flush();
  }
}
