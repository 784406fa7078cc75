import { ApiError, type InsOid } from '../../shared/contract';
import type { CdaDocument } from '../cda/types';
import { formatInsKey, isTestOid } from '../../shared/identity/ins';
import type { Statement } from '../store/types';
import { auditWho, type DmpActor, type SystemActor } from './actors';
import type { DossierRow } from './dossier-rows';
import { normaliseName } from './names';

/** Who gave consent to the dossier's creation: the patient, their legal representative(s) for a minor, or the sending system upstream. */
export type ConsentGiver = 'patient' | 'legal-representative' | 'sending-system';

export function insertDossierStatement(
  row: DossierRow,
  consentBy: { id: string; name: string; giver: ConsentGiver },
  access: { login: string; codeHash: string; expiresAt: string } | null,
  clock: () => Date,
): Statement {
  const now = clock().toISOString();
  return {
    sql: `INSERT INTO dossiers (ins_key, matricule, oid, ins_status, status, birth_name, used_name, first_names, birth_date, sex, birth_place_code,
            birth_name_norm, used_name_norm, test_identity, consent_by_id, consent_by_name, consent_at, bris_de_glace_opposition,
            centre15_opposition, treating_physician_id, created_at, access_login, access_code_hash, access_code_expires_at, identity_verified, consent_given_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      row.identity_verified,
      consentBy.giver,
    ],
  };
}

/** A dossier opened by the first document received for a patient (hospital feeds, imports). */
export function dossierFromCda(
  cda: CdaDocument,
  matricule: string,
  oid: InsOid,
  actor: DmpActor | SystemActor,
  clock: () => Date,
): { row: DossierRow; statement: Statement } {
  const patient = cda.header.patient;
  const birthName = (patient.birthName ?? patient.usedName ?? '').trim();
  if (!birthName || !patient.firstNames?.trim() || !patient.birthDate) {
    throw new ApiError(
      'INVALID_INPUT',
      'Le document ne donne pas les traits d’identité du patient (nom, prénoms, date de naissance) : le DMP ne peut pas être créé.',
    );
  }
  const row: DossierRow = {
    ins_key: formatInsKey({ matricule, oid }),
    matricule,
    oid,
    // The DMP only accepts documents carrying a qualified INS: the sending system vouches for it.
    ins_status: 'qualified',
    identity_verified: 0,
    status: 'active',
    birth_name: birthName,
    used_name:
      patient.usedName?.trim() && patient.usedName.trim() !== birthName ? patient.usedName.trim() : null,
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
  return {
    row,
    statement: insertDossierStatement(
      row,
      { id: who.actorId, name: `${who.actorName} — système émetteur`, giver: 'sending-system' },
      null,
      clock,
    ),
  };
}
