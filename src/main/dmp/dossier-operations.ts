import { ApiError, type Beneficiary, type DossierRef, type ReferenceIdentity } from '../../shared/contract';
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
import { redactNir } from '../log/logger';
import type { Statement } from '../store/types';
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

const searchLimit = 50;

/** `1979-03-00` (unknown day on the card) searches the whole month; `1979-00-00` the whole year. */
function birthDatePattern(date: string): string {
  const [y = '', m = '', d = ''] = date.split('-');
  if (/^0+$/.test(m)) return `${y}-*`;
  if (/^0+$/.test(d)) return `${y}-${m}-*`;
  return date;
}

/** Finding a dossier, letting a professional in (or the patient keeping one out), and the dossier's life cycle. */
export class DossierOperations {
  constructor(private readonly ctx: DmpContext) {}

  /**
   * A professional's search is traced (who, which criteria, how many results — not the names
   * typed, which stay out of the trail) so a name lookup without the patient's card is visible to
   * a security auditor.
   */
  async searchDossiersAs(
    actor: DmpActor,
    query: { insKey?: string; name?: string; birthDate?: string },
  ): Promise<DossierRef[]> {
    const found = await this.searchDossiers(query);
    const criteria = [
      query.insKey ? 'INS' : null,
      query.name ? 'nom' : null,
      query.birthDate ? 'date de naissance' : null,
    ]
      .filter(Boolean)
      .join(' + ');
    await this.ctx.write([
      this.ctx.event(
        actor,
        'patient.search',
        null,
        `${criteria || 'aucun critère'} ; ${found.length} résultat(s)`,
      ),
    ]);
    return found;
  }

  async traceIdentityLookup(actor: DmpActor, criteria: string, answers: number): Promise<void> {
    await this.ctx.write([
      this.ctx.event(actor, 'identity.lookup', null, `${criteria} ; ${answers} identité(s)`),
    ]);
  }

