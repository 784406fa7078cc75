import { randomBytes } from 'node:crypto';
import {
  ApiError,
  type AccessHistoryEntry,
  type Beneficiary,
  type DocumentContent,
  type DocumentMeta,
  type DocumentStatus,
  type DossierRef,
  type EmergencySummary,
  type InsOid,
  type Visibility,
} from '../../shared/contract';
import { AuditLog } from '../audit/audit-log';
import type { AuditEvent } from '../audit/audit-entry';
import type { AuditChainVerdict } from '../audit/verify';
import type { CdaDocument } from '../cda/types';
import {
  canReadMedicalContent,
  decideDeposit,
  decideDocumentRead,
  decideDossierAccess,
  decideDossierManagement,
  type Decision,
  type DossierFacts,
} from '../domain/access-policy';
import { categoryForTypeCode } from '../domain/document-types';
import { beneficiaryNeedsOwnIns, formatInsKey, insOids, isTestOid, tryParseInsKey, validateIns } from '../domain/ins';
import { displayWarnings, encodeVisibility, validateVisibilityAtDeposit } from '../domain/visibility';
import { redactNir, type Logger } from '../log/logger';
import type { Statement, Store } from '../store/types';
import { accessCodesPdf } from './access-codes-pdf';
import { hashOneTimeCode, newLogin, newOneTimeCode, validUntil } from './access-codes';
import { auditWho, isSystemActor, professionalName, toDomainActor, type DmpActor, type SystemActor } from './actors';
import { decodeBase64, decodeText, depositKind, looksLikeCompletePdf } from './deposit-input';
import { documentColumns, entryColumns, toDocumentFacts, toDocumentMeta, type DocumentRow, type EntryRow } from './document-rows';
import { countEntries, insertDocumentStatements, isEmptyDocument, sha256Hex, type NewDocument } from './document-writes';
import { dossierColumns, loadDossierFacts, loadDossierRow, toDossierRef, type DossierRow } from './dossier-rows';
import { escapeHtml } from './html';
import { insFromPatientIds } from './ins-key';
import { normaliseName } from './names';
import { parseCdaOrThrow } from './parse-cda';
import { buildSummary } from './summary-builder';

export type { DmpActor, SystemActor } from './actors';

export interface DmpServiceOptions {
  store: Store;
  log: Logger;
  now?: () => Date;
  random?: (n: number) => Uint8Array;
}

export interface ImportResult {
  insKey: string;
  documentId: string;
  created: boolean;
  /** Entries stored per kind, plus `sections`. */
  counts: Record<string, number>;
}

export interface DepositInput {
  insKey: string;
  fileName: string;
  contentBase64: string;
  title?: string;
  typeCode?: string;
  visibility: Visibility;
  replacesId?: string;
}

export interface DocumentFilter {
  category?: string;
  from?: string;
  to?: string;
  includeArchived?: boolean;
}

export interface CreateDossierInput {
  beneficiary: Beneficiary;
  identity: { matricule: string; sex: 'M' | 'F' | 'U'; birthPlaceCode?: string; identityDocumentChecked: boolean };
  consent: { brisDeGlaceOpposition: boolean; centre15Opposition: boolean };
  /** OID matching the Vitale card's status (production → NIR, test, demo); NIR/NIA by first digit otherwise. */
  oid?: InsOid;
}

export interface CreatedDossier {
  dossier: DossierRef;
  accessCodes: { login: string; oneTimeCode: string };
  pdf: Uint8Array;
}

const searchLimit = 50;

const actionLabels: Record<AccessHistoryEntry['action'], string> = {
  'dossier.read': 'Consultation du dossier',
  'dossier.create': 'Création du dossier',
  'dossier.close': 'Fermeture du dossier',
  'dossier.reactivate': 'Réactivation du dossier',
  'summary.read': 'Consultation de la synthèse d’urgence',
  'document.read': 'Consultation d’un document',
  'document.deposit': 'Dépôt d’un document',
  'document.update': 'Modification d’un document',
  'document.delete': 'Suppression d’un document',
  'access.denied': 'Tentative d’accès refusée',
  'patient.search': 'Recherche de patient',
  'access.authorize': 'Autorisation d’accès enregistrée',
  'professional.block': 'Professionnel bloqué par le patient',
  'professional.unblock': 'Professionnel débloqué par le patient',
  'accessCodes.print': 'Impression des codes d’accès',
};

function notFound(): ApiError {
  return new ApiError('NOT_FOUND', 'Aucun DMP n’existe pour cet INS sur ce poste.');
}

/** `1979-03-00` (unknown day on the card) searches the whole month; `1979-00-00` the whole year. */
function birthDatePattern(date: string): string {
  const [y = '', m = '', d = ''] = date.split('-');
  if (/^0+$/.test(m)) return `${y}-*`;
  if (/^0+$/.test(d)) return `${y}-${m}-*`;
  return date;
}

/**
 * The DMP as this workstation holds it: dossiers, documents, structured entries and the audit
 * trail. Every access decision comes from the domain rules; every read or change of a dossier is
 * written to the audit log, in the same transaction as the change.
 */
