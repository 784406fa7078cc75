import { ApiError } from '../../shared/contract/api-error';
import type { Beneficiary, DossierRef, ReferenceIdentity } from '../../shared/contract';
import {
  cardNirCannotBeBeneficiarys,
  checkIns,
  formatInsKey,
  isTestOid,
  normaliseMatricule,
  tryParseInsKey,
} from '../../shared/identity/ins';
import { ageOfMajority, ageOn, nameTraitProblem } from '../../shared/identity/traits';
import { identityFitsCardBeneficiary } from '../identity/identity-reference';
import {
  canReadMedicalContent,
  decideDossierAccess,
  decideDossierManagement,
  type Decision,
} from '../domain/access-policy';
import {
  decideBlockRecording,
  decideDossierGovernance,
  decideTreatingPhysicianDeclaration,
  type GovernanceAction,
  type PatientBasis,
} from '../domain/governance';
import {
  checkSearchQuery,
  rateLimitMessage,
  searchResultLimit,
  takeToken,
  type Bucket,
  type SearchQuery,
} from '../domain/search-policy';
import { redactNir } from '../log/logger';
import { sql, type Expression, type SelectQueryBuilder, type SqlBool, type Updateable } from 'kysely';
import type { DmpDatabase, DossiersTable } from '../db/database';
import { startsWith } from '../db/dialect';
import type { SqlDialect, Statement } from '../store/types';
import { accessCodesPdf } from './access-codes-pdf';
import { hashOneTimeCode, newLogin, newOneTimeCode, validUntil } from './access-codes';
import { professionalName, toDomainActor, type DmpActor } from './actors';
import type { DmpContext } from './dmp-context';
import { dossierColumns, toDossierRef, type DossierRow } from './dossier-rows';
import { insertDossierStatement } from './dossier-writes';
import { normaliseName } from './names';

export interface LegalRepresentative {
  lastName: string;
  firstNames: string;
  relation: 'mère' | 'père' | 'tuteur' | 'autre';
}

export interface CreateDossierInput {
  /** The Vitale beneficiary at the desk (the card carries the ouvrant droit's NIR). */
  beneficiary: Beneficiary;
  /** The identity reference's answer for this beneficiary: INS and the five traits. */
  identity: ReferenceIdentity;
  /** An identity document of high trust was checked: the INS is then qualified. */
  identityDocumentChecked: boolean;
  legalRepresentatives: LegalRepresentative[];
  consent: {
    givenBy: 'patient' | 'legal-representative';
    brisDeGlaceOpposition: boolean;
    centre15Opposition: boolean;
  };
  /** The desk checked that dossiers with the same five traits belong to other people. */
  homonymsConfirmed?: boolean;
}

export interface CreatedDossier {
  dossier: DossierRef;
  accessCodes: { login: string; oneTimeCode: string };
  pdf: Uint8Array;
}

/** The session's own look-up for a Vitale beneficiary (not a professional's search). */
const searchLimit = 50;

/** `1979-03-00` (unknown day on the card) searches the whole month; `1979-00-00` the whole year. */
function birthDateMatch(dialect: SqlDialect, date: string): Expression<SqlBool> {
  const [y = '', m = '', d = ''] = date.split('-');
  if (/^0+$/.test(m)) return startsWith(dialect, 'birth_date', `${y}-`);
  if (/^0+$/.test(d)) return startsWith(dialect, 'birth_date', `${y}-${m}-`);
  return sql<SqlBool>`${sql.ref('birth_date')} = ${date}`;
}

/**
 * The database orders by the normalised birth name (kept in clear on the shared host, where the names
 * as written are sealed and cannot be ordered by), then the rows are put in display order here.
 */
function inNameOrder(rows: DossierRow[]): DossierRow[] {
  return [...rows].sort(
    (a, b) =>
      a.birth_name.localeCompare(b.birth_name, 'fr') ||
      a.first_names.localeCompare(b.first_names, 'fr') ||
      a.ins_key.localeCompare(b.ins_key),
  );
}

/** Finding a dossier, letting a professional in (or the patient keeping one out), and the dossier's life cycle. */
export class DossierOperations {
  /** Search rate per professional (national id), in memory: a restart gives a fresh burst, no more. */
  private readonly searchBuckets = new Map<string, Bucket>();

