import { ApiError } from '../../shared/contract/api-error';
import type { InsOid } from '../../shared/contract';
import type { CdaDocument } from '../cda/types';
import { formatInsKey, isTestOid } from '../../shared/identity/ins';
import type { DmpSql } from '../db/query-builder';
import type { Statement } from '../store/types';
import { auditWho, type DmpActor, type SystemActor } from './actors';
import type { DossierRow } from './dossier-rows';
import { normaliseName } from './names';

/** Who gave consent to the dossier's creation: the patient, their legal representative(s) for a minor, or the sending system upstream. */
export type ConsentGiver = 'patient' | 'legal-representative' | 'sending-system';

export function insertDossierStatement(
  q: DmpSql,
  row: DossierRow,
  consentBy: { id: string; name: string; giver: ConsentGiver },
  access: { login: string; codeHash: string; expiresAt: string } | null,
  clock: () => Date,
): Statement {
  const now = clock().toISOString();
  return q.statement(
    q.db.insertInto('dossiers').values({
      ...row,
      birth_name_norm: normaliseName(row.birth_name),
      used_name_norm: row.used_name ? normaliseName(row.used_name) : null,
      consent_by_id: consentBy.id,
      consent_by_name: consentBy.name,
      consent_at: now,
      created_at: now,
      access_login: access?.login ?? null,
      access_code_hash: access?.codeHash ?? null,
      access_code_expires_at: access?.expiresAt ?? null,
      consent_given_by: consentBy.giver,
    }),
  );
}

/** A dossier opened by the first document received for a patient (hospital feeds, imports). */
export function dossierFromCda(
  q: DmpSql,
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
    birth_name_norm: normaliseName(birthName),
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
      q,
      row,
      { id: who.actorId, name: `${who.actorName} — système émetteur`, giver: 'sending-system' },
      null,
      clock,
    ),
  };
}
