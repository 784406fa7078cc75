import { ApiError } from '../../shared/contract/api-error';
import { cdaExtractionVersion } from '../cda/extraction-version';
import { formatInsKey } from '../../shared/identity/ins';
import { insFromPatientIds } from '../identity/document-identity';
import type { Logger } from '../log/logger';
import type { SystemActor } from './actors';
import type { DmpContext } from './dmp-context';
import { derivedRowsStatements, sha256Hex } from './document-writes';

/** What a re-extraction did: documents brought to the current rules, and those it could not read (left as they were). */
export interface ReextractReport {
  /** The extraction rules' version the documents were brought to. */
  version: number;
  reextracted: number;
  failures: { documentId: string; reason: string }[];
}

/** The formats whose sections and entries come from the CDA parser (a PDF or text deposit has none). */
const cdaFormats = ['cda-structured', 'cda-unstructured'] as const;

export const reextractActor: SystemActor = { system: 'reextract' };

/**
 * Re-derives the sections and clinical entries of documents stored under older extraction rules
 * (`documents.extraction_version` below {@link cdaExtractionVersion}), from their stored content,
 * with the parser imports use. A misleading entry is worse than none: a document imported before a
 * rule was corrected must not keep showing what the old rule read.
 *
 * Per document, ONE write: its old sections and entries deleted, the new ones inserted, its version
 * set, and its audit entry — so a crash leaves each document either old (retried by the next run) or
 * new (skipped): resumable and idempotent. The document row itself (content, title, dates, author,
 * status, visibility, deletion) is never written, and the audit entries of its deposit stay as they are.
 *
 * Audited: one `document.reextract` entry per document, by the system actor, on the document's
 * dossier, target « <document id> extraction <old>→<new> ». A security auditor reading the trail
 * must be able to tell why a document's entries differ from what was shown before, and when; the
 * patient's access history says it too, in plain words. Logs name document ids and counts, never a
 * patient.
 */
export class Reextraction {
  constructor(private readonly ctx: DmpContext) {}

  /** How many stored CDA documents were extracted under older rules (none is read: a count). */
  async staleCount(): Promise<number> {
    const row = await this.ctx.sql.first(
      this.ctx.store,
      this.ctx.sql.db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('format', 'in', cdaFormats)
        .where('extraction_version', '<', cdaExtractionVersion),
    );
    return Number(row?.n ?? 0);
  }

  async reextractStored(actor: SystemActor = reextractActor): Promise<ReextractReport> {
    const { sql, store } = this.ctx;
    // Ids only: each document's content is read when its turn comes, so memory holds one at a time.
    const stale = await sql.rows(
      store,
      sql.db
        .selectFrom('documents')
        .select(['id', 'ins_key', 'format', 'extraction_version', 'content_sha256'])
        .where('format', 'in', cdaFormats)
        .where('extraction_version', '<', cdaExtractionVersion)
        .orderBy('id'),
    );
    const report: ReextractReport = { version: cdaExtractionVersion, reextracted: 0, failures: [] };
    for (const doc of stale) {
      try {
        await this.reextractOne(actor, doc);
        report.reextracted++;
      } catch (err) {
        const reason =
          err instanceof ApiError ? err.message : 'Erreur interne inattendue (voir le journal technique).';
        report.failures.push({ documentId: doc.id, reason });
        this.ctx.log.warn('re-extraction failed, document left as it was', {
          documentId: doc.id,
          detail:
            err instanceof ApiError
              ? (err.logDetail ?? err.code)
              : err instanceof Error
                ? err.name
                : 'unknown',
        });
      }
    }
    this.ctx.log.info('re-extraction done', {
      version: cdaExtractionVersion,
      reextracted: report.reextracted,
      failed: report.failures.length,
    });
    return report;
  }