  constructor(private readonly ctx: DmpContext) {}

  /** The dossiers a query selects, in name order, at most `limit`. */
  private async dossiers(
    from: SelectQueryBuilder<DmpDatabase, 'dossiers', object>,
    limit?: number,
  ): Promise<DossierRow[]> {
    const query = from.select(dossierColumns).orderBy('birth_name_norm').orderBy('ins_key');
    return inNameOrder(
      await this.ctx.sql.rows(this.ctx.store, limit === undefined ? query : query.limit(limit)),
    );
  }

  /**
   * A professional's search (TD0.5): an INS, or a birth-name prefix with a complete birth date, at
   * most 20 results, rate-limited per professional. It is traced (who, which criteria, how many
   * results — not the names typed), and every dossier it returns gets a line in that patient's
   * history, so a patient sees who looked them up.
   */
  async searchDossiersAs(actor: DmpActor, query: SearchQuery): Promise<DossierRef[]> {
    const who = actor.professional.holder.nationalId;
    const taken = takeToken(this.searchBuckets.get(who), this.ctx.now().getTime());
    this.searchBuckets.set(who, taken.bucket);
    if (!taken.allowed) {
      await this.ctx.write([
        this.ctx.event(actor, 'patient.search', null, 'refusée : trop de recherches en peu de temps'),
      ]);
      this.ctx.log.warn('patient search rate-limited', { retryInMs: taken.retryInMs });
      throw new ApiError('UNAVAILABLE', rateLimitMessage(taken.retryInMs), 'search rate limit');
    }
    const check = checkSearchQuery(query);
    if (!check.ok) throw new ApiError('INVALID_INPUT', check.message, 'search criteria too broad');
    const { db, dialect } = this.ctx.sql;
    let rows: DossierRow[];
    let criteria: string;
    if (check.search.kind === 'ins') {
      criteria = 'INS';
      const ins = tryParseInsKey(check.search.insKey);
      rows = ins
        ? await this.dossiers(db.selectFrom('dossiers').where('ins_key', '=', formatInsKey(ins)))
        : [];
    } else {
      criteria = 'début du nom de naissance et date de naissance';
      rows = await this.dossiers(
        db
          .selectFrom('dossiers')
          .where(startsWith(dialect, 'birth_name_norm', normaliseName(check.search.name)))
          .where('birth_date', '=', check.search.birthDate),
        searchResultLimit,
      );
    }
    const found = rows.slice(0, searchResultLimit);
    await this.ctx.write([
      this.ctx.event(actor, 'patient.search', null, `${criteria} ; ${found.length} résultat(s)`),
      ...found.map((r) => this.ctx.event(actor, 'patient.search', r.ins_key, criteria)),
    ]);
    return found.map(toDossierRef);
  }

  async traceIdentityLookup(actor: DmpActor, criteria: string, answers: number): Promise<void> {
    await this.ctx.write([
      this.ctx.event(actor, 'identity.lookup', null, `${criteria} ; ${answers} identité(s)`),
    ]);
  }

  async searchDossiers(query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    const { db, dialect } = this.ctx.sql;
    if (query.insKey !== undefined) {
      const ins = tryParseInsKey(query.insKey);
      if (!ins) return [];
      const rows = await this.dossiers(db.selectFrom('dossiers').where('ins_key', '=', formatInsKey(ins)));
      return rows.filter((r) => !query.birthDate || r.birth_date === query.birthDate).map(toDossierRef);
    }
    const name = query.name !== undefined ? normaliseName(query.name) : '';
    const birth =
      query.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(query.birthDate)
        ? birthDateMatch(dialect, query.birthDate)
        : null;
    const matching = (column: 'birth_name_norm' | 'used_name_norm') =>
      db
        .selectFrom('dossiers')
        .select(dossierColumns)
        .where(startsWith(dialect, column, name))
        .$call((qb) => (birth ? qb.where(birth) : qb));
    let selected;
    // One indexed range scan per name column; an OR across both would scan the table.
    if (name.length >= 2) selected = matching('birth_name_norm').union(matching('used_name_norm'));
    else if (birth) selected = db.selectFrom('dossiers').select(dossierColumns).where(birth);
    else return [];
    const rows = await this.ctx.sql.rows(
      this.ctx.store,
      selected.orderBy('birth_name_norm').orderBy('ins_key').limit(searchLimit),
    );
    return inNameOrder(rows).map(toDossierRef);
  }

