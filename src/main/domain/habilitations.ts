import type { DocumentCategory } from './categories';
import type { DocumentKind } from './document-types';
import { toHealthProfession, type HealthProfessionCode } from './professions';

/*
 * Matrice d'habilitations as data.
 * Source: arrêté du 26 octobre 2023 fixant les règles de gestion des droits d'accès au dossier médical
 * partagé des professionnels mentionnés à l'article L. 1111-15 et au III de l'article L. 1111-17 du code
 * de la santé publique (JORF du 29 octobre 2023), annexe « matrice d'habilitations ».
 * The annex itself was not available to us: rows below reproduce the examples published about it and
 * otherwise follow the least-privilege assumptions written down in docs/access-rules.md (section
 * "Matrice"). Each row says which it is.
 */

type Row = readonly DocumentCategory[];

const clinicalCore: Row = [
  'syntheses',
  'traitements_soins',
  'comptes_rendus',
  'imagerie',
  'biologie',
  'prevention',
];

/** Every category of the annex; `non_classe` is ours and stays doctor-only (least privilege). */
const allRegulated: Row = [
  ...clinicalCore,
  'certificats',
  'remboursement',
  'espace_patient',
  'sante_mentale',
  'telemedecine',
];

export const habilitationMatrix: Readonly<Record<HealthProfessionCode, Row>> = {
  // Published example (information-dentaire.fr on the arrêté): doctors read every category; the one
  // exclusion (residence certificate) is a document type, see kindExclusions.
  '10': [...allRegulated, 'non_classe'],
  // Assumption A1: pharmacists need treatments, results, syntheses, prevention and reimbursement history.
  '21': [...clinicalCore, 'remboursement', 'espace_patient'],
  // Published example: dentists cannot read psychiatric summaries nor telemedicine requests (kindExclusions).
  // Assumption A7: the rest of the mental-health category is withheld from them too; other
  // telemedicine documents (reports) stay readable.
  '40': [...clinicalCore, 'certificats', 'remboursement', 'espace_patient', 'telemedecine'],
  // Assumption A2: midwives are a medical profession (CSP L4151-1) with a doctor-like scope except mental health.
  '50': [...clinicalCore, 'certificats', 'remboursement', 'espace_patient', 'telemedecine'],
  // Assumption A3: nurses, incl. psychiatric nurses who also read mental-health documents.
  '60': [...clinicalCore, 'remboursement', 'espace_patient', 'telemedecine'],
  '69': [...clinicalCore, 'remboursement', 'espace_patient', 'telemedecine', 'sante_mentale'],
  // Published example (ONPP, Oct 2023): podiatrists have a broad access; delivery reports excluded (kindExclusions).
  '80': [...clinicalCore, 'espace_patient', 'telemedecine'],
  // Assumption A4: other auxiliaires médicaux read the clinical core and the patient's own uploads.
  '70': [...clinicalCore, 'espace_patient', 'telemedecine'],
  '91': [...clinicalCore, 'espace_patient'],
  '92': [...clinicalCore, 'espace_patient'],
  '93': ['syntheses', 'comptes_rendus', 'espace_patient', 'sante_mentale'],
  '94': [...clinicalCore, 'espace_patient'],
  '95': [...clinicalCore, 'espace_patient'],
  '96': [...clinicalCore, 'espace_patient', 'sante_mentale'],
  '98': ['syntheses', 'comptes_rendus', 'imagerie', 'prevention'],
  '86': ['syntheses', 'biologie', 'prevention'],
  // Assumption A5: appliance and optics professions read syntheses, prescriptions and reports only.
  '26': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '28': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '81': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '82': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '83': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '84': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '85': ['syntheses', 'traitements_soins', 'comptes_rendus'],
  '39': ['traitements_soins'],
  // Assumption A6: care assistants and ambulance staff work under a nurse or doctor: syntheses and care plans.
  '35': ['syntheses', 'traitements_soins', 'prevention'],
  '36': ['syntheses'],
  '37': ['syntheses', 'traitements_soins', 'prevention'],
};

/** Document types a profession may not read although it may read their category. */
export const kindExclusions: Readonly<Partial<Record<HealthProfessionCode, readonly DocumentKind[]>>> = {
  // Published example: doctors see everything except the residence certificate.
  '10': ['residence_certificate'],
  // Published example: dentists cannot read psychiatric summaries nor telemedicine requests.
  '40': ['psychiatric_summary', 'telemedicine_request'],
  // Published example (France Assos Santé): podiatrists cannot read delivery reports.
  '80': ['delivery_report'],
};

/**
 * Non-health staff ("professions rôles" of the social and médico-social sectors) read nothing: their rows
 * of the annex were suspended after the CNOM appeal, so any unknown profession code gets no category.
 */
export function canProfessionReadCategory(professionCode: string, category: DocumentCategory): boolean {
  const profession = toHealthProfession(professionCode);
  if (!profession) return false;
  return habilitationMatrix[profession].includes(category);
}

export function canProfessionReadKind(professionCode: string, kind: DocumentKind): boolean {
  const profession = toHealthProfession(professionCode);
  if (!profession) return false;
  return !(kindExclusions[profession] ?? []).includes(kind);
}

/** Category and, when the type is singled out by the annex, the type itself. */
export function canProfessionReadDocument(
  professionCode: string,
  category: DocumentCategory,
  kind?: DocumentKind,
): boolean {
  return (
    canProfessionReadCategory(professionCode, category) &&
    (kind === undefined || canProfessionReadKind(professionCode, kind))
  );
}

export function readableCategories(professionCode: string): readonly DocumentCategory[] {
  const profession = toHealthProfession(professionCode);
  return profession ? habilitationMatrix[profession] : [];
}
