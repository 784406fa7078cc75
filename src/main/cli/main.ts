import { resolve } from 'node:path';
import { defaultDataDir } from '../app/paths';
import { defaultWaitSeconds, exitCode, printErr, printOut, type CliContext } from './cli-context';
import { defaultReferenceDate } from './commands/generate';
import type { PrestartedStoreWorker } from '../store/store-worker-start';

/**
 * `npm run cli -- <command>`: headless tools for support staff and hospital IT (entered through
 * index.ts, which does a handed-off `import` itself and loads this for everything else).
 * Output goes to stdout; errors, warnings and recovery notices to stderr; logs to the data folder's
 * log file, never to the terminal. Exit codes: 0 done, 1 refused or failed, 2 bad usage.
 */
const usage = `Poste DMP — commandes

  cards [--json]                         lecteurs et cartes présentes (aucun code demandé)
  import <fichier.xml…> [--create]       dépose des documents CDA dans le dossier de leur INS
  summary <INS> [--json] [--as-of DATE]  synthèse d'urgence d'un dossier (lecture seule)
  reextract                              relit les documents importés avec d'anciennes règles d'extraction
                                         et met à jour les informations qui en sont tirées (synthèse)
  audit verify                           vérifie la traçabilité (lecture seule : chaîne, HMAC, points de contrôle)
  audit export-checkpoints               exporte les points de contrôle signés et leur clé publique
  generate --patients N [--seed S] [--reference-date AAAA-MM-JJ]
                                         génère une population synthétique (date par défaut : ${defaultReferenceDate})

Options communes :
  --data DOSSIER      dossier de données (celui qui contient « store/ » et « store.key » ;
                      défaut : $POSTE_DMP_DATA, sinon ${defaultDataDir()})
  --wait [SECONDES]   attendre qu'une autre instance libère le dossier (défaut ${defaultWaitSeconds} s)
                      au lieu d'échouer aussitôt`;

/** What index.ts may have started before loading this module. */
export interface EarlyStart {
  /** A store worker already loading sql.js, for the command's store (see store-worker-start.ts). */
  storeWorker?: PrestartedStoreWorker;
}

/** Runs one command; its exit code. */
export async function main(argv: string[], early: EarlyStart = {}): Promise<number> {
  let storeWorker = early.storeWorker;
  try {
    return await runCommand(argv, () => {
      const taken = storeWorker;
      storeWorker = undefined;
      return taken;
    });
  } finally {
    // A command that never opened the store (usage error, hand-off on the second try…).
    await storeWorker?.dispose();
  }
}

async function runCommand(
  argv: string[],
  takeStoreWorker: () => PrestartedStoreWorker | undefined,
): Promise<number> {
  const [command, ...args] = argv;
  const out = printOut;
  const err = printErr;
  const ctx: CliContext = {
    out,
    err,
    // Loaded only when a command opens the store: `import` handed to a running instance never does,
    // and its start-up should not pay for the store, the DMP service and the logger.
    open: async (request) => {
      const storeWorker = takeStoreWorker();
      return (await import('../app/data-folder-dmp')).openDataFolderDmp(
        {
          ...request,
          dataDir: resolve(request.dataDir),
          // A command opens the folder for one task: decrypt only the blocks it touches.
          snapshotReading: 'on-demand',
          ...(storeWorker ? { storeWorker } : {}),
        },
        err,
      );
    },
    defaultDataDir: defaultDataDir(),
  };

  switch (command) {
    case 'cards': {
      const { cardsCommand } = await import('./commands/cards');
      return cardsCommand(args, out, {}, err);
    }
    case 'import': {
      const { importCommand } = await import('./commands/import');
      return importCommand(args, ctx);
    }
    case 'summary': {
      const { summaryCommand } = await import('./commands/summary');
      return summaryCommand(args, ctx);
    }
    case 'reextract': {
      const { reextractCommand } = await import('./commands/reextract');
      return reextractCommand(args, ctx);
    }
    case 'audit': {
      const { auditCommand } = await import('./commands/audit');
      return auditCommand(args, ctx);
    }
    case 'generate': {
      const { generateCommand } = await import('./commands/generate');
      return generateCommand(args, ctx);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(usage);
      return exitCode.ok;
    default:
      err(`Commande inconnue : ${command}\n\n${usage}`);
      return exitCode.usage;
  }
}
