import { Random } from './random';
import {
  acts,
  acuteMedicines,
  allergies,
  chronicConditions,
  documentTypes,
  vaccines,
  type CatalogItem,
} from './catalog';
import type { PersonIdentity } from './households';

export interface SyntheticEntry {
  kind: 'allergy' | 'medication' | 'problem' | 'immunization' | 'reimbursement';
  item: CatalogItem;
  date: string;
  reimbursementKind?: 'medicine' | 'act' | 'vaccine';
  status?: string;
}

export interface SyntheticDocument {
  typeCode: string;
  title: string;
  date: string;
  author: { name: string; id: string; profession: string };
  /** Entries this document is the source of (summary, vaccination note, reimbursement history). */
  entries: SyntheticEntry[];
}

const doctors = [
  { name: 'Dr Claire MOREAU', id: '810000000010', profession: '10' },
  { name: 'Dr Paul LEROY', id: '810000000028', profession: '10' },
  { name: 'Dr Sonia BENALI', id: '810000000036', profession: '10' },
  { name: 'Dr Marc ROUSSEL', id: '810000000044', profession: '10' },
];
const CNAM = { name: 'Assurance Maladie', id: 'CNAM', profession: 'ORG' };

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysBefore(reference: Date, days: number): string {
  return isoDay(new Date(reference.getTime() - days * 86_400_000));
}

function ageAt(person: PersonIdentity, reference: Date): number {
  return reference.getUTCFullYear() - Number(person.birthDate.slice(0, 4));
}

/**
 * One person's medical record: chronic conditions by age and prevalence, their treatments and
 * monthly dispensings over 24 months (dozens to hundreds of reimbursement lines for chronic
 * patients), allergies, vaccinations, and 0–40 documents (most people have a few).
 */
export function clinicalRecord(seed: string, person: PersonIdentity, reference: Date): SyntheticDocument[] {
  const rng = new Random(`${seed}:clinical:${person.matricule}`);
  const age = ageAt(person, reference);
  const gp = rng.pick(doctors);
  const conditions = chronicConditions.filter(
    (c) => age >= c.minAge && rng.chance(c.prevalence * Math.min(2, 0.5 + age / 60)),
  );
  const summary: SyntheticEntry[] = [];
  for (const condition of conditions) {
    const since = daysBefore(reference, rng.int(200, 4000));
    summary.push({ kind: 'problem', item: condition.problem, date: since, status: 'active' });
    for (const treatment of condition.treatments)
      summary.push({ kind: 'medication', item: treatment, date: since, status: 'active' });
  }
  const allergyCount = rng.weighted([
    [0, 80],
    [1, 15],
    [2, 5],
  ] as const);
  for (let i = 0; i < allergyCount; i++) {
    summary.push({
      kind: 'allergy',
      item: rng.weighted(allergies),
      date: daysBefore(reference, rng.int(100, 6000)),
      status: 'active',
    });
  }

  const documents: SyntheticDocument[] = [];
  if (summary.length > 0 || rng.chance(0.3)) {
    documents.push({
      typeCode: '60591-5',
      title: 'Synthèse médicale',
      date: daysBefore(reference, rng.int(10, 300)),
      author: gp,
      entries: summary,
    });
  }

  const hasVaccinationRecord = rng.chance(0.6);
  const immunizations: SyntheticEntry[] = vaccines
    .filter(() => hasVaccinationRecord && rng.chance(0.45))
    .map((item) => ({ kind: 'immunization' as const, item, date: daysBefore(reference, rng.int(30, 3000)) }));
  if (immunizations.length > 0) {
    documents.push({
      typeCode: '11369-6',
      title: 'Historique des vaccinations',
      date: daysBefore(reference, rng.int(5, 200)),
      author: gp,
      entries: immunizations,
    });
  }

  const reimbursements: SyntheticEntry[] = [];
  for (const condition of conditions) {
    for (const treatment of condition.treatments) {
      // Long-term treatments come in one-month or three-month boxes.
      const everyMonths = rng.chance(0.35) ? 1 : 3;
      for (let month = 0; month < 24; month += everyMonths) {
        if (rng.chance(0.92)) {
          reimbursements.push({
            kind: 'reimbursement',
            item: treatment,
            date: daysBefore(reference, month * 30 + rng.int(0, 25)),
            reimbursementKind: 'medicine',
          });
        }
      }
    }
  }
  const acute = rng.chance(0.4) ? 0 : rng.int(1, 6);
  for (let i = 0; i < acute; i++) {
    reimbursements.push({
      kind: 'reimbursement',
      item: rng.pick(acuteMedicines),
      date: daysBefore(reference, rng.int(0, 720)),
      reimbursementKind: 'medicine',
    });
  }
  const visits = conditions.length > 0 ? rng.int(2, 12) : rng.chance(0.4) ? 0 : rng.int(1, 4);
  for (let i = 0; i < visits; i++) {
    reimbursements.push({
      kind: 'reimbursement',
      item: rng.pick(acts),
      date: daysBefore(reference, rng.int(0, 720)),
      reimbursementKind: 'act',
    });
  }
  if (reimbursements.length > 0) {
    reimbursements.sort((a, b) => (a.date < b.date ? 1 : -1));
    documents.push({
      typeCode: 'REMB',
      title: 'Historique des remboursements',
      date: isoDay(reference),
      author: CNAM,
      entries: reimbursements,
    });
  }

  // Other documents: most people have a few, some patients have dozens (at most 40 in all).
  const extra = Math.min(
    40 - documents.length,
    Math.floor(-Math.log(1 - rng.next()) * (conditions.length > 0 ? 6 : 2)),
  );
  for (let i = 0; i < extra; i++) {
    const type = rng.weighted(documentTypes);
    documents.push({
      typeCode: type.code,
      title: type.title,
      date: daysBefore(reference, rng.int(1, 1500)),
      author: rng.pick(doctors),
      entries: [],
    });
  }
  return documents;
}
