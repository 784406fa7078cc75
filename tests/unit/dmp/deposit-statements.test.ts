import { describe, expect, it } from 'vitest';
import { sqlFor } from '../../../src/main/db/query-builder';
import { insertDocumentStatements, sha256Hex, type NewDocument } from '../../../src/main/dmp/document-writes';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { counterRandom, fixture, testInsKey } from './helpers';

/** A deposit as the service builds it, with `entries` clinical entries and `sections` sections. */
function largeDocument(entries: number, sections: number): NewDocument {
  const content = new TextEncoder().encode('<ClinicalDocument/>');
  return {
    id: 'doc-large',
    insKey: testInsKey,
    title: 'Synthèse de test',
    typeCode: '60591-5',
    category: 'synthese',
    format: 'cda-structured',
    depositedAt: '2026-03-01T09:00:00Z',
    depositedBy: 'system',
    visibilityMask: 0,
    version: 1,
    content,
    sha256: sha256Hex(content),
    sections: Array.from({ length: sections }, (_, i) => ({
      title: `Section ${i}`,
      templateIds: [],
      narrativeHtml: `<p>Texte ${i}</p>`,
      entryCount: 1,
    })),
    entries: Array.from({ length: entries }, (_, i) => ({
      kind: 'problem' as const,
      templateIds: [],
      label: `Problème n° ${i}`,
      code: { code: `X${i}`, system: '2.16.840.1.113883.6.3', display: `Libellé ${i}` },
    })),
  };
}

describe('the statements of a deposit', () => {
  it('are a few multi-row INSERTs, not one statement per section and per entry', async () => {
    const store = await openTestStore(dmpMigrations);
    try {
      const statements = insertDocumentStatements(sqlFor(store), largeDocument(1_200, 40));
      // The document, its 40 sections in one statement, its 1 200 entries in three (≤ 8 000 parameters each).
      expect(statements).toHaveLength(5);
      for (const s of statements)
        expect(Array.isArray(s.params) ? s.params.length : 0).toBeLessThanOrEqual(8_000);
    } finally {
      await store.close();
    }
  });

  it('store every section and entry in order, on this engine, when written', async () => {
    const store = await openTestStore(dmpMigrations);
    try {
      const dmp = new DmpService({ store, log: silentLogger, random: counterRandom() });
      // A dossier for the test patient (the document's rows refer to it).
      await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
      const q = sqlFor(store);
      await store.write(insertDocumentStatements(q, largeDocument(1_200, 40)));
      const entries = await q.rows(
        store,
        q.db
          .selectFrom('clinical_entries')
          .select(['id', 'label', 'code', 'position'])
          .where('document_id', '=', 'doc-large')
          .orderBy('position'),
      );
      expect(entries).toHaveLength(1_200);
      expect(entries[0]).toEqual({ id: 'doc-large-0', label: 'Problème n° 0', code: 'X0', position: 0 });
      expect(entries[1_199]).toEqual({
        id: 'doc-large-1199',
        label: 'Problème n° 1199',
        code: 'X1199',
        position: 1_199,
      });
      const sections = await q.rows(
        store,
        q.db
          .selectFrom('document_sections')
          .select(['position', 'title'])
          .where('document_id', '=', 'doc-large')
          .orderBy('position'),
      );
      expect(sections.map((s) => s.title)).toEqual(Array.from({ length: 40 }, (_, i) => `Section ${i}`));
    } finally {
      await store.close();
    }
  });

  it('refuses rows that do not all give the same columns (a missing one would silently take its default)', async () => {
    const store = await openTestStore(dmpMigrations);
    try {
      const q = sqlFor(store);
      const row = {
        document_id: 'd',
        position: 0,
        code: null,
        title: 't',
        narrative_html: '',
        entry_count: 0,
      };
      expect(() =>
        q.insertRows('document_sections', [row, { ...row, position: 1, title: undefined }]),
      ).toThrow(TypeError);
    } finally {
      await store.close();
    }
  });
});
