import type { DocumentCategory } from './categories';

export type { DocumentCategory } from './categories';

/** Code systems a DMP `typeCode` comes from. */
export const typeCodeSystems = {
  loinc: '2.16.840.1.113883.6.1',
  /** TRE_A05-TypeDocComplementaire: DMP types with no LOINC code (REMB, SYNTH…). */
  treA05: '1.2.250.1.213.1.1.4.12',
} as const;

/**
 * A finer tag than the category, for the few rows of the matrice d'habilitations that single out one
 * document type inside a category (e.g. doctors may read every certificate except the residence one).
 */
export type DocumentKind =
  'residence_certificate' | 'delivery_report' | 'psychiatric_summary' | 'telemedicine_request';

export interface DocumentType {
  code: string;
  system: string;
  label: string;
  category: DocumentCategory;
  kind?: DocumentKind;
}

const loinc = typeCodeSystems.loinc;

/**
 * The types the product handles. "fixture": read from ClinicalDocument/code of the CI-SIS examples in
 * ../shared/fixtures/cda. Labels follow TRE_A04-Loinc (ANS, version 2023-01-27, as published in
 * ansforge/IG-fhir-mesures-de-sante); the DMP accepts the JDV_J66 subset of it.
 */
export const documentTypes: readonly DocumentType[] = [
  // Synthèses
  { code: '60591-5', system: loinc, label: 'Synthèse du dossier médical (VSM / IPS)', category: 'syntheses' }, // fixture IPS-FR
  { code: 'SYNTH', system: typeCodeSystems.treA05, label: 'Synthèse', category: 'syntheses' }, // fixture VSM 1.4
  { code: '74207-2', system: loinc, label: "Dossier de liaison d'urgence (DLU)", category: 'syntheses' }, // fixture DLU
  { code: '34133-9', system: loinc, label: "Synthèse d'épisode de soins", category: 'syntheses' },
  // Comptes rendus
  { code: '34112-3', system: loinc, label: 'Compte rendu hospitalier (séjour)', category: 'comptes_rendus' },
  {
    code: '11490-0',
    system: loinc,
    label: "Lettre de liaison à la sortie d'un établissement de soins",
    category: 'comptes_rendus',
  },
  {
    code: '18761-7',
    system: loinc,
    label: "Note de transfert (dont lettre de liaison à l'entrée)",
    category: 'comptes_rendus',
  },
  {
    code: '15507-7',
    system: loinc,
    label: 'Compte rendu de passage aux urgences',
    category: 'comptes_rendus',
  },
  {
    code: '11488-4',
    system: loinc,
    label: 'Compte rendu de consultation ou de visite',
    category: 'comptes_rendus',
  },
  { code: '34874-8', system: loinc, label: 'Compte rendu opératoire', category: 'comptes_rendus' },
  {
    code: '34794-8',
    system: loinc,
    label: 'Compte rendu de réunion de concertation pluridisciplinaire',
    category: 'comptes_rendus',
  },
  {
    code: '11506-3',
    system: loinc,
    label: 'Compte rendu de suivi de soins par auxiliaire médical',
    category: 'comptes_rendus',
  },
  { code: '47420-5', system: loinc, label: 'Compte rendu de bilan fonctionnel', category: 'comptes_rendus' },
  {
    code: '11526-1',
    system: loinc,
    label: "Compte rendu d'anatomie et de cytologie pathologiques",
    category: 'comptes_rendus',
  },
  {
    code: '15508-5',
    system: loinc,
    label: "Compte rendu d'accouchement",
    category: 'comptes_rendus',
    kind: 'delivery_report',
  },
  // Biologie
  { code: '11502-2', system: loinc, label: "Compte rendu d'examens biologiques", category: 'biologie' }, // fixture BIO, DOC_NON_STRUCTURE
  { code: '51969-4', system: loinc, label: 'Compte rendu de génétique moléculaire', category: 'biologie' },
  // Imagerie
  { code: '18748-4', system: loinc, label: "Compte rendu d'imagerie médicale", category: 'imagerie' }, // fixture IMG
  { code: '55115-0', system: loinc, label: "Demande d'actes d'imagerie", category: 'imagerie' },
  // Prévention
  { code: '87273-9', system: loinc, label: 'Note de vaccination', category: 'prevention' }, // fixture VAC-NOTE
  { code: '11369-6', system: loinc, label: 'Historique des vaccinations', category: 'prevention' }, // fixture VAC
  { code: '96173-0', system: loinc, label: 'Attestation de dépistage', category: 'prevention' },
  {
    code: '68817-6',
    system: loinc,
    label: "Bilan de santé et de prévention de l'enfant",
    category: 'prevention',
  },
  // Traitements et soins
  { code: '60593-1', system: loinc, label: 'Dispensation médicamenteuse', category: 'traitements_soins' },
  {
    code: '57833-6',
    system: loinc,
    label: 'Prescription de produits de santé',
    category: 'traitements_soins',
  },
  { code: '57832-8', system: loinc, label: 'Prescription de soins', category: 'traitements_soins' },
  { code: '57828-6', system: loinc, label: 'Prescription (autre)', category: 'traitements_soins' },
  { code: '18776-5', system: loinc, label: 'Plan personnalisé de soins', category: 'traitements_soins' },
  { code: '56445-0', system: loinc, label: 'Bilan médicamenteux', category: 'traitements_soins' },
  { code: '77604-7', system: loinc, label: 'Planification thérapeutique', category: 'traitements_soins' },
  // Certificats
  { code: '89601-9', system: loinc, label: 'Certificat médical', category: 'certificats' },
  // Santé mentale
  {
    code: '68599-0',
    system: loinc,
    label: 'Synthèse psychiatrique',
    category: 'sante_mentale',
    kind: 'psychiatric_summary',
  },
  { code: '83901-9', system: loinc, label: 'Bilan psychologique', category: 'sante_mentale' },
  // Télémédecine
  {
    code: '75496-0',
    system: loinc,
    label: "Demande d'acte de télémédecine",
    category: 'telemedecine',
    kind: 'telemedicine_request',
  },
  { code: '85208-7', system: loinc, label: 'Compte rendu de télémédecine', category: 'telemedecine' },
  // Données de remboursement
  {
    code: 'REMB',
    system: typeCodeSystems.treA05,
    label: 'Historique des remboursements',
    category: 'remboursement',
  }, // fixture CNAM-HR
];

const byCode = new Map(documentTypes.map((t) => [t.code.toUpperCase(), t]));

function normalise(code: string): string {
  return code.trim().toUpperCase();
}

/** The known type for a code, or undefined; codes are compared trimmed and case-insensitively. */
export function findDocumentType(code: string): DocumentType | undefined {
  return byCode.get(normalise(code));
}

/** Unknown or malformed codes fall back to the unclassified category rather than throwing. */
export function categoryForTypeCode(code: string): DocumentCategory {
  return findDocumentType(code)?.category ?? 'non_classe';
}

export function typeLabel(code: string): string {
  const known = findDocumentType(code);
  if (known) return known.label;
  const shown = code.trim();
  return shown === '' ? 'Document de type non précisé' : `Document de type ${shown.slice(0, 40)}`;
}

export function kindForTypeCode(code: string): DocumentKind | undefined {
  return findDocumentType(code)?.kind;
}
