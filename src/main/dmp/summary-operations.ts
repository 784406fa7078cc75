import { ApiError } from '../../shared/contract/api-error';
import type { EmergencySummary } from '../../shared/contract';
import { decideDossierAccess } from '../domain/access-policy';
import { isSystemActor, toDomainActor, type DmpActor, type SystemActor } from './actors';
import type { DmpContext } from './dmp-context';
import { documentColumns, entryColumns } from './document-rows';
import { toDossierRef } from './dossier-rows';
import { buildSummary } from './summary-builder';

/** The emergency summary: structured entries of the documents the reader may see, gathered per dossier. */
export class SummaryOperations {
  constructor(private readonly ctx: DmpContext) {}

  /** `asOf` evaluates the 24-month reimbursement window at another date (audits, historical documents). */
  async getSummary(
    actor: DmpActor | SystemActor,
    insKey: string,
    options: { asOf?: Date } = {},
  ): Promise<EmergencySummary> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    const key = row.ins_key;
    if (!isSystemActor(actor)) {
      await this.ctx.enforce(
        actor,
        key,
        decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason),
      );
    } else if (row.status === 'closed') {
      throw new ApiError(
        'LOCKED',
        'Ce DMP est fermé : il ne peut plus être consulté. Il peut être réactivé à la demande du patient.',
      );
    }
    const { db } = this.ctx.sql;
    const docs = await this.ctx.sql.rows(
      this.ctx.store,
      db
        .selectFrom('documents')
        .select(documentColumns)
        .where('ins_key', '=', key)
        .where('status', '=', 'approved')
        .where('deleted_at', 'is', null),
    );
    const readable = docs.filter((d) => this.ctx.mayRead(actor, facts, d));
    const byId = new Map(readable.map((d) => [d.id, d]));
    const entries = await this.ctx.sql.rows(
      this.ctx.store,
      db
        .selectFrom('clinical_entries')
        .select(entryColumns)
        .where('ins_key', '=', key)
        .orderBy('document_id')
        .orderBy('position'),
    );
    const items = entries.flatMap((entry) => {
      const doc = byId.get(entry.document_id);
      return doc ? [{ entry, doc }] : [];
    });
    await this.ctx.write([this.ctx.event(actor, 'summary.read', key, null)]);
    return buildSummary(toDossierRef(row), items, readable, options.asOf ?? this.ctx.now());
  }
}
