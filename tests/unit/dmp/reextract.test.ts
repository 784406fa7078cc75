import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/main/cli/cli-context';
import { reextractCommand } from '../../../src/main/cli/commands/reextract';
import { cdaExtractionVersion } from '../../../src/main/cda/extraction-version';
import { sqlFor } from '../../../src/main/db/query-builder';
import { describe as describeAuditEntry } from '../../../src/main/dmp/access-history';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { logStaleExtractions } from '../../../src/main/dmp/reextraction';
import { sha256Hex } from '../../../src/main/dmp/document-writes';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { createLogger } from '../../../src/main/log/logger';
import type { Store } from '../../../src/main/store/types';
import { openTestStore } from '../../support/test-store';
import { counterRandom, fixture, testInsKey } from './helpers';

/**
 * Documents imported before an extraction rule was corrected keep what the old rule read until they
 * are re-extracted. The misleading rows are simulated: a real fixture is imported, then its stored
 * entries are rewritten as an older extraction read them (the VSM COUMADINE at 4 cp/j where the
 * document prints « 1 cp/j ») and its version set back to 0.
 */
async function setup() {
  const lines: string[] = [];
  const store = await openTestStore(dmpMigrations);
  const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
  const dmp = new DmpService({
    store,
    log,
    now: () => new Date('2024-06-01T00:00:00Z'),
    random: counterRandom(),
  });
  const vsm = await dmp.importCda(fixture('VSM_1.4_2022.01.xml'), { create: true, depositor: 'system' });
  const ips = await dmp.importCda(fixture('IPS-FR_2024.01.xml'), { create: false, depositor: 'system' });
  return { store, dmp, lines, vsm: vsm.documentId, ips: ips.documentId };
}

const q = (store: Store) => sqlFor(store);

async function entryRows(store: Store, documentId: string) {
  return q(store).rows(
    store,
    q(store)
      .db.selectFrom('clinical_entries')
      .select(['id', 'kind', 'label', 'detail', 'data', 'start_date', 'status'])
      .where('document_id', '=', documentId)
      .orderBy('position'),
  );
}

async function documentRow(store: Store, id: string) {
  return q(store).first(
    store,
    q(store)
      .db.selectFrom('documents')
      .select([
        'title',
        'document_date',
        'deposited_at',
        'deposited_by',
        'visibility',
        'status',
        'version',
        'content_sha256',
        'extraction_version',
      ])
      .where('id', '=', id),
  );
}

/** The VSM's stored rows as the extraction before the summary-truth audit left them: COUMADINE at 4 cp/j, version 0. */
async function makeOld(store: Store, documentId: string): Promise<void> {
  const rows = await entryRows(store, documentId);
  const coumadine = rows.find((r) => r.kind === 'medication' && r.label.startsWith('COUMADINE'));
  if (!coumadine) throw new Error('fixture changed: no COUMADINE line');
  const data = JSON.stringify({ facts: [{ label: 'Posologie', value: '4 cp/j' }] });
  const sql = q(store);
  await store.write([
    sql.statement(
      sql.db
        .updateTable('clinical_entries')
        .set({ data, detail: null })
        .where('id', '=', coumadine.id)
        .where('ins_key', '=', testInsKey),
    ),
    sql.statement(
      sql.db
        .updateTable('documents')
        .set({ extraction_version: 0 })
        .where('id', '=', documentId)
        .where('ins_key', '=', testInsKey),
    ),
  ]);
}

async function coumadinePosology(dmp: DmpService): Promise<string | undefined> {
  const summary = await dmp.getSummary({ system: 'cli' }, testInsKey);
  const line = [...summary.medications, ...summary.otherMedications].find((m) =>
    m.label.startsWith('COUMADINE'),
  );
  return line?.facts?.find((f) => f.label === 'Posologie')?.value;
}

async function auditRows(store: Store, action: string) {
  return q(store).rows(
    store,
    q(store)
      .db.selectFrom('audit_log')
      .select(['actor_id', 'action', 'ins_key', 'target'])
      .where('action', '=', action)
      .orderBy('seq'),
  );
}

