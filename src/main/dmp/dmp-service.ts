import type {
  AccessHistoryEntry,
  Beneficiary,
  DocumentContent,
  DocumentMeta,
  DocumentStatus,
  DossierRef,
  EmergencySummary,
  ReferenceIdentity,
  Visibility,
} from '../../shared/contract';
import type { AuditChainVerdict } from '../audit/verify';
import type { Decision } from '../domain/access-policy';
import { AccessHistory, type HistoryReadBy } from './access-history';
import type { DmpActor, SystemActor } from './actors';
import { DmpContext, type DmpContextOptions } from './dmp-context';
import {
  DocumentOperations,
  type DepositInput,
  type DocumentFilter,
  type ImportResult,
  type PatientBasis as DocumentBasis,
} from './document-operations';
import type { PatientBasis } from '../domain/governance';
import { DossierOperations, type CreateDossierInput, type CreatedDossier } from './dossier-operations';
import { Reextraction, type ReextractReport } from './reextraction';
import { SummaryOperations } from './summary-operations';

export type { DmpActor, SystemActor } from './actors';
export type { DepositInput, DocumentFilter, ImportResult } from './document-operations';
export type { HistoryReadBy } from './access-history';
export type { ReextractReport } from './reextraction';
export type { CreateDossierInput, CreatedDossier } from './dossier-operations';

/** The service's options are its shared context's (dmp-context.ts). */
export type DmpServiceOptions = DmpContextOptions;

/**
 * The DMP as this workstation holds it: dossiers, documents, structured entries and the audit
 * trail. Every access decision comes from the domain rules; every read or change of a dossier is
 * written to the audit log, in the same transaction as the change.
 *
 * A façade: the callers keep one entry point while each concern lives in its own module, all
 * sharing one context so that they write to the same audit chain.
 */
export class DmpService {
  private readonly dossiers: DossierOperations;
  private readonly documents: DocumentOperations;
  private readonly summary: SummaryOperations;
  private readonly history: AccessHistory;
  private readonly reextraction: Reextraction;

  constructor(options: DmpServiceOptions) {
    const ctx = new DmpContext(options);
    this.dossiers = new DossierOperations(ctx);
    this.documents = new DocumentOperations(ctx);
    this.summary = new SummaryOperations(ctx);
    this.history = new AccessHistory(ctx);
    this.reextraction = new Reextraction(ctx);
  }

  // ── Import and deposit ────────────────────────────────────────────────────────────────────────

  /**
   * Deposits a CDA into the dossier of the INS it carries (hospital feeds, demo seeding, CLI). The
   * service takes `bytes` over (the CDA parser may move them to a worker): do not reuse them.
   */
  importCda(
    bytes: Uint8Array,
    opts: { create: boolean; depositor: 'system' | SystemActor | DmpActor },
  ): Promise<ImportResult> {
    return this.documents.importCda(bytes, opts);
  }

  /** Records (log + audit) an import refused before the file could be read, then throws its French reason. */
  refuseImportFile(cause: string, message: string, actor?: SystemActor): Promise<never> {
    return this.documents.refuseImportFile(cause, message, actor);
  }

  /** Deposit from the workstation: CDA (structured or not), plain PDF or text, authored by the CPS holder. */
  depositDocument(actor: DmpActor, input: DepositInput): Promise<DocumentMeta> {
    return this.documents.depositDocument(actor, input);
  }

  // ── Dossiers ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A professional's search: INS, or birth-name prefix (3 letters) with a complete birth date; 20
   * results at most; rate-limited; each patient found gets a line in their history.
   */
  searchDossiersAs(
    actor: DmpActor,
    query: { insKey?: string; name?: string; birthDate?: string },
  ): Promise<DossierRef[]> {
    return this.dossiers.searchDossiersAs(actor, query);
  }

  /** The session's own look-up of a Vitale beneficiary's dossier; never exposed to a professional's query. */
  searchDossiers(query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    return this.dossiers.searchDossiers(query);
  }

  /** Records that the patient, present, let this professional in (TD0.3); only after an explicit user action. */
  authorize(actor: DmpActor, insKey: string, options: { treatingPhysician?: boolean } = {}): Promise<void> {
    return this.dossiers.authorize(actor, insKey, options);
  }

  /** The doctor in session becomes the médecin traitant, with the patient present and consenting. */
  declareTreatingPhysician(
    actor: DmpActor,
    insKey: string,
    basis: { patientPresent: boolean; patientConsent: boolean },
  ): Promise<void> {
    return this.dossiers.declareTreatingPhysician(actor, insKey, basis);
  }

