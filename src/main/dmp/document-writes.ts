import { createHash } from 'node:crypto';
import { cdaExtractionVersion } from '../cda/extraction-version';
import type { CdaSection, ExtractedEntry } from '../cda/types';
import type { DmpSql } from '../db/query-builder';
import type { Statement } from '../store/types';
import { isBlankHtml } from './html';
import { encodeEntryData } from './entry-data';

export interface NewDocument {
  id: string;
  insKey: string;
  title: string;
  typeCode: string;
  category: string;
  format: 'cda-structured' | 'cda-unstructured' | 'pdf' | 'text';
  mediaType?: string;
  authorName?: string;
  authorId?: string;
  authorProfession?: string;
  authorStructureId?: string;
  date?: string;
  depositedAt: string;
  depositedBy: string;
  visibilityMask: number;
  version: number;
  replacesId?: string;
  setId?: string;
  cdaId?: string;
  content: Uint8Array;
  payload?: Uint8Array;
  sha256: string;
  sections: CdaSection[];
  entries: ExtractedEntry[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Nothing a reader could use: no section with text or entries, no wrapped content. Entries the
 * parser draws from the header (contacts) do not count: every CDA header has them.
 */
export function isEmptyDocument(
  doc: Pick<NewDocument, 'sections' | 'entries' | 'payload' | 'format' | 'content'>,
): boolean {
  if (doc.format === 'cda-unstructured') return !doc.payload || doc.payload.length === 0;
  if (doc.format === 'pdf' || doc.format === 'text') return doc.content.length === 0;
  return doc.sections.every((s) => s.entryCount === 0 && isBlankHtml(s.narrativeHtml));
}

/** Entry counts per kind plus the number of sections, for the import report. */
export function countEntries(doc: Pick<NewDocument, 'sections' | 'entries'>): Record<string, number> {
  const counts: Record<string, number> = { sections: doc.sections.length };
  for (const entry of doc.entries) counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
  return counts;
}

export function insertDocumentStatements(q: DmpSql, doc: NewDocument): Statement[] {
  const statements: Statement[] = [
    q.insert('documents', {
      id: doc.id,
      ins_key: doc.insKey,
      title: doc.title,
      type_code: doc.typeCode,
      category: doc.category,
      format: doc.format,
      media_type: doc.mediaType ?? null,
      author_name: doc.authorName ?? null,
      author_id: doc.authorId ?? null,
      author_profession: doc.authorProfession ?? null,
      document_date: doc.date ?? null,
      deposited_at: doc.depositedAt,
      deposited_by: doc.depositedBy,
      status: 'approved',
      visibility: doc.visibilityMask,
      version: doc.version,
      replaces_id: doc.replacesId ?? null,
      set_id: doc.setId ?? null,
      cda_id: doc.cdaId ?? null,
      content: doc.content,
      payload: doc.payload ?? null,
      content_sha256: doc.sha256,
      author_structure_id: doc.authorStructureId ?? null,
      // A PDF or text deposit has nothing to extract: it is as current as a CDA read now.
      extraction_version: cdaExtractionVersion,
    }),
  ];
  statements.push(...derivedRowsStatements(q, doc));
  if (doc.replacesId) {
    statements.push(
      q.statement(
        q.db
          .updateTable('documents')
          .set({ status: 'obsolete' })
          .where('id', '=', doc.replacesId)
          .where('ins_key', '=', doc.insKey),
      ),
    );
  }
  return statements;
}

/**
 * What is derived from a document's content by the extraction rules: its sections (narrative) and its
 * clinical entries. Written at deposit, and again by a re-extraction (reextraction.ts), which deletes
 * the document's rows first. Multi-row INSERTs: a deposit's sections and entries (up to 2 000) in a
 * few statements.
 */
export function derivedRowsStatements(
  q: DmpSql,
  doc: Pick<NewDocument, 'id' | 'insKey' | 'sections' | 'entries'>,
): Statement[] {
  return [
    ...q.insertRows(
      'document_sections',
      doc.sections.map((section, position) => ({
        document_id: doc.id,
        position,
        code: section.code?.code ?? null,
        title: section.title ?? null,
        narrative_html: section.narrativeHtml,
        entry_count: section.entryCount,
      })),
    ),
    ...q.insertRows(
      'clinical_entries',
      doc.entries.map((entry, position) => ({
        id: `${doc.id}-${position}`,
        document_id: doc.id,
        ins_key: doc.insKey,
        kind: entry.kind,
        label: entry.label,
        code: entry.code?.code ?? null,
        code_system: entry.code?.system ?? null,
        code_display: entry.code?.display ?? null,
        detail: entry.detail ?? null,
        start_date: entry.startDate ?? null,
        end_date: entry.endDate ?? null,
        status: entry.status ?? null,
        author: entry.author ?? null,
        reimbursement_kind: entry.reimbursementKind ?? null,
        section_code: entry.sectionCode ?? null,
        position,
        data: encodeEntryData(entry),
      })),
    ),
  ];
}
