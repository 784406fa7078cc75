import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../../src/main/dmp/summary-builder';
import type { DocumentRow, EntryRow } from '../../../src/main/dmp/document-rows';
import { demoDossier } from '../renderer/support/fixtures';

const doc: DocumentRow = {
  id: 'doc-1',
  ins_key: demoDossier.insKey,
  title: 'Patient Summary',
  type_code: '60591-5',
  category: 'synthese',
  format: 'cda-structured',
  media_type: 'text/xml',
  author_name: null,
  author_id: null,
  author_profession: null,
  document_date: '2024-05-01',
  deposited_at: '2024-05-02T00:00:00.000Z',
  status: 'approved',
  visibility: 1,
  version: 1,
  replaces_id: null,
  set_id: null,
  author_structure_id: null,
  deleted_at: null,
} as DocumentRow;

function row(id: string, status: string | null): EntryRow {
  return {
    id,
    document_id: doc.id,
    kind: 'advanceDirective',
    label: 'Réanimation cardiaque et respiratoire',
    code: '75779-9',
    code_system: '2.16.840.1.113883.6.1',
    code_display: null,
    detail: 'non',
    start_date: '2018-01-01',
    end_date: null,
    status,
    author: null,
    reimbursement_kind: null,
    data: null,
  } as EntryRow;
}

describe('advance directives stored before the summary-truth audit', () => {
  it('drop the statusCode `completed` the template fixes instead of showing « Terminé »', () => {
    const summary = buildSummary(
      demoDossier,
      [{ entry: row('e1', 'completed'), doc }],
      [doc],
      new Date('2024-06-01T00:00:00Z'),
    );
    expect(summary.advanceDirectives).toHaveLength(1);
    expect(summary.advanceDirectives[0]?.status).toBeUndefined();
    expect(summary.advanceDirectives[0]?.detail).toBe('non');
  });
});