describe('re-extraction of documents stored under older extraction rules', () => {
  it('records the current extraction version on import', async () => {
    const { store, dmp, vsm, ips } = await setup();
    expect(Number((await documentRow(store, vsm))?.extraction_version)).toBe(cdaExtractionVersion);
    expect(Number((await documentRow(store, ips))?.extraction_version)).toBe(cdaExtractionVersion);
    expect(await dmp.staleExtractionCount()).toBe(0);
  });

  it('re-derives the entries of an old document from its stored content, so the summary says what the document prints', async () => {
    const { store, dmp, vsm, ips, lines } = await setup();
    const fresh = await entryRows(store, vsm);
    const before = await documentRow(store, vsm);
    await makeOld(store, vsm);
    expect(await coumadinePosology(dmp)).toBe('4 cp/j');
    expect(await dmp.staleExtractionCount()).toBe(1);
    const deposits = await auditRows(store, 'document.deposit');

    const report = await dmp.reextractStored();

    expect(report).toEqual({ version: cdaExtractionVersion, reextracted: 1, failures: [] });
    expect(await coumadinePosology(dmp)).toBe('1 cp/j');
    // Exactly what an import under the current rules stores, the document row itself untouched.
    expect(await entryRows(store, vsm)).toEqual(fresh);
    expect(await documentRow(store, vsm)).toEqual({ ...before, extraction_version: cdaExtractionVersion });
    expect(await dmp.staleExtractionCount()).toBe(0);
    // One system entry for the re-derived document; the deposit entries as they were.
    expect(await auditRows(store, 'document.deposit')).toEqual(deposits);
    expect(await auditRows(store, 'document.reextract')).toEqual([
      {
        actor_id: 'system:reextract',
        action: 'document.reextract',
        ins_key: testInsKey,
        target: `${vsm} extraction 0→${cdaExtractionVersion}`,
      },
    ]);
    expect(lines.join('\n')).not.toMatch(/COUMADINE|279035121518989/);
    expect(report.failures.some((f) => f.documentId === ips)).toBe(false);
  });

  it('does nothing the second time', async () => {
    const { store, dmp, vsm } = await setup();
    await makeOld(store, vsm);
    await dmp.reextractStored();
    const entries = await entryRows(store, vsm);
    const audit = await auditRows(store, 'document.reextract');

    expect(await dmp.reextractStored()).toEqual({
      version: cdaExtractionVersion,
      reextracted: 0,
      failures: [],
    });
    expect(await entryRows(store, vsm)).toEqual(entries);
    expect(await auditRows(store, 'document.reextract')).toEqual(audit);
  });

  it('reports a document whose stored content no longer parses, by id, and leaves it as it was', async () => {
    const { store, dmp, vsm, ips } = await setup();
    await makeOld(store, vsm);
    // The IPS as if stored long ago, its content one the current parser refuses (its fingerprint kept consistent).
    const unreadable = new TextEncoder().encode('<ClinicalDocument xmlns="urn:hl7-org:v3"><broken');
    const sql = q(store);
    await store.write([
      sql.statement(
        sql.db
          .updateTable('documents')
          .set({ content: unreadable, content_sha256: sha256Hex(unreadable), extraction_version: 0 })
          .where('id', '=', ips)
          .where('ins_key', '=', testInsKey),
      ),
    ]);
    const ipsEntries = await entryRows(store, ips);

    const report = await dmp.reextractStored();

    expect(report.reextracted).toBe(1);
    expect(report.failures).toEqual([{ documentId: ips, reason: expect.stringMatching(/\S/) as string }]);
    expect(await entryRows(store, ips)).toEqual(ipsEntries);
    expect(Number((await documentRow(store, ips))?.extraction_version)).toBe(0);
    expect((await auditRows(store, 'document.reextract')).map((r) => r.target)).toEqual([
      `${vsm} extraction 0→${cdaExtractionVersion}`,
    ]);
    // The readable one was done all the same.
    expect(await coumadinePosology(dmp)).toBe('1 cp/j');
    expect(await dmp.staleExtractionCount()).toBe(1);
  });

  it('refuses content that is not what was deposited (fingerprint differs), leaving the document as it was', async () => {
    const { store, dmp, vsm } = await setup();
    await makeOld(store, vsm);
    const sql = q(store);
    await store.write([
      sql.statement(
        sql.db
          .updateTable('documents')
          .set({ content_sha256: '0'.repeat(64) })
          .where('id', '=', vsm)
          .where('ins_key', '=', testInsKey),
      ),
    ]);

    const report = await dmp.reextractStored();

    expect(report.reextracted).toBe(0);
    expect(report.failures).toEqual([{ documentId: vsm, reason: expect.stringMatching(/altéré/) as string }]);
    expect(await coumadinePosology(dmp)).toBe('4 cp/j');
  });
});

