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

function vaccine(id: string, documentId: string, lot: string, rank: string): EntryRow {
  return {
    id,
    document_id: documentId,
    kind: 'immunization',
    label: 'REVAXIS',
    code: '60917345',
    code_system: '1.2.250.1.213.2.3.1',
    code_display: null,
    detail: `Rang : ${rank} ; Lot : ${lot}`,
    start_date: '2009-09-28T09:49:14+01:00',
    end_date: null,
    status: null,
    author: null,
    reimbursement_kind: null,
    data: JSON.stringify({
      facts: [
        { label: 'Rang', value: rank },
        { label: 'Lot', value: lot },
      ],
    }),
  } as EntryRow;
}

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

describe('immunizations stored with the same vaccine and date (IPS-FR REVAXIS before the audit)', () => {
  const now = new Date('2024-06-01T00:00:00Z');
  const other: DocumentRow = { ...doc, id: 'doc-2', document_date: '2024-05-20' };

  it('stay two lines when their lot or rank differ: two doses, not one with two ranks', () => {
    const summary = buildSummary(
      demoDossier,
      [
        { entry: vaccine('v1', doc.id, '4456672', '2e dose'), doc },
        { entry: vaccine('v2', doc.id, '4456668', '1re dose'), doc },
      ],
      [doc],
      now,
    );
    expect(summary.immunizations).toHaveLength(2);
    for (const v of summary.immunizations) expect(v.facts?.filter((f) => f.label === 'Rang')).toHaveLength(1);
  });

  it('still merge into one line with both sources when two documents give the same dose', () => {
    const summary = buildSummary(
      demoDossier,
      [
        { entry: vaccine('v1', doc.id, '4456672', '2e dose'), doc },
        { entry: vaccine('v3', other.id, '4456672', '2e dose'), doc: other },
      ],
      [doc, other],
      now,
    );
    expect(summary.immunizations).toHaveLength(1);
    expect(summary.immunizations[0]?.sources).toHaveLength(2);
  });
});
