import type { AccessHistoryEntry } from '../../shared/contract';
import type { AuditChainVerdict } from '../audit/verify';
import type { DmpContext } from './dmp-context';

const actionLabels: Record<AccessHistoryEntry['action'], string> = {
  'dossier.read': 'Consultation du dossier',
  'dossier.create': 'Création du dossier',
  'dossier.close': 'Fermeture du dossier',
  'dossier.reactivate': 'Réactivation du dossier',
  'summary.read': 'Consultation de la synthèse d’urgence',
  'document.read': 'Consultation d’un document',
  'document.deposit': 'Dépôt d’un document',
  'document.update': 'Modification d’un document',
  'document.delete': 'Suppression d’un document',
  'access.denied': 'Tentative d’accès refusée',
  'patient.search': 'Recherche de patient',
  'access.authorize': 'Autorisation d’accès enregistrée',
  'professional.block': 'Professionnel bloqué par le patient',
  'professional.unblock': 'Professionnel débloqué par le patient',
  'accessCodes.print': 'Impression des codes d’accès',
  'document.refused': 'Document refusé',
  'identity.lookup': 'Recherche de l’identité au référentiel INS',
};

/** Reading the audit trail back: the patient's view of their dossier's history, and the chain's integrity check. */
export class AccessHistory {
  constructor(private readonly ctx: DmpContext) {}

  /** The dossier's history as the patient sees it, newest first. */
  async accessHistory(insKey: string): Promise<AccessHistoryEntry[]> {
    const { row } = await this.ctx.requireDossier(insKey);
    const entries = await (await this.ctx.audit).entriesForDossier(row.ins_key);
    return entries.map((e) => ({
      at: e.at,
      actor: e.actorName,
      profession: e.profession,
      action: e.action,
      actionLabel: actionLabels[e.action] ?? e.action,
      ...(e.mode ? { mode: e.mode } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.target ? { target: e.target } : {}),
    }));
  }

  async verifyAudit(): Promise<AuditChainVerdict> {
    return (await this.ctx.audit).verify();
  }
}
