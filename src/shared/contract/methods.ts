import { z } from 'zod';
import { readerDisplaySchema, pinStateSchema, cardDate } from './cards';
import { sessionStateSchema, accessMode } from './session';
import {
  insKey,
  insOid,
  dossierRefSchema,
  emergencySummarySchema,
  matriculeSchema,
  referenceIdentitySchema,
  sexSchema,
} from './patient';
import {
  documentMetaSchema,
  documentContentSchema,
  documentFilterSchema,
  visibilitySchema,
  documentStatus,
} from './documents';
import { accessHistoryEntrySchema } from './audit';
import { hostSettingsSchema, hostStatusSchema } from './host';

const empty = z.strictObject({});
const pdfFileSchema = z.object({ fileName: z.string(), pdfBase64: z.string() });

/**
 * Every request the renderer can make. Inputs are strict: unknown fields are refused, so a payload
 * crafted outside the UI cannot slip extra options past the main process.
 */
export const methods = {
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      host: z.enum(['desktop', 'web']),
      simulation: z.boolean(),
      production: z.boolean(),
      /** French warnings an administrator must see (unprotected key file…). */
      warnings: z.array(z.string()),
    }),
  },
  'cards.list': { input: empty, output: z.array(readerDisplaySchema) },

  /** Embedded store or shared DMP host, and whether the host answers this workstation. */
  'host.status': { input: empty, output: hostStatusSchema },
  /**
   * The shared host settings in effect at the next start (`host-settings.json` in the data folder,
   * or the file IT manages); null: the embedded store. The status above tells what is in use now.
   * Readable without a session: the card bar and the screen explain the state to anyone.
   */
  'settings.getHost': {
    input: empty,
    output: z.strictObject({
      saved: hostSettingsSchema.nullable(),
      /** The file they come from. */
      file: z.string(),
      /** IT manages them (a managed settings file exists): shown read-only, `settings.saveHost` refused. */
      managed: z.boolean(),
    }),
  },
  /**
   * Saves them for the next start. Requires an authenticated professional (card + PIN: LOCKED
   * otherwise) and settings not managed by IT (FORBIDDEN); every change and refusal is logged and
   * audited (action `settings.host`).
   */
  'settings.saveHost': {
    input: z.strictObject({ settings: hostSettingsSchema.nullable() }),
    output: z.strictObject({
      saved: hostSettingsSchema.nullable(),
      file: z.string(),
      appliesAtRestart: z.literal(true),
    }),
  },

  'session.get': { input: empty, output: sessionStateSchema },
  'session.verifyPin': {
    // The PIN crosses the boundary once, inbound only; it is never echoed, logged or stored.
    input: z.strictObject({ reader: z.string().min(1).max(200), pin: z.string().regex(/^\d{4,8}$/) }),
    output: z.object({ success: z.boolean(), pin: pinStateSchema }),
  },
  'session.lock': { input: empty, output: sessionStateSchema },
  'session.selectSituation': {
    input: z.strictObject({ index: z.number().int().min(0).max(31) }),
    output: sessionStateSchema,
  },

  'patient.selectBeneficiary': {
    input: z.strictObject({ index: z.number().int().min(0).max(32) }),
    output: sessionStateSchema,
  },
  /** Picks one of several identities the identity reference answered for the card's beneficiary. */
  'patient.chooseIdentity': {
    input: z.strictObject({ index: z.number().int().min(0).max(50) }),
    output: sessionStateSchema,
  },
  /**
   * « Le patient présent autorise l'accès » (TD0.3): the explicit action, with the patient's Vitale in
   * the reader, after which the professional is authorised on the dossier found for the card.
   */
  'patient.authorizeAccess': { input: empty, output: sessionStateSchema },
  /** WS2: the identity reference queried with the five traits, when the card's own look-up found no one. */
  'identity.searchByTraits': {
    input: z.strictObject({
      birthName: z.string().trim().min(1).max(100),
      firstNames: z.string().trim().min(1).max(200),
      birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      sex: sexSchema,
      birthPlaceCode: z.string().trim().max(10).optional(),
    }),
    output: z.array(referenceIdentitySchema),
  },
  /**
   * The identity step of the creation: refuses an identity that cannot be this card beneficiary's
   * (the parent's NIR for a child…), and tells whether a dossier exists for this person already or
   * for a homonym (same five traits).
   */
  'dossier.checkCreation': {
    input: z.strictObject({
      beneficiaryIndex: z.number().int().min(0).max(32),
      identity: z.strictObject({ matricule: matriculeSchema, oid: insOid }),
    }),
    output: z.object({ existing: dossierRefSchema.nullable(), homonyms: z.array(dossierRefSchema) }),
  },
  'patient.keepOpen': { input: z.strictObject({ keep: z.boolean() }), output: sessionStateSchema },
  'patient.close': { input: empty, output: sessionStateSchema },
  'patient.search': {
    input: z.strictObject({
      insKey: insKey.optional(),
      /** Birth-name prefix (3 letters at least), only with a complete birth date; checked in the main process. */
      name: z.string().min(1).max(100).optional(),
      birthDate: cardDate.optional(),
    }),
    output: z.array(dossierRefSchema),
  },
  'patient.open': {
    input: z.strictObject({
      insKey: insKey,
      mode: accessMode,
      reason: z.string().trim().min(1).max(1000).optional(),
    }),
    output: sessionStateSchema,
  },

  'summary.get': { input: z.strictObject({ insKey: insKey }), output: emergencySummarySchema },

  'documents.list': {
    input: z.strictObject({ insKey: insKey, filter: documentFilterSchema.optional() }),
    output: z.array(documentMetaSchema),
  },
  'documents.get': {
    input: z.strictObject({ insKey: insKey, id: z.string().min(1).max(200) }),
    output: documentContentSchema,
  },
  'documents.deposit': {
    input: z.strictObject({
      insKey: insKey,
      fileName: z.string().min(1).max(255),
      /** Up to ~20 MB of content. */
      contentBase64: z.string().min(1).max(28_000_000),
      title: z.string().max(300).optional(),
      typeCode: z.string().max(40).optional(),
      visibility: visibilitySchema,
      replacesId: z.string().max(200).optional(),
    }),
    output: documentMetaSchema,
  },
  'documents.update': {
    input: z.strictObject({
      insKey: insKey,
      id: z.string().min(1).max(200),
      status: documentStatus.optional(),
      visibility: visibilitySchema.optional(),
      /** The patient, present, asked for this visibility change (recorded in the audit trail). */
      atPatientRequest: z.boolean().optional(),
    }),
    output: documentMetaSchema,
  },
  'documents.delete': {
    input: z.strictObject({ insKey: insKey, id: z.string().min(1).max(200) }),
    output: z.object({ deleted: z.literal(true) }),
  },

  'dossier.create': {
    input: z.strictObject({
      beneficiaryIndex: z.number().int().min(0).max(32),
      /** The INS the identity reference answered for this beneficiary; the traits are read back from the reference, never taken from here. */
      identity: z.strictObject({ matricule: matriculeSchema, oid: insOid }),
      /** An identity document of high trust was checked: the INS is then qualified (RNIV). */
      identityDocumentChecked: z.boolean(),
      /** A minor's legal representative(s), who give consent in their name. */
      legalRepresentatives: z
        .array(
          z.strictObject({
            lastName: z.string().trim().min(1).max(100),
            firstNames: z.string().trim().min(1).max(200),
            relation: z.enum(['mère', 'père', 'tuteur', 'autre']),
          }),
        )
        .max(2),
      consent: z.strictObject({
        givenBy: z.enum(['patient', 'legal-representative']),
        informed: z.literal(true),
        brisDeGlaceOpposition: z.boolean(),
        centre15Opposition: z.boolean(),
      }),
      /** The desk checked that the dossiers with the same five traits are other people (homonyms). */
      homonymsConfirmed: z.boolean().optional(),
    }),
    output: z.object({ dossier: dossierRefSchema, accessCodes: pdfFileSchema }),
  },
  /** Patient presence is established by the main process from the Vitale in the session, never sent. */
  'dossier.close': {
    input: z.strictObject({
      insKey: insKey,
      reason: z.string().trim().min(1).max(500),
      atPatientRequest: z.boolean(),
    }),
    output: dossierRefSchema,
  },
  'dossier.reactivate': {
    input: z.strictObject({
      insKey: insKey,
      reason: z.string().trim().min(1).max(500),
      atPatientRequest: z.boolean(),
    }),
    output: dossierRefSchema,
  },
  /** The dossier of the patient whose Vitale is in the session, even when it cannot be opened (closed, CPE). */
  'dossier.ofPresentPatient': { input: empty, output: dossierRefSchema.nullable() },
  'dossier.declareTreatingPhysician': {
    input: z.strictObject({ insKey: insKey, patientConsent: z.literal(true) }),
    output: z.object({ ok: z.literal(true) }),
  },
  'dossier.professionals': {
    input: z.strictObject({ insKey: insKey }),
    output: z.array(
      z.object({
        nationalId: z.string(),
        name: z.string(),
        relation: z.enum(['authorized', 'blocked']),
        treatingPhysician: z.boolean(),
      }),
    ),
  },
  'dossier.recordBlock': {
    input: z.strictObject({
      insKey: insKey,
      nationalId: z.string().regex(/^[0-9]{9,12}$/),
      blocked: z.boolean(),
      atPatientRequest: z.literal(true),
    }),
    output: z.object({ ok: z.literal(true) }),
  },
  'dossier.accessHistory': {
    input: z.strictObject({ insKey: insKey }),
    output: z.array(accessHistoryEntrySchema),
  },

  'simulator.profiles': {
    input: empty,
    output: z.array(z.object({ id: z.string(), label: z.string(), kind: z.string() })),
  },
  'simulator.insert': {
    input: z.strictObject({ reader: z.string().min(1).max(200), profileId: z.string().min(1).max(100) }),
    output: z.object({ ok: z.literal(true) }),
  },
  'simulator.remove': {
    input: z.strictObject({ reader: z.string().min(1).max(200) }),
    output: z.object({ ok: z.literal(true) }),
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export const methodNames = Object.keys(methods) as MethodName[];
