import { resolve } from 'node:path';
import { defaultDataDir } from '../app/paths';
import { defaultWaitSeconds, exitCode, printErr, printOut, type CliContext } from './cli-context';
import { defaultReferenceDate } from './commands/generate';
import type { PrestartedStore } from '../store/store-thread';
import { opensStore } from './store-commands';

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

/** What index.ts started before it loaded this module. */
export interface StartedEarly {
  /** sql.js's WebAssembly, compiling (store/sql-wasm.ts), for a command that opens the store. */
  sqlWasm?: Promise<WebAssembly.Module>;
}

/** Runs one command; its exit code. */
export async function main(argv: string[], started: StartedEarly = {}): Promise<number> {
  // A command that opens the data folder's store serves it in this thread (in-thread-store.ts),
  // started now: sql.js loads and compiles while the command's own modules load and the folder's
  // lock and key are taken.
  let early = opensStore(argv[0])
    ? import('../store/in-thread-store').then((m) => m.prestartStoreInThisThread(started.sqlWasm))
    : undefined;
  try {
    return await runCommand(argv, () => {
      const taken = early;
      early = undefined;
      return taken;
    });
  } finally {
    // A command that never opened the store (usage error, hand-off on the second try…).
    await early?.then(
      (store) => store.dispose(),
      () => undefined,
    );
  }
}

async function runCommand(
  argv: string[],
  takeEarlyStore: () => Promise<PrestartedStore> | undefined,
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
      const storeThread = await takeEarlyStore();
      return (await import('../app/data-folder-dmp')).openDataFolderDmp(
        {
          ...request,
          dataDir: resolve(request.dataDir),
          // A command opens the folder for one task: decrypt only the blocks it touches.
          snapshotReading: 'on-demand',
          ...(storeThread ? { prestartedStore: storeThread } : {}),
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
