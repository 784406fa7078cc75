import { z } from 'zod';
import {
  accessHistoryEntrySchema,
  hostSessionEndCause,
  hostUrlProblem,
  beneficiarySchema,
  documentContentSchema,
  documentMetaSchema,
  documentStatus,
  dossierRefSchema,
  emergencySummarySchema,
  insKey,
  matriculeSchema,
  referenceIdentitySchema,
  visibilitySchema,
} from '../../shared/contract';
import type { DmpActor } from '../dmp/actors';
import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import {
  auditVerdictSchema,
  bytes,
  cardBeneficiaryQuerySchema,
  createDossierInputSchema,
  createdDossierSchema,
  decisionSchema,
  depositInputSchema,
  dmpActorSchema,
  documentBasisSchema,
  documentFilterSchema,
  dossierQuerySchema,
  governanceBasisSchema,
  historyReadBySchema,
  identityAnswerSchema,
  importResultSchema,
  isoDate,
  professionalRelationSchema,
  referenceRecordSchema,
  systemActorSchema,
  traitsQuerySchema,
} from './wire';

/**
 * Who a call acts as, read from its (validated) arguments. The host enforces it before calling:
 * `professional` — the actor must be the professional whose card proof this TLS connection gave
 * (national id, card kind and profession); `system` — only a workstation certificate marked for
 * system calls (CLI import, reference loading); `session` — no actor in the arguments (the
 * session's own look-ups): a professional session on this connection, or a system workstation;
 * `connection` — any workstation holding a deployment certificate (hello, challenge, proof);
 * `proven` — no actor in the arguments, and only for the professional session proven on this
 * connection (the host takes the actor from it; a system workstation does not stand for anyone).
 */
export type Caller =
  | { kind: 'professional'; actor: DmpActor }
  | { kind: 'proven' }
  | { kind: 'system' }
  | { kind: 'session' }
  | { kind: 'connection' };

/** Requests are small JSON bodies except the few methods that carry a document or a reference file. */
export const SMALL_REQUEST_BYTES = 64 * 1024;
const DOCUMENT_REQUEST_BYTES = 28_000_000 + SMALL_REQUEST_BYTES;
const REFERENCE_REQUEST_BYTES = 16 * 1024 * 1024;

export interface HostMethod<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The method's parameters, in order, as a tuple codec (wire form ↔ values). */
  args: A;
  result: R;
  caller: (args: z.output<A>) => Caller;
  /**
   * Changes the DMP or its audit chain: the request must carry a request id, and a retry with the
   * same id applies once.
   */
  write: boolean;
  maxRequestBytes: number;
}

function method<A extends z.ZodType, R extends z.ZodType>(spec: {
  args: A;
  result: R;
  caller: (args: z.output<A>) => Caller;
  write?: boolean;
  maxRequestBytes?: number;
}): HostMethod<A, R> {
  return { write: false, maxRequestBytes: SMALL_REQUEST_BYTES, ...spec };
}

const professional = (actor: DmpActor): Caller => ({ kind: 'professional', actor });
const system = (): Caller => ({ kind: 'system' });
const session = (): Caller => ({ kind: 'session' });
const connection = (): Caller => ({ kind: 'connection' });
const proven = (): Caller => ({ kind: 'proven' });
const nothing = z.undefined();
const reason = z.string().trim().min(1).max(1000);
const documentId = z.string().min(1).max(200);

/** What the host says about itself and this connection; the client's first call (it proves the handshake held). */
export const helloSchema = z.strictObject({
  service: z.literal('poste-dmp-host'),
  version: z.string(),
  /** The workstation certificate's common name, as the host read it. */
  workstation: z.string(),
  systemCalls: z.boolean(),
  professional: z.strictObject({ nationalId: z.string() }).nullable(),
});

export const verifiedProfessionalSchema = z.strictObject({
  nationalId: z.string(),
  professionCode: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  cardKind: z.enum(['cps', 'cpe', 'cpf']),
});

