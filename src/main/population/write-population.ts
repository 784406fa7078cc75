import { createHash } from 'node:crypto';
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
  const existing = await store.all<{ n: number }>('SELECT COUNT(*) AS n FROM dossiers');
  if ((existing[0]?.n ?? 0) > 0) {
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
        referenceInsertStatement({
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
      batch.push(dossierInsert(person, now));
      stats.dossiers++;
      clinicalRecord(options.seed, person, options.reference).forEach((doc, d) => {
        const docId = `gen-${person.matricule}-d${d}`;
        batch.push(documentInsert(person, doc, docId, now));
        stats.documents++;
        doc.entries.forEach((entry, e) => {
          batch.push({
            sql: `INSERT INTO clinical_entries (id, document_id, ins_key, kind, label, code, code_system, code_display, detail, start_date, status, author, reimbursement_kind, position)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            params: [
              `${docId}-e${e}`,
              docId,
              insKey(person),
              entry.kind,
              entry.item.label,
              entry.item.code,
              entry.item.system,
              entry.item.label,
              entry.item.detail ?? null,
              entry.date,
              entry.status ?? null,
              doc.author.name,
              entry.reimbursementKind ?? null,
              e,
            ],
          });
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

function dossierInsert(person: PersonIdentity, now: string): Statement {
  return {
    sql: `INSERT INTO dossiers (ins_key, matricule, oid, ins_status, status, birth_name, used_name, first_names, birth_date, sex,
            birth_place_code, birth_name_norm, used_name_norm, test_identity, consent_by_id, consent_by_name, consent_at, created_at)
          VALUES (?, ?, ?, 'qualified', 'active', ?, ?, ?, ?, ?, ?, ?, ?, 1, 'generator', 'Générateur de population synthétique', ?, ?)`,
    params: [
      insKey(person),
      person.matricule,
      TEST_INS_OID,
      person.birthName,
      person.usedName ?? null,
      person.firstNames,
      person.birthDate,
      person.sex,
      person.birthPlaceCode,
      normaliseName(person.birthName),
      person.usedName ? normaliseName(person.usedName) : null,
      now,
      now,
    ],
  };
}

function documentInsert(person: PersonIdentity, doc: SyntheticDocument, id: string, now: string): Statement {
  const lines = [
    `${doc.title} — ${typeLabel(doc.typeCode)}`,
    `Date : ${doc.date}`,
    `Auteur : ${doc.author.name}`,
    `Document synthétique ${id}`,
  ];
  for (const entry of doc.entries.slice(0, 50)) lines.push(`- ${entry.item.label} (${entry.date})`);
  const content = new TextEncoder().encode(lines.join('\n'));
  return {
    sql: `INSERT INTO documents (id, ins_key, title, type_code, category, format, media_type, author_name, author_id, author_profession,
            document_date, deposited_at, deposited_by, status, visibility, version, content, content_sha256)
          VALUES (?, ?, ?, ?, ?, 'text', 'text/plain', ?, ?, ?, ?, ?, 'generator', 'approved', 1, 1, ?, ?)`,
    params: [
      id,
      insKey(person),
      doc.title,
      doc.typeCode,
      categoryForTypeCode(doc.typeCode),
      doc.author.name,
      doc.author.id,
      doc.author.profession,
      doc.date,
      now,
      content,
      sha256(content),
    ],
  };
}
