/**
 * Search form of a name: accents removed, upper case, anything but letters turned into single spaces
 * ("Élise-Marie d’Arc" → "ELISE MARIE D ARC"). Only A–Z and spaces remain, which makes it safe inside
 * a GLOB pattern.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/ß/g, 'SS')
    .replace(/æ/gi, 'AE')
    .replace(/œ/gi, 'OE')
    .toUpperCase()
    .replace(/[^A-Z]+/g, ' ')
    .trim();
}