  /** A professional records the patient's block (or unblock) of another professional. */
  recordProfessionalBlock(
    actor: DmpActor,
    insKey: string,
    target: { nationalId: string; blocked: boolean },
    basis: PatientBasis,
  ): Promise<void> {
    return this.dossiers.recordProfessionalBlock(actor, insKey, target, basis);
  }

  /** Professionals the patient authorised or blocked, médecin traitant flagged. */
  professionals(insKey: string): ReturnType<DossierOperations['professionals']> {
    return this.dossiers.professionals(insKey);
  }

  /** What opening the dossier would decide, with nothing opened, audited or authorised. */
  accessDecision(actor: DmpActor, insKey: string): Promise<Decision> {
    return this.dossiers.accessDecision(actor, insKey);
  }

  openDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    return this.dossiers.openDossier(actor, insKey);
  }

  /** A dossier for the same matricule (any OID), and the dossiers of people with the same five traits. */
  creationCheck(
    beneficiary: Beneficiary,
    identity: ReferenceIdentity,
  ): Promise<{ existing: DossierRef | null; homonyms: DossierRef[] }> {
    return this.dossiers.creationCheck(beneficiary, identity);
  }

  /** Traces a query of the identity reference (no patient named: criteria kind and number of answers). */
  traceIdentityLookup(actor: DmpActor, criteria: string, answers: number): Promise<void> {
    return this.dossiers.traceIdentityLookup(actor, criteria, answers);
  }

  createDossier(actor: DmpActor, input: CreateDossierInput): Promise<CreatedDossier> {
    return this.dossiers.createDossier(actor, input);
  }

  /** The patient's decision, with the patient present or on their written request, and a reason. */
  closeDossier(actor: DmpActor, insKey: string, reason: string, basis: PatientBasis): Promise<DossierRef> {
    return this.dossiers.closeDossier(actor, insKey, reason, basis);
  }

  reactivateDossier(
    actor: DmpActor,
    insKey: string,
    reason: string,
    basis: PatientBasis,
  ): Promise<DossierRef> {
    return this.dossiers.reactivateDossier(actor, insKey, reason, basis);
  }

  // ── Reading ───────────────────────────────────────────────────────────────────────────────────

  /** `asOf` evaluates the 24-month reimbursement window at another date (audits, historical documents). */
  getSummary(
    actor: DmpActor | SystemActor,
    insKey: string,
    options: { asOf?: Date } = {},
  ): Promise<EmergencySummary> {
    return this.summary.getSummary(actor, insKey, options);
  }

  listDocuments(actor: DmpActor, insKey: string, filter: DocumentFilter = {}): Promise<DocumentMeta[]> {
    return this.documents.listDocuments(actor, insKey, filter);
  }

  getDocument(actor: DmpActor, insKey: string, id: string): Promise<DocumentContent> {
    return this.documents.getDocument(actor, insKey, id);
  }

  /** Only the author (or their structure); a visibility change also at the request of the patient present. */
  updateDocument(
    actor: DmpActor,
    insKey: string,
    id: string,
    change: { status?: DocumentStatus; visibility?: Visibility },
    basis: DocumentBasis = {},
  ): Promise<DocumentMeta> {
    return this.documents.updateDocument(actor, insKey, id, change, basis);
  }

  deleteDocument(actor: DmpActor, insKey: string, id: string): Promise<void> {
    return this.documents.deleteDocument(actor, insKey, id);
  }

  // ── Maintenance ───────────────────────────────────────────────────────────────────────────────

  /** Stored CDA documents whose entries were extracted under older rules (a count: nothing is read). */
  staleExtractionCount(): Promise<number> {
    return this.reextraction.staleCount();
  }

  /**
   * Re-derives, from their stored content, the sections and entries of documents extracted under
   * older rules: one audited transaction per document, resumable; see reextraction.ts.
   */
  reextractStored(actor?: SystemActor): Promise<ReextractReport> {
    return this.reextraction.reextractStored(actor);
  }

  // ── Audit ─────────────────────────────────────────────────────────────────────────────────────

  /** The dossier's history in French sentences, newest first; a professional's reading is audited. */
  accessHistory(by: HistoryReadBy, insKey: string): Promise<AccessHistoryEntry[]> {
    return this.history.accessHistory(by, insKey);
  }

  verifyAudit(): Promise<AuditChainVerdict> {
    return this.history.verifyAudit();
  }
}