/**
 * Whether the professional session proven on this connection is still open on the host: what the
 * client asks on its ping cycle while it believes it is, so that a session the host ended (card
 * revoked, inactivity) locks the workstation without waiting for a clinician's action. Not activity:
 * asking does not keep a session alive.
 */
export const professionalSessionStatusSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('open') }),
  z.strictObject({ state: z.literal('ended'), cause: hostSessionEndCause, message: z.string() }),
]);
export type ProfessionalSessionStatus = z.infer<typeof professionalSessionStatusSchema>;

/**
 * A change (or refused attempt) of a workstation's host settings, for the host's audit chain
 * (`settings.host`, audit/security-events.ts): the outcome, the refusal cause and the two host
 * origins, nothing else — no certificate or key path, no key material, no actor (the host names the
 * professional proven on the connection). `unreadable`: the previous settings file was damaged.
 */
const recordedHostUrl = z
  .union([
    z.literal('unreadable'),
    // Checked, not rewritten: the wire form must encode both ways (already an origin when saved).
    z
      .string()
      .max(300)
      .refine((value) => hostUrlProblem(value) === null, 'https://serveur:port attendu'),
  ])
  .nullable();
export const hostSettingsChangeRecordSchema = z.strictObject({
  outcome: z.enum(['saved', 'refused']),
  cause: z.enum(['not-authenticated', 'managed']).optional(),
  oldUrl: recordedHostUrl,
  newUrl: recordedHostUrl,
});
export type HostSettingsChangeRecord = z.output<typeof hostSettingsChangeRecordSchema>;

/**
 * THE host API: one entry per exposed method. The host routes exactly these names
 * (src/main/host/routing.ts) and the client is generated from them (src/main/host-client/), so both
 * sides can only speak this table; tests/unit/host/host-api.test.ts checks that the `dmp.*` and
 * `identities.*` entries are exactly the methods of DmpService and IdentityReference.
 */
