import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DmpService } from '../src/main/dmp/dmp-service';
import { dmpMigrations } from '../src/main/dmp/migrations';
import { normaliseName } from '../src/main/dmp/names';
import { silentLogger } from '../src/main/log/logger';
import { generateStoreKey, openStore } from '../src/main/store';
import type { Statement, Store } from '../src/main/store/types';
import { summarise, type BenchResult, type BenchRow } from './types';

/**
 * Patient search by name + birth date over the real encrypted store (worker round trip included),
 * at 10 000 dossiers (quick) or 10 000 and 100 000. Names are drawn from syllables so that prefixes
 * are shared by many dossiers, as real surnames are.
 */

const syllables = [
  'MAR',
  'TIN',
  'BER',
  'NARD',
  'DU',
  'BOIS',
  'LE',
  'ROY',
  'MO',
  'REAU',
  'LAU',
  'RENT',
  'SI',
  'MON',
  'GAR',
  'NIER',
  'FAU',
  'RE',
  'CHE',
  'VAL',
  'ÉLO',
  'ÏSE',
  'BRU',
  'NO',
];
const firstNames = [
  'Jean',
  'Marie',
  'Léa',
  'Hugo',
  'Chloé',
  'Louis',
  'Inès',
  'Lucas',
  'Zoé',
  'Noé',
  'Emma',
  'Jules',
];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  name: string;
  birthDate: string;
}

function person(rand: () => number): Person {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const name = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(syllables)).join('');
  const year = 1930 + Math.floor(rand() * 95);
  const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  return { name, birthDate: `${year}-${month}-${day}` };
}

function insertStatement(index: number, p: Person, rand: () => number): Statement {
  // Synthetic test-OID matricules: unique, never a real person's NIR.
  const matricule = `1${String(index).padStart(12, '0')}00`;
  return {
    sql: `INSERT INTO dossiers (ins_key, matricule, oid, ins_status, status, birth_name, first_names, birth_date, sex,
            birth_name_norm, used_name_norm, used_name, test_identity, consent_by_id, consent_by_name, consent_at, created_at)
          VALUES (?, ?, '1.2.250.1.213.1.4.10', 'qualified', 'active', ?, ?, ?, 'U', ?, ?, ?, 1, 'bench', 'bench', '2026-01-01', '2026-01-01')`,
    params: [
      `${matricule}@1.2.250.1.213.1.4.10`,
      matricule,
      p.name,
      firstNames[Math.floor(rand() * firstNames.length)] as string,
      p.birthDate,
      normaliseName(p.name),
      // One in five has a used (married) name, searchable too.
      index % 5 === 0 ? normaliseName(`${p.name}X`) : null,
      index % 5 === 0 ? `${p.name}X` : null,
    ],
  };
}

async function populate(
  store: Store,
  from: number,
  to: number,
  rand: () => number,
  people: Person[],
): Promise<void> {
  const batch = 5_000;
  for (let start = from; start < to; start += batch) {
    const statements: Statement[] = [];
    for (let i = start; i < Math.min(to, start + batch); i++) {
      const p = person(rand);
      people.push(p);
      statements.push(insertStatement(i, p, rand));
    }
    await store.write(statements);
  }
}

async function measure(
  service: DmpService,
  people: readonly Person[],
  queries: number,
  rand: () => number,
): Promise<{ both: number[]; nameOnly: number[]; hits: number }> {
  const both: number[] = [];
  const nameOnly: number[] = [];
  let hits = 0;
  for (let q = 0; q < queries; q++) {
    const target = people[Math.floor(rand() * people.length)] as Person;
    // What a clinician types: the first letters, any case, accents or not.
    const typed = normaliseName(target.name).slice(0, 5).toLowerCase();
    let t = performance.now();
    const found = await service.searchDossiers({ name: typed, birthDate: target.birthDate });
    both.push(performance.now() - t);
    if (found.length > 0) hits++;
    t = performance.now();
    await service.searchDossiers({ name: normaliseName(target.name) });
    nameOnly.push(performance.now() - t);
  }
  return { both, nameOnly, hits };
}

export async function benchSearch(opts: { quick: boolean }): Promise<BenchResult> {
  // The target is stated at 100k dossiers, so quick mode keeps that scale and runs fewer queries.
  const scales = [10_000, 100_000];
  const queries = opts.quick ? 100 : 300;
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-bench-search-'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const rand = prng(20260101);
  const store = await openStore({
    dir,
    key: generateStoreKey(),
    migrations: dmpMigrations,
    log: silentLogger,
  });
  try {
    const service = new DmpService({ store, log: silentLogger });
    const people: Person[] = [];
    let populated = 0;
    for (const scale of scales) {
      await populate(store, populated, scale, rand, people);
      populated = scale;
      await measure(service, people, 20, rand); // warm-up
      const { both, nameOnly, hits } = await measure(service, people, queries, rand);
      const label = scale.toLocaleString('fr-FR');
      rows.push(
        summarise(`nom + date de naissance, ${label} dossiers`, 'ms', both, {
          text: 'p95 ≤ 20 ms',
          p95Max: 20,
        }),
      );
      rows.push(
        summarise(`nom complet seul (≤ 50 résultats), ${label} dossiers`, 'ms', nameOnly, {
          text: 'p95 ≤ 20 ms',
          p95Max: 20,
        }),
      );
      notes.push(
        `${label} dossiers : ${hits}/${queries} recherches nom + date ont retrouvé la personne visée (attendu : toutes).`,
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'Recherche patient (nom + date de naissance)', rows, notes };
}
