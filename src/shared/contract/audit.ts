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
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** One line of a dossier's access history, as the patient would see it. */
export const accessHistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  profession: z.string(),
  action: auditActionSchema,
  actionLabel: z.string(),
  mode: accessMode.optional(),
  reason: z.string().optional(),
  target: z.string().optional(),
});
export type AccessHistoryEntry = z.infer<typeof accessHistoryEntrySchema>;
