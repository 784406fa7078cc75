import {
  ApiError,
  type ClinicalEntry,
  type EmergencySummary,
  type SummarySectionKey,
} from '../../../shared/contract';
import {
  formatInsKey,
  insOids,
  matriculePattern,
  normaliseMatricule,
  tryParseInsKey,
} from '../../../shared/identity/ins';
import type { DmpPort } from '../../dmp/dmp-port';
import {
  dataOptions,
  exitCode,
  openRequest,
  runCommand,
  UsageError,
  withService,
  type CliContext,
} from '../cli-context';

const usage =
  'Usage : summary INS [--json] [--as-of AAAA-MM-JJ] [--data DOSSIER] [--wait [SECONDES]]   (INS = matricule@OID ou matricule seul ; --as-of : date de référence des 24 mois de remboursements)';

/** `--as-of AAAA-MM-JJ`: the end of that day, UTC. */
function parseAsOf(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59Z`) : new Date(NaN);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError('Option --as-of : date attendue au format AAAA-MM-JJ.');
  }
  return date;
}

/** A bare matricule is accepted when exactly one dossier (whatever its OID) carries it. */
async function resolveInsKey(service: DmpPort, value: string): Promise<string> {
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

function frDate(iso: string | undefined): string {
  if (!iso) return 'date inconnue';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return d && m ? `${d}/${m}/${y}` : m ? `${m}/${y}` : (y ?? iso);
}

type Line = Pick<ClinicalEntry, 'label' | 'detail' | 'status' | 'startDate' | 'sources'>;

function asText(summary: EmergencySummary): string {
  const { identity } = summary.dossier;
  const born = identity.sex === 'F' ? 'née' : identity.sex === 'M' ? 'né' : 'né(e)';
  const lines = [
    `Synthèse d’urgence — ${identity.firstNames} ${identity.usedName ?? identity.birthName}, ${born} le ${frDate(identity.birthDate)}`,
    `Synthèse du ${frDate(summary.generatedAt)}${summary.dossierUpdatedAt ? ` ; dossier mis à jour le ${frDate(summary.dossierUpdatedAt)}` : ''}`,
  ];
  const section = (title: string, key: SummarySectionKey | undefined, items: readonly Line[]) => {
    lines.push('', `${title} (${items.length})`);
    for (const a of summary.noneKnown.filter((n) => key !== undefined && n.section === key)) {
      lines.push(
        `  ${a.text} (déclaré le ${frDate(a.provenance.date)})  [source : ${a.sources.map((x) => x.documentTitle).join(' ; ')}]`,
      );
    }
    for (const item of items) {
      const status = item.status ? ` (${item.status})` : '';
      const sources = item.sources.map((x) => x.documentTitle).join(' ; ');
      lines.push(
        `  - ${item.label}${status}${item.detail ? ` — ${item.detail}` : ''}  [source : ${sources}]`,
      );
    }
  };
  section('Allergies', 'allergies', summary.allergies);
  section('Traitements en cours', 'medications', summary.medications);
  section('Autres traitements (terminés, prévus ou à vérifier)', undefined, summary.otherMedications);
  section('Problèmes', 'problems', summary.problems);
  section('Dispositifs implantés', 'devices', summary.devices);
  section('Actes et antécédents chirurgicaux', 'procedures', summary.procedures);
  section('Facteurs de risque', 'riskFactors', summary.riskFactors);
  lines.push('', `Résultats de biologie (${summary.labResults.length})`);
  for (const r of summary.labResults) {
    const v = r.latest;
    const extra = [v.referenceRange ? `réf. ${v.referenceRange}` : undefined, v.flagLabel, r.trendLabel]
      .filter(Boolean)
      .join(' ; ');
    lines.push(
      `  - ${r.analyte} : ${v.value}${v.unit ? ` ${v.unit}` : ''} le ${frDate(v.date)}${extra ? ` (${extra})` : ''}`,
    );
  }
  section('Vaccinations', 'immunizations', summary.immunizations);
  lines.push('', `Remboursements des 24 derniers mois (${summary.reimbursementLines.length})`);
  for (const r of summary.reimbursementLines) {
    const who = [
      r.quantity ? `quantité ${r.quantity}` : undefined,
      r.prescriber ? `prescrit par ${r.prescriber}` : undefined,
      r.pharmacy,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  - ${frDate(r.date)} ${r.kindLabel} : ${r.label}${who ? ` (${who})` : ''}`);
  }
  section('Personne de confiance', undefined, summary.trustedPersons);
  section('Médecin traitant', undefined, summary.treatingPhysicians);
  section('Personnes à prévenir', undefined, summary.contacts);
  section('Directives anticipées', undefined, summary.advanceDirectives);
  return lines.join('\n');
}

/** `summary <INS> [--json]`: the emergency summary for hospital IT, read as the CLI system actor (audited). */
export function summaryCommand(args: string[], ctx: CliContext): Promise<number> {
  const options = { ...dataOptions, json: { type: 'boolean' }, 'as-of': { type: 'string' } } as const;
  return runCommand(ctx, args, options, usage, async ({ values, positionals }) => {
    const [ins, ...extra] = positionals;
    if (!ins) throw new UsageError('Indiquez l’INS du patient.');
    if (extra.length > 0) throw new UsageError(`Argument inattendu : ${extra.join(' ')}`);
    const asOf = values['as-of'] === undefined ? undefined : parseAsOf(values['as-of']);
    return withService(ctx, openRequest(values, ctx, true), async ({ service }) => {
      const insKey = await resolveInsKey(service, ins);
      const summary = await service.getSummary({ system: 'cli' }, insKey, asOf ? { asOf } : {});
      ctx.out(values.json === true ? JSON.stringify(summary, null, 2) : asText(summary));
      return exitCode.ok;
    });
  });
}
