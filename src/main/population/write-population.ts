import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type {
  ClinicalEntriesTable,
  DocumentsTable,
  DossiersTable,
  IdentityReferenceTable,
} from '../db/database';
import { sqlFor, type DmpSql } from '../db/query-builder';
import type { Statement, Store } from '../store/types';
import { categoryForTypeCode, typeLabel } from '../domain/document-types';
import { normaliseName } from '../dmp/names';
import { referenceRow, referenceRowInsert } from '../identity/identity-reference';
import { households, TEST_INS_OID, type PersonIdentity } from './households';
import { clinicalRecord, type SyntheticDocument } from './clinical';

export interface PopulationRowsOptions {
  patients: number;
  seed: string;
  /** The day the population is generated "as of": dates are relative to it. */
  reference: Date;
  /**
   * Which dossiers (0-based, in generation order) get their documents and clinical entries; all by
   * default. The host bench loads identities for a million people and clinical content for a fraction.
   */
  clinicalContent?: (dossier: number) => boolean;
}

export interface PopulationOptions extends PopulationRowsOptions {
  /** Statements per durable transaction. */
  batchSize?: number;
  onProgress?: (done: number) => void;
}

export interface PopulationStats {
  dossiers: number;
  households: number;
  documents: number;
  entries: number;
}

/** The tables a population fills, parents before children (foreign keys). */
export const populationTables = ['identity_reference', 'dossiers', 'documents', 'clinical_entries'] as const;
export type PopulationTable = (typeof populationTables)[number];

/** One row to store, in the table's own column names (sealed columns still in clear). */
export type PopulationRow =
  | { table: 'identity_reference'; row: IdentityReferenceTable }
  | { table: 'dossiers'; row: Insertable<DossiersTable> }
  | { table: 'documents'; row: Insertable<DocumentsTable> }
  | { table: 'clinical_entries'; row: Insertable<ClinicalEntriesTable> };

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * The rows of a synthetic population, one household at a time (parents before children within
 * it): what `writePopulation` writes through the store, and what the host bench bulk-loads with
 * COPY, so both hold the same data.
 */
export function* populationRows(options: PopulationRowsOptions): Generator<PopulationRow[]> {
  const now = options.reference.toISOString();
  let dossier = 0;
  for (const household of households(options.seed, options.patients, options.reference)) {
    const rows: PopulationRow[] = [];
    household.members.forEach((person, m) => {
      // Twins share a birth date on one card: the birth rank tells them apart, as on a real Vitale.
      const birthRank =
        1 + household.members.slice(0, m).filter((other) => other.birthDate === person.birthDate).length;
      rows.push({
        table: 'identity_reference',
        row: referenceRow({
          matricule: person.matricule,
          oid: TEST_INS_OID,
          birthName: person.birthName,
          firstNames: person.firstNames,
          birthDate: person.birthDate,
          sex: person.sex,
          birthPlaceCode: person.birthPlaceCode,
          cardNir: household.ouvrantDroit.matricule,
          birthRank,
        }),
      });
      rows.push({ table: 'dossiers', row: dossierRow(person, now) });
      const withClinicalContent = options.clinicalContent?.(dossier) ?? true;
      dossier++;
      if (!withClinicalContent) return;
      clinicalRecord(options.seed, person, options.reference).forEach((doc, d) => {
        const docId = `gen-${person.matricule}-d${d}`;
        rows.push({ table: 'documents', row: documentRow(person, doc, docId, now) });
        doc.entries.forEach((entry, e) => {
          rows.push({
            table: 'clinical_entries',
            row: {
              id: `${docId}-e${e}`,
              document_id: docId,
              ins_key: insKey(person),
              kind: entry.kind,
              label: entry.item.label,
              code: entry.item.code,
              code_system: entry.item.system,
              code_display: entry.item.label,
              detail: entry.item.detail ?? null,
              start_date: entry.date,
              status: entry.status ?? null,
              author: doc.author.name,
              reimbursement_kind: entry.reimbursementKind ?? null,
              position: e,
            },
          });
        });
      });
    });
    yield rows;
  }
}

/**
 * Writes a synthetic population through the normal store API (durable transactions), in the DMP
 * schema, so the app and the CLI open it like any other store. Refuses a store that holds dossiers.
 */
export async function writePopulation(store: Store, options: PopulationOptions): Promise<PopulationStats> {
  const q = sqlFor(store);
  const existing = await q.first(
    store,
    q.db.selectFrom('dossiers').select((eb) => eb.fn.countAll().as('n')),
  );
  // PostgreSQL counts in bigint: compare as a number whatever the driver hands back.
  if (Number(existing?.n ?? 0) > 0) {
    throw new Error(
      'Ce magasin contient déjà des dossiers : la génération se fait dans un dossier de données vide.',
    );
  }
  const stats: PopulationStats = { dossiers: 0, households: 0, documents: 0, entries: 0 };
  const batchSize = options.batchSize ?? 3000;
  let batch: Statement[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await store.write(batch);
    batch = [];
    options.onProgress?.(stats.dossiers);
  };

  for (const household of populationRows(options)) {
    stats.households++;
    for (const item of household) batch.push(insertStatement(q, item, stats));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return stats;
}

function insertStatement(q: DmpSql, item: PopulationRow, stats: PopulationStats): Statement {
  switch (item.table) {
    case 'identity_reference':
      return referenceRowInsert(q, item.row);
    case 'dossiers':
      stats.dossiers++;
      return q.insert(item.table, item.row);
    case 'documents':
      stats.documents++;
      return q.insert(item.table, item.row);
    case 'clinical_entries':
      stats.entries++;
      return q.insert(item.table, item.row);
  }
}

const insKey = (person: PersonIdentity): string => `${person.matricule}@${TEST_INS_OID}`;

function dossierRow(person: PersonIdentity, now: string): Insertable<DossiersTable> {
  return {
    ins_key: insKey(person),
    matricule: person.matricule,
    oid: TEST_INS_OID,
    ins_status: 'qualified',
    status: 'active',
    birth_name: person.birthName,
    used_name: person.usedName ?? null,
    first_names: person.firstNames,
    birth_date: person.birthDate,
    sex: person.sex,
    birth_place_code: person.birthPlaceCode,
    birth_name_norm: normaliseName(person.birthName),
    used_name_norm: person.usedName ? normaliseName(person.usedName) : null,
    test_identity: 1,
    consent_by_id: 'generator',
    consent_by_name: 'Générateur de population synthétique',
    consent_at: now,
    created_at: now,
  };
}

function documentRow(
  person: PersonIdentity,
  doc: SyntheticDocument,
  id: string,
  now: string,
): Insertable<DocumentsTable> {
  const lines = [
    `${doc.title} — ${typeLabel(doc.typeCode)}`,
    `Date : ${doc.date}`,
    `Auteur : ${doc.author.name}`,
    `Document synthétique ${id}`,
  ];
  for (const entry of doc.entries.slice(0, 50)) lines.push(`- ${entry.item.label} (${entry.date})`);
  const content = new TextEncoder().encode(lines.join('\n'));
  return {
    id,
    ins_key: insKey(person),
    title: doc.title,
    type_code: doc.typeCode,
    category: categoryForTypeCode(doc.typeCode),
    format: 'text',
    media_type: 'text/plain',
    author_name: doc.author.name,
    author_id: doc.author.id,
    author_profession: doc.author.profession,
    document_date: doc.date,
    deposited_at: now,
    deposited_by: 'generator',
    status: 'approved',
    visibility: 1,
    version: 1,
    content,
    content_sha256: sha256(content),
  };
}
