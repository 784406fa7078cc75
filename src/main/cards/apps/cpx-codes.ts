/**
 * Labels for the codes a CPS carries. Profession codes (TRE_G15) are labelled by the domain's table
 * (src/main/domain/professions.ts). Specialty codes: TRE_R38 SpecialiteOrdinale
 * (OID 1.2.250.1.213.2.28), labels as published by ANS without the "(SM)" suffix.
 */
export const specialtyLabels: Readonly<Record<string, string>> = {
  SM01: 'Anatomie et cytologie pathologiques',
  SM02: 'Anesthésie-réanimation',
  SM03: 'Biologie médicale',
  SM04: 'Cardiologie et maladies vasculaires',
  SM05: 'Chirurgie générale',
  SM26: 'Médecine générale',
  SM59: "Médecine d'urgence",
};

/** Mode d'exercice (TRE_R23): L libéral, S salarié, B bénévole. */
export const practiceModeLabels: Readonly<Record<string, string>> = {
  L: 'Libéral',
  S: 'Salarié',
  B: 'Bénévole',
};

/** Civilité d'exercice (project display of TRE_R11 / TRE_R81 codes). */
export const civilityLabels: Readonly<Record<string, string>> = {
  DR: 'Dr',
  PR: 'Pr',
  M: 'M.',
  MME: 'Mme',
};
