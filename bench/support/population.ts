import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { households, type PersonIdentity } from '../../src/main/population/households';
import { dataLayout } from '../../src/main/app/paths';

export interface PopulationSpec {
  patients: number;
  seed: string;
  /** The day the population is generated "as of"; fixed so runs are comparable. */
  reference: Date;
}

export interface PreparedDataDir {
  dataDir: string;
  keyFile: string;
  generationMs: number;
  /** Removes the whole temporary data folder (store, key, logs). */
  dispose(): void;
}

const generatorScript = join(import.meta.dirname, 'generate-population.ts');

/**
 * Writes the synthetic population into a fresh temporary data folder, in a child process: the
 * generator's garbage then never inflates the resident memory the bench reports for the app.
 */
export async function prepareDataDir(spec: PopulationSpec): Promise<PreparedDataDir> {
  const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-bench-ui-'));
  const dispose = (): void => rmSync(dataDir, { recursive: true, force: true });
  const started = performance.now();
  try {
    await runGenerator(dataDir, spec);
  } catch (err) {
    dispose();
    throw err;
  }
  return {
    dataDir,
    keyFile: dataLayout(dataDir).keyFile,
    generationMs: performance.now() - started,
    dispose,
  };
}

function runGenerator(dataDir: string, spec: PopulationSpec): Promise<void> {
  const args = [
    '--import',
    'tsx',
    generatorScript,
    dataDir,
    String(spec.patients),
    spec.seed,
    spec.reference.toISOString(),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `Génération de la population impossible (code ${code ?? signal ?? '?'}) : ${stderr.trim() || 'aucun détail'}`,
          ),
        );
    });
  });
}

/**
 * Adults who are alone on their Vitale card, in generation order: inserting their card opens
 * their dossier with no beneficiary to pick, which is the path the latency target is about.
 */
export function adultsAloneOnTheirCard(spec: PopulationSpec): PersonIdentity[] {
  const adultBornBefore = `${spec.reference.getUTCFullYear() - 18}${spec.reference.toISOString().slice(4, 10)}`;
  const found: PersonIdentity[] = [];
  for (const household of households(spec.seed, spec.patients, spec.reference)) {
    const only = household.members.length === 1 ? household.members[0] : undefined;
    if (only && only.birthDate <= adultBornBefore) found.push(only);
  }
  return found;
}

/** `count` people spread evenly over the list, so samples do not all come from the first households. */
export function spreadSample<T>(items: readonly T[], count: number): T[] {
  if (items.length < count)
    throw new Error(`Pas assez de patients éligibles : ${items.length} pour ${count} mesures.`);
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T);
}

/** Bytes under a folder (the store's snapshot, previous snapshot and journals). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}
