/**
 * Reference data for the synthetic population. Surnames and first names are among the most
 * frequent in France (INSEE birth registers); weights are rough orders of magnitude. Clinical
 * codes are public classifications (CIM-10, ATC); no product code (CIP/UCD) is invented here.
 */
export const surnames: readonly (readonly [string, number])[] = [
  ['MARTIN', 235], ['BERNARD', 105], ['THOMAS', 95], ['PETIT', 93], ['ROBERT', 92], ['RICHARD', 90],
  ['DURAND', 85], ['DUBOIS', 84], ['MOREAU', 80], ['LAURENT', 78], ['SIMON', 77], ['MICHEL', 76],
  ['LEFEBVRE', 75], ['LEROY', 73], ['ROUX', 70], ['DAVID', 68], ['BERTRAND', 66], ['MOREL', 65],
  ['FOURNIER', 64], ['GIRARD', 63], ['BONNET', 62], ['DUPONT', 61], ['LAMBERT', 60], ['FONTAINE', 59],
  ['ROUSSEAU', 58], ['VINCENT', 57], ['MULLER', 56], ['LEFÈVRE', 55], ['FAURE', 54], ['ANDRÉ', 53],
  ['MERCIER', 52], ['BLANC', 51], ['GUÉRIN', 50], ['BOYER', 49], ['GARNIER', 48], ['CHEVALIER', 47],
  ['FRANÇOIS', 46], ['LEGRAND', 45], ['GAUTHIER', 44], ['GARCIA', 43], ['PERRIN', 42], ['ROBIN', 41],
  ['CLÉMENT', 40], ['MORIN', 39], ['NICOLAS', 38], ['HENRY', 37], ['ROUSSEL', 36], ['MATHIEU', 35],
  ['GAUTIER', 34], ['MASSON', 33], ['MARCHAND', 32], ['DUVAL', 31], ['DENIS', 30], ['DUMONT', 29],
  ['MARIE', 28], ['LEMAIRE', 27], ['NOËL', 26], ['MEYER', 25], ['DUFOUR', 24], ['MEUNIER', 23],
  ['BRUN', 22], ['BLANCHARD', 21], ['GIRAUD', 20], ['JOLY', 19], ['RIVIÈRE', 18], ['LUCAS', 17],
  ['BRUNET', 16], ['GAILLARD', 15], ['BARBIER', 14], ['ARNAUD', 13], ['MARTINEZ', 12], ['GÉRARD', 11],
  ['ROCHE', 10], ['RENARD', 10], ['SCHMITT', 9], ['ROY', 9], ['LEROUX', 8], ['COLIN', 8], ['VIDAL', 7],
  ['CARON', 7], ['PICARD', 6], ['ROGER', 6], ['FABRE', 6], ['AUBERT', 5], ['LEMOINE', 5], ['RENAUD', 5],
  ['DUMAS', 4], ['LACROIX', 4], ['OLIVIER', 4], ['PHILIPPE', 4], ['BOURGEOIS', 3], ['PIERRE', 3],
  ['BENOÎT', 3], ['REY', 3], ['LECLERC', 3], ['PAYET', 3], ['ROLLAND', 2], ['LECLERCQ', 2], ['GUILLAUME', 2],
  ['LECOMTE', 2], ['LOPEZ', 2], ['JEAN', 2], ['DUPUY', 2], ['GUILLOT', 2], ['HUBERT', 2], ['BERGER', 2],
];

export const femaleFirstNames: readonly (readonly [string, number])[] = [
  ['Marie', 60], ['Nathalie', 20], ['Isabelle', 20], ['Sylvie', 18], ['Catherine', 18], ['Martine', 16],
  ['Christine', 16], ['Françoise', 15], ['Valérie', 14], ['Sandrine', 14], ['Stéphanie', 13], ['Véronique', 12],
  ['Monique', 12], ['Nicole', 12], ['Sophie', 12], ['Céline', 11], ['Chantal', 11], ['Patricia', 11],
  ['Anne', 11], ['Brigitte', 10], ['Julie', 10], ['Aurélie', 9], ['Camille', 9], ['Léa', 9], ['Emma', 9],
  ['Chloé', 8], ['Manon', 8], ['Inès', 7], ['Jade', 7], ['Louise', 7], ['Alice', 6], ['Lina', 6],
  ['Jeanne', 6], ['Lucie', 6], ['Sarah', 6], ['Laura', 5], ['Émilie', 5], ['Pauline', 5], ['Mathilde', 5],
  ['Élodie', 5], ['Claire', 5], ['Hélène', 5], ['Jacqueline', 5], ['Denise', 4], ['Simone', 4], ['Yvette', 4],
  ['Odette', 3], ['Mila', 3], ['Rose', 3], ['Ambre', 3], ['Zoé', 3], ['Agathe', 2], ['Margaux', 2],
];