  async searchDossiers(query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    if (query.insKey !== undefined) {
      const ins = tryParseInsKey(query.insKey);
      if (!ins) return [];
      const rows = await this.ctx.store.all<DossierRow>(
        `SELECT ${dossierColumns} FROM dossiers WHERE ins_key = ?`,
        [formatInsKey(ins)],
      );
      return rows.filter((r) => !query.birthDate || r.birth_date === query.birthDate).map(toDossierRef);
    }
    const name = query.name !== undefined ? normaliseName(query.name) : '';
    const birth =
      query.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(query.birthDate)
        ? birthDatePattern(query.birthDate)
        : null;
    if (name.length < 2 && !birth) return [];
    let rows: DossierRow[];
    if (name.length >= 2) {
      // One indexed range scan per name column; an OR across both would scan the table.
      const dateClause = birth ? 'AND birth_date GLOB ?' : '';
      const params = birth ? [`${name}*`, birth, `${name}*`, birth] : [`${name}*`, `${name}*`];
      rows = await this.ctx.store.all<DossierRow>(
        `SELECT ${dossierColumns} FROM dossiers WHERE birth_name_norm GLOB ? ${dateClause}
         UNION
         SELECT ${dossierColumns} FROM dossiers WHERE used_name_norm GLOB ? ${dateClause}
         ORDER BY birth_name, first_names LIMIT ${searchLimit}`,
        params,
      );
    } else {
      rows = await this.ctx.store.all<DossierRow>(
        `SELECT ${dossierColumns} FROM dossiers WHERE birth_date GLOB ? ORDER BY birth_name, first_names LIMIT ${searchLimit}`,
        [birth as string],
      );
    }
    return rows.map(toDossierRef);
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
    const statements: Statement[] = [
      {
        // A patient's block is never lifted by an authorisation recorded at the desk.
        sql: `INSERT INTO dossier_professionals (ins_key, national_id, display_name, relation, since) VALUES (?, ?, ?, 'authorized', ?)
              ON CONFLICT(ins_key, national_id) DO NOTHING`,
        params: [
          row.ins_key,
          domainActor.nationalId,
          professionalName(actor.professional),
          this.ctx.now().toISOString(),
        ],
      },
    ];
    if (options.treatingPhysician) {
      statements.push({
        sql: 'UPDATE dossiers SET treating_physician_id = ? WHERE ins_key = ?',
        params: [domainActor.nationalId, row.ins_key],
      });
    }
    const already = await this.ctx.store.all(
      'SELECT 1 FROM dossier_professionals WHERE ins_key = ? AND national_id = ?',
      [row.ins_key, domainActor.nationalId],
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

  /** Patient-side control: block (or unblock) one professional. */
  async setProfessionalBlocked(
    insKey: string,
    professional: { nationalId: string; displayName: string },
    blocked: boolean,
  ): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    const event = this.ctx.event(
      { system: 'patient' },
      blocked ? 'professional.block' : 'professional.unblock',
      row.ins_key,
      professional.nationalId,
    );
    await this.ctx.write(
      [event],
      [
        blocked
          ? {
              sql: `INSERT INTO dossier_professionals (ins_key, national_id, display_name, relation, since) VALUES (?, ?, ?, 'blocked', ?)
                  ON CONFLICT(ins_key, national_id) DO UPDATE SET relation = 'blocked', since = excluded.since`,
              params: [
                row.ins_key,
                professional.nationalId,
                professional.displayName,
                this.ctx.now().toISOString(),
              ],
            }
          : {
              sql: "DELETE FROM dossier_professionals WHERE ins_key = ? AND national_id = ? AND relation = 'blocked'",
              params: [row.ins_key, professional.nationalId],
            },
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
    const same = await this.ctx.store.all<DossierRow>(
      `SELECT ${dossierColumns} FROM dossiers WHERE matricule = ? ORDER BY oid`,
      [matricule],
    );
    const traits = await this.ctx.store.all<DossierRow>(
      `SELECT ${dossierColumns} FROM dossiers WHERE birth_name_norm = ? AND birth_date = ? AND sex = ? AND matricule <> ?`,
      [normaliseName(identity.birthName), identity.birthDate, identity.sex, matricule],
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
      row,
      {
        id: domainActor.nationalId,
        name: professionalName(actor.professional),
        giver: input.consent.givenBy,
      },
      { login, codeHash: hashOneTimeCode(login, oneTimeCode), expiresAt: expires.toISOString() },
      this.ctx.now,
    );
    const representativeRows: Statement[] = representatives.map((r, position) => ({
      sql: 'INSERT INTO dossier_legal_representatives (ins_key, position, last_name, first_names, relation) VALUES (?, ?, ?, ?, ?)',
      params: [insKey, position, r.lastName, r.firstNames, r.relation],
    }));
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

  async closeDossier(actor: DmpActor, insKey: string, reason: string): Promise<DossierRef> {
    const { row } = await this.ctx.requireDossier(insKey);
    const decision = decideDossierManagement(toDomainActor(actor.professional), 'close');
    await this.ctx.enforce(actor, row.ins_key, decision);
    if (row.status === 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà fermé.');
    const trimmed = reason.trim();
    if (trimmed === '') throw new ApiError('INVALID_INPUT', 'Le motif de fermeture est obligatoire.');
    await this.ctx.write(
      [this.ctx.event(actor, 'dossier.close', row.ins_key, trimmed)],
      [
        {
          sql: "UPDATE dossiers SET status = 'closed', closed_reason = ?, closed_at = ? WHERE ins_key = ?",
          params: [trimmed, this.ctx.now().toISOString(), row.ins_key],
        },
      ],
    );
    return toDossierRef({ ...row, status: 'closed' });
  }

  async reactivateDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    const { row } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(
      actor,
      row.ins_key,
      decideDossierManagement(toDomainActor(actor.professional), 'reactivate'),
    );
    if (row.status !== 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà actif.');
    await this.ctx.write(
      [this.ctx.event(actor, 'dossier.reactivate', row.ins_key, null)],
      [
        {
          sql: "UPDATE dossiers SET status = 'active', closed_reason = NULL, closed_at = NULL WHERE ins_key = ?",
          params: [row.ins_key],
        },
      ],
    );
    return toDossierRef({ ...row, status: 'active' });
  }
}
