/** `YYYY-MM-DD` (possibly with `00` parts from a Vitale card) → `JJ/MM/AAAA`, keeping unknown parts. */
export function frenchDate(value: string | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

export function ageFrom(birthDate: string, today = new Date()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) || 1, Number(m[3]) || 1];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age -= 1;
  return age;
}

export const insStatusLabel: Record<string, string> = {
  provisional: 'INS provisoire',
  fetched: 'INS récupérée',
  qualified: 'INS qualifiée',
};