describe('telling about documents extracted under older rules', () => {
  it('logs their count at start, naming no document or patient, and nothing once they are current', async () => {
    const { store, dmp, vsm } = await setup();
    await makeOld(store, vsm);
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
    await logStaleExtractions(dmp, log, 'npm run cli -- reextract');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      lvl: 'warn',
      documents: 1,
      currentVersion: cdaExtractionVersion,
      run: 'npm run cli -- reextract',
    });
    expect(lines[0]).not.toContain(vsm);
    expect(lines[0]).not.toContain('279035121518989');
    await dmp.reextractStored();
    await logStaleExtractions(dmp, log, 'npm run cli -- reextract');
    expect(lines).toHaveLength(1);
  });

  it('says in the patient’s access history that the document was re-read, unchanged', () => {
    const sentence = describeAuditEntry(
      { action: 'document.reextract', target: 'doc-1 extraction 0→1' },
      new Map([['doc-1', 'Volet de synthèse médicale']]),
      new Map(),
    );
    expect(sentence).toBe(
      'A relu le document « Volet de synthèse médicale » avec des règles d’extraction corrigées et mis à jour les informations qui en sont tirées (le document lui-même est inchangé).',
    );
  });
});

describe('npm run cli -- reextract', () => {
  function cli(store: Store, dmp: DmpService) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const ctx: CliContext = {
      out: (s) => stdout.push(s),
      err: (s) => stderr.push(s),
      open: () => Promise.resolve({ service: dmp, store, close: () => Promise.resolve() }),
      defaultDataDir: '/default/data',
    };
    return { ctx, stdout, stderr };
  }

  it('says in French how many documents it re-extracted, then that there is nothing to do', async () => {
    const { store, dmp, vsm } = await setup();
    await makeOld(store, vsm);
    const first = cli(store, dmp);
    expect(await reextractCommand([], first.ctx)).toBe(0);
    expect(first.stdout).toEqual([
      `1 document(s) ré-extrait(s) (règles d’extraction version ${cdaExtractionVersion}), 0 échec(s).`,
    ]);
    expect(first.stderr).toEqual([]);
    expect(await coumadinePosology(dmp)).toBe('1 cp/j');
    // Named as the command line in the trail.
    expect((await auditRows(store, 'document.reextract')).map((r) => r.actor_id)).toEqual([
      'system:reextract',
    ]);

    const second = cli(store, dmp);
    expect(await reextractCommand(['--data', '/s'], second.ctx)).toBe(0);
    expect(second.stdout).toEqual([
      `Tous les documents sont à jour (règles d’extraction version ${cdaExtractionVersion}) : rien à faire.`,
    ]);
  });

  it('names a failed document by id on stderr and exits 1; bad usage exits 2', async () => {
    const { store, dmp, vsm } = await setup();
    await makeOld(store, vsm);
    const sql = q(store);
    await store.write([
      sql.statement(
        sql.db
          .updateTable('documents')
          .set({ content_sha256: '0'.repeat(64) })
          .where('id', '=', vsm)
          .where('ins_key', '=', testInsKey),
      ),
    ]);
    const run = cli(store, dmp);
    expect(await reextractCommand([], run.ctx)).toBe(1);
    expect(run.stderr).toEqual([
      `ÉCHEC document ${vsm} : Contenu du document altéré (empreinte différente de celle du dépôt). Document laissé tel quel.`,
    ]);
    expect(run.stdout.at(-1)).toMatch(/^0 document\(s\) ré-extrait\(s\) .*, 1 échec\(s\)\.$/);

    const usage = cli(store, dmp);
    expect(await reextractCommand(['tout'], usage.ctx)).toBe(2);
    expect(usage.stderr[0]).toMatch(/^Argument inattendu : tout\nUsage : reextract/);
  });
});
