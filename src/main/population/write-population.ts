import { createHash } from 'node:crypto';
import { sqlFor, type DmpSql } from '../db/query-builder';
import type { Statement, Store } from '../store/types';
import { categoryForTypeCode, typeLabel } from '../domain/document-types';
import { normaliseName } from '../dmp/names';
import { referenceInsertStatement } from '../identity/identity-reference';
import { households, TEST_INS_OID, type PersonIdentity } from './households';
import { clinicalRecord, type SyntheticDocument } from './clinical';

export interface PopulationOptions {
  patients: number;
  seed: string;
  /** The day the population is generated "as of": dates are relative to it. */
  reference: Date;
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

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

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
  const now = options.reference.toISOString();
  let batch: Statement[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await store.write(batch);
    batch = [];
    options.onProgress?.(stats.dossiers);
  };

  for (const household of households(options.seed, options.patients, options.reference)) {
    stats.households++;
    household.members.forEach((person, m) => {
      // Twins share a birth date on one card: the birth rank tells them apart, as on a real Vitale.
      const birthRank =
        1 + household.members.slice(0, m).filter((other) => other.birthDate === person.birthDate).length;
      batch.push(
        referenceInsertStatement(q, {
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
      );
      batch.push(dossierInsert(q, person, now));
      stats.dossiers++;
      clinicalRecord(options.seed, person, options.reference).forEach((doc, d) => {
        const docId = `gen-${person.matricule}-d${d}`;
        batch.push(documentInsert(q, person, doc, docId, now));
        stats.documents++;
        doc.entries.forEach((entry, e) => {
          batch.push(
            q.insert('clinical_entries', {
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
            }),
          );
          stats.entries++;
        });
      });
    });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return stats;
}

const insKey = (person: PersonIdentity): string => `${person.matricule}@${TEST_INS_OID}`;

function dossierInsert(q: DmpSql, person: PersonIdentity, now: string): Statement {
  return q.insert('dossiers', {
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
  });
}

function documentInsert(
  q: DmpSql,
  person: PersonIdentity,
  doc: SyntheticDocument,
  id: string,
  now: string,
): Statement {
  const lines = [
    `${doc.title} — ${typeLabel(doc.typeCode)}`,
    `Date : ${doc.date}`,
    `Auteur : ${doc.author.name}`,
    `Document synthétique ${id}`,
  ];
  for (const entry of doc.entries.slice(0, 50)) lines.push(`- ${entry.item.label} (${entry.date})`);
  const content = new TextEncoder().encode(lines.join('\n'));
  return q.insert('documents', {
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
  });
}
