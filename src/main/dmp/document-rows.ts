import type { ClinicalEntry, DocumentMeta, Provenance, Visibility } from '../../shared/contract';
import type { Selectable } from 'kysely';
import type { ClinicalEntriesTable, DocumentsTable } from '../db/database';
import { toDocumentCategory } from '../domain/categories';
import { kindForTypeCode, typeLabel } from '../domain/document-types';
import type { DocumentFacts } from '../domain/access-policy';
import type { DocumentAuthorship } from '../domain/write-policy';
import { decodeVisibility } from '../domain/visibility';
import { looksLikeCode, statusLabel } from '../cda/entries/labels';
import { decodeEntryData } from './entry-data';

export const documentColumns = [
  'id',
  'ins_key',
  'title',
  'type_code',
  'category',
  'format',
  'media_type',
  'author_name',
  'author_id',
  'author_profession',
  'document_date',
  'deposited_at',
  'status',
  'visibility',
  'version',
  'replaces_id',
  'set_id',
  'author_structure_id',
  'deleted_at',
] as const;

/** What the DMP reads of a document, contents aside (`deleted_at` set: kept for the retention period, hidden from every reader). */
export type DocumentRow = Pick<Selectable<DocumentsTable>, (typeof documentColumns)[number]>;

export function toDocumentMeta(row: DocumentRow, insKey: string): DocumentMeta {
  return {
    id: row.id,
    insKey,
    title: row.title,
    typeCode: row.type_code,
    typeLabel: typeLabel(row.type_code),
    category: row.category,
    format: row.format,
    ...(row.author_name ? { author: row.author_name } : {}),
    ...(row.author_profession ? { authorProfession: row.author_profession } : {}),
    ...(row.document_date ? { date: row.document_date } : {}),
    depositedAt: row.deposited_at,
    status: row.status,
    visibility: decodeVisibility(Number(row.visibility)),
    version: Number(row.version),
    ...(row.replaces_id ? { replacesId: row.replaces_id } : {}),
  };
}

export function toDocumentFacts(row: DocumentRow): DocumentFacts {
  const kind = kindForTypeCode(row.type_code);
  return {
    category: toDocumentCategory(row.category),
    status: row.status,
    visibility: decodeVisibility(Number(row.visibility)) satisfies Visibility,
    ...(row.author_id ? { authorId: row.author_id } : {}),
    ...(kind ? { kind } : {}),
  };
}

export function toDocumentAuthorship(row: DocumentRow): DocumentAuthorship {
  return {
    ...(row.author_id ? { authorId: row.author_id } : {}),
    ...(row.author_structure_id ? { authorStructureId: row.author_structure_id } : {}),
    deleted: row.deleted_at !== null,
  };
}

export const entryColumns = [
  'id',
  'document_id',
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
  'data',
] as const;

export type EntryRow = Pick<Selectable<ClinicalEntriesTable>, (typeof entryColumns)[number]>;

/**
 * An entry with where it came from, so a clinician can check it against its source document. A status
 * stored by an older version as a raw code (« G-A397 », « completed ») is shown in French or not at all.
 */
export function toClinicalEntry(row: EntryRow, source: DocumentRow): ClinicalEntry {
  const data = decodeEntryData(row.data);
  const status = row.status ? (looksLikeCode(row.status) ? statusLabel(row.status) : row.status) : undefined;
  const provenance = { ...provenanceOf(row, source), ...(data.anchor ? { anchor: data.anchor } : {}) };
  return {
    id: row.id,
    label: row.label,
    ...(row.code
      ? {
          code: {
            code: row.code,
            ...(row.code_system ? { system: row.code_system } : {}),
            ...(row.code_display ? { display: row.code_display } : {}),
          },
        }
      : {}),
    ...(row.detail ? { detail: row.detail } : {}),
    ...(row.start_date ? { startDate: row.start_date } : {}),
    ...(row.end_date ? { endDate: row.end_date } : {}),
    ...(data.facts ? { facts: data.facts } : {}),
    ...(status ? { status } : {}),
    ...(data.severity ? { severity: data.severity } : {}),
    ...(data.negated ? { negated: true } : {}),
    ...(row.author ? { author: row.author } : {}),
    provenance,
    sources: [provenance],
  };
}

export function provenanceOf(row: Pick<EntryRow, 'id'>, source: DocumentRow): Provenance {
  return {
    documentId: source.id,
    documentTitle: source.title,
    ...(source.author_name ? { author: source.author_name } : {}),
    ...(source.document_date ? { date: source.document_date } : {}),
    entryId: row.id,
  };
}
