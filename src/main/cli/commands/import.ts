import { basename } from 'node:path';
import {
  dataOptions,
  errorMessage,
  exitCode,
  openRequest,
  runCommand,
  UsageError,
  withService,
  type CliContext,
} from '../cli-context';
import { ImportFileError, readImportFile } from '../../dmp/import-file';

const usage = 'Usage : import FICHIER.xml… [--create] [--data DOSSIER] [--wait [SECONDES]]';

/**
 * `import <file.xml…> [--create]`: deposits CDA documents from a hospital system, each into the dossier
 * of the INS it carries. One file failing does not stop the others; the exit code says whether all went in.
 */
export function importCommand(args: string[], ctx: CliContext): Promise<number> {
  return runCommand(
    ctx,
    args,
    { ...dataOptions, create: { type: 'boolean' } },
    usage,
    async ({ values, positionals }) => {
      if (positionals.length === 0) throw new UsageError('Aucun fichier à importer.');
      const create = values.create === true;
      return withService(ctx, openRequest(values, ctx, false), async ({ service }) => {
        let failures = 0;
        for (const file of positionals) {
          const name = basename(file);
          let bytes: Uint8Array;
          try {
            bytes = await readImportFile(file);
          } catch (err) {
            const refusal =
              err instanceof ImportFileError
                ? err
                : new ImportFileError('file: unreadable', 'fichier introuvable ou illisible.');
            // Logged and audited like any refused document; the refusal itself is what we print.
            await service.refuseImportFile(refusal.reason, refusal.userMessage).catch(() => undefined);
            ctx.err(`ÉCHEC ${name} : ${refusal.userMessage}`);
            failures++;
            continue;
          }
          try {
            const result = await service.importCda(bytes, { create, depositor: 'system' });
            const counts = Object.entries(result.counts)
              .map(([kind, n]) => `${kind}=${n}`)
              .join(' ');
            ctx.out(
              `OK ${name} : document ${result.documentId}${result.created ? ' (dossier créé)' : ''} — ${counts}`,
            );
          } catch (err) {
            ctx.err(`ÉCHEC ${name} : ${errorMessage(err)}`);
            failures++;
          }
        }
        ctx.out(`${positionals.length - failures} fichier(s) importé(s), ${failures} échec(s).`);
        return failures === 0 ? exitCode.ok : exitCode.failed;
      });
    },
  );
}
