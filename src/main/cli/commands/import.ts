import { basename } from 'node:path';
import { errorMessage, parseArgs, UsageError, withService, type CliContext } from '../../dmp/cli-context';
import { ImportFileError, readImportFile } from '../../dmp/import-file';

const usage = 'Usage : import FICHIER.xml… [--create] --store DOSSIER';

/**
 * `import <file.xml…> [--create]`: deposits CDA documents from a hospital system, each into the dossier
 * of the INS it carries. One file failing does not stop the others; the exit code says whether all went in.
 */
export async function importCommand(args: string[], ctx: CliContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, ['--create']);
  } catch (err) {
    ctx.err(err instanceof UsageError ? `${err.message}\n${usage}` : usage);
    return 2;
  }
  if (parsed.positional.length === 0) {
    ctx.err(`Aucun fichier à importer.\n${usage}`);
    return 2;
  }
  const create = parsed.flags.has('--create');
  return withService(ctx, parsed.storeDir, async (service) => {
    let failures = 0;
    for (const file of parsed.positional) {
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
    ctx.out(`${parsed.positional.length - failures} fichier(s) importé(s), ${failures} échec(s).`);
    return failures === 0 ? 0 : 1;
  });
}
