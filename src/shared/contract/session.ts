import { z } from 'zod';
import { cpxHolderSchema, pinStateSchema, beneficiarySchema } from './cards';
import { dossierRefSchema, referenceIdentitySchema } from './patient';

export const accessMode = z.enum(['normal', 'bris_de_glace', 'centre_15']);
export type AccessMode = z.infer<typeof accessMode>;

export const sessionStatus = z.enum([
  'no_card', // no professional card inserted
  'pin_required',
  'pin_blocked',
  'situation_required', // PIN verified, the card has several practice situations: one must be chosen
  'authenticated',
  'locked', // card removed, manual lock or inactivity after authentication: PIN needed again
]);
export type SessionStatus = z.infer<typeof sessionStatus>;

export const professionalSchema = z.object({
  reader: z.string(),
  cardKind: z.enum(['cps', 'cpe', 'cpf']),
  serial: z.string(),
  holder: cpxHolderSchema,
  /** Index in `holder.situations` of the practice situation chosen after the PIN; null or absent until chosen. */
  situationIndex: z.number().int().nonnegative().nullable().optional(),
  /** True when that situation is a SAMU–Centre 15 regulation one: only then is Centre 15 offered. */
  centre15Regulation: z.boolean().optional(),
});
export type Professional = z.infer<typeof professionalSchema>;

export const patientContextSchema = z.object({
  /** Vitale beneficiaries when the patient came from a card, so the UI can offer a picker. */
  beneficiaries: z.array(beneficiarySchema),
  selectedIndex: z.number().int().nullable(),
  source: z.enum(['vitale', 'search']),
  keepOpen: z.boolean(),
  dossier: dossierRefSchema.nullable(),
  /** French explanation when no dossier could be opened for the selected beneficiary. */
  notice: z.string().optional(),
  /**
   * The selected beneficiary's identity as the identity reference answered it (INS and the five
   * traits); absent until it answers exactly one identity, or a person picks one of several.
   */
  identity: referenceIdentitySchema.optional(),
  /** Several identities match the card: shown side by side with all five traits for a human choice. */
  candidates: z.array(referenceIdentitySchema).optional(),
  /** A dossier exists for the identity (whether or not this professional may open it): never offer to create one. */
  dossierExists: z.boolean().optional(),
  /** The dossier exists and the professional is not yet authorised: the patient, present, may authorise them. */
  authorizationRequired: z.boolean().optional(),
  access: z
    .object({
      mode: accessMode,
      reason: z.string().optional(),
      since: z.string(),
      /** Bris de glace and Centre 15 end at this time (ISO) if the patient's context has not closed before. */
      until: z.string().optional(),
    })
    .nullable(),
});
export type PatientContext = z.infer<typeof patientContextSchema>;

/**
 * Why the shared DMP host ended the professional's session on its side (issue 13): the card was
 * revoked since its proof, the session was idle past the host's limit, or the host no longer knows
 * the session (it forgot it: restart of its sessions, a session ended elsewhere).
 */
export const hostSessionEndCause = z.enum(['card-revoked', 'inactivity', 'unknown-session']);
export type HostSessionEndCause = z.infer<typeof hostSessionEndCause>;

export const hostSessionEndSchema = z.strictObject({
  cause: hostSessionEndCause,
  /** The host's own French reason, shown as is in the card bar. */
  message: z.string().min(1).max(1000),
});
export type HostSessionEnd = z.infer<typeof hostSessionEndSchema>;

export const sessionStateSchema = z.object({
  status: sessionStatus,
  professional: professionalSchema.nullable(),
  pin: pinStateSchema.nullable(),
  patient: patientContextSchema.nullable(),
  /**
   * The session is locked because the shared DMP host ended it (not a local lock): why, in the
   * host's words. Kept while the same card stays in the reader and is not authenticated again; a
   * revoked card cannot be used again (its PIN is not asked).
   */
  endedByHost: hostSessionEndSchema.optional(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;
