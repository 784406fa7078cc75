import { basename, resolve } from 'node:path';
import type { DataFolderDmpRequest } from '../../app/data-folder-dmp';
import { dataLayout } from '../../app/paths';
import {
  dataOptions,
  exitCode,
  openRequest,
  parseCommandArgs,
  runCommand,
  UsageError,
  withService,
  type CliContext,
} from '../cli-context';
import { ImportFileError, readImportFile } from '../../dmp/import-file';
import { cliImportActor, importOne, type ImportInput } from '../../local-import/import-step';
import { connectLocalImport, LocalImportRefused } from '../../local-import/client';
import { localImportVersion, unreadableCauses, type ImportOutcome } from '../../local-import/protocol';

const usage = 'Usage : import FICHIER.xml… [--create] [--data DOSSIER] [--wait [SECONDES]]';
const options = { ...dataOptions, create: { type: 'boolean' } } as const;

/** What index.ts has before it loads the rest of the CLI: printing and the default folder. */
export type HandOffContext = Pick<CliContext, 'out' | 'err' | 'defaultDataDir'>;

/**
 * `import <file.xml…> [--create]`: deposits CDA documents from a hospital system, each into the dossier
 * of the INS it carries. One file failing does not stop the others; the exit code says whether all went in.
 *
 * When an instance (browser host or desktop app) holds the data folder, the files are handed to it
 * through the folder's import socket and it imports them; otherwise the CLI opens the store itself
 * (`--wait` then queues behind another CLI). Same output and exit codes either way.
 */
export function importCommand(args: string[], ctx: CliContext): Promise<number> {
  return runCommand(ctx, args, options, usage, async (parsed) => {
    const { files, create, request } = importArguments(parsed, ctx);
    const handedOff = await handOff(ctx, request.dataDir, files, create);
    if (handedOff !== null) return handedOff;
    return withService(ctx, request, ({ service }) =>
      importFiles(ctx, files, (input) => importOne(service, input, create, cliImportActor)),
    );
  });
}

/**
 * `import` as far as a running instance takes it, for index.ts: the exit code when the instance
 * imported the files or the arguments were wrong (printed as by `importCommand`), null when no
 * instance answers and nothing was printed. The caller then runs `importCommand`, which tries the
 * socket again and otherwise opens the store.
 */
export function handOffImportCommand(args: string[], ctx: HandOffContext): Promise<number | null> {
  return runCommand(ctx, args, options, usage, async (parsed) => {
    const { files, create, request } = importArguments(parsed, ctx);
    return handOff(ctx, request.dataDir, files, create);
  });
}

function importArguments(
  { values, positionals }: ReturnType<typeof parseCommandArgs<typeof options>>,
  ctx: HandOffContext,
): { files: string[]; create: boolean; request: DataFolderDmpRequest } {
  if (positionals.length === 0) throw new UsageError('Aucun fichier à importer.');
  return { files: positionals, create: values.create === true, request: openRequest(values, ctx, false) };
}

/** Reads each file, has it imported by `run`, prints what became of it; the exit code for them all. */
async function importFiles(
  ctx: HandOffContext,
  files: string[],
  run: (input: ImportInput) => Promise<ImportOutcome>,
): Promise<number> {
  let failures = 0;
  for (const file of files) {
    const name = basename(file);
    let input: ImportInput;
    try {
      input = { bytes: await readImportFile(file) };
    } catch (err) {
      const refusal =
        err instanceof ImportFileError
          ? err
          : new ImportFileError('file: unreadable', 'fichier introuvable ou illisible.');
      input = { refused: { cause: refusal.reason, userMessage: refusal.userMessage } };
    }
    const outcome = await run(input);
    if (outcome.ok) {
      const counts = Object.entries(outcome.counts)
        .map(([kind, n]) => `${kind}=${n}`)
        .join(' ');
      ctx.out(
        `OK ${name} : document ${outcome.documentId}${outcome.created ? ' (dossier créé)' : ''} — ${counts}`,
      );
    } else {
      ctx.err(`ÉCHEC ${name} : ${outcome.message}`);
      failures++;
    }
  }
  ctx.out(`${files.length - failures} fichier(s) importé(s), ${failures} échec(s).`);
  return failures === 0 ? exitCode.ok : exitCode.failed;
}

const lostMessage =
  'l’instance qui utilise le dossier de données s’est arrêtée pendant l’import : vérifiez si ce ' +
  'document a été enregistré avant de le réimporter.';

/**
 * Hands the files to the instance holding the data folder. Null when no instance answers on its
 * socket (none runs, or a killed one left the socket file): the caller opens the store itself.
 */
async function handOff(
  ctx: HandOffContext,
  dataDir: string,
  files: string[],
  create: boolean,
): Promise<number | null> {
  let session;
  try {
    session = await connectLocalImport(dataLayout(resolve(dataDir)).importSocket);
  } catch (err) {
    if (!(err instanceof LocalImportRefused)) throw err;
    ctx.err(`Import impossible : ${err.message}`);
    return exitCode.failed;
  }
  if (!session) return null;
  const open = session;
  try {
    return await importFiles(ctx, files, async (input) => {
      try {
        if ('bytes' in input) {
          return await open.send({
            v: localImportVersion,
            type: 'import',
            create,
            contentBase64: Buffer.from(
              input.bytes.buffer,
              input.bytes.byteOffset,
              input.bytes.byteLength,
            ).toString('base64'),
          });
        }
        const cause = unreadableCauses.find((c) => c === input.refused.cause) ?? 'file: unreadable';
        await open.send({ v: localImportVersion, type: 'refused-file', cause });
        // The instance audited the refusal; the wording (which knows the file's size) is ours.
        return { ok: false, message: input.refused.userMessage };
      } catch (err) {
        return { ok: false, message: err instanceof LocalImportRefused ? err.message : lostMessage };
      }
    });
  } finally {
    open.close();
  }
}
