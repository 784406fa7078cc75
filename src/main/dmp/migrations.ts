import { sql } from 'kysely';
import { auditKeyMarkerMigration, auditMacMigration, auditSchemaMigration } from '../audit/schema';
import { binaryColumnType } from '../db/dialect';
import type { ClinicalEntriesTable } from '../db/database';
import { migration, type MigrationStep } from '../db/migration';
import type { QueryBuilder } from '../db/query-builder';
import type { Migration, SqlDialect } from '../store/types';
import { hostRequestsMigration } from '../store/host-requests';
import { fieldSealingMigration } from '../store/pg/sealing-marker';

/** A CHECK that `column` holds one of `values` (compiled as literals: DDL has no parameters). */
function oneOf(column: string, values: readonly string[]) {
  return sql<boolean>`${sql.ref(column)} IN (${sql.join(values.map((v) => sql.lit(v)))})`;
}

const sexes = ['M', 'F', 'U'] as const;

/**
 * DMP schema. Names are kept twice: as written (for display) and normalised (upper case, no
 * accents) so the search can use an index instead of scanning every dossier.
 */
function dossiersSchema(db: QueryBuilder): MigrationStep[] {
  return [
    db.schema
      .createTable('dossiers')
      .addColumn('ins_key', 'text', (c) => c.primaryKey())
      .addColumn('matricule', 'text', (c) => c.notNull())
      .addColumn('oid', 'text', (c) => c.notNull())
      .addColumn('ins_status', 'text', (c) =>
        c.notNull().check(oneOf('ins_status', ['provisional', 'fetched', 'qualified'])),
      )
      .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', ['active', 'closed'])))
      .addColumn('birth_name', 'text', (c) => c.notNull())
      .addColumn('used_name', 'text')
      .addColumn('first_names', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull().check(oneOf('sex', sexes)))
      .addColumn('birth_place_code', 'text')
      .addColumn('birth_name_norm', 'text', (c) => c.notNull())
      .addColumn('used_name_norm', 'text')
      .addColumn('test_identity', 'integer', (c) => c.notNull())
      .addColumn('consent_by_id', 'text', (c) => c.notNull())
      .addColumn('consent_by_name', 'text', (c) => c.notNull())
      .addColumn('consent_at', 'text', (c) => c.notNull())
      .addColumn('bris_de_glace_opposition', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('centre15_opposition', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('treating_physician_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('closed_reason', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('access_login', 'text')
      .addColumn('access_code_hash', 'text')
      .addColumn('access_code_expires_at', 'text')
      .addUniqueConstraint('dossiers_matricule_oid_key', ['matricule', 'oid']),
    db.schema.createIndex('dossiers_by_birth_name').on('dossiers').columns(['birth_name_norm', 'birth_date']),
    db.schema.createIndex('dossiers_by_used_name').on('dossiers').columns(['used_name_norm', 'birth_date']),
    db.schema.createIndex('dossiers_by_birth_date').on('dossiers').columns(['birth_date', 'birth_name_norm']),
    db.schema.createIndex('dossiers_by_matricule').on('dossiers').column('matricule'),
    db.schema
      .createTable('dossier_professionals')
      .addColumn('ins_key', 'text', (c) => c.notNull().references('dossiers.ins_key').onDelete('cascade'))
      .addColumn('national_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull().check(oneOf('relation', ['authorized', 'blocked'])))
      .addColumn('since', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dossier_professionals_pkey', ['ins_key', 'national_id']),
  ];
}

function documentsSchema(db: QueryBuilder, dialect: SqlDialect): MigrationStep[] {
  return [
    db.schema
      .createTable('documents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ins_key', 'text', (c) => c.notNull().references('dossiers.ins_key').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('type_code', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) =>
        c.notNull().check(oneOf('format', ['cda-structured', 'cda-unstructured', 'pdf', 'text'])),
      )
      .addColumn('media_type', 'text')
      .addColumn('author_name', 'text')
      .addColumn('author_id', 'text')
      .addColumn('author_profession', 'text')
      .addColumn('document_date', 'text')
      .addColumn('deposited_at', 'text', (c) => c.notNull())
      .addColumn('deposited_by', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(oneOf('status', ['approved', 'obsolete', 'archived'])),
      )
      .addColumn('visibility', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('replaces_id', 'text')
      .addColumn('set_id', 'text')
      .addColumn('cda_id', 'text')
      .addColumn('content', binaryColumnType(dialect), (c) => c.notNull())
      // What an unstructured CDA wraps (PDF, text…), kept apart so reading it needs no re-parse.
      .addColumn('payload', binaryColumnType(dialect))
      .addColumn('content_sha256', 'text', (c) => c.notNull())
      .addUniqueConstraint('documents_ins_key_content_sha256_key', ['ins_key', 'content_sha256']),
    db.schema
      .createIndex('documents_by_dossier')
      .on('documents')
      .columns(['ins_key', 'status', 'document_date']),
    db.schema.createIndex('documents_by_set').on('documents').columns(['ins_key', 'set_id']),
    db.schema
      .createTable('document_sections')
      .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('title', 'text')
      .addColumn('narrative_html', 'text', (c) => c.notNull())
      .addColumn('entry_count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('document_sections_pkey', ['document_id', 'position']),
    ...clinicalEntriesSchema(db, 'clinical_entries', entryKindsV2, false),
  ];
}

const entryKindsV2 = [
  'allergy',
  'medication',
  'problem',
  'immunization',
  'reimbursement',
  'contact',
  'advanceDirective',
] as const;
const entryKindsV5 = [
  ...entryKindsV2,
  'device',
  'procedure',
  'riskFactor',
  'labResult',
  'noneKnown',
] as const;

/** `clinical_entries` as created by migration 2 and rebuilt by migration 5 (more kinds, a `data` column), with its indexes. */
function clinicalEntriesSchema(
  db: QueryBuilder,
  table: string,
  kinds: readonly string[],
  withData: boolean,
): MigrationStep[] {
  const create = db.schema
    .createTable(table)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('ins_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', kinds)))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('code_system', 'text')
    .addColumn('code_display', 'text')
    .addColumn('detail', 'text')
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('status', 'text')
    .addColumn('author', 'text')
    .addColumn('reimbursement_kind', 'text')
    .addColumn('section_code', 'text')
    .addColumn('position', 'integer', (c) => c.notNull());
  return [withData ? create.addColumn('data', 'text') : create];
}

function clinicalEntriesIndexes(db: QueryBuilder): MigrationStep[] {
  return [
    db.schema.createIndex('clinical_entries_by_dossier').on('clinical_entries').columns(['ins_key', 'kind']),
    db.schema.createIndex('clinical_entries_by_document').on('clinical_entries').column('document_id'),
  ];
}

/**
 * Identity vigilance (RNIV): the identity reference (the INSi stand-in, its own tables), whether an
 * identity document was checked (validée / qualifiée), and a minor's legal representatives, who
 * give consent in the minor's name. CHECK constraints cannot be altered in SQLite without
 * rebuilding `dossiers` (whose cascades would empty the documents), so the RNIV status is derived
 * from `ins_status` (where the INS came from) and `identity_verified`.
 */
function identitySchema(db: QueryBuilder): MigrationStep[] {
  return [
    db.schema
      .createTable('identity_reference')
      .addColumn('matricule', 'text', (c) => c.notNull())
      .addColumn('oid', 'text', (c) => c.notNull())
      .addColumn('birth_name', 'text', (c) => c.notNull())
      .addColumn('first_names', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull().check(oneOf('sex', sexes)))
      .addColumn('birth_place_code', 'text', (c) => c.notNull())
      .addColumn('birth_name_norm', 'text', (c) => c.notNull())
      .addColumn('first_name_norm', 'text', (c) => c.notNull())
      .addColumn('card_nir', 'text')
      .addColumn('birth_rank', 'integer')
      .addPrimaryKeyConstraint('identity_reference_pkey', ['matricule', 'oid']),
    db.schema
      .createIndex('identity_reference_by_card')
      .on('identity_reference')
      .columns(['card_nir', 'birth_date']),
    db.schema
      .createIndex('identity_reference_by_traits')
      .on('identity_reference')
      .columns(['birth_name_norm', 'birth_date']),
    db.schema
      .alterTable('dossiers')
      .addColumn('identity_verified', 'integer', (c) => c.notNull().defaultTo(0)),
    db.schema
      .alterTable('dossiers')
      .addColumn('consent_given_by', 'text', (c) => c.notNull().defaultTo('patient')),
    db.schema
      .createTable('dossier_legal_representatives')
      .addColumn('ins_key', 'text', (c) => c.notNull().references('dossiers.ins_key').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_names', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dossier_legal_representatives_pkey', ['ins_key', 'position']),
  ];
}

/** The columns of `clinical_entries` before migration 5, copied over by its rebuild. */
const entryColumnsV2 = [
  'id',
  'document_id',
  'ins_key',
  'kind',
  'label',
  'code',
  'code_system',
  'code_display',
  'detail',
  'start_date',
  'end_date',
  'status',
  'author',
  'reimbursement_kind',
  'section_code',
  'position',
] as const;

/**
 * Issue 10: new entry kinds (devices, procedures, risk factors, lab results, « nothing known »
 * statements) and a JSON `data` column for what a row of fixed columns cannot hold (labelled facts,
 * negation, lab value, contact role…). SQLite cannot relax a CHECK in place, so the table is rebuilt
 * (the same steps on PostgreSQL, where one set of migrations is simpler than two); existing rows
 * keep `data` NULL and are read as before.
 */
function clinicalEntriesV5Schema(db: QueryBuilder): MigrationStep[] {
  const withV5 = db.withTables<{ clinical_entries_v5: ClinicalEntriesTable }>();
  return [
    ...clinicalEntriesSchema(db, 'clinical_entries_v5', entryKindsV5, true),
    withV5
      .insertInto('clinical_entries_v5')
      .columns([...entryColumnsV2])
      .expression(withV5.selectFrom('clinical_entries').select([...entryColumnsV2])),
    db.schema.dropTable('clinical_entries'),
    db.schema.alterTable('clinical_entries_v5').renameTo('clinical_entries'),
    ...clinicalEntriesIndexes(db),
  ];
}

/**
 * Logical deletion (a deleted document stays for the legal retention period, hidden from every list) and
 * the author's structure, so an establishment's documents can be managed by the establishment.
 */
function documentWritesSchema(db: QueryBuilder): MigrationStep[] {
  return ['author_structure_id', 'deleted_at', 'deleted_by'].map((column) =>
    db.schema.alterTable('documents').addColumn(column, 'text'),
  );
}

/**
 * One dossier per person: the creation check refuses a second dossier for a matricule already
 * known under any OID, but hosts sharing a database can both pass that check before either writes;
 * this index makes the second write fail instead (answered as CONFLICT, like the check).
 */
function onePerMatriculeSchema(db: QueryBuilder): MigrationStep[] {
  return [
    db.schema.dropIndex('dossiers_by_matricule'),
    db.schema.createIndex('dossiers_one_per_matricule').on('dossiers').column('matricule').unique(),
  ];
}

/**
 * The extraction rules' version each document's sections and entries were derived with
 * (src/main/cda/extraction-version.ts). Rows already stored get 0, « unknown, older than any
 * version »: `reextract` (reextraction.ts) re-derives them from their stored content. Indexed: the
 * count made at every start reads the index, not the rows (in SQLite a column added last sits after
 * the document's content, which a table scan would read through).
 */
function extractionVersionSchema(db: QueryBuilder): MigrationStep[] {
  return [
    db.schema
      .alterTable('documents')
      .addColumn('extraction_version', 'integer', (c) => c.notNull().defaultTo(0)),
    db.schema
      .createIndex('documents_by_extraction_version')
      .on('documents')
      .columns(['extraction_version', 'format']),
  ];
}

export const dmpMigrations: Migration[] = [
  migration(1, 'dmp-dossiers', dossiersSchema),
  migration(2, 'dmp-documents', (db, dialect) => [
    ...documentsSchema(db, dialect),
    ...clinicalEntriesIndexes(db),
  ]),
  auditSchemaMigration(3),
  migration(4, 'identity-vigilance', identitySchema),
  migration(5, 'clinical-entries-v5', clinicalEntriesV5Schema),
  auditMacMigration(6),
  migration(7, 'document-logical-deletion', documentWritesSchema),
  hostRequestsMigration(8),
  migration(9, 'dossiers-one-per-matricule', onePerMatriculeSchema),
  fieldSealingMigration(10),
  auditKeyMarkerMigration(11),
  migration(12, 'documents-extraction-version', extractionVersionSchema),
];
