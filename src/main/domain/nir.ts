/**
 * NIR / NIA key check: key = 97 − (first 13 characters as a number mod 97), with Corsica's 2A and 2B
 * replaced by 19 and 18 before computing (INSEE rule, as implemented by python-stdnum fr.nir).
 */
export function nirKeyValid(nir: string): boolean {
  const value = nir.trim().toUpperCase();
  if (!/^[12378][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}$/.test(value)) return false;
  return nirKey(value.slice(0, 13)) === Number(value.slice(13));
}

/** The two-digit key for the 13-character body of a NIR. */
export function nirKey(body13: string): number {
  const numeric = body13.toUpperCase().replace('2A', '19').replace('2B', '18');
  if (!/^[0-9]{13}$/.test(numeric)) throw new RangeError('NIR body must be 13 digits (2A/2B allowed)');
  return 97 - Number(BigInt(numeric) % 97n);
}
