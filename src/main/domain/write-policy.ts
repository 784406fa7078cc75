import type { AccessMode } from '../../shared/contract/session';
import { decideDeposit, type Actor, type Decision, type DossierFacts } from './access-policy';

/**
 * Who may change a document already in the DMP (TD3.3 status / visibility / delete, TD2.1 with a
 * replaced document). Feeding the DMP is open to every health professional with a CPS; changing what
 * someone else wrote is not. Rules and assumptions: docs/access-rules.md §9.
 */
export type DocumentChange = 'status' | 'visibility' | 'replace' | 'delete';

/** What the write rules need to know about the document being changed. */
export interface DocumentAuthorship {
  authorId?: string;
  /** Structure (establishment) the author deposited from, when their practice situation named one. */
  authorStructureId?: string;
  deleted: boolean;
}

export interface ChangeContext {
  mode: AccessMode;
  /** The outcome of the read rules for this document and this actor: changing needs reading. */
  read: Decision;
  /** The professional states the patient asked for this change; recorded in the audit trail. */
  atPatientRequest: boolean;
  /** The patient's Vitale is in the session and matches the dossier. */
  patientPresent: boolean;
}

export const writeRules = {
  emergencyReadOnly: 'write.emergency-read-only',
  notAuthor: 'write.not-author',
  deleted: 'write.document-deleted',
} as const;

const changeVerb: Record<DocumentChange, string> = {
  status: 'archiver ou désarchiver',
  visibility: 'modifier la visibilité d’',
  replace: 'remplacer',
  delete: 'supprimer',
};

/** Same person, or (establishments) the structure the author deposited from. */
export function isAuthorOrAuthorStructure(actor: Actor, doc: DocumentAuthorship): boolean {
  if (doc.authorId !== undefined && doc.authorId === actor.nationalId) return true;
  return doc.authorStructureId !== undefined && (actor.structureIds ?? []).includes(doc.authorStructureId);
}

export function decideDocumentChange(
  actor: Actor,
  dossier: DossierFacts,
  change: DocumentChange,
  doc: DocumentAuthorship,
  ctx: ChangeContext,
): Decision {
  // Emergency access exists to read in an emergency, never to reshape the record.
  if (ctx.mode !== 'normal') {
    return {
      allowed: false,
      code: 'FORBIDDEN',
      rule: writeRules.emergencyReadOnly,
      message:
        'En mode bris de glace ou Centre 15, le DMP est en lecture seule : aucun document ne peut être modifié, remplacé ou supprimé.',
    };
  }
  const deposit = decideDeposit(actor, dossier);
  if (!deposit.allowed) return deposit;
  if (doc.deleted) {
    return {
      allowed: false,
      code: 'NOT_FOUND',
      rule: writeRules.deleted,
      message: 'Ce document n’existe pas dans ce DMP.',
    };
  }
  if (!ctx.read.allowed) return ctx.read;
  if (isAuthorOrAuthorStructure(actor, doc)) return { allowed: true };
  // The patient decides who sees their documents: a professional may record that choice, with the patient there.
  if (change === 'visibility' && ctx.atPatientRequest && ctx.patientPresent) return { allowed: true };
  const verb = changeVerb[change];
  const target = change === 'visibility' ? 'un document' : 'ce document';
  return {
    allowed: false,
    code: 'FORBIDDEN',
    rule: writeRules.notAuthor,
    message:
      change === 'visibility'
        ? `Seul l’auteur du document (ou sa structure) peut ${verb}${target}, ou un professionnel à la demande du patient présent.`
        : `Seul l’auteur du document (ou sa structure) peut ${verb} ${target}.`,
  };
}
