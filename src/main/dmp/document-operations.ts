import { ApiError } from '../../shared/contract/api-error';
import type { DocumentContent, DocumentMeta, DocumentStatus, Visibility } from '../../shared/contract';
import type { AuditEvent } from '../audit/audit-entry';
import type { CdaDocument } from '../cda/types';
import {
  decideDeposit,
  decideDocumentRead,
  decideDossierAccess,
  decideDossierManagement,
  type DossierFacts,
} from '../domain/access-policy';
import { categoryForTypeCode } from '../domain/document-types';
import { formatInsKey, type InsRef } from '../../shared/identity/ins';
import { rnivStatusOf } from './dossier-rows';
import { documentIdentityProblems, insFromPatientIds, traitsDiffer } from '../identity/document-identity';
import { displayWarnings, encodeVisibility, validateVisibilityAtDeposit } from '../domain/visibility';
import { decideDocumentChange, type DocumentChange } from '../domain/write-policy';
import { redactNir } from '../log/logger';
import type { Updateable } from 'kysely';
import type { DocumentsTable } from '../db/database';
import type { Statement } from '../store/types';
import {
  auditWho,
  isSystemActor,
  professionalName,
  toDomainActor,
  type DmpActor,
  type SystemActor,
} from './actors';
import { decodeBase64, decodeText, depositKind, looksLikeCompletePdf } from './deposit-input';
import type { DmpContext } from './dmp-context';
import {
  documentColumns,
  toDocumentAuthorship,
  toDocumentFacts,
  toDocumentMeta,
  type DocumentRow,
} from './document-rows';
import {
  countEntries,
  insertDocumentStatements,
  isEmptyDocument,
  sha256Hex,
  type NewDocument,
} from './document-writes';
import { loadDossierFacts, loadDossierRow, type DossierRow } from './dossier-rows';
import { dossierFromCda } from './dossier-writes';
import { escapeHtml } from './html';
import type { ParsedCda } from './parse-cda';
import { readPdfAttachments } from '../cda/attachments';

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

/** Whose decision a change records: the patient's (present, or on their written request), else the author's. */
export interface PatientBasis {
  atPatientRequest?: boolean;
  patientPresent?: boolean;
}

export interface DocumentFilter {
  category?: string;
  from?: string;
  to?: string;
  includeArchived?: boolean;
}

/** Documents of a dossier: import and deposit, listing and reading, archiving, visibility changes and deletion. */
export class DocumentOperations {
  constructor(private readonly ctx: DmpContext) {}

