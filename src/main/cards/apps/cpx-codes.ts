/**
 * Labels for the codes a CPS carries. Profession codes: ANS nomenclature TRE_G15 (profession de
 * santé, e.g. OID 1.2.250.1.71.1.2.7 in DMP tooling). Specialty codes: TRE_R38 SpecialiteOrdinale
 * (OID 1.2.250.1.213.2.28), labels as published by ANS without the "(SM)" suffix.
 */
export const professionLabels: Readonly<Record<string, string>> = {
  '10': 'Médecin',
  '21': 'Pharmacien',
  '26': 'Audioprothésiste',
  '28': 'Opticien-lunetier',
  '40': 'Chirurgien-dentiste',
  '50': 'Sage-femme',
  '60': 'Infirmier',
  '69': 'Infirmier psychiatrique',
  '70': 'Masseur-kinésithérapeute',
  '80': 'Pédicure-podologue',
  '86': 'Technicien de laboratoire médical',
  '91': 'Orthophoniste',
  '92': 'Orthoptiste',
  '94': 'Ergothérapeute',
  '95': 'Diététicien',
  '96': 'Psychomotricien',
  '98': 'Manipulateur ERM',
};

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
