import { isInsOid, type InsRef } from '../domain/ins';

const matriculePattern = /^[0-9]{5}[0-9AB][0-9]{9}$/;

export function isMatricule(value: string): boolean {
  return matriculePattern.test(value.trim().toUpperCase());
}

/** The INS among a CDA header's patient ids: the first whose root is an INS OID and whose extension is a matricule. */
export function insFromPatientIds(ids: readonly { root: string; extension: string }[]): InsRef | null {
  for (const id of ids) {
    const matricule = id.extension.trim().toUpperCase();
    if (isInsOid(id.root) && isMatricule(matricule)) return { matricule, oid: id.root };
  }
  return null;
}
