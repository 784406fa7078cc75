import type { SystemActor } from '../../dmp/actors';
import { reextractReportLines } from '../../dmp/reextraction';
import {
  dataOptions,
  exitCode,
  openRequest,
  runCommand,
  UsageError,
  withService,
  type CliContext,
} from '../cli-context';

const usage = 'Usage : reextract [--data DOSSIER] [--wait [SECONDES]]';

/** Who re-derives the entries, as the audit trail and the patient's access history name it. */
export const cliReextractActor: SystemActor = { system: 'reextract', via: 'ligne de commande' };

/**
 * `reextract`: re-derives, from their stored content, the sections and clinical entries of the
 * documents extracted under older rules (DmpService.reextractStored: one audited transaction per
 * document; the document itself is unchanged). Run it after an update that changed the extraction
 * rules; interrupted, it resumes where it stopped; run again, it has nothing to do.
 * Exit codes: 0 every document current, 1 a document could not be re-read (named by id on stderr,
 * left as it was) or the store could not be opened, 2 bad usage.
 */
export function reextractCommand(args: string[], ctx: CliContext): Promise<number> {
  return runCommand(ctx, args, dataOptions, usage, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`Argument inattendu : ${positionals.join(' ')}`);
    return withService(ctx, openRequest(values, ctx, false), async ({ service }) => {
      const lines = reextractReportLines(await service.reextractStored(cliReextractActor));
      for (const line of lines.err) ctx.err(line);
      ctx.out(lines.out);
      return lines.failed ? exitCode.failed : exitCode.ok;
    });
  });
}