export const hostMethods = {
  // ── Connection and professional session ─────────────────────────────────────────────────────
  'host.hello': method({ args: z.tuple([]), result: helloSchema, caller: connection }),
  /** A fresh nonce; what the card signs also binds this TLS connection (see protocol.ts). */
  'session.challenge': method({
    args: z.tuple([]),
    result: z.strictObject({ nonce: bytes }),
    caller: connection,
  }),
  'session.prove': method({
    args: z.tuple([
      z.strictObject({ nonce: bytes, certificatePem: z.string().min(1).max(20_000), signature: bytes }),
    ]),
    result: z.strictObject({
      professional: verifiedProfessionalSchema,
      idleTimeoutSeconds: z.number().int(),
    }),
    caller: connection,
  }),
  'session.end': method({
    args: z.tuple([]),
    result: z.strictObject({ ended: z.boolean() }),
    caller: connection,
  }),
  'session.status': method({
    args: z.tuple([]),
    result: professionalSessionStatusSchema,
    caller: connection,
  }),

  /**
   * A workstation without a local store records its host settings changes in the host's audit
   * chain. A write: the entry is all it does, and a resend after a lost answer must not add a second.
   */
  'settings.recordHostChange': method({
    args: z.tuple([hostSettingsChangeRecordSchema]),
    result: nothing,
    caller: proven,
    write: true,
  }),

  // ── DMP ─────────────────────────────────────────────────────────────────────────────────────
  'dmp.importCda': method({
    args: z.tuple([
      bytes,
      z.strictObject({
        create: z.boolean(),
        depositor: z.union([z.literal('system'), systemActorSchema, dmpActorSchema]),
      }),
    ]),
    result: importResultSchema,
    caller: ([, { depositor }]) =>
      depositor === 'system' || 'system' in depositor ? system() : professional(depositor),
    write: true,
    maxRequestBytes: DOCUMENT_REQUEST_BYTES,
  }),
  'dmp.refuseImportFile': method({
    args: z.tuple([z.string().min(1).max(200), z.string().min(1).max(2000), systemActorSchema.optional()]),
    result: z.never(),
    caller: system,
    write: true,
  }),
  'dmp.depositDocument': method({
    args: z.tuple([dmpActorSchema, depositInputSchema]),
    result: documentMetaSchema,
    caller: ([actor]) => professional(actor),
    write: true,
    maxRequestBytes: DOCUMENT_REQUEST_BYTES,
  }),
  'dmp.searchDossiersAs': method({
    args: z.tuple([dmpActorSchema, dossierQuerySchema]),
    result: z.array(dossierRefSchema),
    caller: ([actor]) => professional(actor),
  }),
  'dmp.searchDossiers': method({
    args: z.tuple([dossierQuerySchema]),
    result: z.array(dossierRefSchema),
    caller: session,
  }),
  'dmp.authorize': method({
    args: z.tuple([
      dmpActorSchema,
      insKey,
      z.strictObject({ treatingPhysician: z.boolean().optional() }).optional(),
    ]),
    result: nothing,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.declareTreatingPhysician': method({
    args: z.tuple([
      dmpActorSchema,
      insKey,
      z.strictObject({ patientPresent: z.boolean(), patientConsent: z.boolean() }),
    ]),
    result: nothing,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.recordProfessionalBlock': method({
    args: z.tuple([
      dmpActorSchema,
      insKey,
      z.strictObject({ nationalId: z.string().regex(/^[0-9]{9,12}$/), blocked: z.boolean() }),
      governanceBasisSchema,
    ]),
    result: nothing,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.professionals': method({
    args: z.tuple([insKey]),
    result: z.array(professionalRelationSchema),
    caller: session,
  }),
  'dmp.accessDecision': method({
    args: z.tuple([dmpActorSchema, insKey]),
    result: decisionSchema,
    caller: ([actor]) => professional(actor),
  }),
  'dmp.openDossier': method({
    args: z.tuple([dmpActorSchema, insKey]),
    result: dossierRefSchema,
    caller: ([actor]) => professional(actor),
  }),
  'dmp.creationCheck': method({
    args: z.tuple([beneficiarySchema, referenceIdentitySchema]),
    result: z.strictObject({ existing: dossierRefSchema.nullable(), homonyms: z.array(dossierRefSchema) }),
    caller: session,
  }),
  'dmp.traceIdentityLookup': method({
    args: z.tuple([dmpActorSchema, z.string().min(1).max(40), z.number().int().min(0).max(10_000)]),
    result: nothing,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.createDossier': method({
    args: z.tuple([dmpActorSchema, createDossierInputSchema]),
    result: createdDossierSchema,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.closeDossier': method({
    args: z.tuple([dmpActorSchema, insKey, reason, governanceBasisSchema]),
    result: dossierRefSchema,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.reactivateDossier': method({
    args: z.tuple([dmpActorSchema, insKey, reason, governanceBasisSchema]),
    result: dossierRefSchema,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.getSummary': method({
    args: z.tuple([
      z.union([dmpActorSchema, systemActorSchema]),
      insKey,
      z.strictObject({ asOf: isoDate.optional() }).optional(),
    ]),
    result: emergencySummarySchema,
    caller: ([actor]) => ('system' in actor ? system() : professional(actor)),
  }),
  'dmp.listDocuments': method({
    args: z.tuple([dmpActorSchema, insKey, documentFilterSchema.optional()]),
    result: z.array(documentMetaSchema),
    caller: ([actor]) => professional(actor),
  }),
  'dmp.getDocument': method({
    args: z.tuple([dmpActorSchema, insKey, documentId]),
    result: documentContentSchema,
    caller: ([actor]) => professional(actor),
  }),
  'dmp.updateDocument': method({
    args: z.tuple([
      dmpActorSchema,
      insKey,
      documentId,
      z.strictObject({ status: documentStatus.optional(), visibility: visibilitySchema.optional() }),
      documentBasisSchema.optional(),
    ]),
    result: documentMetaSchema,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.deleteDocument': method({
    args: z.tuple([dmpActorSchema, insKey, documentId]),
    result: nothing,
    caller: ([actor]) => professional(actor),
    write: true,
  }),
  'dmp.accessHistory': method({
    args: z.tuple([historyReadBySchema, insKey]),
    result: z.array(accessHistoryEntrySchema),
    // The patient's own reading (patient portal, CLI) is a system call: no workstation speaks for the patient.
    caller: ([by]) => ('actor' in by ? professional(by.actor) : system()),
  }),
  'dmp.verifyAudit': method({ args: z.tuple([]), result: auditVerdictSchema, caller: system }),

  // ── Identity reference ──────────────────────────────────────────────────────────────────────
  'identities.register': method({
    args: z.tuple([z.array(referenceRecordSchema).max(50_000).readonly()]),
    result: nothing,
    caller: system,
    write: true,
    maxRequestBytes: REFERENCE_REQUEST_BYTES,
  }),
  'identities.lookupByCard': method({
    args: z.tuple([cardBeneficiaryQuerySchema]),
    result: identityAnswerSchema,
    caller: session,
  }),
  'identities.lookupByTraits': method({
    args: z.tuple([traitsQuerySchema]),
    result: identityAnswerSchema,
    caller: session,
  }),
  'identities.byIns': method({
    // The port takes any OID string (a document may carry an unknown one): the reference answers null.
    args: z.tuple([z.strictObject({ matricule: matriculeSchema, oid: z.string().min(1).max(64) })]),
    result: referenceIdentitySchema.nullable(),
    caller: session,
  }),
} as const;