export const maleFirstNames: readonly (readonly [string, number])[] = [
  ['Jean', 60], ['Philippe', 22], ['Michel', 22], ['Alain', 20], ['Patrick', 19], ['Nicolas', 18],
  ['Christophe', 17], ['Pierre', 17], ['Christian', 16], ['Éric', 15], ['Frédéric', 14], ['Laurent', 14],
  ['Stéphane', 14], ['David', 13], ['Pascal', 13], ['Daniel', 13], ['Sébastien', 12], ['Julien', 12],
  ['Thierry', 12], ['Olivier', 12], ['Bernard', 11], ['Thomas', 11], ['Alexandre', 10], ['Gérard', 10],
  ['Didier', 10], ['Dominique', 9], ['Vincent', 9], ['François', 9], ['Bruno', 9], ['Guillaume', 8],
  ['Jérôme', 8], ['Jacques', 8], ['Marc', 8], ['Maxime', 7], ['Romain', 7], ['Lucas', 7], ['Hugo', 7],
  ['Gabriel', 7], ['Louis', 7], ['Raphaël', 6], ['Arthur', 6], ['Jules', 6], ['Léo', 6], ['Adam', 5],
  ['Nathan', 5], ['Paul', 5], ['Mathis', 4], ['Ethan', 4], ['Noah', 4], ['Antoine', 4], ['Kevin', 3],
  ['Anthony', 3], ['Quentin', 3], ['Enzo', 3], ['René', 3], ['Roger', 3], ['André', 3], ['Marcel', 2],
];

export interface CatalogItem {
  label: string;
  code: string;
  system: string;
  detail?: string;
}

const CIM10 = 'CIM-10';
const ATC = 'ATC';

/** Chronic conditions with the long-term treatments that usually come with them. */
export const chronicConditions: readonly {
  problem: CatalogItem;
  prevalence: number;
  minAge: number;
  treatments: CatalogItem[];
}[] = [
  {
    problem: { label: 'Hypertension artérielle essentielle', code: 'I10', system: CIM10 },
    prevalence: 0.3,
    minAge: 35,
    treatments: [
      { label: 'Ramipril 5 mg, gélule', code: 'C09AA05', system: ATC, detail: '1 gélule le matin' },
      { label: 'Amlodipine 5 mg, gélule', code: 'C08CA01', system: ATC, detail: '1 gélule par jour' },
    ],
  },
  {
    problem: { label: 'Diabète sucré de type 2', code: 'E11', system: CIM10 },
    prevalence: 0.1,
    minAge: 40,
    treatments: [
      { label: 'Metformine 1000 mg, comprimé', code: 'A10BA02', system: ATC, detail: '1 comprimé matin et soir' },
      { label: 'Insuline glargine 100 U/ml', code: 'A10AE04', system: ATC, detail: '20 U le soir' },
    ],
  },
  {
    problem: { label: 'Hypercholestérolémie pure', code: 'E78.0', system: CIM10 },
    prevalence: 0.18,
    minAge: 40,
    treatments: [{ label: 'Atorvastatine 20 mg, comprimé', code: 'C10AA05', system: ATC, detail: '1 comprimé le soir' }],
  },
  {
    problem: { label: 'Fibrillation auriculaire', code: 'I48', system: CIM10 },
    prevalence: 0.05,
    minAge: 60,
    treatments: [
      { label: 'Apixaban 5 mg, comprimé', code: 'B01AF02', system: ATC, detail: '1 comprimé matin et soir' },
      { label: 'Bisoprolol 2,5 mg, comprimé', code: 'C07AB07', system: ATC, detail: '1 comprimé le matin' },
    ],
  },
  {
    problem: { label: 'Hypothyroïdie', code: 'E03.9', system: CIM10 },
    prevalence: 0.05,
    minAge: 20,
    treatments: [{ label: 'Lévothyroxine 75 µg, comprimé', code: 'H03AA01', system: ATC, detail: '1 comprimé à jeun' }],
  },
  {
    problem: { label: 'Asthme', code: 'J45', system: CIM10 },
    prevalence: 0.07,
    minAge: 3,
    treatments: [{ label: 'Salbutamol 100 µg/dose, suspension pour inhalation', code: 'R03AC02', system: ATC, detail: '2 bouffées si besoin' }],
  },
  {
    problem: { label: 'Épisode dépressif', code: 'F32', system: CIM10 },
    prevalence: 0.06,
    minAge: 18,
    treatments: [{ label: 'Escitalopram 10 mg, comprimé', code: 'N06AB10', system: ATC, detail: '1 comprimé par jour' }],
  },
  {
    problem: { label: 'Reflux gastro-œsophagien', code: 'K21', system: CIM10 },
    prevalence: 0.08,
    minAge: 25,
    treatments: [{ label: 'Oméprazole 20 mg, gélule', code: 'A02BC01', system: ATC, detail: '1 gélule le matin' }],
  },
  {
    problem: { label: 'Maladie rénale chronique', code: 'N18', system: CIM10 },
    prevalence: 0.03,
    minAge: 55,
    treatments: [],
  },
];