  /** Records that the patient, present, let this professional in (TD0.3); only after an explicit user action. */
  async authorize(
    actor: DmpActor,
    insKey: string,
    options: { treatingPhysician?: boolean } = {},
  ): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    const domainActor = toDomainActor(actor.professional);
    // Someone who may not read medical content gains nothing from an authorisation; the opening that follows refuses and audits.
    if (!canReadMedicalContent(domainActor)) return;
    const q = this.ctx.sql;
    const statements: Statement[] = [
      q.statement(
        q.db
          .insertInto('dossier_professionals')
          .values({
            ins_key: row.ins_key,
            national_id: domainActor.nationalId,
            display_name: professionalName(actor.professional),
            relation: 'authorized',
            since: this.ctx.now().toISOString(),
          })
          // A patient's block is never lifted by an authorisation recorded at the desk.
          .onConflict((oc) => oc.columns(['ins_key', 'national_id']).doNothing()),
      ),
    ];
    if (options.treatingPhysician) {
      statements.push(
        q.statement(
          q.db
            .updateTable('dossiers')
            .set({ treating_physician_id: domainActor.nationalId })
            .where('ins_key', '=', row.ins_key),
        ),
      );
    }
    const already = await q.rows(
      this.ctx.store,
      this.professionalRow(row.ins_key, domainActor.nationalId).select('national_id'),
    );
    // Only a new authorisation (or a médecin-traitant change) is an event in the patient's history.
    if (already.length > 0 && !options.treatingPhysician) return;
    await this.ctx.write(
      [
        this.ctx.event(
          actor,
          'access.authorize',
          row.ins_key,
          options.treatingPhysician ? 'médecin traitant' : null,
        ),
      ],
      statements,
    );
  }

  /** The doctor in session becomes the médecin traitant, with the patient present and consenting (TD0.3 `i_setTreatingPhysician`). */
  async declareTreatingPhysician(
    actor: DmpActor,
    insKey: string,
    basis: { patientPresent: boolean; patientConsent: boolean },
  ): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(
      actor,
      row.ins_key,
      decideTreatingPhysicianDeclaration(toDomainActor(actor.professional), actor.mode, basis),
    );
    await this.authorize(actor, row.ins_key, { treatingPhysician: true });
  }

  /** A professional records the patient's block (or unblock) of another professional, at the patient's request. */
  async recordProfessionalBlock(
    actor: DmpActor,
    insKey: string,
    target: { nationalId: string; blocked: boolean },
    basis: PatientBasis,
  ): Promise<void> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(
      actor,
      row.ins_key,
      decideBlockRecording(toDomainActor(actor.professional), facts, actor.mode, target, basis),
    );
    const known = await this.ctx.sql.rows(
      this.ctx.store,
      this.professionalRow(row.ins_key, target.nationalId).select('display_name'),
    );
    await this.setProfessionalBlocked(
      row.ins_key,
      { nationalId: target.nationalId, displayName: known[0]?.display_name ?? 'Professionnel' },
      target.blocked,
      actor,
    );
  }

  private professionalRow(insKey: string, nationalId: string) {
    return this.ctx.sql.db
      .selectFrom('dossier_professionals')
      .where('ins_key', '=', insKey)
      .where('national_id', '=', nationalId);
  }

  /** The professionals the patient authorised or blocked (TD0.2 list), médecin traitant flagged. */
  async professionals(
    insKey: string,
  ): Promise<
    { nationalId: string; name: string; relation: 'authorized' | 'blocked'; treatingPhysician: boolean }[]
  > {
    const { row } = await this.ctx.requireDossier(insKey);
    const people = await this.ctx.sql.rows(
      this.ctx.store,
      this.ctx.sql.db
        .selectFrom('dossier_professionals')
        .select(['national_id', 'display_name', 'relation'])
        .where('ins_key', '=', row.ins_key)
        .orderBy('display_name'),
    );
    return people.map((p) => ({
      nationalId: p.national_id,
      name: p.display_name,
      relation: p.relation === 'blocked' ? 'blocked' : 'authorized',
      treatingPhysician: row.treating_physician_id === p.national_id,
    }));
  }

  /** The block (or unblock) itself, in the patient's name, recorded by the professional who took the request. */
  private async setProfessionalBlocked(
    insKey: string,
    professional: { nationalId: string; displayName: string },
    blocked: boolean,
    recordedBy: DmpActor,
  ): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    const event = this.ctx.event(
      recordedBy,
      blocked ? 'professional.block' : 'professional.unblock',
      row.ins_key,
      professional.nationalId,
    );
    const { db } = this.ctx.sql;
    await this.ctx.write(
      [event],
      [
        this.ctx.sql.statement(
          blocked
            ? db
                .insertInto('dossier_professionals')
                .values({
                  ins_key: row.ins_key,
                  national_id: professional.nationalId,
                  display_name: professional.displayName,
                  relation: 'blocked',
                  since: this.ctx.now().toISOString(),
                })
                .onConflict((oc) =>
                  oc
                    .columns(['ins_key', 'national_id'])
                    .doUpdateSet((eb) => ({ relation: 'blocked', since: eb.ref('excluded.since') })),
                )
            : db
                .deleteFrom('dossier_professionals')
                .where('ins_key', '=', row.ins_key)
                .where('national_id', '=', professional.nationalId)
                .where('relation', '=', 'blocked'),
        ),
      ],
    );
  }

  /** What opening the dossier would decide for this actor, without opening, auditing or authorising anything. */
  async accessDecision(actor: DmpActor, insKey: string): Promise<Decision> {
    const { facts } = await this.ctx.requireDossier(insKey);
    return decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason);
  }

  async openDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(
      actor,
      row.ins_key,
      decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason),
    );
    await this.ctx.write([this.ctx.event(actor, 'dossier.read', row.ins_key, null)]);
    return toDossierRef(row);
  }

  /**
   * The identity step of a creation, before anything is written: the identity must be able to be
   * this card beneficiary's, and its INS and names must pass identity vigilance. Then, what stands
   * in the way: a dossier for the same matricule under any OID (the same person, never a second
   * dossier), and dossiers of other people with the same five traits (homonyms, for a human check).
   */
  async creationCheck(
    beneficiary: Beneficiary,
    identity: ReferenceIdentity,
  ): Promise<{ existing: DossierRef | null; homonyms: DossierRef[] }> {
    this.checkCreationIdentity(beneficiary, identity);
    const matricule = normaliseMatricule(identity.matricule);
    const { db } = this.ctx.sql;
    const same = await this.ctx.sql.rows(
      this.ctx.store,
      db.selectFrom('dossiers').select(dossierColumns).where('matricule', '=', matricule).orderBy('oid'),
    );
    const traits = await this.ctx.sql.rows(
      this.ctx.store,
      db
        .selectFrom('dossiers')
        .select(dossierColumns)
        .where('birth_name_norm', '=', normaliseName(identity.birthName))
        .where('birth_date', '=', identity.birthDate)
        .where('sex', '=', identity.sex)
        .where('matricule', '<>', matricule),
    );
    const firstName = (names: string): string => normaliseName(names).split(' ')[0] ?? '';
    const homonyms = traits.filter(
      (r) =>
        firstName(r.first_names) === firstName(identity.firstNames) &&
        (r.birth_place_code === null ||
          r.birth_place_code.toUpperCase() === identity.birthPlaceCode.toUpperCase()),
    );
    const [existing] = same;
    return { existing: existing ? toDossierRef(existing) : null, homonyms: homonyms.map(toDossierRef) };
  }

  private checkCreationIdentity(beneficiary: Beneficiary, identity: ReferenceIdentity): void {
    const matricule = normaliseMatricule(identity.matricule);
    const refuse = (cause: string, message: string): ApiError => {
      this.ctx.log.info('dossier creation refused', { cause });
      return new ApiError('INVALID_INPUT', message, `dossier creation refused: ${cause}`);
    };
    // The parent's NIR printed on the card is never a child's INS (domain.md §1, INS).
    if (
      matricule === normaliseMatricule(beneficiary.nir) &&
      cardNirCannotBeBeneficiarys(beneficiary.nir, beneficiary)
    ) {
      throw refuse(
        'card holder NIR for another beneficiary',
        'Ce numéro est celui de l’ouvrant droit inscrit sur la carte Vitale, pas celui de ce bénéficiaire : son INS propre doit venir du référentiel d’identités.',
      );
    }
    if (!identityFitsCardBeneficiary(identity, beneficiary)) {
      throw refuse(
        'identity does not fit the card',
        'L’identité choisie ne correspond pas au bénéficiaire de la carte Vitale (date de naissance ou prénom différents).',
      );
    }
    const insProblems = checkIns({ matricule, oid: identity.oid }, identity);
    if (insProblems.length > 0)
      throw refuse(
        `INS: ${insProblems.map((p) => p.code).join(', ')}`,
        insProblems.map((p) => p.message).join(' '),
      );
    for (const [value, what] of [
      [identity.birthName, 'Le nom de naissance'],
      [identity.firstNames, 'Les prénoms'],
    ] as const) {
      const problem = nameTraitProblem(value, what);
      if (problem) throw refuse('name characters', problem);
    }
  }

  async createDossier(actor: DmpActor, input: CreateDossierInput): Promise<CreatedDossier> {
    const domainActor = toDomainActor(actor.professional);
    const management = decideDossierManagement(domainActor, 'create');
    if (!management.allowed)
      throw new ApiError(management.code, management.message, `rule ${management.rule}`);
    const { beneficiary, identity } = input;
    const matricule = normaliseMatricule(identity.matricule);
    const check = await this.creationCheck(beneficiary, identity);
    const refuse = (cause: string, message: string): ApiError => {
      this.ctx.log.info('dossier creation refused', { cause });
      return new ApiError('INVALID_INPUT', message, `dossier creation refused: ${cause}`);
    };

    const now = this.ctx.now();
    const minor =
      (ageOn(identity.birthDate, now.toISOString().slice(0, 10)) ?? ageOfMajority) < ageOfMajority;
    const representatives = input.legalRepresentatives.map((r) => ({
      ...r,
      lastName: r.lastName.trim(),
      firstNames: r.firstNames.trim(),
    }));
    for (const r of representatives) {
      const problem =
        nameTraitProblem(r.lastName, 'Le nom du représentant légal') ??
        nameTraitProblem(r.firstNames, 'Les prénoms du représentant légal');
      if (problem) throw refuse('name characters', problem);
    }
    if (minor && (representatives.length === 0 || input.consent.givenBy !== 'legal-representative')) {
      throw refuse(
        'minor without legal representative',
        'Ce patient est mineur : indiquez son ou ses représentants légaux, qui donnent le consentement à la création du DMP en son nom.',
      );
    }
    if (input.consent.givenBy === 'legal-representative' && representatives.length === 0) {
      throw refuse(
        'consent by nobody',
        'Le consentement est donné par un représentant légal : indiquez qui.',
      );
    }

    if (check.existing) {
      throw new ApiError(
        'CONFLICT',
        'Un DMP existe déjà pour ce patient (même matricule INS) : ouvrez-le au lieu d’en créer un second.',
        'dossier creation refused: same matricule',
      );
    }
    if (check.homonyms.length > 0 && !input.homonymsConfirmed) {
      throw new ApiError(
        'CONFLICT',
        `Un DMP existe déjà pour une personne aux cinq mêmes traits d’identité (${check.homonyms.length}) : vérifiez qu’il s’agit bien d’une autre personne avant de créer ce dossier.`,
        'dossier creation refused: homonyms not confirmed',
      );
    }

    const oid = identity.oid;
    const insKey = formatInsKey({ matricule, oid });
    const login = newLogin(this.ctx.random);
    const oneTimeCode = newOneTimeCode(this.ctx.random);
    const expires = validUntil(now);
    const row: DossierRow = {
      ins_key: insKey,
      matricule,
      oid,
      // The INS came from the identity reference (récupérée); with a checked identity document it is qualified.
      ins_status: 'fetched',
      identity_verified: input.identityDocumentChecked ? 1 : 0,
      status: 'active',
      birth_name: identity.birthName.trim(),
      birth_name_norm: normaliseName(identity.birthName.trim()),
      used_name: null,
      first_names: identity.firstNames.trim(),
      birth_date: identity.birthDate,
      sex: identity.sex,
      birth_place_code: identity.birthPlaceCode,
      test_identity: isTestOid(oid) ? 1 : 0,
      bris_de_glace_opposition: input.consent.brisDeGlaceOpposition ? 1 : 0,
      centre15_opposition: input.consent.centre15Opposition ? 1 : 0,
      treating_physician_id: null,
    };
    const insert = insertDossierStatement(
      this.ctx.sql,
      row,
      {
        id: domainActor.nationalId,
        name: professionalName(actor.professional),
        giver: input.consent.givenBy,
      },
      { login, codeHash: hashOneTimeCode(login, oneTimeCode), expiresAt: expires.toISOString() },
      this.ctx.now,
    );
    const representativeRows: Statement[] = representatives.map((r, position) =>
      this.ctx.sql.statement(
        this.ctx.sql.db.insertInto('dossier_legal_representatives').values({
          ins_key: insKey,
          position,
          last_name: r.lastName,
          first_names: r.firstNames,
          relation: r.relation,
        }),
      ),
    );
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
    const consentNote =
      input.consent.givenBy === 'legal-representative'
        ? 'consentement du représentant légal'
        : 'consentement du patient';
    await this.ctx.write(
      [
        this.ctx.event(actor, 'dossier.create', insKey, consentNote),
        this.ctx.event(actor, 'accessCodes.print', insKey, null),
      ],
      [insert, ...representativeRows],
    );
    this.ctx.log.info('dossier created', {
      ins: redactNir(matricule),
      minor,
      verified: input.identityDocumentChecked,
    });
    return { dossier: toDossierRef(row), accessCodes: { login, oneTimeCode }, pdf };
  }

  /** TD1.4: the patient's decision, recorded with the patient present or on their written request, with a reason. */
  async closeDossier(
    actor: DmpActor,
    insKey: string,
    reason: string,
    basis: PatientBasis,
  ): Promise<DossierRef> {
    const { row } = await this.requireGovernance(actor, insKey, 'close', reason, basis);
    if (row.status === 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà clôturé.');
    const trimmed = reason.trim();
    await this.ctx.write(
      [this.ctx.event(actor, 'dossier.close', row.ins_key, governanceTarget(basis, trimmed))],
      [
        this.updateDossier(row.ins_key, {
          status: 'closed',
          closed_reason: trimmed,
          closed_at: this.ctx.now().toISOString(),
        }),
      ],
    );
    return toDossierRef({ ...row, status: 'closed' });
  }

  /** TD1.2: as closing, the patient's decision. */
  async reactivateDossier(
    actor: DmpActor,
    insKey: string,
    reason: string,
    basis: PatientBasis,
  ): Promise<DossierRef> {
    const { row } = await this.requireGovernance(actor, insKey, 'reactivate', reason, basis);
    if (row.status !== 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà actif.');
    await this.ctx.write(
      [this.ctx.event(actor, 'dossier.reactivate', row.ins_key, governanceTarget(basis, reason.trim()))],
      [this.updateDossier(row.ins_key, { status: 'active', closed_reason: null, closed_at: null })],
    );
    return toDossierRef({ ...row, status: 'active' });
  }

  private updateDossier(insKey: string, change: Updateable<DossiersTable>): Statement {
    return this.ctx.sql.statement(
      this.ctx.sql.db.updateTable('dossiers').set(change).where('ins_key', '=', insKey),
    );
  }

  private async requireGovernance(
    actor: DmpActor,
    insKey: string,
    action: GovernanceAction,
    reason: string,
    basis: PatientBasis,
  ): Promise<{ row: DossierRow }> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    const domainActor = toDomainActor(actor.professional);
    await this.ctx.enforce(actor, row.ins_key, decideDossierManagement(domainActor, action));
    await this.ctx.enforce(
      actor,
      row.ins_key,
      decideDossierGovernance(domainActor, facts, actor.mode, action, basis, reason),
    );
    return { row };
  }
}

/** What the audit keeps of a governance act: on what basis, and the reason given. */
function governanceTarget(basis: PatientBasis, reason: string): string {
  return `${basis.patientPresent ? 'patient présent' : 'à la demande écrite du patient'} ; ${reason}`;
}
