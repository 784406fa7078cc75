import type { DossierRef, InsOid } from '../../shared/contract';
import { formatInsKey, rnivStatus, type RnivStatus } from '../../shared/identity/ins';
import type { DossierFacts } from '../domain/access-policy';
import type { Store } from '../store/types';

export interface DossierRow {
  ins_key: string;
  matricule: string;
  oid: string;
  /** Where the INS came from: `provisional` (typed), `fetched` (identity reference), `qualified` (a sender vouching for it, or fetched and checked). */
  ins_status: string;
  /** An identity document of high trust was checked at the desk (RNIV). */
  identity_verified: number;
  status: string;
  birth_name: string;
  used_name: string | null;
  first_names: string;
  birth_date: string;
  sex: string;
  birth_place_code: string | null;
  test_identity: number;
  bris_de_glace_opposition: number;
  centre15_opposition: number;
  treating_physician_id: string | null;
}

export const dossierColumns =
  'ins_key, matricule, oid, ins_status, identity_verified, status, birth_name, used_name, first_names, birth_date, sex, birth_place_code, test_identity, bris_de_glace_opposition, centre15_opposition, treating_physician_id';

export function toDossierRef(row: DossierRow): DossierRef {
  return {
    insKey: formatInsKey({ matricule: row.matricule, oid: row.oid as InsOid }),
    ins: { matricule: row.matricule, oid: row.oid as InsOid, status: rnivStatusOf(row) },
    identity: {
      birthName: row.birth_name,
      ...(row.used_name ? { usedName: row.used_name } : {}),
      firstNames: row.first_names,
      birthDate: row.birth_date,
      sex: row.sex as 'M' | 'F' | 'U',
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

export async function loadDossierRow(store: Store, insKey: string): Promise<DossierRow | null> {
  const rows = await store.all<DossierRow>(`SELECT ${dossierColumns} FROM dossiers WHERE ins_key = ?`, [
    insKey,
  ]);
  return rows[0] ?? null;
}

/** The facts the access rules decide on: status, oppositions, who is authorised or blocked. */
export async function loadDossierFacts(store: Store, row: DossierRow): Promise<DossierFacts> {
  const people = await store.all<{ national_id: string; relation: string }>(
    'SELECT national_id, relation FROM dossier_professionals WHERE ins_key = ?',
    [row.ins_key],
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
