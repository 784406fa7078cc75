import { z } from 'zod';
import {
  beneficiarySchema,
  cardStatus,
  documentFilterSchema,
  dossierRefSchema,
  professionalSchema,
  referenceIdentitySchema,
  sexSchema,
  visibilitySchema,
  accessMode,
  insKey,
  matriculeSchema,
} from '../../shared/contract';

/**
 * Wire forms of the values the DMP and the identity reference take and give, as zod codecs: the
 * client ENCODES its arguments with the same schema the host DECODES them with (and the other way
 * round for results), so what crosses the network is always exactly what the table says. Bytes
 * travel as base64, dates as ISO strings; objects the host receives are strict.
 */
export const bytes = z.codec(
  z.base64(),
  z.custom<Uint8Array>((v) => v instanceof Uint8Array),
  {
    decode: (text) => new Uint8Array(Buffer.from(text, 'base64')),
    encode: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
  },
);

export const isoDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (value) => value.toISOString(),
});

const text = (max: number) => z.string().max(max);

/** A professional acting through a workstation; the host checks `professional.holder` against the card proof. */
export const dmpActorSchema = z.strictObject({
  professional: z.strictObject(professionalSchema.shape),
  mode: accessMode,
  reason: text(1000).optional(),
});

/** `via`: how it reached the workstation (the command line…), said in the audit's actor name. */
export const systemActorSchema = z.strictObject({ system: text(100).min(1), via: text(200).optional() });

export const depositInputSchema = z.strictObject({
  insKey,
  fileName: text(255).min(1),
  contentBase64: text(28_000_000).min(1),
  title: text(300).optional(),
  typeCode: text(40).optional(),
  visibility: visibilitySchema,
  replacesId: text(200).optional(),
});

export const dossierQuerySchema = z.strictObject({
  insKey: insKey.optional(),
  name: text(100).min(1).optional(),
  birthDate: text(10).optional(),
});

/** Whose decision a governance change records (domain/governance.ts PatientBasis). */
export const governanceBasisSchema = z.strictObject({
  patientPresent: z.boolean(),
  atPatientRequest: z.boolean(),
});

/** Whose decision a document change records (document-operations.ts PatientBasis). */
export const documentBasisSchema = z.strictObject({
  atPatientRequest: z.boolean().optional(),
  patientPresent: z.boolean().optional(),
});

export const createDossierInputSchema = z.strictObject({
  beneficiary: beneficiarySchema,
  identity: referenceIdentitySchema,
  identityDocumentChecked: z.boolean(),
  legalRepresentatives: z
    .array(
      z.strictObject({
        lastName: text(100).min(1),
        firstNames: text(200).min(1),
        relation: z.enum(['mère', 'père', 'tuteur', 'autre']),
      }),
    )
    .max(2),
  consent: z.strictObject({
    givenBy: z.enum(['patient', 'legal-representative']),
    brisDeGlaceOpposition: z.boolean(),
    centre15Opposition: z.boolean(),
  }),
  homonymsConfirmed: z.boolean().optional(),
});

export const createdDossierSchema = z.strictObject({
  dossier: dossierRefSchema,
  accessCodes: z.strictObject({ login: z.string(), oneTimeCode: z.string() }),
  pdf: bytes,
});

export const importResultSchema = z.strictObject({
  insKey: z.string(),
  documentId: z.string(),
  created: z.boolean(),
  counts: z.record(z.string(), z.number()),
});

export const decisionSchema = z.union([
  z.strictObject({ allowed: z.literal(true) }),
  z.strictObject({
    allowed: z.literal(false),
    code: z.enum(['FORBIDDEN', 'LOCKED', 'NOT_FOUND']),
    message: z.string(),
    rule: z.string(),
  }),
]);

export const auditVerdictSchema = z.union([
  z.strictObject({
    ok: z.literal(true),
    count: z.number().int(),
    unauthenticatedPrefix: z.number().int().optional(),
  }),
  z.strictObject({
    ok: z.literal(false),
    count: z.number().int(),
    firstBadSeq: z.number().int(),
    problem: z.enum(['edited', 'deleted', 'reordered', 'truncated', 'unauthenticated']),
  }),
]);

export const professionalRelationSchema = z.strictObject({
  nationalId: z.string(),
  name: z.string(),
  relation: z.enum(['authorized', 'blocked']),
  treatingPhysician: z.boolean(),
});

export const historyReadBySchema = z.union([
  z.strictObject({ patient: z.literal(true) }),
  z.strictObject({ actor: dmpActorSchema }),
]);

export { documentFilterSchema };

// ── Identity reference ─────────────────────────────────────────────────────────────────────────

export const referenceRecordSchema = z.strictObject({
  ...referenceIdentitySchema.shape,
  cardNir: matriculeSchema.optional(),
  birthRank: z.number().int().min(1).max(9).optional(),
});

export const cardBeneficiaryQuerySchema = z.strictObject({
  cardNir: text(20),
  firstName: text(200),
  birthDate: text(10),
  birthRank: z.number().int().min(1).max(9).optional(),
  cardStatus,
});

export const traitsQuerySchema = z.strictObject({
  birthName: text(100),
  firstNames: text(200),
  birthDate: text(10),
  sex: sexSchema,
  birthPlaceCode: text(10).optional(),
});

export const identityAnswerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('one'), identity: referenceIdentitySchema }),
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('several'), candidates: z.array(referenceIdentitySchema) }),
]);
