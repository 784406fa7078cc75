/**
 * Health professions of the ANS nomenclature TRE_G15 (code carried by CPS/CPF cards, OID 1.2.250.1.71.1.2.7).
 * Only the codes the matrice d'habilitations covers are listed; see docs/access-rules.md for the codes
 * whose label could not be checked against the published nomenclature.
 */
export const healthProfessions = {
  '10': 'Médecin',
  '21': 'Pharmacien',
  '26': 'Audioprothésiste',
  '28': 'Opticien-lunetier',
  '35': 'Aide-soignant',
  '36': 'Ambulancier',
  '37': 'Auxiliaire de puériculture',
  '39': 'Préparateur en pharmacie',
  '40': 'Chirurgien-dentiste',
  '50': 'Sage-femme',
  '60': 'Infirmier',
  '69': 'Infirmier psychiatrique',
  '70': 'Masseur-kinésithérapeute',
  '80': 'Pédicure-podologue',
  '81': 'Orthoprothésiste',
  '82': 'Podo-orthésiste',
  '83': 'Orthopédiste-orthésiste',
  '84': 'Oculariste',
  '85': 'Épithésiste',
  '86': 'Technicien de laboratoire médical',
  '91': 'Orthophoniste',
  '92': 'Orthoptiste',
  '93': 'Psychologue',
  '94': 'Ergothérapeute',
  '95': 'Diététicien',
  '96': 'Psychomotricien',
  '98': 'Manipulateur en électroradiologie médicale',
} as const satisfies Record<string, string>;

export type HealthProfessionCode = keyof typeof healthProfessions;

export const professionCodes = {
  medecin: '10',
  pharmacien: '21',
  chirurgienDentiste: '40',
  sageFemme: '50',
  infirmier: '60',
  infirmierPsychiatrique: '69',
  masseurKinesitherapeute: '70',
  pedicurePodologue: '80',
} as const satisfies Record<string, HealthProfessionCode>;

/** Card profession codes are sometimes written `G15_10` (CDA author codes); both forms are accepted. */
export function normaliseProfessionCode(code: string): string {
  return code.trim().replace(/^G15_/i, '');
}

/** The TRE_G15 code for a card's profession, or undefined for non-health staff and unknown codes. */
export function toHealthProfession(code: string): HealthProfessionCode | undefined {
  const normalised = normaliseProfessionCode(code);
  return Object.hasOwn(healthProfessions, normalised) ? (normalised as HealthProfessionCode) : undefined;
}

export function isHealthProfession(code: string): boolean {
  return toHealthProfession(code) !== undefined;
}

export function professionLabel(code: string): string {
  const known = toHealthProfession(code);
  return known ? healthProfessions[known] : 'Profession non reconnue';
}
