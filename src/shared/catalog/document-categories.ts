/**
 * The eleven document categories of the matrice d'habilitations (arrêté du 26 octobre 2023, annexe),
 * plus `non_classe` for codes the product does not know, with their French labels. Shared so the
 * main process (access rules) and the renderer (filters, lists) name them the same way; see
 * docs/access-rules.md for how each id maps to the published matrix.
 */
export const documentCategories = [
  'syntheses',
  'traitements_soins',
  'comptes_rendus',
  'imagerie',
  'biologie',
  'prevention',
  'certificats',
  'remboursement',
  'espace_patient',
  'sante_mentale',
  'telemedecine',
  'non_classe',
] as const;
export type DocumentCategory = (typeof documentCategories)[number];

/** The eleven categories the arrêté names (excludes our fallback). */
export const regulatedCategories = documentCategories.filter(
  (c): c is Exclude<DocumentCategory, 'non_classe'> => c !== 'non_classe',
);

export const categoryLabels: Readonly<Record<DocumentCategory, string>> = {
  syntheses: 'Synthèses',
  traitements_soins: 'Traitements et soins',
  comptes_rendus: 'Comptes rendus',
  imagerie: 'Imagerie médicale',
  biologie: 'Biologie',
  prevention: 'Prévention et vaccination',
  certificats: 'Certificats et déclarations',
  remboursement: 'Données de remboursement',
  espace_patient: 'Documents déposés par le patient',
  sante_mentale: 'Santé mentale et psychiatrie',
  telemedecine: 'Télémédecine',
  non_classe: 'Autres documents',
};
