import type { AccessHistoryEntry, AuditAction } from '../../shared/contract';
import type { AuditEntry } from '../audit/audit-entry';
import type { AuditChainVerdict } from '../audit/verify';
import { rules } from '../domain/access-policy';
import { governanceRules } from '../domain/governance';
import { mayReadAccessReason, type HistoryReader } from '../domain/history-policy';
import { writeRules } from '../domain/write-policy';
import type { DmpActor } from './actors';
import type { DmpContext } from './dmp-context';
import { documentColumns, toDocumentFacts } from './document-rows';

/** Who reads the history, and the session they read it in (a professional's reading is itself traced). */
export type HistoryReadBy = { patient: true } | { actor: DmpActor };

/** Why an access was refused, as the patient would say it; never the internal rule id. */
const refusalCauses: Record<string, string> = {
  [rules.cpeNoMedicalContent]: 'une carte de personnel non soignant ne donne pas accès au contenu médical',
  [rules.notHealthProfession]: 'sa profession ne donne pas accès au contenu médical',
  [rules.cardCannotManage]: 'une carte d’étudiant ne permet pas de gérer un DMP',
  [rules.cardCannotDeposit]: 'sa carte ne permet pas d’alimenter le DMP',
  [rules.dossierClosed]: 'le DMP est clôturé',
  [rules.blockedByPatient]: 'vous avez bloqué ce professionnel',
  [rules.notInCareTeam]: 'vous ne l’aviez pas autorisé à consulter votre dossier',
  [rules.bdgProfession]: 'sa profession ne permet pas l’accès en urgence (bris de glace)',
  [rules.bdgReasonRequired]: 'le motif de l’accès en urgence manquait',
  [rules.bdgOpposed]: 'vous vous êtes opposé à l’accès en urgence (bris de glace)',
  [rules.c15NotRegulator]: 'il n’est pas médecin régulateur du Centre 15',
  [rules.c15Opposed]: 'vous vous êtes opposé à l’accès par le Centre 15',
  [rules.documentMasked]: 'le document est masqué aux professionnels',
  [rules.habilitation]: 'sa profession n’est pas habilitée à lire ce type de document',
  [writeRules.emergencyReadOnly]: 'un accès en urgence ne permet aucune modification',
  [writeRules.notAuthor]: 'seul l’auteur d’un document peut le modifier',
  [writeRules.deleted]: 'le document a été supprimé',
  [governanceRules.emergency]: 'un accès en urgence ne permet pas de gérer le dossier',
  [governanceRules.cardNotAllowed]: 'sa carte ne permet pas de gérer le dossier',
  [governanceRules.patientAbsent]: 'vous n’étiez pas présent et n’en aviez pas fait la demande',
  [governanceRules.notInCareTeam]: 'vous ne l’aviez pas autorisé à consulter votre dossier',
  [governanceRules.reasonRequired]: 'le motif manquait',
  [governanceRules.notDoctor]: 'seul un médecin peut être médecin traitant',
  [governanceRules.treatingNotBlockable]: 'le médecin traitant ne peut pas être bloqué',
};

/** Reading the audit trail back: the dossier's history in French sentences, and the chain's integrity check. */
export class AccessHistory {
  constructor(private readonly ctx: DmpContext) {}

  /**
   * The dossier's history, newest first, as sentences: no internal id (rule, document, NIR), a
   * document's title only when the reader may read that document, and someone else's emergency
   * reason only for those entitled to it. A professional's reading is recorded first, so it shows.
   */
  async accessHistory(by: HistoryReadBy, insKey: string): Promise<AccessHistoryEntry[]> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    if ('actor' in by)
      await this.ctx.write([this.ctx.event(by.actor, 'dossier.read', row.ins_key, 'historique des accès')]);
    const reader: HistoryReader =
      'actor' in by
        ? { kind: 'professional', nationalId: by.actor.professional.holder.nationalId }
        : { kind: 'patient' };
    const { db } = this.ctx.sql;
    const docs = await this.ctx.sql.rows(
      this.ctx.store,
      db.selectFrom('documents').select(documentColumns).where('ins_key', '=', row.ins_key),
    );
    const titles = new Map<string, string>();
    for (const doc of docs) {
      const readable =
        'actor' in by
          ? this.ctx.mayRead(by.actor, facts, doc)
          : !toDocumentFacts(doc).visibility.hiddenFromPatient;
      if (readable) titles.set(doc.id, doc.title);
    }
    const names = new Map(
      (
        await this.ctx.sql.rows(
          this.ctx.store,
          db
            .selectFrom('dossier_professionals')
            .select(['national_id', 'display_name'])
            .where('ins_key', '=', row.ins_key),
        )
      ).map((p) => [p.national_id, p.display_name]),
    );
    const entries = await (await this.ctx.audit).entriesForDossier(row.ins_key);
    return entries.map((e) => {
      const reason = e.reason && mayReadAccessReason(reader, e.actorId, facts) ? e.reason : undefined;
      return {
        at: e.at,
        actor: e.actorName,
        profession: e.profession,
        action: e.action,
        description: describe(e, titles, names),
        ...(e.mode ? { mode: e.mode } : {}),
        ...(reason ? { reason } : {}),
        ...(e.reason && !reason ? { reasonWithheld: true } : {}),
      };
    });
  }

  async verifyAudit(): Promise<AuditChainVerdict> {
    return (await this.ctx.audit).verify();
  }
}

