import { createHash } from 'node:crypto';
import type { CdaSection, ExtractedEntry } from '../cda/types';
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

export function insertDocumentStatements(doc: NewDocument): Statement[] {
  const statements: Statement[] = [
    {
      sql: `INSERT INTO documents (id, ins_key, title, type_code, category, format, media_type, author_name, author_id, author_profession,
              document_date, deposited_at, deposited_by, status, visibility, version, replaces_id, set_id, cda_id, content, payload, content_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [
        doc.id,
        doc.insKey,
        doc.title,
        doc.typeCode,
        doc.category,
        doc.format,
        doc.mediaType ?? null,
        doc.authorName ?? null,
        doc.authorId ?? null,
        doc.authorProfession ?? null,
        doc.date ?? null,
        doc.depositedAt,
        doc.depositedBy,
        doc.visibilityMask,
        doc.version,
        doc.replacesId ?? null,
        doc.setId ?? null,
        doc.cdaId ?? null,
        doc.content,
        doc.payload ?? null,
        doc.sha256,
      ],
    },
  ];
  doc.sections.forEach((section, position) => {
    statements.push({
      sql: 'INSERT INTO document_sections (document_id, position, code, title, narrative_html, entry_count) VALUES (?, ?, ?, ?, ?, ?)',
      params: [
        doc.id,
        position,
        section.code?.code ?? null,
        section.title ?? null,
        section.narrativeHtml,
        section.entryCount,
      ],
    });
  });
  doc.entries.forEach((entry, position) => {
    statements.push({
      sql: `INSERT INTO clinical_entries (id, document_id, ins_key, kind, label, code, code_system, code_display, detail, start_date, end_date,
              status, author, reimbursement_kind, section_code, position, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [
        `${doc.id}-${position}`,
        doc.id,
        doc.insKey,
        entry.kind,
        entry.label,
        entry.code?.code ?? null,
        entry.code?.system ?? null,
        entry.code?.display ?? null,
        entry.detail ?? null,
        entry.startDate ?? null,
        entry.endDate ?? null,
        entry.status ?? null,
        entry.author ?? null,
        entry.reimbursementKind ?? null,
        entry.sectionCode ?? null,
        position,
        encodeEntryData(entry),
      ],
    });
  });
  if (doc.replacesId) {
    statements.push({
      sql: "UPDATE documents SET status = 'obsolete' WHERE id = ? AND ins_key = ?",
      params: [doc.replacesId, doc.insKey],
    });
  }
  return statements;
}
