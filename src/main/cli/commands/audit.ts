import { describeAuditVerdict } from '../../audit/verify';
import { parseArgs, UsageError, withService, type CliContext } from '../../dmp/cli-context';

const usage = 'Usage : audit verify --store DOSSIER';

/** `audit verify`: exit 0 when the hash chain is intact, 1 naming the first bad entry otherwise. */
export async function auditCommand(args: string[], ctx: CliContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, []);
  } catch (err) {
    ctx.err(err instanceof UsageError ? `${err.message}\n${usage}` : usage);
    return 2;
  }
  if (parsed.positional.length !== 1 || parsed.positional[0] !== 'verify') {
    ctx.err(usage);
    return 2;
  }
  return withService(ctx, parsed.storeDir, async (service) => {
    const verdict = await service.verifyAudit();
    if (verdict.ok) {
      ctx.out(describeAuditVerdict(verdict));
      return 0;
    }
    ctx.err(describeAuditVerdict(verdict));
    return 1;
  });
}
