import { ApiError, type Beneficiary, type DossierRef, type InsOid } from '../../shared/contract';
import { canReadMedicalContent, decideDossierAccess, decideDossierManagement } from '../domain/access-policy';
import {
  decideBlockRecording,
  decideDossierGovernance,
  decideTreatingPhysicianDeclaration,
  type GovernanceAction,
  type PatientBasis,
} from '../domain/governance';
import { checkSearchQuery, rateLimitMessage, searchResultLimit, takeToken, type Bucket, type SearchQuery } from '../domain/search-policy';
import { beneficiaryNeedsOwnIns, formatInsKey, insOids, isTestOid, tryParseInsKey, validateIns } from '../domain/ins';
import { redactNir } from '../log/logger';
import type { Statement } from '../store/types';
import { accessCodesPdf } from './access-codes-pdf';
import { hashOneTimeCode, newLogin, newOneTimeCode, validUntil } from './access-codes';
import { professionalName, toDomainActor, type DmpActor } from './actors';
import type { DmpContext } from './dmp-context';
import { dossierColumns, loadDossierRow, toDossierRef, type DossierRow } from './dossier-rows';
import { insertDossierStatement } from './dossier-writes';
import { normaliseName } from './names';

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

/** The session's own look-up for a Vitale beneficiary (not a professional's search). */
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
  /** Search rate per professional (national id), in memory: a restart gives a fresh burst, no more. */
  private readonly searchBuckets = new Map<string, Bucket>();

  constructor(private readonly ctx: DmpContext) {}

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
      await this.ctx.write([this.ctx.event(actor, 'patient.search', null, 'refusée : trop de recherches en peu de temps')]);
      this.ctx.log.warn('patient search rate-limited', { retryInMs: taken.retryInMs });
      throw new ApiError('UNAVAILABLE', rateLimitMessage(taken.retryInMs), 'search rate limit');
    }
    const check = checkSearchQuery(query);
    if (!check.ok) throw new ApiError('INVALID_INPUT', check.message, 'search criteria too broad');
    let rows: DossierRow[];
    let criteria: string;
    if (check.search.kind === 'ins') {
      criteria = 'INS';
      const ins = tryParseInsKey(check.search.insKey);
      rows = ins ? await this.ctx.store.all<DossierRow>(`SELECT ${dossierColumns} FROM dossiers WHERE ins_key = ?`, [formatInsKey(ins)]) : [];
    } else {
      criteria = 'début du nom de naissance et date de naissance';
      rows = await this.ctx.store.all<DossierRow>(
        `SELECT ${dossierColumns} FROM dossiers WHERE birth_name_norm GLOB ? AND birth_date = ? ORDER BY birth_name, first_names LIMIT ${searchResultLimit}`,
        [`${normaliseName(check.search.name)}*`, check.search.birthDate],
      );
    }
    const found = rows.slice(0, searchResultLimit);
    await this.ctx.write([
      this.ctx.event(actor, 'patient.search', null, `${criteria} ; ${found.length} résultat(s)`),
      ...found.map((r) => this.ctx.event(actor, 'patient.search', r.ins_key, criteria)),
    ]);
    return found.map(toDossierRef);
  }

  async searchDossiers(query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    if (query.insKey !== undefined) {
      const ins = tryParseInsKey(query.insKey);
      if (!ins) return [];
      const rows = await this.ctx.store.all<DossierRow>(`SELECT ${dossierColumns} FROM dossiers WHERE ins_key = ?`, [formatInsKey(ins)]);
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
  async authorize(actor: DmpActor, insKey: string, options: { treatingPhysician?: boolean } = {}): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    const domainActor = toDomainActor(actor.professional);
    // Someone who may not read medical content gains nothing from an authorisation; the opening that follows refuses and audits.
    if (!canReadMedicalContent(domainActor)) return;
    const statements: Statement[] = [
      {
        // A patient's block is never lifted by an authorisation recorded at the desk.
        sql: `INSERT INTO dossier_professionals (ins_key, national_id, display_name, relation, since) VALUES (?, ?, ?, 'authorized', ?)
              ON CONFLICT(ins_key, national_id) DO NOTHING`,
        params: [row.ins_key, domainActor.nationalId, professionalName(actor.professional), this.ctx.now().toISOString()],
      },
    ];
    if (options.treatingPhysician) {
      statements.push({ sql: 'UPDATE dossiers SET treating_physician_id = ? WHERE ins_key = ?', params: [domainActor.nationalId, row.ins_key] });
    }
    const already = await this.ctx.store.all('SELECT 1 FROM dossier_professionals WHERE ins_key = ? AND national_id = ?', [row.ins_key, domainActor.nationalId]);
    // Only a new authorisation (or a médecin-traitant change) is an event in the patient's history.
    if (already.length > 0 && !options.treatingPhysician) return;
    await this.ctx.write([this.ctx.event(actor, 'access.authorize', row.ins_key, options.treatingPhysician ? 'médecin traitant' : null)], statements);
  }

  /** The doctor in session becomes the médecin traitant, with the patient present and consenting (TD0.3 `i_setTreatingPhysician`). */
  async declareTreatingPhysician(actor: DmpActor, insKey: string, basis: { patientPresent: boolean; patientConsent: boolean }): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(actor, row.ins_key, decideTreatingPhysicianDeclaration(toDomainActor(actor.professional), actor.mode, basis));
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
    await this.ctx.enforce(actor, row.ins_key, decideBlockRecording(toDomainActor(actor.professional), facts, actor.mode, target, basis));
    const known = await this.ctx.store.all<{ display_name: string }>('SELECT display_name FROM dossier_professionals WHERE ins_key = ? AND national_id = ?', [
      row.ins_key,
      target.nationalId,
    ]);
    await this.setProfessionalBlocked(row.ins_key, { nationalId: target.nationalId, displayName: known[0]?.display_name ?? 'Professionnel' }, target.blocked, actor);
  }

  /** The professionals the patient authorised or blocked (TD0.2 list), médecin traitant flagged. */
  async professionals(insKey: string): Promise<{ nationalId: string; name: string; relation: 'authorized' | 'blocked'; treatingPhysician: boolean }[]> {
    const { row } = await this.ctx.requireDossier(insKey);
    const people = await this.ctx.store.all<{ national_id: string; display_name: string; relation: string }>(
      'SELECT national_id, display_name, relation FROM dossier_professionals WHERE ins_key = ? ORDER BY display_name',
      [row.ins_key],
    );
    return people.map((p) => ({
      nationalId: p.national_id,
      name: p.display_name,
      relation: p.relation === 'blocked' ? 'blocked' : 'authorized',
      treatingPhysician: row.treating_physician_id === p.national_id,
    }));
  }

  /** Patient-side control: block (or unblock) one professional. */
  async setProfessionalBlocked(
    insKey: string,
    professional: { nationalId: string; displayName: string },
    blocked: boolean,
    recordedBy: DmpActor | null = null,
  ): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    const event = this.ctx.event(recordedBy ?? { system: 'patient' }, blocked ? 'professional.block' : 'professional.unblock', row.ins_key, professional.nationalId);
    await this.ctx.write([event], [
      blocked
        ? {
            sql: `INSERT INTO dossier_professionals (ins_key, national_id, display_name, relation, since) VALUES (?, ?, ?, 'blocked', ?)
                  ON CONFLICT(ins_key, national_id) DO UPDATE SET relation = 'blocked', since = excluded.since`,
            params: [row.ins_key, professional.nationalId, professional.displayName, this.ctx.now().toISOString()],
          }
        : { sql: "DELETE FROM dossier_professionals WHERE ins_key = ? AND national_id = ? AND relation = 'blocked'", params: [row.ins_key, professional.nationalId] },
    ]);
  }

  async openDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(actor, row.ins_key, decideDossierAccess(toDomainActor(actor.professional), facts, actor.mode, actor.reason));
    await this.ctx.write([this.ctx.event(actor, 'dossier.read', row.ins_key, null)]);
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
    if (await loadDossierRow(this.ctx.store, insKey)) throw new ApiError('CONFLICT', 'Un DMP existe déjà pour cet INS.');

    const now = this.ctx.now();
    const login = newLogin(this.ctx.random);
    const oneTimeCode = newOneTimeCode(this.ctx.random);
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
    const insert = insertDossierStatement(
      row,
      { id: domainActor.nationalId, name: professionalName(actor.professional) },
      { login, codeHash: hashOneTimeCode(login, oneTimeCode), expiresAt: expires.toISOString() },
      this.ctx.now,
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
    await this.ctx.write([this.ctx.event(actor, 'dossier.create', insKey, null), this.ctx.event(actor, 'accessCodes.print', insKey, null)], [insert]);
    this.ctx.log.info('dossier created', { ins: redactNir(matricule), warnings: validation.warnings.length });
    return { dossier: toDossierRef(row), accessCodes: { login, oneTimeCode }, pdf };
  }

  /** TD1.4: the patient's decision, recorded with the patient present or on their written request, with a reason. */
  async closeDossier(actor: DmpActor, insKey: string, reason: string, basis: PatientBasis): Promise<DossierRef> {
    const { row } = await this.requireGovernance(actor, insKey, 'close', reason, basis);
    if (row.status === 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà clôturé.');
    const trimmed = reason.trim();
    await this.ctx.write([this.ctx.event(actor, 'dossier.close', row.ins_key, governanceTarget(basis, trimmed))], [
      { sql: "UPDATE dossiers SET status = 'closed', closed_reason = ?, closed_at = ? WHERE ins_key = ?", params: [trimmed, this.ctx.now().toISOString(), row.ins_key] },
    ]);
    return toDossierRef({ ...row, status: 'closed' });
  }

  /** TD1.2: as closing, the patient's decision. */
  async reactivateDossier(actor: DmpActor, insKey: string, reason: string, basis: PatientBasis): Promise<DossierRef> {
    const { row } = await this.requireGovernance(actor, insKey, 'reactivate', reason, basis);
    if (row.status !== 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà actif.');
    await this.ctx.write([this.ctx.event(actor, 'dossier.reactivate', row.ins_key, governanceTarget(basis, reason.trim()))], [
      { sql: "UPDATE dossiers SET status = 'active', closed_reason = NULL, closed_at = NULL WHERE ins_key = ?", params: [row.ins_key] },
    ]);
    return toDossierRef({ ...row, status: 'active' });
  }

  private async requireGovernance(actor: DmpActor, insKey: string, action: GovernanceAction, reason: string, basis: PatientBasis): Promise<{ row: DossierRow }> {
    const { row, facts } = await this.ctx.requireDossier(insKey);
    const domainActor = toDomainActor(actor.professional);
    await this.ctx.enforce(actor, row.ins_key, decideDossierManagement(domainActor, action));
    await this.ctx.enforce(actor, row.ins_key, decideDossierGovernance(domainActor, facts, actor.mode, action, basis, reason));
    return { row };
  }
}

/** What the audit keeps of a governance act: on what basis, and the reason given. */
function governanceTarget(basis: PatientBasis, reason: string): string {
  return `${basis.patientPresent ? 'patient présent' : 'à la demande écrite du patient'} ; ${reason}`;
}
