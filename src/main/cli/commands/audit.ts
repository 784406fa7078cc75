import { errorMessage, parseArgs, UsageError, type CliContext } from '../../dmp/cli-context';
import { silentLogger, type Logger } from '../../log/logger';
import { checkAuditTrail, exportCheckpoints } from '../audit-trail';

const usage = 'Usage : audit verify --store DOSSIER | audit export-checkpoints --store DOSSIER';

/**
 * `audit verify`: exit 0 when the chain, its HMACs and the signed checkpoints all agree and the
 * store opened without recovery; 1 with the cause in French otherwise. The store is only read.
 * `audit export-checkpoints`: prints the signed checkpoints and their public key (JSON).
 */
export async function auditCommand(args: string[], ctx: CliContext & { log?: Logger }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, []);
  } catch (err) {
    ctx.err(err instanceof UsageError ? `${err.message}\n${usage}` : usage);
    return 2;
  }
  const [sub, ...rest] = parsed.positional;
  const dataDir = parsed.storeDir ?? ctx.defaultStoreDir;
  if (rest.length > 0 || (sub !== 'verify' && sub !== 'export-checkpoints')) {
    ctx.err(usage);
    return 2;
  }
  if (!dataDir) {
    ctx.err('Indiquez le dossier du stockage avec --store DOSSIER.');
    return 2;
  }
  try {
    if (sub === 'export-checkpoints') {
      ctx.out(exportCheckpoints(dataDir));
      return 0;
    }
    const report = await checkAuditTrail(dataDir, ctx.log ?? silentLogger);
    for (const notice of report.notices) ctx.out(`Information : ${notice}`);
    if (report.ok) {
      ctx.out(report.summary);
      return 0;
    }
    for (const failure of report.failures) ctx.err(failure);
    ctx.err('Journal d’audit NON vérifié.');
    return 1;
  } catch (err) {
    ctx.err(`Vérification impossible : ${errorMessage(err)}`);
    return 1;
  }
}