  private async reextractOne(
    actor: SystemActor,
    doc: { id: string; ins_key: string; format: string; extraction_version: number; content_sha256: string },
  ): Promise<void> {
    const { sql, store } = this.ctx;
    const content = (
      await sql.first(store, sql.db.selectFrom('documents').select('content').where('id', '=', doc.id))
    )?.content;
    if (!content || content.length === 0)
      throw new ApiError('CORRUPT_DATA', 'Contenu du document introuvable dans le stockage.', 'no content');
    // What was deposited, byte for byte: entries derived from damaged bytes would be no better than the old ones.
    if (sha256Hex(content) !== doc.content_sha256)
      throw new ApiError(
        'CORRUPT_DATA',
        'Contenu du document altéré (empreinte différente de celle du dépôt).',
        'content sha256 mismatch',
      );
    const { document: cda } = await this.ctx.cdaParser.parse(content);
    // The checks the deposit passed, made again on what the parser now reads: a document whose rows
    // would no longer match its stored description is reported, not half-rewritten.
    const ins = insFromPatientIds(cda.header.patient.ids);
    if (!ins || formatInsKey(ins) !== doc.ins_key)
      throw new ApiError(
        'CONFLICT',
        'À la relecture, le document ne porte plus l’INS de son dossier.',
        'identity: other INS',
      );
    const format = cda.body.kind === 'structured' ? 'cda-structured' : 'cda-unstructured';
    if (format !== doc.format)
      throw new ApiError(
        'CONFLICT',
        'La relecture ne donne plus le même format de document (structuré ou non).',
        `format: ${doc.format} -> ${format}`,
      );
    const statements = [
      sql.statement(sql.db.deleteFrom('clinical_entries').where('document_id', '=', doc.id)),
      sql.statement(sql.db.deleteFrom('document_sections').where('document_id', '=', doc.id)),
      ...derivedRowsStatements(sql, {
        id: doc.id,
        insKey: doc.ins_key,
        sections: cda.body.kind === 'structured' ? cda.body.sections : [],
        entries: cda.entries,
      }),
      sql.statement(
        sql.db
          .updateTable('documents')
          .set({ extraction_version: cdaExtractionVersion })
          .where('id', '=', doc.id)
          .where('ins_key', '=', doc.ins_key),
      ),
    ];
    await this.ctx.write(
      [
        this.ctx.event(
          actor,
          'document.reextract',
          doc.ins_key,
          `${doc.id} extraction ${Number(doc.extraction_version)}→${cdaExtractionVersion}`,
        ),
      ],
      statements,
    );
  }
}

/**
 * At start: a log line when stored documents were extracted under older rules (a count only, no
 * document or patient named), so that whoever reads the log knows to run `reextract`. Never stops a
 * start: a failed count is logged and ignored.
 */
export async function logStaleExtractions(
  dmp: { staleExtractionCount(): Promise<number> },
  log: Logger,
  command: string,
): Promise<void> {
  try {
    const stale = await dmp.staleExtractionCount();
    if (stale > 0)
      log.warn('documents extracted under older extraction rules: their summary entries may be outdated', {
        documents: stale,
        currentVersion: cdaExtractionVersion,
        run: command,
      });
  } catch (err) {
    log.warn('could not count documents extracted under older rules', {
      error: err instanceof Error ? err.name : 'unknown',
    });
  }
}

/**
 * A re-extraction's report in French, as both commands print it (CLI and host): failures named by
 * document id (stderr), then the count (stdout); exit 1 when a document could not be re-read.
 */
export function reextractReportLines(report: ReextractReport): {
  out: string;
  err: string[];
  failed: boolean;
} {
  return {
    err: report.failures.map((f) => `ÉCHEC document ${f.documentId} : ${f.reason} Document laissé tel quel.`),
    out:
      report.reextracted === 0 && report.failures.length === 0
        ? `Tous les documents sont à jour (règles d’extraction version ${report.version}) : rien à faire.`
        : `${report.reextracted} document(s) ré-extrait(s) (règles d’extraction version ${report.version}), ` +
          `${report.failures.length} échec(s).`,
    failed: report.failures.length > 0,
  };
}
