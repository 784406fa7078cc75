import { z } from 'zod';
import { cpxHolderSchema, pinStateSchema, beneficiarySchema } from './cards';
import { dossierRefSchema } from './patient';

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