export class DmpService {
  private readonly store: Store;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly random: (n: number) => Uint8Array;
  private readonly audit: Promise<AuditLog>;

  constructor(options: DmpServiceOptions) {
    this.store = options.store;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.audit = AuditLog.open(this.store);
    // Surface a failed load on first use, not as an unhandled rejection at construction.
    this.audit.catch(() => undefined);
  }

  // ── Import and deposit ────────────────────────────────────────────────────────────────────────

  /** Deposits a CDA into the dossier of the INS it carries (hospital feeds, demo seeding, CLI). */
  async importCda(bytes: Uint8Array, opts: { create: boolean; depositor: 'system' | DmpActor }): Promise<ImportResult> {
    if (bytes.length === 0) throw new ApiError('INVALID_INPUT', 'Le fichier est vide.');
    const cda = parseCdaOrThrow(bytes);
    const ins = insFromPatientIds(cda.header.patient.ids);
    if (!ins) throw new ApiError('INVALID_INPUT', 'Le document ne porte pas l’INS du patient : il ne peut pas être rattaché à un DMP.');
    const insKey = formatInsKey(ins);
    const actor: DmpActor | SystemActor = opts.depositor === 'system' ? { system: 'import' } : opts.depositor;

    let row = await loadDossierRow(this.store, insKey);
    const statements: Statement[] = [];
    const events: AuditEvent[] = [];
    const created = row === null;
    if (!row) {
      if (!opts.create) {
        throw new ApiError('NOT_FOUND', 'Aucun DMP n’existe pour le patient de ce document. Créez d’abord le dossier (option --create pour un import).');
      }
      const draft = this.dossierFromCda(cda, ins.matricule, ins.oid, actor);
      if (!isSystemActor(actor)) {
        const domainActor = toDomainActor(actor.professional);
        await this.enforce(actor, insKey, decideDossierManagement(domainActor, 'create'));
        await this.enforce(actor, insKey, decideDeposit(domainActor, { ...freshDossierFacts }));
      }
      statements.push(draft.statement);
      events.push(this.event(actor, 'dossier.create', insKey, 'import CDA'));
      row = draft.row;
    } else if (!isSystemActor(actor)) {
      await this.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), await loadDossierFacts(this.store, row)));
    } else if (row.status === 'closed') {
      throw new ApiError('LOCKED', 'Ce DMP est fermé : aucun document ne peut y être ajouté.');
    }

    const doc = await this.documentFromCda(cda, bytes, insKey, actor, { visibilityMask: encodeVisibility(normal) });
    statements.push(...insertDocumentStatements(doc));
    events.push(this.event(actor, 'document.deposit', insKey, doc.id));
    await this.write(events, statements);
    this.log.info('CDA imported', { ins: redactNir(ins.matricule), documentId: doc.id, created, entries: doc.entries.length });
    return { insKey, documentId: doc.id, created, counts: countEntries(doc) };
  }

  /** Deposit from the workstation: CDA (structured or not), plain PDF or text, authored by the CPS holder. */
  async depositDocument(actor: DmpActor, input: DepositInput): Promise<DocumentMeta> {
    const { row, facts } = await this.requireDossier(input.insKey);
    const insKey = row.ins_key;
    await this.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), facts));
    const check = validateVisibilityAtDeposit(input.visibility, { allowInvisibleAndMasked: false, secretMinor: false });
    if (!check.ok) throw new ApiError('INVALID_INPUT', check.message);

    const bytes = decodeBase64(input.contentBase64);
    if (bytes.length === 0) throw new ApiError('INVALID_INPUT', 'Le fichier est vide.');
    const kind = depositKind(input.fileName, bytes);
    const visibilityMask = encodeVisibility(input.visibility);
    let doc: NewDocument;
    if (kind === 'cda') {
      const cda = parseCdaOrThrow(bytes);
      const ins = insFromPatientIds(cda.header.patient.ids);
      if (!ins || formatInsKey(ins) !== insKey) {
        throw new ApiError('INVALID_INPUT', 'Ce document concerne un autre patient que le dossier ouvert (INS différent).');
      }
      doc = await this.documentFromCda(cda, bytes, insKey, actor, { visibilityMask, replacesId: input.replacesId, title: input.title });
    } else {
      doc = await this.documentFromFile(kind, bytes, insKey, actor, input, visibilityMask);
    }
    // The depositing professional signs the deposit with their CPS: they are its author here.
    Object.assign(doc, this.authorFromCps(actor));
    await this.write([this.event(actor, 'document.deposit', insKey, doc.id)], insertDocumentStatements(doc));
    this.log.info('document deposited', { ins: redactNir(row.matricule), documentId: doc.id, format: doc.format });
    const stored = await this.documentRow(insKey, doc.id);
    return toDocumentMeta(stored as DocumentRow, insKey);
  }

  // ── Dossiers ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A professional's search is traced (who, which criteria, how many results — not the names
   * typed, which stay out of the trail) so a name lookup without the patient's card is visible to
   * a security auditor.
   */
  async searchDossiersAs(actor: DmpActor, query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    const found = await this.searchDossiers(query);
    const criteria = [query.insKey ? 'INS' : null, query.name ? 'nom' : null, query.birthDate ? 'date de naissance' : null].filter(Boolean).join(' + ');
    await this.write([this.event(actor, 'patient.search', null, `${criteria || 'aucun critère'} ; ${found.length} résultat(s)`)]);
    return found;
  }

  async searchDossiers(query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    if (query.insKey !== undefined) {
      const ins = tryParseInsKey(query.insKey);
      if (!ins) return [];
      const rows = await this.store.all<DossierRow>(`SELECT ${dossierColumns} FROM dossiers WHERE ins_key = ?`, [formatInsKey(ins)]);
      return rows.filter((r) => !query.birthDate || r.birth_date === query.birthDate).map(toDossierRef);
    }
    const name = query.name !== undefined ? normaliseName(query.name) : '';
    const birth = query.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(query.birthDate) ? birthDatePattern(query.birthDate) : null;
    if (name.length < 2 && !birth) return [];
    let rows: DossierRow[];
    if (name.length >= 2) {
      // One indexed range scan per name column; an OR across both would scan the table.
      const dateClause = birth ? 'AND birth_date GLOB ?' : '';
      const params = birth ? [`${name}*`, birth, `${name}*`, birth] : [`${name}*`, `${name}*`];
      rows = await this.store.all<DossierRow>(
        `SELECT ${dossierColumns} FROM dossiers WHERE birth_name_norm GLOB ? ${dateClause}
         UNION
         SELECT ${dossierColumns} FROM dossiers WHERE used_name_norm GLOB ? ${dateClause}
         ORDER BY birth_name, first_names LIMIT ${searchLimit}`,
        params,
      );
    } else {
      rows = await this.store.all<DossierRow>(
        `SELECT ${dossierColumns} FROM dossiers WHERE birth_date GLOB ? ORDER BY birth_name, first_names LIMIT ${searchLimit}`,
        [birth as string],
      );
    }
    return rows.map(toDossierRef);
  }

  /** Records that the patient, present, let this professional in (TD0.3); only after an explicit user action. */
  async authorize(actor: DmpActor, insKey: string, options: { treatingPhysician?: boolean } = {}): Promise<void> {
    const { row } = await this.requireDossier(insKey);
    const domainActor = toDomainActor(actor.professional);
    // Someone who may not read medical content gains nothing from an authorisation; the opening that follows refuses and audits.
    if (!canReadMedicalContent(domainActor)) return;
    const statements: Statement[] = [
      {
        // A patient's block is never lifted by an authorisation recorded at the desk.
        sql: `INSERT INTO dossier_professionals (ins_key, national_id, display_name, relation, since) VALUES (?, ?, ?, 'authorized', ?)
              ON CONFLICT(ins_key, national_id) DO NOTHING`,
        params: [row.ins_key, domainActor.nationalId, professionalName(actor.professional), this.now().toISOString()],
      },
    ];
    if (options.treatingPhysician) {
      statements.push({ sql: 'UPDATE dossiers SET treating_physician_id = ? WHERE ins_key = ?', params: [domainActor.nationalId, row.ins_key] });
    }
    const already = await this.store.all('SELECT 1 FROM dossier_professionals WHERE ins_key = ? AND national_id = ?', [row.ins_key, domainActor.nationalId]);
    // Only a new authorisation (or a médecin-traitant change) is an event in the patient's history.
    if (already.length > 0 && !options.treatingPhysician) return;
    await this.write([this.event(actor, 'access.authorize', row.ins_key, options.treatingPhysician ? 'médecin traitant' : null)], statements);
  }

  /** Patient-side control: block (or unblock) one professional. */
  async setProfessionalBlocked(insKey: string, professional: { nationalId: string; displayName: string }, blocked: boolean): Promise<void> {
    const { row } = await this.requireDossier(insKey);
    const event = this.event({ system: 'patient' }, blocked ? 'professional.block' : 'professional.unblock', row.ins_key, professional.nationalId);
    await this.write([event], [
      blocked
        ? {
            sql: `INSERT INTO dossier_professionals (ins_key, national_id, display_name, relation, since) VALUES (?, ?, ?, 'blocked', ?)
                  ON CONFLICT(ins_key, national_id) DO UPDATE SET relation = 'blocked', since = excluded.since`,
            params: [row.ins_key, professional.nationalId, professional.displayName, this.now().toISOString()],
          }
        : { sql: "DELETE FROM dossier_professionals WHERE ins_key = ? AND national_id = ? AND relation = 'blocked'", params: [row.ins_key, professional.nationalId] },
    ]);
  }

  async openDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    const { row, facts } = await this.requireDossier(insKey);
    await this.enforce(actor, row.ins_key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
    await this.write([this.event(actor, 'dossier.read', row.ins_key, null)]);
    return toDossierRef(row);
  }

  async createDossier(actor: DmpActor, input: CreateDossierInput): Promise<CreatedDossier> {
    const domainActor = toDomainActor(actor.professional);
    const management = decideDossierManagement(domainActor, 'create');
    if (!management.allowed) throw new ApiError(management.code, management.message, `rule ${management.rule}`);
    const matricule = input.identity.matricule.trim().toUpperCase();
    const { beneficiary } = input;
    if (matricule === beneficiary.nir.trim().toUpperCase() && beneficiaryNeedsOwnIns(beneficiary.nir, beneficiary)) {
      throw new ApiError(
        'INVALID_INPUT',
        'Ce numéro est celui de l’ouvrant droit inscrit sur la carte Vitale, pas celui de ce bénéficiaire : saisissez le NIR propre du bénéficiaire (son INS).',
      );
    }
    const oid = input.oid ?? (matricule.startsWith('7') || matricule.startsWith('8') ? insOids.nia : insOids.nir);
    const validation = validateIns({ matricule, oid }, { sex: input.identity.sex, birthDate: beneficiary.birthDate });
    if (!validation.valid) throw new ApiError('INVALID_INPUT', validation.errors.join(' '));
    const insKey = formatInsKey({ matricule, oid });
    if (await loadDossierRow(this.store, insKey)) throw new ApiError('CONFLICT', 'Un DMP existe déjà pour cet INS.');

    const now = this.now();
    const login = newLogin(this.random);
    const oneTimeCode = newOneTimeCode(this.random);
    const expires = validUntil(now);
    const row: DossierRow = {
      ins_key: insKey,
      matricule,
      oid,
      ins_status: input.identity.identityDocumentChecked ? 'qualified' : 'provisional',
      status: 'active',
      birth_name: beneficiary.lastName.trim(),
      used_name: null,
      first_names: beneficiary.firstName.trim(),
      birth_date: beneficiary.birthDate,
      sex: input.identity.sex,
      birth_place_code: input.identity.birthPlaceCode ?? null,
      test_identity: isTestOid(oid) ? 1 : 0,
      bris_de_glace_opposition: input.consent.brisDeGlaceOpposition ? 1 : 0,
      centre15_opposition: input.consent.centre15Opposition ? 1 : 0,
      treating_physician_id: null,
    };
    const insert = this.insertDossierStatement(row, { id: domainActor.nationalId, name: professionalName(actor.professional) }, {
      login,
      codeHash: hashOneTimeCode(login, oneTimeCode),
      expiresAt: expires.toISOString(),
    });
    const pdf = await accessCodesPdf({
      patientName: `${row.first_names} ${row.birth_name}`,
      birthDate: row.birth_date,
      matricule,
      login,
      oneTimeCode,
      validUntil: expires.toISOString(),
      issuedAt: now.toISOString(),
      issuedBy: professionalName(actor.professional),
    });
    await this.write([this.event(actor, 'dossier.create', insKey, null), this.event(actor, 'accessCodes.print', insKey, null)], [insert]);
    this.log.info('dossier created', { ins: redactNir(matricule), warnings: validation.warnings.length });
    return { dossier: toDossierRef(row), accessCodes: { login, oneTimeCode }, pdf };
  }

  async closeDossier(actor: DmpActor, insKey: string, reason: string): Promise<DossierRef> {
    const { row } = await this.requireDossier(insKey);
    const decision = decideDossierManagement(toDomainActor(actor.professional), 'close');
    await this.enforce(actor, row.ins_key, decision);
    if (row.status === 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà fermé.');
    const trimmed = reason.trim();
    if (trimmed === '') throw new ApiError('INVALID_INPUT', 'Le motif de fermeture est obligatoire.');
    await this.write([this.event(actor, 'dossier.close', row.ins_key, trimmed)], [
      { sql: "UPDATE dossiers SET status = 'closed', closed_reason = ?, closed_at = ? WHERE ins_key = ?", params: [trimmed, this.now().toISOString(), row.ins_key] },
    ]);
    return toDossierRef({ ...row, status: 'closed' });
  }

  async reactivateDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    const { row } = await this.requireDossier(insKey);
    await this.enforce(actor, row.ins_key, decideDossierManagement(toDomainActor(actor.professional), 'reactivate'));
    if (row.status !== 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà actif.');
    await this.write([this.event(actor, 'dossier.reactivate', row.ins_key, null)], [
      { sql: "UPDATE dossiers SET status = 'active', closed_reason = NULL, closed_at = NULL WHERE ins_key = ?", params: [row.ins_key] },
    ]);
    return toDossierRef({ ...row, status: 'active' });
  }

  // ── Reading ───────────────────────────────────────────────────────────────────────────────────

  /** `asOf` evaluates the 24-month reimbursement window at another date (audits, historical documents). */
  async getSummary(actor: DmpActor | SystemActor, insKey: string, options: { asOf?: Date } = {}): Promise<EmergencySummary> {
    const { row, facts } = await this.requireDossier(insKey);
    const key = row.ins_key;
    if (!isSystemActor(actor)) {
      await this.enforce(actor, key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
    } else if (row.status === 'closed') {
      throw new ApiError('LOCKED', 'Ce DMP est fermé : il ne peut plus être consulté. Il peut être réactivé à la demande du patient.');
    }
    const docs = await this.store.all<DocumentRow>(`SELECT ${documentColumns} FROM documents WHERE ins_key = ? AND status = 'approved'`, [key]);
    const readable = docs.filter((d) => this.mayRead(actor, facts, d));
    const byId = new Map(readable.map((d) => [d.id, d]));
    const entries = await this.store.all<EntryRow>(`SELECT ${entryColumns} FROM clinical_entries WHERE ins_key = ? ORDER BY document_id, position`, [key]);
    const items = entries.flatMap((entry) => {
      const doc = byId.get(entry.document_id);
      return doc ? [{ entry, doc }] : [];
    });
    await this.write([this.event(actor, 'summary.read', key, null)]);
    return buildSummary(toDossierRef(row), items, readable, options.asOf ?? this.now());
  }

  async listDocuments(actor: DmpActor, insKey: string, filter: DocumentFilter = {}): Promise<DocumentMeta[]> {
    const { row, facts } = await this.requireDossier(insKey);
    const key = row.ins_key;
    await this.enforce(actor, key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
    const docs = await this.store.all<DocumentRow>(
      `SELECT ${documentColumns} FROM documents WHERE ins_key = ? ORDER BY COALESCE(document_date, deposited_at) DESC, deposited_at DESC`,
      [key],
    );
    const from = filter.from?.slice(0, 10);
    const to = filter.to?.slice(0, 10);
    const listed = docs.filter((d) => {
      if (!filter.includeArchived && d.status !== 'approved') return false;
      if (filter.category && d.category !== filter.category) return false;
      const day = (d.document_date ?? d.deposited_at).slice(0, 10);
      if (from && day < from) return false;
      if (to && day > to) return false;
      // Documents the actor may not read are left out, so a masked document's existence is not revealed.
      return this.mayRead(actor, facts, d);
    });
    await this.write([this.event(actor, 'dossier.read', key, 'liste des documents')]);
    return listed.map((d) => toDocumentMeta(d, key));
  }

  async getDocument(actor: DmpActor, insKey: string, id: string): Promise<DocumentContent> {
    const { row, facts } = await this.requireDossier(insKey);
    const key = row.ins_key;
    const doc = await this.documentRow(key, id);
    if (!doc) {
      await this.enforce(actor, key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
      throw new ApiError('NOT_FOUND', 'Ce document n’existe pas dans ce DMP.');
    }
    await this.enforce(actor, key, decideDocumentRead(toDomainActor(actor.professional), facts, actor.mode, toDocumentFacts(doc)), id);
    const meta = toDocumentMeta(doc, key);
    const body = await this.documentBody(doc);
    await this.write([this.event(actor, 'document.read', key, id)]);
    const warnings = [...displayWarnings(meta.visibility)];
    if (meta.status === 'obsolete') warnings.push('Ce document a été remplacé par une version plus récente.');
    if (meta.status === 'archived') warnings.push('Ce document est archivé.');
    return { meta, ...body, warnings };
  }

  async updateDocument(actor: DmpActor, insKey: string, id: string, change: { status?: DocumentStatus; visibility?: Visibility }): Promise<DocumentMeta> {
    const { row, facts, doc } = await this.requireWritableDocument(actor, insKey, id);
    const key = row.ins_key;
    const sets: string[] = [];
    const params: (string | number)[] = [];
    if (change.status !== undefined && change.status !== doc.status) {
      // Archiving is a toggle between approved and archived; obsolescence only comes from a new version.
      const toggles = (doc.status === 'approved' && change.status === 'archived') || (doc.status === 'archived' && change.status === 'approved');
      if (!toggles) throw new ApiError('INVALID_INPUT', 'Seul l’archivage (ou le désarchivage) d’un document à jour est possible.');
      sets.push('status = ?');
      params.push(change.status);
    }
    if (change.visibility !== undefined) {
      const check = validateVisibilityAtDeposit(change.visibility, { allowInvisibleAndMasked: false, secretMinor: facts.isMinorInSecretMode === true });
      if (!check.ok) throw new ApiError('INVALID_INPUT', check.message);
      sets.push('visibility = ?');
      params.push(encodeVisibility(change.visibility));
    }
    if (sets.length > 0) {
      await this.write([this.event(actor, 'document.update', key, id)], [
        { sql: `UPDATE documents SET ${sets.join(', ')} WHERE id = ? AND ins_key = ?`, params: [...params, id, key] },
      ]);
    }
    return toDocumentMeta((await this.documentRow(key, id)) as DocumentRow, key);
  }

  async deleteDocument(actor: DmpActor, insKey: string, id: string): Promise<void> {
    const { row, doc } = await this.requireWritableDocument(actor, insKey, id);
    const statements: Statement[] = [{ sql: 'DELETE FROM documents WHERE id = ? AND ins_key = ?', params: [id, row.ins_key] }];
    // Deleting the latest version puts the one it replaced back in force.
    if (doc.replaces_id && doc.status === 'approved') {
      statements.push({ sql: "UPDATE documents SET status = 'approved' WHERE id = ? AND ins_key = ? AND status = 'obsolete'", params: [doc.replaces_id, row.ins_key] });
    }
    await this.write([this.event(actor, 'document.delete', row.ins_key, id)], statements);
  }

  // ── Audit ─────────────────────────────────────────────────────────────────────────────────────

  /** The dossier's history as the patient sees it, newest first. */
  async accessHistory(insKey: string): Promise<AccessHistoryEntry[]> {
    const { row } = await this.requireDossier(insKey);
    const entries = await (await this.audit).entriesForDossier(row.ins_key);
    return entries.map((e) => ({
      at: e.at,
      actor: e.actorName,
      profession: e.profession,
      action: e.action,
      actionLabel: actionLabels[e.action] ?? e.action,
      ...(e.mode ? { mode: e.mode } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.target ? { target: e.target } : {}),
    }));
  }

  async verifyAudit(): Promise<AuditChainVerdict> {
    return (await this.audit).verify();
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────────

  private event(actor: DmpActor | SystemActor, action: AuditEvent['action'], insKey: string | null, target: string | null): AuditEvent {
    return { at: this.now().toISOString(), ...auditWho(actor), action, insKey, target };
  }

  private async write(events: AuditEvent[], statements: Statement[] = []): Promise<void> {
    try {
      await (await this.audit).record(events, statements);
    } catch (err) {
      // Two requests racing past the duplicate checks meet the unique indexes instead: same answer as the check.
      const text = err instanceof ApiError ? `${err.logDetail ?? ''} ${err.message}` : err instanceof Error ? err.message : '';
      if (/UNIQUE constraint failed/i.test(text)) {
        throw new ApiError('CONFLICT', 'Cet élément existe déjà (dossier ou document identique déjà enregistré).', 'unique constraint');
      }
      throw err;
    }
  }

  /** Throws the domain's refusal after recording it, so denied attempts show in the patient's history. */
  private async enforce(actor: DmpActor, insKey: string, decision: Decision, target?: string): Promise<void> {
    if (decision.allowed) return;
    const detail = target ? `${decision.rule} ${target}` : decision.rule;
    try {
      await this.write([this.event(actor, 'access.denied', insKey, detail)]);
    } catch (err) {
      this.log.error('could not audit a denied access', { rule: decision.rule, error: err instanceof Error ? err.message : 'unknown' });
    }
    this.log.info('access denied', { rule: decision.rule, mode: actor.mode });
    throw new ApiError(decision.code, decision.message, `rule ${decision.rule}`);
  }

  /**
   * System actors (CLI, imports) are trusted local administration: they see what any professional
   * could, but never a document the patient masked from professionals.
   */
  private mayRead(actor: DmpActor | SystemActor, facts: DossierFacts, doc: DocumentRow): boolean {
    const docFacts = toDocumentFacts(doc);
    if (isSystemActor(actor)) return !docFacts.visibility.maskedFromProfessionals;
    return decideDocumentRead(toDomainActor(actor.professional), facts, actor.mode, docFacts).allowed;
  }

  private async requireDossier(insKey: string): Promise<{ row: DossierRow; facts: DossierFacts }> {
    const ins = tryParseInsKey(insKey);
    if (!ins) throw new ApiError('INVALID_INPUT', 'Identifiant INS invalide : format attendu « matricule@OID ».');
    const row = await loadDossierRow(this.store, formatInsKey(ins));
    if (!row) throw notFound();
    return { row, facts: await loadDossierFacts(this.store, row) };
  }

  /** Changing a document needs both the right to feed the dossier and the right to read that document. */
  private async requireWritableDocument(actor: DmpActor, insKey: string, id: string): Promise<{ row: DossierRow; facts: DossierFacts; doc: DocumentRow }> {
    const { row, facts } = await this.requireDossier(insKey);
    const domainActor = toDomainActor(actor.professional);
    await this.enforce(actor, row.ins_key, decideDeposit(domainActor, facts), id);
    const doc = await this.documentRow(row.ins_key, id);
    if (!doc) throw new ApiError('NOT_FOUND', 'Ce document n’existe pas dans ce DMP.');
    await this.enforce(actor, row.ins_key, decideDocumentRead(domainActor, facts, actor.mode, toDocumentFacts(doc)), id);
    return { row, facts, doc };
  }

  private async documentRow(insKey: string, id: string): Promise<DocumentRow | null> {
    const rows = await this.store.all<DocumentRow>(`SELECT ${documentColumns} FROM documents WHERE id = ? AND ins_key = ?`, [id, insKey]);
    return rows[0] ?? null;
  }

  private async documentBody(doc: DocumentRow): Promise<{ narrativeHtml?: string; pdfBase64?: string }> {
    if (doc.format === 'cda-structured') {
      const sections = await this.store.all<{ title: string | null; narrative_html: string }>(
        'SELECT title, narrative_html FROM document_sections WHERE document_id = ? ORDER BY position',
        [doc.id],
      );
      const html = sections.map((s) => `<section>${s.title ? `<h2>${escapeHtml(s.title)}</h2>` : ''}${s.narrative_html}</section>`).join('\n');
      return { narrativeHtml: html };
    }
    const column = doc.format === 'cda-unstructured' ? 'payload' : 'content';
    const rows = await this.store.all<{ data: Uint8Array | null }>(`SELECT ${column} AS data FROM documents WHERE id = ?`, [doc.id]);
    const data = rows[0]?.data;
    if (!data) throw new ApiError('CORRUPT_DATA', 'Le contenu de ce document est introuvable dans le stockage local.');
    const mediaType = doc.format === 'pdf' ? 'application/pdf' : doc.format === 'text' ? 'text/plain' : (doc.media_type ?? '');
    if (mediaType === 'application/pdf') return { pdfBase64: Buffer.from(data).toString('base64') };
    if (mediaType.startsWith('text/')) return { narrativeHtml: `<pre>${escapeHtml(Buffer.from(data).toString('utf8'))}</pre>` };
    return { narrativeHtml: `<p>${escapeHtml(`Contenu au format ${mediaType || 'inconnu'} : il ne peut pas être affiché ici.`)}</p>` };
  }

  private newId(): string {
    return Buffer.from(this.random(16)).toString('hex');
  }

  private authorFromCps(actor: DmpActor | SystemActor): Partial<NewDocument> {
    if (isSystemActor(actor)) return {};
    const holder = actor.professional.holder;
    return { authorName: professionalName(actor.professional), authorId: holder.nationalId, authorProfession: holder.professionLabel };
  }

  /** Version chain: an explicit `replacesId`, or else the CDA setId of a document already in force. */
  private async predecessor(insKey: string, replacesId: string | undefined, setId: string | undefined): Promise<DocumentRow | null> {
    if (replacesId !== undefined) {
      const doc = await this.documentRow(insKey, replacesId);
      if (!doc) throw new ApiError('NOT_FOUND', 'Le document à remplacer n’existe pas dans ce DMP.');
      if (doc.status !== 'approved') throw new ApiError('CONFLICT', 'Seule la version en vigueur d’un document peut être remplacée.');
      return doc;
    }
    if (setId === undefined) return null;
    const rows = await this.store.all<DocumentRow>(
      `SELECT ${documentColumns} FROM documents WHERE ins_key = ? AND set_id = ? AND status = 'approved' ORDER BY version DESC LIMIT 1`,
      [insKey, setId],
    );
    return rows[0] ?? null;
  }

  private async refuseDuplicate(insKey: string, sha256: string): Promise<void> {
    const rows = await this.store.all<{ id: string }>('SELECT id FROM documents WHERE ins_key = ? AND content_sha256 = ?', [insKey, sha256]);
    if (rows.length > 0) throw new ApiError('CONFLICT', 'Ce document a déjà été déposé dans ce DMP (contenu identique) : envoi refusé.');
  }

  private async documentFromCda(
    cda: CdaDocument,
    bytes: Uint8Array,
    insKey: string,
    actor: DmpActor | SystemActor,
    opts: { visibilityMask: number; replacesId?: string | undefined; title?: string | undefined },
  ): Promise<NewDocument> {
    const sha256 = sha256Hex(bytes);
    await this.refuseDuplicate(insKey, sha256);
    const { header, body } = cda;
    const previous = await this.predecessor(insKey, opts.replacesId, header.setId);
    const author = header.author;
    const doc: NewDocument = {
      id: this.newId(),
      insKey,
      title: opts.title?.trim() || header.title.trim() || 'Document sans titre',
      typeCode: header.type.code,
      category: categoryForTypeCode(header.type.code),
      format: body.kind === 'structured' ? 'cda-structured' : 'cda-unstructured',
      ...(body.kind === 'unstructured' ? { mediaType: body.mediaType, payload: body.content } : {}),
      ...(author?.name ? { authorName: author.name } : {}),
      ...(author?.nationalId ? { authorId: author.nationalId } : {}),
      ...(author?.profession?.display || author?.profession?.code ? { authorProfession: author.profession.display ?? author.profession.code } : {}),
      ...(header.effectiveTime ? { date: header.effectiveTime } : {}),
      depositedAt: this.now().toISOString(),
      depositedBy: auditWho(actor).actorId,
      visibilityMask: opts.visibilityMask,
      version: previous ? Number(previous.version) + 1 : 1,
      ...(previous ? { replacesId: previous.id } : {}),
      ...(header.setId ? { setId: header.setId } : {}),
      cdaId: header.documentId,
      content: bytes,
      sha256,
      sections: body.kind === 'structured' ? body.sections : [],
      entries: cda.entries,
    };
    if (isEmptyDocument(doc)) throw new ApiError('INVALID_INPUT', 'Le document est vide : un envoi sans contenu est refusé.');
    return doc;
  }

  private async documentFromFile(
    kind: 'pdf' | 'text',
    bytes: Uint8Array,
    insKey: string,
    actor: DmpActor,
    input: DepositInput,
    visibilityMask: number,
  ): Promise<NewDocument> {
    if (kind === 'pdf' && !looksLikeCompletePdf(bytes)) throw new ApiError('INVALID_INPUT', 'Ce fichier n’est pas un PDF complet et lisible.');
    if (kind === 'text' && decodeText(bytes).trim() === '') throw new ApiError('INVALID_INPUT', 'Le document est vide : un envoi sans contenu est refusé.');
    const typeCode = input.typeCode?.trim();
    if (!typeCode) throw new ApiError('INVALID_INPUT', 'Précisez le type de document (code LOINC) pour un dépôt PDF ou texte.');
    const sha256 = sha256Hex(bytes);
    await this.refuseDuplicate(insKey, sha256);
    const previous = await this.predecessor(insKey, input.replacesId, undefined);
    return {
      id: this.newId(),
      insKey,
      title: input.title?.trim() || input.fileName,
      typeCode,
      category: categoryForTypeCode(typeCode),
      format: kind,
      mediaType: kind === 'pdf' ? 'application/pdf' : 'text/plain',
      date: this.now().toISOString(),
      depositedAt: this.now().toISOString(),
      depositedBy: auditWho(actor).actorId,
      visibilityMask,
      version: previous ? Number(previous.version) + 1 : 1,
      ...(previous ? { replacesId: previous.id, ...(previous.set_id ? { setId: previous.set_id } : {}) } : {}),
      content: bytes,
      sha256,
      sections: [],
      entries: [],
    };
  }

  private dossierFromCda(cda: CdaDocument, matricule: string, oid: InsOid, actor: DmpActor | SystemActor): { row: DossierRow; statement: Statement } {
    const patient = cda.header.patient;
    const birthName = (patient.birthName ?? patient.usedName ?? '').trim();
    if (!birthName || !patient.firstNames?.trim() || !patient.birthDate) {
      throw new ApiError('INVALID_INPUT', 'Le document ne donne pas les traits d’identité du patient (nom, prénoms, date de naissance) : le DMP ne peut pas être créé.');
    }
    const row: DossierRow = {
      ins_key: formatInsKey({ matricule, oid }),
      matricule,
      oid,
      // The DMP only accepts documents carrying a qualified INS: the sending system vouches for it.
      ins_status: 'qualified',
      status: 'active',
      birth_name: birthName,
      used_name: patient.usedName?.trim() && patient.usedName.trim() !== birthName ? patient.usedName.trim() : null,
      first_names: patient.firstNames.trim(),
      birth_date: patient.birthDate,
      sex: patient.sex ?? 'U',
      birth_place_code: patient.birthPlaceCode ?? null,
      test_identity: isTestOid(oid) ? 1 : 0,
      bris_de_glace_opposition: 0,
      centre15_opposition: 0,
      treating_physician_id: null,
    };
    const who = auditWho(actor);
    // Consent was collected upstream, by the system that sent the document: record it as such.
    return { row, statement: this.insertDossierStatement(row, { id: who.actorId, name: `${who.actorName} — système émetteur` }, null) };
  }

  private insertDossierStatement(
    row: DossierRow,
    consentBy: { id: string; name: string },
    access: { login: string; codeHash: string; expiresAt: string } | null,
  ): Statement {
    const now = this.now().toISOString();
    return {
      sql: `INSERT INTO dossiers (ins_key, matricule, oid, ins_status, status, birth_name, used_name, first_names, birth_date, sex, birth_place_code,
              birth_name_norm, used_name_norm, test_identity, consent_by_id, consent_by_name, consent_at, bris_de_glace_opposition,
              centre15_opposition, treating_physician_id, created_at, access_login, access_code_hash, access_code_expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [
        row.ins_key,
        row.matricule,
        row.oid,
        row.ins_status,
        row.status,
        row.birth_name,
        row.used_name,
        row.first_names,
        row.birth_date,
        row.sex,
        row.birth_place_code,
        normaliseName(row.birth_name),
        row.used_name ? normaliseName(row.used_name) : null,
        row.test_identity,
        consentBy.id,
        consentBy.name,
        now,
        row.bris_de_glace_opposition,
        row.centre15_opposition,
        row.treating_physician_id,
        now,
        access?.login ?? null,
        access?.codeHash ?? null,
        access?.expiresAt ?? null,
      ],
    };
  }
}

const freshDossierFacts: DossierFacts = {
  status: 'active',
  blockedProfessionalIds: [],
  authorizedProfessionalIds: [],
  brisDeGlaceOpposition: false,
  centre15Opposition: false,
};

const normal: Visibility = { hiddenFromPatient: false, maskedFromProfessionals: false, hiddenFromLegalRepresentatives: false };
