import { parseArgs } from 'node:util';
import { writePopulation } from '../../population/write-population';
import type { Store } from '../../store/types';

export interface GenerateContext {
  out: (s: string) => void;
  err: (s: string) => void;
  openService: (dataDir: string) => Promise<{ store: Store; close(): Promise<void> }>;
}

/** `generate --patients N [--seed S] [--reference-date YYYY-MM-DD] --store DIR` */
export async function generateCommand(args: string[], ctx: GenerateContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      patients: { type: 'string' },
      seed: { type: 'string', default: 'poste-dmp' },
      'reference-date': { type: 'string' },
      store: { type: 'string' },
    },
  });
  const patients = Number(values.patients);
  if (!Number.isInteger(patients) || patients < 1 || patients > 1_000_000) {
    ctx.err('Indiquez le nombre de patients : --patients N (1 à 1 000 000).');
    return 2;
  }
  const reference = values['reference-date'] ? new Date(`${values['reference-date']}T12:00:00Z`) : new Date();
  if (Number.isNaN(reference.getTime())) {
    ctx.err('Date de référence invalide (attendu : AAAA-MM-JJ).');
    return 2;
  }
  const opened = await ctx.openService(values.store!);
  try {
    const started = performance.now();
    let lastReport = 0;
    const stats = await writePopulation(opened.store, {
      patients,
      seed: values.seed!,
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
    return 0;
  } catch (error) {
    ctx.err(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await opened.close();
  }
}
