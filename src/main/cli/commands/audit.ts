import { describeAuditVerdict } from '../../audit/verify';
import {
  dataOptions,
  exitCode,
  openRequest,
  runCommand,
  UsageError,
  withService,
  type CliContext,
} from '../cli-context';

const usage = 'Usage : audit verify [--data DOSSIER] [--wait [SECONDES]]';

/** `audit verify`: exit 0 when the hash chain is intact, 1 naming the first bad entry otherwise. */
export function auditCommand(args: string[], ctx: CliContext): Promise<number> {
  return runCommand(ctx, args, dataOptions, usage, async ({ values, positionals }) => {
    if (positionals.length !== 1 || positionals[0] !== 'verify')
      throw new UsageError(
        positionals.length === 0
          ? 'Sous-commande attendue : verify.'
          : `Sous-commande inconnue : ${positionals.join(' ')}`,
      );
    return withService(ctx, openRequest(values, ctx, true), async ({ service }) => {
      const verdict = await service.verifyAudit();
      if (verdict.ok) {
        ctx.out(describeAuditVerdict(verdict));
        return exitCode.ok;
      }
      ctx.err(describeAuditVerdict(verdict));
      return exitCode.failed;
    });
  });
}
