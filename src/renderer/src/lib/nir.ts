// INSEE layout: Corsica's 2A/2B sit at characters 6-7.
const MATRICULE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/i;

/** Format and control key (97 − n mod 97, with Corsica's 2A/2B counted as 19/18). */
export function isValidMatricule(value: string): boolean {
  if (!MATRICULE.test(value)) return false;
  const body = value.slice(0, 13).toUpperCase();
  const department = body.slice(5, 7);
  const digits =
    department === '2A' ? `${body.slice(0, 5)}19${body.slice(7)}`
    : department === '2B' ? `${body.slice(0, 5)}18${body.slice(7)}`
    : body;
  if (!/^\d{13}$/.test(digits)) return false;
  const key = 97n - (BigInt(digits) % 97n);
  return key === BigInt(value.slice(13));
}

export type Sex = 'M' | 'F' | 'U';

/** First digit of a NIR: 1/3/7 men, 2/4/8 women (3-4 and 7-8 for temporary and provisional numbers). */
export function sexFromNir(nir: string): Sex | null {
  const first = nir[0];
  if (first === '1' || first === '3' || first === '7') return 'M';
  if (first === '2' || first === '4' || first === '8') return 'F';
  return null;
}

/**
 * The card carries only the ouvrant-droit NIR. A beneficiary whose birth year and month match that NIR
 * is taken as its holder; anyone else (a child, a spouse) has an INS of their own that must be typed in.
 */
export function isLikelyCardHolder(nir: string, birthDate: string): boolean {
  const m = /^\d{2}(\d{2})-(\d{2})/.exec(birthDate);
  if (!m || nir.length < 5) return false;
  const nirYear = nir.slice(1, 3);
  const nirMonth = Number(nir.slice(3, 5));
  if (nirYear !== m[1]) return false;
  // Months 20-42 and 50-99 mean "unknown" in the NIR: the year alone decides then.
  return nirMonth < 1 || nirMonth > 12 || m[2] === '00' || nirMonth === Number(m[2]);
}
