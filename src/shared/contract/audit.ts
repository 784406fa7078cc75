import { z } from 'zod';
import { accessMode } from './session';

export const auditActionSchema = z.enum([
  'dossier.read',
  'dossier.create',
  'dossier.close',
  'dossier.reactivate',
  'summary.read',
  'document.read',
  'document.deposit',
  'document.update',
  'document.delete',
  /**
   * A stored document's sections and entries derived again from its unchanged content, under newer
   * extraction rules (src/main/dmp/reextraction.ts); a system actor, the target names the document id
   * and the versions, never a patient.
   */
  'document.reextract',
  'access.denied',
  'patient.search',
  'access.authorize',
  'professional.block',
  'professional.unblock',
  'accessCodes.print',
  /** A document (import or deposit) refused: the target names the cause, never the patient. */
  'document.refused',
  /** The identity reference (INSi stand-in) was queried for a patient. */
  'identity.lookup',
  /** The shared DMP host refused a workstation's request (security event: see src/main/audit/security-events.ts). */
  'host.refused',
  /**
   * This workstation's shared-host settings changed, or a change was refused (not authenticated,
   * managed by IT). Names no patient (insKey null): see src/main/audit/security-events.ts.
   */
  'settings.host',
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * One line of a dossier's access history, as the patient would read it: a French sentence, no
 * internal id; someone else's emergency reason only for those entitled to it.
 */
export const accessHistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  profession: z.string(),
  action: auditActionSchema,
  /** What happened, in French (« A consulté le document « Compte rendu » »). */
  description: z.string(),
  mode: accessMode.optional(),
  reason: z.string().optional(),
  /** A reason was given but this reader is not entitled to read it. */
  reasonWithheld: z.boolean().optional(),
});
export type AccessHistoryEntry = z.infer<typeof accessHistoryEntrySchema>;
