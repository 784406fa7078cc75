import type { DossierRef, InsOid } from '../../shared/contract';
import { formatInsKey, rnivStatus, type RnivStatus } from '../../shared/identity/ins';
import type { DossierFacts } from '../domain/access-policy';
import type { Selectable } from 'kysely';
import type { DossiersTable } from '../db/database';
import type { DmpSql } from '../db/query-builder';
import type { Store } from '../store/types';

export const dossierColumns = [
  'ins_key',
  'matricule',
  'oid',
  'ins_status',
  'identity_verified',
  'status',
  'birth_name',
  'used_name',
  'first_names',
  'birth_date',
  'sex',
  'birth_place_code',
  'test_identity',
  'bris_de_glace_opposition',
  'centre15_opposition',
  'treating_physician_id',
] as const;

/** What the DMP reads of a dossier (see `DossiersTable` for what each column means). */
export type DossierRow = Pick<Selectable<DossiersTable>, (typeof dossierColumns)[number]>;

export function toDossierRef(row: DossierRow): DossierRef {
  return {
    insKey: formatInsKey({ matricule: row.matricule, oid: row.oid as InsOid }),
    ins: { matricule: row.matricule, oid: row.oid as InsOid, status: rnivStatusOf(row) },
    identity: {
      birthName: row.birth_name,
      ...(row.used_name ? { usedName: row.used_name } : {}),
      firstNames: row.first_names,
      birthDate: row.birth_date,
      sex: row.sex,
      ...(row.birth_place_code ? { birthPlaceCode: row.birth_place_code } : {}),
    },
    status: row.status === 'closed' ? 'closed' : 'active',
    testIdentity: row.test_identity === 1,
  };
}

/** The RNIV status, from where the INS came from and whether an identity document was checked. */
export function rnivStatusOf(row: Pick<DossierRow, 'ins_status' | 'identity_verified'>): RnivStatus {
  if (row.ins_status === 'qualified') return 'qualified';
  return rnivStatus({
    retrieved: row.ins_status === 'fetched',
    documentChecked: row.identity_verified === 1,
  });
}

export async function loadDossierRow(q: DmpSql, store: Store, insKey: string): Promise<DossierRow | null> {
  return q.first(store, q.db.selectFrom('dossiers').select(dossierColumns).where('ins_key', '=', insKey));
}

/** The facts the access rules decide on: status, oppositions, who is authorised or blocked. */
export async function loadDossierFacts(q: DmpSql, store: Store, row: DossierRow): Promise<DossierFacts> {
  const people = await q.rows(
    store,
    q.db
      .selectFrom('dossier_professionals')
      .select(['national_id', 'relation'])
      .where('ins_key', '=', row.ins_key),
  );
  return {
    status: row.status === 'closed' ? 'closed' : 'active',
    ...(row.treating_physician_id ? { treatingPhysicianId: row.treating_physician_id } : {}),
    blockedProfessionalIds: people.filter((p) => p.relation === 'blocked').map((p) => p.national_id),
    authorizedProfessionalIds: people.filter((p) => p.relation === 'authorized').map((p) => p.national_id),
    brisDeGlaceOpposition: row.bris_de_glace_opposition === 1,
    centre15Opposition: row.centre15_opposition === 1,
  };
}
