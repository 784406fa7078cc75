import { ApiError, type Beneficiary, type DossierRef, type InsOid } from '../../shared/contract';
import { canReadMedicalContent, decideDossierAccess, decideDossierManagement } from '../domain/access-policy';
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
  async searchDossiersAs(actor: DmpActor, query: { insKey?: string; name?: string; birthDate?: string }): Promise<DossierRef[]> {
    const found = await this.searchDossiers(query);
    const criteria = [query.insKey ? 'INS' : null, query.name ? 'nom' : null, query.birthDate ? 'date de naissance' : null].filter(Boolean).join(' + ');
    await this.ctx.write([this.ctx.event(actor, 'patient.search', null, `${criteria || 'aucun critère'} ; ${found.length} résultat(s)`)]);
    return found;
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

  /** Patient-side control: block (or unblock) one professional. */
  async setProfessionalBlocked(insKey: string, professional: { nationalId: string; displayName: string }, blocked: boolean): Promise<void> {
    const { row } = await this.ctx.requireDossier(insKey);
    const event = this.ctx.event({ system: 'patient' }, blocked ? 'professional.block' : 'professional.unblock', row.ins_key, professional.nationalId);
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

  async closeDossier(actor: DmpActor, insKey: string, reason: string): Promise<DossierRef> {
    const { row } = await this.ctx.requireDossier(insKey);
    const decision = decideDossierManagement(toDomainActor(actor.professional), 'close');
    await this.ctx.enforce(actor, row.ins_key, decision);
    if (row.status === 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà fermé.');
    const trimmed = reason.trim();
    if (trimmed === '') throw new ApiError('INVALID_INPUT', 'Le motif de fermeture est obligatoire.');
    await this.ctx.write([this.ctx.event(actor, 'dossier.close', row.ins_key, trimmed)], [
      { sql: "UPDATE dossiers SET status = 'closed', closed_reason = ?, closed_at = ? WHERE ins_key = ?", params: [trimmed, this.ctx.now().toISOString(), row.ins_key] },
    ]);
    return toDossierRef({ ...row, status: 'closed' });
  }

  async reactivateDossier(actor: DmpActor, insKey: string): Promise<DossierRef> {
    const { row } = await this.ctx.requireDossier(insKey);
    await this.ctx.enforce(actor, row.ins_key, decideDossierManagement(toDomainActor(actor.professional), 'reactivate'));
    if (row.status !== 'closed') throw new ApiError('CONFLICT', 'Ce DMP est déjà actif.');
    await this.ctx.write([this.ctx.event(actor, 'dossier.reactivate', row.ins_key, null)], [
      { sql: "UPDATE dossiers SET status = 'active', closed_reason = NULL, closed_at = NULL WHERE ins_key = ?", params: [row.ins_key] },
    ]);
    return toDossierRef({ ...row, status: 'active' });
  }
}
