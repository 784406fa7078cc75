import { resolve } from 'node:path';
import { createLogger } from '../log/logger';
import { dataLayout, defaultDataDir } from '../app/paths';
import { openDmpForCli } from './open-dmp';

/**
 * `npm run cli -- <command>`: headless tools for support staff and hospital IT.
 * Output goes to stdout; logs go to the data folder's log file, never to the terminal.
 */
const usage = `Poste DMP — commandes

  cards [--json]                         lecteurs et cartes présentes (aucun code demandé)
  import <fichier.xml…> [--create]       dépose des documents CDA dans le dossier de leur INS
  summary <INS> [--json]                 synthèse d'urgence d'un dossier
  audit verify                           vérifie la chaîne de la traçabilité
  generate --patients N [--seed S]       génère une population synthétique

Options communes : --store DIR (dossier de données ; défaut : ${defaultDataDir()})`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
  const err = (s: string): void => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  const storeFlag = args.indexOf('--store');
  const dataDir = resolve(storeFlag >= 0 && args[storeFlag + 1] ? args[storeFlag + 1]! : defaultDataDir());
  const log = createLogger({ file: dataLayout(dataDir).logFile });
  const ctx = {
    out,
    err,
    openService: (dir: string) => openDmpForCli(resolve(dir), log),
    defaultStoreDir: dataDir,
  };

  switch (command) {
    case 'cards': {
      const { cardsCommand } = await import('./commands/cards');
      return cardsCommand(args, out);
    }
    case 'import': {
      const { importCommand } = await import('./commands/import');
      return importCommand(withStore(args, dataDir), ctx);
    }
    case 'summary': {
      const { summaryCommand } = await import('./commands/summary');
      return summaryCommand(withStore(args, dataDir), ctx);
    }
    case 'audit': {
      const { auditCommand } = await import('./commands/audit');
      return auditCommand(withStore(args, dataDir), ctx);
    }
    case 'generate': {
      const { generateCommand } = await import('./commands/generate');
      return generateCommand(withStore(args, dataDir), ctx);
    }
    case undefined:
    case 'help':
    case '--help':
      out(usage);
      return 0;
    default:
      err(`Commande inconnue : ${command}\n\n${usage}`);
      return 2;
  }
}

/** Commands always receive an explicit `--store`, so they never guess the default themselves. */
function withStore(args: string[], dataDir: string): string[] {
  return args.includes('--store') ? args : [...args, '--store', dataDir];
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Erreur : ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
