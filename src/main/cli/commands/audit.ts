import { checkDataFolder } from '../../app/data-folder';
import { silentLogger, type Logger } from '../../log/logger';
import { checkAuditTrail, exportCheckpoints } from '../audit-trail';
import {
  dataOptions,
  errorMessage,
  exitCode,
  openRequest,
  runCommand,
  UsageError,
  type CliContext,
} from '../cli-context';

const usage = 'Usage : audit verify [--data DOSSIER] | audit export-checkpoints [--data DOSSIER]';

/**
 * `audit verify`: exit 0 when the chain, its HMACs and the signed checkpoints all agree and the
 * store opened without recovery; 1 with the cause in French otherwise. The store is only read
 * (no lock, no migration, no compaction), so `--wait` has nothing to wait for.
 * `audit export-checkpoints`: prints the signed checkpoints and their public key (JSON).
 */
export function auditCommand(args: string[], ctx: CliContext & { log?: Logger }): Promise<number> {
  return runCommand(ctx, args, dataOptions, usage, async ({ values, positionals }) => {
    const [sub, ...rest] = positionals;
    if (rest.length > 0 || (sub !== 'verify' && sub !== 'export-checkpoints')) {
      throw new UsageError(
        sub === undefined
          ? 'Sous-commande attendue : verify ou export-checkpoints.'
          : `Sous-commande inconnue : ${positionals.join(' ')}`,
      );
    }
    const { dataDir } = openRequest(values, ctx, true);
    try {
      checkDataFolder(dataDir, { mustExist: true });
      if (sub === 'export-checkpoints') {
        ctx.out(exportCheckpoints(dataDir));
        return exitCode.ok;
      }
      const report = await checkAuditTrail(dataDir, ctx.log ?? silentLogger);
      for (const notice of report.notices) ctx.err(`Récupération : ${notice}`);
      if (report.ok) {
        ctx.out(report.summary);
        return exitCode.ok;
      }
      for (const failure of report.failures) ctx.err(failure);
      ctx.err('Journal d’audit NON vérifié.');
      return exitCode.failed;
    } catch (err) {
      ctx.err(`Vérification impossible : ${errorMessage(err)}`);
      return exitCode.failed;
    }
  });
}
