import type { DocumentMeta } from '../../../../shared/contract';
import { categoryLabels } from '../../../../shared/catalog/document-categories';

export { categoryLabels };

/** Category ids come from the main process as plain strings; an unknown id is shown as received, not hidden. */
export function categoryLabel(id: string): string {
  return (categoryLabels as Record<string, string>)[id] ?? id;
}

export interface Badge {
  label: string;
  tone: 'alert' | 'warn' | 'muted';
}

/** The five flags the DMP guide requires in result lists (masked, not visible to patient / representatives, archived, obsolete). */
export function documentBadges(meta: DocumentMeta): Badge[] {
  const badges: Badge[] = [];
  if (meta.visibility.maskedFromProfessionals)
    badges.push({ label: 'Masqué aux professionnels', tone: 'alert' });
  if (meta.visibility.hiddenFromPatient) badges.push({ label: 'Non visible par le patient', tone: 'warn' });
  if (meta.visibility.hiddenFromLegalRepresentatives)
    badges.push({ label: 'Non visible par les représentants légaux', tone: 'warn' });
  if (meta.status === 'archived') badges.push({ label: 'Archivé', tone: 'muted' });
  if (meta.status === 'obsolete') badges.push({ label: 'Obsolète', tone: 'muted' });
  return badges;
}

export const statusLabel: Record<DocumentMeta['status'], string> = {
  approved: 'Validé',
  obsolete: 'Obsolète',
  archived: 'Archivé',
};