export type HostMethods = typeof hostMethods;
export type HostMethodName = keyof HostMethods;
export type HostArgs<M extends HostMethodName> = z.output<HostMethods[M]['args']>;
export type HostResult<M extends HostMethodName> = z.output<HostMethods[M]['result']>;
export const hostMethodNames = Object.keys(hostMethods) as HostMethodName[];

export function isHostMethodName(name: string): name is HostMethodName {
  return Object.prototype.hasOwnProperty.call(hostMethods, name);
}

// ── The table must say exactly what the ports say (checked by the compiler) ────────────────────

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type PortMatch<P, NS extends string> = {
  [K in keyof P & string]: `${NS}.${K}` extends HostMethodName
    ? P[K] extends (...args: infer A) => Promise<infer R>
      ? [Mutual<HostArgs<`${NS}.${K}`>, A>, Mutual<HostResult<`${NS}.${K}`>, VoidAsUndefined<R>>] extends [
          true,
          true,
        ]
        ? true
        : { mismatch: `${NS}.${K}`; table: [HostArgs<`${NS}.${K}`>, HostResult<`${NS}.${K}`>]; port: [A, R] }
      : { notAsync: K }
    : { missingFromTable: `${NS}.${K}` };
};
/** A `Promise<void>` method answers nothing: on the wire, `undefined`. */
type VoidAsUndefined<R> = [R] extends [void] ? ([void] extends [R] ? undefined : R) : R;
type AllTrue<T> = { [K in keyof T]: T[K] extends true ? true : T[K] };
/** A compile error here names the method whose table entry disagrees with DmpPort or IdentityPort. */
export const portsMatchTable: {
  dmp: AllTrue<PortMatch<DmpPort, 'dmp'>>;
  identities: AllTrue<PortMatch<IdentityPort, 'identities'>>;
} = {
  dmp: {
    importCda: true,
    refuseImportFile: true,
    depositDocument: true,
    searchDossiersAs: true,
    searchDossiers: true,
    authorize: true,
    declareTreatingPhysician: true,
    recordProfessionalBlock: true,
    professionals: true,
    accessDecision: true,
    openDossier: true,
    creationCheck: true,
    traceIdentityLookup: true,
    createDossier: true,
    closeDossier: true,
    reactivateDossier: true,
    getSummary: true,
    listDocuments: true,
    getDocument: true,
    updateDocument: true,
    deleteDocument: true,
    accessHistory: true,
    verifyAudit: true,
  },
  identities: { register: true, lookupByCard: true, lookupByTraits: true, byIns: true },
};