function documentPhrase(id: string | undefined, titles: Map<string, string>): string {
  const title = id ? titles.get(id) : undefined;
  return title ? `le document « ${title} »` : 'un document';
}

/** The part of a target after the document id (what changed, on whose decision). */
function afterId(target: string | null): string {
  const space = (target ?? '').indexOf(' ');
  return space < 0 ? '' : (target ?? '').slice(space + 1);
}

function firstToken(target: string | null): string | undefined {
  return target?.split(' ')[0] || undefined;
}

/** One French sentence per audit entry; the subject is the professional shown in the same row. */
export function describe(
  e: Pick<AuditEntry, 'action' | 'target'>,
  titles: Map<string, string>,
  names: Map<string, string>,
): string {
  const doc = (): string => documentPhrase(firstToken(e.target), titles);
  const sentences: Record<AuditAction, () => string> = {
    'dossier.read': () =>
      e.target === 'historique des accès'
        ? 'A consulté l’historique des accès au dossier.'
        : e.target
          ? 'A consulté la liste des documents.'
          : 'A ouvert le dossier.',
    'dossier.create': () => 'A créé le dossier.',
    'dossier.close': () => `A clôturé le DMP (${e.target ?? 'motif non précisé'}).`,
    'dossier.reactivate': () => `A réactivé le DMP (${e.target ?? 'motif non précisé'}).`,
    'summary.read': () => 'A consulté la synthèse d’urgence.',
    'document.read': () => `A consulté ${doc()}.`,
    'document.deposit': () => `A déposé ${doc()}.`,
    'document.update': () => {
      const what = afterId(e.target);
      return `A modifié ${doc()}${what ? ` (${what})` : ''}.`;
    },
    'document.delete': () => `A supprimé ${doc()}.`,
    'document.reextract': () =>
      `A relu ${doc()} avec des règles d’extraction corrigées et mis à jour les informations qui en sont tirées (le document lui-même est inchangé).`,
    'access.denied': () => {
      const cause = refusalCauses[firstToken(e.target) ?? ''];
      return cause ? `Accès refusé : ${cause}.` : 'Accès refusé.';
    },
    'patient.search': () =>
      e.target ? `A trouvé votre dossier par une recherche (${e.target}).` : 'A recherché un patient.',
    'access.authorize': () =>
      e.target === 'médecin traitant'
        ? 'A été déclaré médecin traitant, avec votre accord.'
        : 'A été autorisé à consulter votre dossier.',
    'professional.block': () =>
      `A enregistré votre blocage de ${names.get(e.target ?? '') ?? 'un professionnel'}.`,
    'professional.unblock': () =>
      `A enregistré la levée de votre blocage de ${names.get(e.target ?? '') ?? 'un professionnel'}.`,
    'accessCodes.print': () => 'A imprimé vos codes d’accès à Mon espace santé.',
    'document.refused': () => 'Un document adressé à votre dossier a été refusé.',
    'identity.lookup': () => 'A vérifié votre identité auprès du référentiel INS.',
    'host.refused': () =>
      'Une requête sur votre dossier a été refusée par le serveur DMP (contrôle de sécurité).',
    // Never in a dossier's history (no INS); a sentence all the same, for an export of the trail.
    'settings.host': () => 'A modifié (ou tenté de modifier) les réglages du serveur DMP du poste.',
  };
  return sentences[e.action]();
}
