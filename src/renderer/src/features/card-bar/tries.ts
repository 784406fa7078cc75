/** « 1 essai restant », « 3 essais restants ». */
export function pluralTries(count: number): string {
  const s = count > 1 ? 's' : '';
  return `${count} essai${s} restant${s}`;
}
