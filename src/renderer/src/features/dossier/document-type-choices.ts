/**
 * Types offered for PDF and text deposits (a CDA carries its own type). A subset of the main process's
 * JDV_J66 list, kept to the codes a practice deposits by hand; the main process derives the category.
 */
export const depositTypeChoices: { code: string; label: string }[] = [
  { code: '11488-4', label: 'Compte rendu de consultation ou de visite' },
  { code: '34112-3', label: 'Compte rendu hospitalier (séjour)' },
  { code: '11490-0', label: 'Lettre de liaison à la sortie d’un établissement de soins' },
  { code: '15507-7', label: 'Compte rendu de passage aux urgences' },
  { code: '34874-8', label: 'Compte rendu opératoire' },
  { code: '11502-2', label: 'Compte rendu d’examens biologiques' },
  { code: '18748-4', label: 'Compte rendu d’imagerie médicale' },
  { code: '87273-9', label: 'Note de vaccination' },
  { code: '57833-6', label: 'Prescription de produits de santé' },
  { code: '60593-1', label: 'Dispensation médicamenteuse' },
  { code: '56445-0', label: 'Bilan médicamenteux' },
  { code: '89601-9', label: 'Certificat médical' },
  { code: '68599-0', label: 'Synthèse psychiatrique' },
  { code: '85208-7', label: 'Compte rendu de télémédecine' },
];

/** A CDA names its own type in its header; other formats need one chosen at deposit. */
export function needsTypeCode(fileName: string): boolean {
  return !/\.xml$/i.test(fileName);
}