export const allergies: readonly (readonly [CatalogItem, number])[] = [
  [{ label: 'Pénicillines', code: 'J01C', system: ATC, detail: 'Urticaire généralisée' }, 8],
  [{ label: 'Acide acétylsalicylique', code: 'N02BA01', system: ATC, detail: 'Bronchospasme' }, 3],
  [{ label: 'Produits de contraste iodés', code: 'V08A', system: ATC, detail: 'Réaction anaphylactoïde' }, 2],
  [{ label: 'Arachide', code: 'Z91.010', system: CIM10, detail: 'Œdème de Quincke' }, 3],
  [{ label: 'Latex', code: 'Z91.040', system: CIM10, detail: 'Eczéma de contact' }, 2],
  [{ label: 'Pollens de graminées', code: 'J30.1', system: CIM10, detail: 'Rhinite saisonnière' }, 6],
  [{ label: 'Sulfamides antibactériens', code: 'J01E', system: ATC, detail: 'Éruption cutanée' }, 2],
  [{ label: 'Codéine', code: 'R05DA04', system: ATC, detail: 'Nausées, vomitissements' }, 1],
];

export const vaccines: readonly CatalogItem[] = [
  { label: 'Diphtérie, tétanos, coqueluche, poliomyélite', code: 'J07CA02', system: ATC },
  { label: 'Rougeole, oreillons, rubéole', code: 'J07BD52', system: ATC },
  { label: 'Hépatite B', code: 'J07BC01', system: ATC },
  { label: 'Grippe saisonnière', code: 'J07BB02', system: ATC },
  { label: 'COVID-19 (ARNm)', code: 'J07BN01', system: ATC },
  { label: 'Pneumocoque conjugué', code: 'J07AL02', system: ATC },
  { label: 'Papillomavirus humains', code: 'J07BM03', system: ATC },
  { label: 'Méningocoque C', code: 'J07AH07', system: ATC },
];

/** Occasional (acute) dispensations that fill the reimbursement history of anyone. */
export const acuteMedicines: readonly CatalogItem[] = [
  { label: 'Paracétamol 1 g, comprimé', code: 'N02BE01', system: ATC },
  { label: 'Amoxicilline 1 g, comprimé', code: 'J01CA04', system: ATC },
  { label: 'Ibuprofène 400 mg, comprimé', code: 'M01AE01', system: ATC },
  { label: 'Prednisolone 20 mg, comprimé', code: 'H02AB06', system: ATC },
  { label: 'Azithromycine 250 mg, comprimé', code: 'J01FA10', system: ATC },
  { label: 'Dompéridone 10 mg, comprimé', code: 'A03FA03', system: ATC },
];

export const acts: readonly CatalogItem[] = [
  { label: 'Consultation de médecine générale', code: 'G', system: 'NGAP' },
  { label: 'Consultation de spécialiste', code: 'CS', system: 'NGAP' },
  { label: 'Radiographie du thorax', code: 'ZBQK002', system: 'CCAM' },
  { label: 'Échographie abdominale', code: 'ZCQM001', system: 'CCAM' },
  { label: 'Électrocardiogramme', code: 'DEQP003', system: 'CCAM' },
  { label: 'Soins infirmiers', code: 'AMI', system: 'NGAP' },
];

/** Document types a synthetic dossier holds (LOINC), with their weight. */
export const documentTypes: readonly (readonly [{ code: string; title: string }, number])[] = [
  [{ code: '11502-2', title: 'Compte rendu de biologie' }, 10],
  [{ code: '34112-3', title: 'Compte rendu d’hospitalisation' }, 3],
  [{ code: '11490-0', title: 'Lettre de liaison de sortie' }, 3],
  [{ code: '18748-4', title: 'Compte rendu d’imagerie' }, 5],
  [{ code: '57833-6', title: 'Prescription de médicaments' }, 8],
  [{ code: '15507-7', title: 'Compte rendu de passage aux urgences' }, 2],
  [{ code: '87273-9', title: 'Note de vaccination' }, 3],
];
