import type { DocumentMeta } from '../../../../shared/contract';

/**
 * Labels of the matrice d'habilitations categories. The ids come from the main process as plain strings;
 * an id not listed here is shown as received rather than hidden.
 */
export const categoryLabels: Record<string, string> = {
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

export function categoryLabel(id: string): string {
  return categoryLabels[id] ?? id;
}

export interface Badge {
  label: string;
  tone: 'alert' | 'warn' | 'muted';
}

/** The five flags the DMP guide requires in result lists (masked, not visible to patient / representatives, archived, obsolete). */
export function documentBadges(meta: DocumentMeta): Badge[] {
  const badges: Badge[] = [];
  if (meta.visibility.maskedFromProfessionals) badges.push({ label: 'Masqué aux professionnels', tone: 'alert' });
  if (meta.visibility.hiddenFromPatient) badges.push({ label: 'Non visible par le patient', tone: 'warn' });
  if (meta.visibility.hiddenFromLegalRepresentatives) badges.push({ label: 'Non visible par les représentants légaux', tone: 'warn' });
  if (meta.status === 'archived') badges.push({ label: 'Archivé', tone: 'muted' });
  if (meta.status === 'obsolete') badges.push({ label: 'Obsolète', tone: 'muted' });
  return badges;
}

export const statusLabel: Record<DocumentMeta['status'], string> = {
  approved: 'Validé',
  obsolete: 'Obsolète',
  archived: 'Archivé',
};