  /** Deposits a CDA into the dossier of the INS it carries (hospital feeds, demo seeding, CLI). */
  async importCda(
    bytes: Uint8Array,
    opts: { create: boolean; depositor: 'system' | SystemActor | DmpActor },
  ): Promise<ImportResult> {
    const actor: DmpActor | SystemActor = opts.depositor === 'system' ? { system: 'import' } : opts.depositor;
    if (bytes.length === 0)
      return this.ctx.refuseDocument(actor, null, 'file: empty', 'Le fichier est vide.');
    const parsed = await this.parseOrRefuse(actor, null, bytes);
    const cda = parsed.document;
    const ins = insFromPatientIds(cda.header.patient.ids);
    if (!ins) {
      return this.ctx.refuseDocument(
        actor,
        null,
        'identity: no INS',
        'Le document ne porte pas l’INS du patient : il ne peut pas être rattaché à un DMP.',
      );
    }
    const insKey = formatInsKey(ins);

    let row = await loadDossierRow(this.ctx.sql, this.ctx.store, insKey);
    await this.checkDocumentIdentity(actor, cda, ins, row);
    const statements: Statement[] = [];
    const events: AuditEvent[] = [];
    const created = row === null;
    if (!row) {
      if (!opts.create) {
        throw new ApiError(
          'NOT_FOUND',
          'Aucun DMP n’existe pour le patient de ce document. Créez d’abord le dossier (option --create pour un import).',
        );
      }
      const draft = dossierFromCda(this.ctx.sql, cda, ins.matricule, ins.oid, actor, this.ctx.now);
      if (!isSystemActor(actor)) {
        const domainActor = toDomainActor(actor.professional);
        await this.ctx.enforce(actor, insKey, decideDossierManagement(domainActor, 'create'));
        await this.ctx.enforce(actor, insKey, decideDeposit(domainActor, { ...freshDossierFacts }));
      }
      statements.push(draft.statement);
      events.push(this.ctx.event(actor, 'dossier.create', insKey, 'import CDA'));
      row = draft.row;
    } else if (!isSystemActor(actor)) {
      await this.ctx.enforce(
        actor,
        insKey,
        decideDeposit(
          toDomainActor(actor.professional),
          await loadDossierFacts(this.ctx.sql, this.ctx.store, row),
        ),
      );
    } else if (row.status === 'closed') {
      throw new ApiError('LOCKED', 'Ce DMP est fermé : aucun document ne peut y être ajouté.');
    }

    const doc = await this.documentFromCda(
      cda,
      parsed.bytes,
      insKey,
      actor,
      { visibilityMask: encodeVisibility(normal) },
      isSystemActor(actor) ? null : await loadDossierFacts(this.ctx.sql, this.ctx.store, row),
    );
    statements.push(...insertDocumentStatements(this.ctx.sql, doc));
    events.push(this.ctx.event(actor, 'document.deposit', insKey, doc.id));
    await this.ctx.write(events, statements);
    this.ctx.log.info('CDA imported', {
      ins: redactNir(ins.matricule),
      documentId: doc.id,
      created,
      entries: doc.entries.length,
    });
    return { insKey, documentId: doc.id, created, counts: countEntries(doc) };
  }

