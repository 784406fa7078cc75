import { z } from 'zod';

/** `YYYY-MM-DD` as written on the card; day or month may be `00` on real Vitale cards. */
export const cardDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const beneficiarySchema = z.object({
  index: z.number().int().nonnegative(),
  lastName: z.string(),
  firstName: z.string(),
  birthDate: cardDate,
  /** Ouvrant-droit NIR as stored on the card (15 characters incl. key). */
  nir: z.string(),
  nirKeyValid: z.boolean(),
  /** Rang de naissance, when the card gives it: tells twins on one card apart. */
  birthRank: z.number().int().min(1).max(9).optional(),
});
export type Beneficiary = z.infer<typeof beneficiarySchema>;

export const cardStatus = z.enum(['production', 'test', 'demo']);
export type CardStatus = z.infer<typeof cardStatus>;

export const vitaleCardSchema = z.object({
  kind: z.literal('vitale'),
  atr: z.string(),
  status: cardStatus,
  beneficiaries: z.array(beneficiarySchema),
});
export type VitaleCardInfo = z.infer<typeof vitaleCardSchema>;

export const nationalIdType = z.enum(['RPPS', 'ADELI']);

export const practiceSituationSchema = z.object({
  label: z.string(),
  mode: z.string().optional(),
  sector: z.string().optional(),
  structureId: z.string().optional(),
});
export type PracticeSituation = z.infer<typeof practiceSituationSchema>;

export const cpxHolderSchema = z.object({
  /** `8`+RPPS or `0`+ADELI, as carried by the card. */
  nationalId: z.string(),
  nationalIdType: nationalIdType,
  civility: z.string().optional(),
  lastName: z.string(),
  firstName: z.string(),
  /** ANS profession code (TRE_G15): 10 médecin, 21 pharmacien, 60 infirmier… */
  professionCode: z.string(),
  professionLabel: z.string(),
  specialtyCode: z.string().optional(),
  specialtyLabel: z.string().optional(),
  situations: z.array(practiceSituationSchema),
});
export type CpxHolder = z.infer<typeof cpxHolderSchema>;

export const pinStateSchema = z.object({
  triesLeft: z.number().int().min(0),
  triesMax: z.number().int().min(1),
  blocked: z.boolean(),
});
export type PinState = z.infer<typeof pinStateSchema>;

export const cpxCardSchema = z.object({
  kind: z.enum(['cps', 'cpe', 'cpf']),
  atr: z.string(),
  serial: z.string(),
  status: cardStatus,
  holder: cpxHolderSchema,
  pin: pinStateSchema,
});
export type CpxCardInfo = z.infer<typeof cpxCardSchema>;

export const otherCardSchema = z.object({
  kind: z.enum(['unsupported', 'unknown']),
  atr: z.string(),
  /** French, for the user. */
  reason: z.string(),
});
export type OtherCardInfo = z.infer<typeof otherCardSchema>;

export const cardInfoSchema = z.discriminatedUnion('kind', [
  vitaleCardSchema,
  cpxCardSchema,
  otherCardSchema,
]);
export type CardInfo = z.infer<typeof cardInfoSchema>;

export const readerViewSchema = z.object({
  name: z.string(),
  card: cardInfoSchema.nullable(),
  /** Set while a card is present but could not be read; French. */
  error: z.string().optional(),
  /** True while the card in this reader is being read. */
  busy: z.boolean().optional(),
});
export type ReaderView = z.infer<typeof readerViewSchema>;
