import {
  dataOptions,
  exitCode,
  openRequest,
  runCommand,
  UsageError,
  withService,
  type CliContext,
} from '../cli-context';

/**
 * The date the synthetic records are dated from when `--reference-date` is not given. Fixed, so the
 * same seed gives the same population whatever day it runs (documented in README.md).
 */
export const defaultReferenceDate = '2026-01-01';
const defaultSeed = 'poste-dmp';

const usage =
  `Usage : generate --patients N [--seed S] [--reference-date AAAA-MM-JJ] [--data DOSSIER] [--wait [SECONDES]]\n` +
  `  (graine par défaut « ${defaultSeed} », date de référence par défaut ${defaultReferenceDate} : même graine et même date, même population)`;

function parseReferenceDate(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(NaN);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError('Option --reference-date : date attendue au format AAAA-MM-JJ.');
  }
  return date;
}

/** `generate --patients N [--seed S] [--reference-date AAAA-MM-JJ]`: a deterministic synthetic population. */
export function generateCommand(args: string[], ctx: CliContext): Promise<number> {
  const options = {
    ...dataOptions,
    patients: { type: 'string' },
    seed: { type: 'string' },
    'reference-date': { type: 'string' },
  } as const;
  return runCommand(ctx, args, options, usage, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`Argument inattendu : ${positionals.join(' ')}`);
    const patients = Number(values.patients);
    if (
      values.patients === undefined ||
      !/^\d+$/.test(values.patients) ||
      patients < 1 ||
      patients > 1_000_000
    ) {
      throw new UsageError('Indiquez le nombre de patients : --patients N (1 à 1 000 000).');
    }
    const reference = parseReferenceDate(values['reference-date'] ?? defaultReferenceDate);
    const seed = values.seed ?? defaultSeed;
    return withService(ctx, openRequest(values, ctx, false), async ({ store }) => {
      // Loaded here: `index.ts` reads this module for the usage text, and every start would pay for it.
      const { writePopulation } = await import('../../population/write-population');
      const started = performance.now();
      let lastReport = 0;
      const stats = await writePopulation(store, {
        patients,
        seed,
        reference,
        onProgress: (done) => {
          if (done - lastReport >= 10_000) {
            lastReport = done;
            ctx.err(`… ${done} dossiers`);
          }
        },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      ctx.out(
        `Population générée : ${stats.dossiers} dossiers (${stats.households} foyers), ${stats.documents} documents, ${stats.entries} entrées cliniques en ${seconds} s.`,
      );
      return exitCode.ok;
    });
  });
}
