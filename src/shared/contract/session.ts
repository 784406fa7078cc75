import { z } from 'zod';
import { cpxHolderSchema, pinStateSchema, beneficiarySchema } from './cards';
import { dossierRefSchema, referenceIdentitySchema } from './patient';

export const accessMode = z.enum(['normal', 'bris_de_glace', 'centre_15']);
export type AccessMode = z.infer<typeof accessMode>;

export const sessionStatus = z.enum([
  'no_card', // no professional card inserted
  'pin_required',
  'pin_blocked',
  'authenticated',
  'locked', // card removed after authentication: PIN needed again
]);
export type SessionStatus = z.infer<typeof sessionStatus>;

export const professionalSchema = z.object({
  reader: z.string(),
  cardKind: z.enum(['cps', 'cpe', 'cpf']),
  serial: z.string(),
  holder: cpxHolderSchema,
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
    })
    .nullable(),
});
export type PatientContext = z.infer<typeof patientContextSchema>;

export const sessionStateSchema = z.object({
  status: sessionStatus,
  professional: professionalSchema.nullable(),
  pin: pinStateSchema.nullable(),
  patient: patientContextSchema.nullable(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;
