import { ApiError, type EmergencySummary } from '../../../shared/contract';
import {
  formatInsKey,
  insOids,
  matriculePattern,
  normaliseMatricule,
  tryParseInsKey,
} from '../../../shared/identity/ins';
import type { DmpService } from '../../dmp/dmp-service';
import { parseArgs, UsageError, withService, type CliContext } from '../../dmp/cli-context';

const usage =
  'Usage : summary INS [--json] [--as-of AAAA-MM-JJ] --store DOSSIER   (INS = matricule@OID ou matricule seul ; --as-of : date de référence des 24 mois de remboursements)';

/** Takes `--as-of DATE` / `--as-of=DATE` out of the arguments. */
function extractAsOf(args: string[]): { rest: string[]; asOf?: Date } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--as-of') value = args[++i] ?? '';
    else if (arg.startsWith('--as-of=')) value = arg.slice('--as-of='.length);
    else rest.push(arg);
  }
  if (value === undefined) return { rest };
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59Z`) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new UsageError('Option --as-of : date attendue au format AAAA-MM-JJ.');
  return { rest, asOf: date };
}

/** A bare matricule is accepted when exactly one dossier (whatever its OID) carries it. */
async function resolveInsKey(service: DmpService, value: string): Promise<string> {
  const parsed = tryParseInsKey(value);
  if (parsed) return formatInsKey(parsed);
  if (!matriculePattern.test(normaliseMatricule(value)))
    throw new ApiError(
      'INVALID_INPUT',
      'INS invalide : indiquez « matricule@OID » ou un matricule de 15 caractères.',
    );
  const found: string[] = [];
  for (const oid of Object.values(insOids)) {
    const key = formatInsKey({ matricule: value, oid });
    if ((await service.searchDossiers({ insKey: key })).length > 0) found.push(key);
  }
  if (found.length === 0) throw new ApiError('NOT_FOUND', 'Aucun DMP n’existe pour cet INS sur ce poste.');
  if (found.length > 1)
    throw new ApiError(
      'CONFLICT',
      'Plusieurs DMP portent ce matricule (identités de test et réelles) : précisez « matricule@OID ».',
    );
  return found[0] as string;
}

function asText(summary: EmergencySummary): string {
  const { identity } = summary.dossier;
  const lines = [
    `Synthèse d’urgence — ${identity.firstNames} ${identity.usedName ?? identity.birthName}, né(e) le ${identity.birthDate}`,
  ];
  const section = (
    title: string,
    items: { label: string; detail?: string; provenance: { documentTitle: string } }[],
  ) => {
    lines.push('', `${title} (${items.length})`);
    for (const item of items)
      lines.push(
        `  - ${item.label}${item.detail ? ` — ${item.detail}` : ''}  [source : ${item.provenance.documentTitle}]`,
      );
  };
  section('Allergies', summary.allergies);
  section('Traitements en cours', summary.medications);
  section('Problèmes', summary.problems);
  section('Vaccinations', summary.immunizations);
  lines.push('', `Remboursements des 24 derniers mois (${summary.reimbursements.length})`);
  for (const g of summary.reimbursements)
    lines.push(`  - ${g.label} : ${g.count} fois, dernier le ${g.lastDate ?? 'date inconnue'}`);
  section('Contacts', summary.contacts);
  section('Directives anticipées', summary.advanceDirectives);
  return lines.join('\n');
}

/** `summary <INS> [--json]`: the emergency summary for hospital IT, read as the CLI system actor (audited). */
export async function summaryCommand(args: string[], ctx: CliContext): Promise<number> {
  let parsed;
  let asOf: Date | undefined;
  try {
    const extracted = extractAsOf(args);
    asOf = extracted.asOf;
    parsed = parseArgs(extracted.rest, ['--json']);
  } catch (err) {
    ctx.err(err instanceof UsageError ? `${err.message}\n${usage}` : usage);
    return 2;
  }
  const [ins, ...extra] = parsed.positional;
  if (!ins || extra.length > 0) {
    ctx.err(usage);
    return 2;
  }
  return withService(ctx, parsed.storeDir, async (service) => {
    const insKey = await resolveInsKey(service, ins);
    const summary = await service.getSummary({ system: 'cli' }, insKey, asOf ? { asOf } : {});
    ctx.out(parsed.flags.has('--json') ? JSON.stringify(summary, null, 2) : asText(summary));
    return 0;
  });
}
