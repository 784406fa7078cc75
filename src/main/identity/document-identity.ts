import {
  checkIns,
  isInsOid,
  matriculePattern,
  normaliseMatricule,
  type InsProblem,
  type InsRef,
} from '../../shared/identity/ins';
import { nameTraitProblem } from '../../shared/identity/traits';
import type { CdaPatient } from '../cda/types';
import { normaliseName } from '../dmp/names';

/**
 * Whether a document may be attached to a patient's dossier, as identity vigilance requires: the
 * INS it carries is well formed, its key right, consistent with the document's own sex and birth
 * date, and the document's patient is the dossier's person (same birth name, first name, birth
 * date and sex). Pure; the callers refuse, log and audit.
 */

/** The INS among a CDA header's patient ids: the first whose root is an INS OID and whose extension has a matricule's layout. */
export function insFromPatientIds(ids: readonly { root: string; extension: string }[]): InsRef | null {
  for (const id of ids) {
    const matricule = normaliseMatricule(id.extension);
    if (isInsOid(id.root) && matriculePattern.test(matricule)) return { matricule, oid: id.root };
  }
  return null;
}

export interface IdentityProblem {
  /** Stable, for logs and the audit trail (never the patient's data). */
  code: InsProblem['code'] | 'name-characters' | 'birth-name' | 'first-name' | 'birth-date' | 'sex-differs';
  /** French, for the user. */
  message: string;
}

/** The INS checked against the traits the same document gives, and the names checked for hidden characters. */
export function documentIdentityProblems(ins: InsRef, patient: CdaPatient): IdentityProblem[] {
  const problems: IdentityProblem[] = checkIns(ins, { sex: patient.sex, birthDate: patient.birthDate }).map(
    (p) => ({
      code: p.code,
      message: `INS du document : ${lowerFirst(p.message)}`,
    }),
  );
  const names: [string | undefined, string][] = [
    [patient.birthName, 'Le nom de naissance du patient'],
    [patient.usedName, 'Le nom utilisé du patient'],
    [patient.firstNames, 'Les prénoms du patient'],
  ];
  for (const [value, what] of names) {
    const problem = value === undefined ? null : nameTraitProblem(value, what);
    if (problem) problems.push({ code: 'name-characters', message: problem });
  }
  return problems;
}

export interface DossierTraits {
  birthName: string;
  usedName?: string | undefined;
  firstNames: string;
  birthDate: string;
  sex: 'M' | 'F' | 'U';
}

function firstWord(names: string): string {
  return normaliseName(names).split(' ')[0] ?? '';
}

/**
 * The traits of a document's patient against the dossier's: a document whose patient is someone
 * else must never be attached, even when it carries the dossier's INS (a wrong INS upstream).
 * A trait the document does not give is not compared; the first first-name is compared, since
 * the rest of the list is not always known to the sender.
 */
export function traitsDiffer(patient: CdaPatient, dossier: DossierTraits): IdentityProblem[] {
  const problems: IdentityProblem[] = [];
  const documentBirthName = patient.birthName ?? patient.usedName;
  if (
    documentBirthName !== undefined &&
    normaliseName(documentBirthName) !== normaliseName(dossier.birthName)
  ) {
    problems.push({
      code: 'birth-name',
      message: 'Le nom de naissance du patient du document diffère de celui du dossier.',
    });
  }
  if (patient.firstNames !== undefined && firstWord(patient.firstNames) !== firstWord(dossier.firstNames)) {
    problems.push({
      code: 'first-name',
      message: 'Le premier prénom du patient du document diffère de celui du dossier.',
    });
  }
  if (patient.birthDate !== undefined && patient.birthDate !== dossier.birthDate) {
    problems.push({
      code: 'birth-date',
      message: 'La date de naissance du patient du document diffère de celle du dossier.',
    });
  }
  if (
    patient.sex !== undefined &&
    patient.sex !== 'U' &&
    dossier.sex !== 'U' &&
    patient.sex !== dossier.sex
  ) {
    problems.push({
      code: 'sex-differs',
      message: 'Le sexe du patient du document diffère de celui du dossier.',
    });
  }
  return problems;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