  /** Deposit from the workstation: CDA (structured or not), plain PDF or text, authored by the CPS holder. */
  async depositDocument(actor: DmpActor, input: DepositInput): Promise<DocumentMeta> {
    const { row, facts } = await this.ctx.requireDossier(input.insKey);
    const insKey = row.ins_key;
    await this.ctx.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), facts));
    // Since October 2023 the DMP is fed only under a qualified INS (domain.md §1, INS).
    if (rnivStatusOf(row) !== 'qualified') {
      return this.ctx.refuseDocument(
        actor,
        insKey,
        'identity: INS not qualified',
        'L’INS de ce patient n’est pas qualifiée (identité non vérifiée sur une pièce d’identité à haut niveau de confiance) : le DMP ne peut pas être alimenté.',
      );
    }
    const check = validateVisibilityAtDeposit(input.visibility, {
      allowInvisibleAndMasked: false,
      secretMinor: false,
    });
    if (!check.ok) throw new ApiError('INVALID_INPUT', check.message);

    const bytes = decodeBase64(input.contentBase64);
    if (bytes.length === 0)
      return this.ctx.refuseDocument(actor, insKey, 'file: empty', 'Le fichier est vide.');
    const kind = depositKind(input.fileName, bytes);
    const visibilityMask = encodeVisibility(input.visibility);
    let doc: NewDocument;
    if (kind === 'cda') {
      const parsed = await this.parseOrRefuse(actor, insKey, bytes);
      const cda = parsed.document;
      const ins = insFromPatientIds(cda.header.patient.ids);
      if (!ins || formatInsKey(ins) !== insKey) {
        return this.ctx.refuseDocument(
          actor,
          insKey,
          'identity: other INS',
          'Ce document concerne un autre patient que le dossier ouvert (INS différent).',
        );
      }
      await this.checkDocumentIdentity(actor, cda, ins, row);
      doc = await this.documentFromCda(
        cda,
        parsed.bytes,
        insKey,
        actor,
        { visibilityMask, replacesId: input.replacesId, title: input.title },
        facts,
      );
    } else {
      doc = await this.documentFromFile(kind, bytes, insKey, actor, input, visibilityMask, facts);
    }
    // The depositing professional signs the deposit with their CPS: they are its author here.
    Object.assign(doc, this.authorFromCps(actor));
    await this.ctx.write(
      [this.ctx.event(actor, 'document.deposit', insKey, doc.id)],
      insertDocumentStatements(this.ctx.sql, doc),
    );
    this.ctx.log.info('document deposited', {
      ins: redactNir(row.matricule),
      documentId: doc.id,
      format: doc.format,
    });
    const stored = await this.documentRow(insKey, doc.id);
    return toDocumentMeta(stored as DocumentRow, insKey);
  }

  /**
   * Identity vigilance before anything is written: the INS a document carries must be well formed,
   * its key right and consistent with the document's own traits, the names free of hidden
   * characters, and, when the dossier exists, the document's patient must be the dossier's person.
   */
  private async checkDocumentIdentity(
    actor: DmpActor | SystemActor,
    cda: CdaDocument,
    ins: InsRef,
    row: DossierRow | null,
  ): Promise<void> {
    const patient = cda.header.patient;
    const problems = documentIdentityProblems(ins, patient);
    if (row) {
      problems.push(
        ...traitsDiffer(patient, {
          birthName: row.birth_name,
          usedName: row.used_name ?? undefined,
          firstNames: row.first_names,
          birthDate: row.birth_date,
          sex: row.sex,
        }),
      );
    }
    if (problems.length === 0) return;
    await this.ctx.refuseDocument(
      actor,
      row ? row.ins_key : null,
      `identity: ${problems.map((p) => p.code).join(', ')}`,
      `Document refusé, identité du patient incohérente : ${problems.map((p) => p.message).join(' ')}`,
    );
  }

  async listDocuments(actor: DmpActor, insKey: string, filter: DocumentFilter = {}): Promise<DocumentMeta[]> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    const key = row.ins_key;
    await this.ctx.enforce(
      actor,
      key,
      decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason),
    );
    const docs = await this.ctx.sql.rows(
      this.ctx.store,
      this.ctx.sql.db
        .selectFrom('documents')
        .select(documentColumns)
        .where('ins_key', '=', key)
        .where('deleted_at', 'is', null)
        .orderBy((eb) => eb.fn.coalesce('document_date', 'deposited_at'), 'desc')
        .orderBy('deposited_at', 'desc'),
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
      return this.ctx.mayRead(actor, facts, d);
    });
    await this.ctx.write([this.ctx.event(actor, 'dossier.read', key, 'liste des documents')]);
    return listed.map((d) => toDocumentMeta(d, key));
  }

  async getDocument(actor: DmpActor, insKey: string, id: string): Promise<DocumentContent> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    const key = row.ins_key;
    const doc = await this.documentRow(key, id);
    if (!doc || doc.deleted_at !== null) {
      await this.ctx.enforce(
        actor,
        key,
        decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason),
      );
      throw new ApiError('NOT_FOUND', 'Ce document n’existe pas dans ce DMP.');
    }
    await this.ctx.enforce(
      actor,
      key,
      decideDocumentRead(toDomainActor(actor.professional), facts, actor.mode, toDocumentFacts(doc)),
      id,
    );
    const meta = toDocumentMeta(doc, key);
    const { attachmentWarnings, ...body } = await this.documentBody(doc);
    await this.ctx.write([this.ctx.event(actor, 'document.read', key, id)]);
    const warnings = [...displayWarnings(meta.visibility)];
    if (meta.status === 'obsolete') warnings.push('Ce document a été remplacé par une version plus récente.');
    if (meta.status === 'archived') warnings.push('Ce document est archivé.');
    warnings.push(...(attachmentWarnings ?? []));
    return { meta, ...body, warnings };
  }

  async updateDocument(
    actor: DmpActor,
    insKey: string,
    id: string,
    change: { status?: DocumentStatus; visibility?: Visibility },
    basis: PatientBasis = {},
  ): Promise<DocumentMeta> {
    const { row, facts, doc } = await this.requireChangeableDocument(
      actor,
      insKey,
      id,
      change.visibility !== undefined ? 'visibility' : 'status',
      basis,
    );
    if (change.visibility !== undefined && change.status !== undefined)
      await this.requireChangeableDocument(actor, insKey, id, 'status', basis);
    const key = row.ins_key;
    const set: Updateable<DocumentsTable> = {};
    const what: string[] = [];
    if (change.status !== undefined && change.status !== doc.status) {
      // Archiving is a toggle between approved and archived; obsolescence only comes from a new version.
      const toggles =
        (doc.status === 'approved' && change.status === 'archived') ||
        (doc.status === 'archived' && change.status === 'approved');
      if (!toggles)
        throw new ApiError(
          'INVALID_INPUT',
          'Seul l’archivage (ou le désarchivage) d’un document à jour est possible.',
        );
      set.status = change.status;
      what.push(change.status === 'archived' ? 'archivage' : 'désarchivage');
    }
    if (change.visibility !== undefined) {
      const check = validateVisibilityAtDeposit(change.visibility, {
        allowInvisibleAndMasked: false,
        secretMinor: facts.isMinorInSecretMode === true,
      });
      if (!check.ok) throw new ApiError('INVALID_INPUT', check.message);
      set.visibility = encodeVisibility(change.visibility);
      what.push('visibilité');
    }
    if (Object.keys(set).length > 0) {
      // The target keeps the document id first (the history looks its title up) and what changed, on whose decision.
      const onBehalf = basis.atPatientRequest ? ' à la demande du patient' : '';
      await this.ctx.write(
        [this.ctx.event(actor, 'document.update', key, `${id} ${what.join(' et ')}${onBehalf}`)],
        [
          this.ctx.sql.statement(
            this.ctx.sql.db.updateTable('documents').set(set).where('id', '=', id).where('ins_key', '=', key),
          ),
        ],
      );
    }
    return toDocumentMeta((await this.documentRow(key, id)) as DocumentRow, key);
  }

  /**
   * Logical deletion: the document stays for the legal retention period, hidden from lists, readers and
   * the summary (its entries go with it); nothing is erased or cascaded.
   */
  async deleteDocument(actor: DmpActor, insKey: string, id: string): Promise<void> {
    const { row, doc } = await this.requireChangeableDocument(actor, insKey, id, 'delete', {});
    const at = this.ctx.now().toISOString();
    const { db } = this.ctx.sql;
    const live = (docId: string) =>
      db
        .updateTable('documents')
        .where('id', '=', docId)
        .where('ins_key', '=', row.ins_key)
        .where('deleted_at', 'is', null);
    const statements: Statement[] = [
      this.ctx.sql.statement(live(id).set({ deleted_at: at, deleted_by: auditWho(actor).actorId })),
    ];
    // Deleting the latest version puts the one it replaced back in force.
    if (doc.replaces_id && doc.status === 'approved') {
      statements.push(
        this.ctx.sql.statement(
          live(doc.replaces_id).where('status', '=', 'obsolete').set({ status: 'approved' }),
        ),
      );
    }
    await this.ctx.write([this.ctx.event(actor, 'document.delete', row.ins_key, id)], statements);
  }

  /** Changing a document: the write policy decides, from the read rules and who wrote it. Refusals are audited. */
  private async requireChangeableDocument(
    actor: DmpActor,
    insKey: string,
    id: string,
    change: DocumentChange,
    basis: PatientBasis,
  ): Promise<{ row: DossierRow; facts: DossierFacts; doc: DocumentRow }> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    const doc = await this.documentRow(row.ins_key, id);
    const domainActor = toDomainActor(actor.professional);
    if (!doc) {
      await this.ctx.enforce(actor, row.ins_key, decideDeposit(domainActor, facts));
      throw new ApiError('NOT_FOUND', 'Ce document n’existe pas dans ce DMP.');
    }
    await this.enforceChange(actor, row.ins_key, facts, doc, change, basis);
    return { row, facts, doc };
  }

  private async enforceChange(
    actor: DmpActor,
    insKey: string,
    facts: DossierFacts,
    doc: DocumentRow,
    change: DocumentChange,
    basis: PatientBasis,
  ): Promise<void> {
    const domainActor = toDomainActor(actor.professional);
    const decision = decideDocumentChange(domainActor, facts, change, toDocumentAuthorship(doc), {
      mode: actor.mode,
      read: decideDocumentRead(domainActor, facts, actor.mode, toDocumentFacts(doc)),
      atPatientRequest: basis.atPatientRequest === true,
      patientPresent: basis.patientPresent === true,
    });
    await this.ctx.enforce(actor, insKey, decision, doc.id);
  }

  private async documentRow(insKey: string, id: string): Promise<DocumentRow | null> {
    return this.ctx.sql.first(
      this.ctx.store,
      this.ctx.sql.db
        .selectFrom('documents')
        .select(documentColumns)
        .where('id', '=', id)
        .where('ins_key', '=', insKey),
    );
  }

  /** PDFs embedded in a structured CDA (lab report PDF…), read from the stored document so « Ouvrir » works. */
  private async embeddedPdfs(
    doc: DocumentRow,
  ): Promise<Pick<DocumentContent, 'attachments'> & { attachmentWarnings?: string[] }> {
    const content = (
      await this.ctx.sql.first(
        this.ctx.store,
        this.ctx.sql.db.selectFrom('documents').select('content').where('id', '=', doc.id),
      )
    )?.content;
    if (!content) return {};
    let found;
    try {
      found = readPdfAttachments(content);
    } catch {
      this.ctx.log.warn('stored CDA unreadable for attachments', { documentId: doc.id });
      return {};
    }
    const attachments = found.attachments.map((a) => ({
      id: a.id,
      mediaType: a.mediaType,
      label: a.label,
      base64: Buffer.from(a.content).toString('base64'),
    }));
    return {
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(found.unreadable > 0
        ? {
            attachmentWarnings: [
              `${found.unreadable} document(s) PDF joint(s) incomplet(s) ou illisible(s) : non affiché(s).`,
            ],
          }
        : {}),
    };
  }

  private async documentBody(
    doc: DocumentRow,
  ): Promise<
    Pick<DocumentContent, 'narrativeHtml' | 'pdfBase64' | 'attachments'> & { attachmentWarnings?: string[] }
  > {
    if (doc.format === 'cda-structured') {
      const sections = await this.ctx.sql.rows(
        this.ctx.store,
        this.ctx.sql.db
          .selectFrom('document_sections')
          .select(['title', 'narrative_html'])
          .where('document_id', '=', doc.id)
          .orderBy('position'),
      );
      const html = sections
        .map(
          (s) => `<section>${s.title ? `<h2>${escapeHtml(s.title)}</h2>` : ''}${s.narrative_html}</section>`,
        )
        .join('\n');
      return { narrativeHtml: html, ...(await this.embeddedPdfs(doc)) };
    }
    const column = doc.format === 'cda-unstructured' ? 'payload' : 'content';
    const data = (
      await this.ctx.sql.first(
        this.ctx.store,
        this.ctx.sql.db
          .selectFrom('documents')
          .select((eb) => eb.ref(column).as('data'))
          .where('id', '=', doc.id),
      )
    )?.data;
    if (!data)
      throw new ApiError('CORRUPT_DATA', 'Le contenu de ce document est introuvable dans le stockage local.');
    const mediaType =
      doc.format === 'pdf'
        ? 'application/pdf'
        : doc.format === 'text'
          ? 'text/plain'
          : (doc.media_type ?? '');
    if (mediaType === 'application/pdf') return { pdfBase64: Buffer.from(data).toString('base64') };
    if (mediaType.startsWith('text/'))
      return { narrativeHtml: `<pre>${escapeHtml(Buffer.from(data).toString('utf8'))}</pre>` };
    return {
      narrativeHtml: `<p>${escapeHtml(`Contenu au format ${mediaType || 'inconnu'} : il ne peut pas être affiché ici.`)}</p>`,
    };
  }

  /**
   * Parses a CDA (through the context's parser, which takes `bytes` over: use the bytes it returns); a
   * document the importer cannot read safely is refused through the one refusal path (log + audit
   * line), with the importer's French reason for the user.
   */
  private async parseOrRefuse(
    actor: DmpActor | SystemActor,
    insKey: string | null,
    bytes: Uint8Array,
  ): Promise<ParsedCda> {
    try {
      return await this.ctx.cdaParser.parse(bytes);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'INVALID_INPUT') {
        this.ctx.log.warn('CDA unreadable', { detail: err.logDetail ?? 'unknown' });
        return this.ctx.refuseDocument(actor, insKey, `cda: ${cdaRefusalCode(err.logDetail)}`, err.message);
      }
      throw err;
    }
  }

  /** A file refused before it could be read (too large, not a file): audited without a dossier. */
  async refuseImportFile(
    cause: string,
    message: string,
    actor: SystemActor = { system: 'import' },
  ): Promise<never> {
    return this.ctx.refuseDocument(actor, null, cause, message);
  }

  private newId(): string {
    return Buffer.from(this.ctx.random(16)).toString('hex');
  }

  private authorFromCps(actor: DmpActor | SystemActor): Partial<NewDocument> {
    if (isSystemActor(actor)) return {};
    const holder = actor.professional.holder;
    const structureId = holder.situations.find((s) => s.structureId)?.structureId;
    return {
      authorName: professionalName(actor.professional),
      authorId: holder.nationalId,
      authorProfession: holder.professionLabel,
      ...(structureId ? { authorStructureId: structureId } : {}),
    };
  }

  /**
   * Version chain: an explicit `replacesId`, or else the CDA setId of a document already in force. A
   * professional replaces only what the write policy lets them change (which needs reading it too);
   * `facts` is null for system imports.
   */
  private async predecessor(
    insKey: string,
    replacesId: string | undefined,
    setId: string | undefined,
    actor: DmpActor | SystemActor,
    facts: DossierFacts | null,
  ): Promise<DocumentRow | null> {
    let previous: DocumentRow | null = null;
    if (replacesId !== undefined) {
      const doc = await this.documentRow(insKey, replacesId);
      if (!doc || doc.deleted_at !== null) {
        if (!isSystemActor(actor) && facts)
          await this.ctx.enforce(actor, insKey, decideDeposit(toDomainActor(actor.professional), facts));
        throw new ApiError('NOT_FOUND', 'Le document à remplacer n’existe pas dans ce DMP.');
      }
      previous = doc;
    } else if (setId !== undefined) {
      previous = await this.ctx.sql.first(
        this.ctx.store,
        this.ctx.sql.db
          .selectFrom('documents')
          .select(documentColumns)
          .where('ins_key', '=', insKey)
          .where('set_id', '=', setId)
          .where('status', '=', 'approved')
          .where('deleted_at', 'is', null)
          .orderBy('version', 'desc')
          .limit(1),
      );
    }
    if (!previous) return null;
    if (!isSystemActor(actor) && facts)
      await this.enforceChange(actor, insKey, facts, previous, 'replace', {});
    if (previous.status !== 'approved')
      throw new ApiError('CONFLICT', 'Seule la version en vigueur d’un document peut être remplacée.');
    return previous;
  }

  private async refuseDuplicate(insKey: string, sha256: string): Promise<void> {
    const rows = await this.ctx.sql.rows(
      this.ctx.store,
      this.ctx.sql.db
        .selectFrom('documents')
        .select('id')
        .where('ins_key', '=', insKey)
        .where('content_sha256', '=', sha256),
    );
    if (rows.length > 0)
      throw new ApiError(
        'CONFLICT',
        'Ce document a déjà été déposé dans ce DMP (contenu identique) : envoi refusé.',
      );
  }

  private async documentFromCda(
    cda: CdaDocument,
    bytes: Uint8Array,
    insKey: string,
    actor: DmpActor | SystemActor,
    opts: { visibilityMask: number; replacesId?: string | undefined; title?: string | undefined },
    facts: DossierFacts | null,
  ): Promise<NewDocument> {
    const sha256 = sha256Hex(bytes);
    await this.refuseDuplicate(insKey, sha256);
    const { header, body } = cda;
    const previous = await this.predecessor(insKey, opts.replacesId, header.setId, actor, facts);
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
      ...(author?.profession?.display || author?.profession?.code
        ? { authorProfession: author.profession.display ?? author.profession.code }
        : {}),
      ...(header.effectiveTime ? { date: header.effectiveTime } : {}),
      depositedAt: this.ctx.now().toISOString(),
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
    if (isEmptyDocument(doc))
      return this.ctx.refuseDocument(
        actor,
        insKey,
        'file: empty document',
        'Le document est vide : un envoi sans contenu est refusé.',
      );
    return doc;
  }

  private async documentFromFile(
    kind: 'pdf' | 'text',
    bytes: Uint8Array,
    insKey: string,
    actor: DmpActor,
    input: DepositInput,
    visibilityMask: number,
    facts: DossierFacts,
  ): Promise<NewDocument> {
    if (kind === 'pdf' && !looksLikeCompletePdf(bytes))
      return this.ctx.refuseDocument(
        actor,
        insKey,
        'pdf: incomplete',
        'Ce fichier n’est pas un PDF complet et lisible.',
      );
    if (kind === 'text' && decodeText(bytes).trim() === '')
      return this.ctx.refuseDocument(
        actor,
        insKey,
        'file: empty document',
        'Le document est vide : un envoi sans contenu est refusé.',
      );
    const typeCode = input.typeCode?.trim();
    if (!typeCode)
      throw new ApiError(
        'INVALID_INPUT',
        'Précisez le type de document (code LOINC) pour un dépôt PDF ou texte.',
      );
    const sha256 = sha256Hex(bytes);
    await this.refuseDuplicate(insKey, sha256);
    const previous = await this.predecessor(insKey, input.replacesId, undefined, actor, facts);
    return {
      id: this.newId(),
      insKey,
      title: input.title?.trim() || input.fileName,
      typeCode,
      category: categoryForTypeCode(typeCode),
      format: kind,
      mediaType: kind === 'pdf' ? 'application/pdf' : 'text/plain',
      date: this.ctx.now().toISOString(),
      depositedAt: this.ctx.now().toISOString(),
      depositedBy: auditWho(actor).actorId,
      visibilityMask,
      version: previous ? Number(previous.version) + 1 : 1,
      ...(previous
        ? { replacesId: previous.id, ...(previous.set_id ? { setId: previous.set_id } : {}) }
        : {}),
      content: bytes,
      sha256,
      sections: [],
      entries: [],
    };
  }
}

/** The stable part of a parser refusal (`cda encoding: …` → `encoding`), for the audit line. */
function cdaRefusalCode(detail: string | undefined): string {
  return /^cda ([a-z-]+):/.exec(detail ?? '')?.[1] ?? 'unreadable';
}

const freshDossierFacts: DossierFacts = {
  status: 'active',
  blockedProfessionalIds: [],
  authorizedProfessionalIds: [],
  brisDeGlaceOpposition: false,
  centre15Opposition: false,
};

const normal: Visibility = {
  hiddenFromPatient: false,
  maskedFromProfessionals: false,
  hiddenFromLegalRepresentatives: false,
};
