import type { Visibility } from '../../../../shared/contract';

export const visibilityChoices: { key: keyof Visibility; label: string; hint: string }[] = [
  {
    key: 'hiddenFromPatient',
    label: 'Non visible par le patient',
    hint: 'En attendant une consultation d’annonce, par exemple.',
  },
  {
    key: 'maskedFromProfessionals',
    label: 'Masqué aux professionnels',
    hint: 'Seuls l’auteur, le médecin traitant et le patient le verront.',
  },
  {
    key: 'hiddenFromLegalRepresentatives',
    label: 'Non visible par les représentants légaux',
    hint: 'Pour un mineur qui a demandé le secret.',
  },
];
