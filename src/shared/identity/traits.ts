/**
 * Identity traits (RNIV): birth name, first names, birth date, sex, birth place code. Pure rules
 * shared by the main process and the renderer.
 */

/**
 * Control, format (bidirectional overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width
 * characters…), private-use and unassigned code points, and line or paragraph separators: none
 * belongs in a name, and bidirectional controls can make one name display as another.
 */
const hiddenOrControl = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
/** Letters (any script, with their accents), spaces, hyphens, apostrophes and the dot of « ST. ». */
const nameCharacters = /^[\p{L}\p{M}' ’.-]+$/u;

/** A French error when `value` cannot be a name trait; null when it can. */
export function nameTraitProblem(value: string, what: string): string | null {
  if (hiddenOrControl.test(value))
    return `${what} contient des caractères invisibles ou de contrôle : identité refusée.`;
  if (value.trim() === '') return `${what} est vide.`;
  if (!nameCharacters.test(value))
    return `${what} contient des caractères qui ne peuvent pas figurer dans un nom (chiffres, symboles).`;
  if (value.length > 100) return `${what} est trop long (100 caractères au plus).`;
  return null;
}

const fullDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A card date (`1962-03-00`: day unknown) or a full one, as three numbers; null when malformed. */
function dateParts(date: string): [number, number, number] | null {
  const m = fullDate.exec(date);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** True when every part of the date is known (no `00` month or day, as some Vitale cards carry). */
export function isCompleteDate(date: string): boolean {
  const parts = dateParts(date);
  if (!parts) return false;
  const [y, m, d] = parts;
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Whether a card's birth date (month or day may be `00`, unknown) is compatible with a full birth
 * date: the known parts must be equal. Never the other way round: a reference identity's unknown part
 * does not match anything.
 */
export function cardDateMatches(cardDate: string, fullBirthDate: string): boolean {
  const card = dateParts(cardDate);
  const full = dateParts(fullBirthDate);
  if (!card || !full) return false;
  return card.every((part, i) => part === 0 || part === full[i]);
}

/** Age in whole years on `on` (both `YYYY-MM-DD`; an unknown day or month counts as the first). */
export function ageOn(birthDate: string, on: string): number | null {
  const birth = dateParts(birthDate);
  const day = dateParts(on);
  if (!birth || !day) return null;
  const [by, bm, bd] = birth.map((n) => Math.max(n, 1)) as [number, number, number];
  const [y, m, d] = day;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The age of majority in France; a minor's consent is given by their legal representative(s). */
export const ageOfMajority = 18;
