import type { AccessMode, DossierRef } from '../../../../shared/contract';

/** `YYYY-MM-DD` (possibly with `00` parts from a Vitale card) → `JJ/MM/AAAA`, keeping unknown parts. */
export function frenchDate(value: string | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** ISO timestamp → `JJ/MM/AAAA HH:MM` in local time; anything unparseable is shown as received. */
export function frenchDateTime(value: string): string {
  const parts = localParts(value);
  return parts ? `${parts.day} ${parts.time}` : value;
}

/** ISO timestamp → `JJ/MM/AAAA à HH:MM` in local time, for sentences (« imprimé le … à … »). */
export function frenchDateAtTime(value: string): string {
  const parts = localParts(value);
  return parts ? `${parts.day} à ${parts.time}` : value;
}

function localParts(value: string): { day: string; time: string } | null {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const two = (n: number): string => String(n).padStart(2, '0');
  return {
    day: `${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()}`,
    time: `${two(date.getHours())}:${two(date.getMinutes())}`,
  };
}

export function ageFrom(birthDate: string, today = new Date()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) || 1, Number(m[3]) || 1];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age -= 1;
  return age >= 0 ? age : null;
}

/** Babies are counted in months: « 3 ans » says little about a 14-month-old's doses. */
export function ageLabel(birthDate: string, today = new Date()): string | null {
  const years = ageFrom(birthDate, today);
  if (years === null) return null;
  if (years >= 2) return `${years} ans`;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  const [y, mo, d] = [Number(m?.[1]), Number(m?.[2]) || 1, Number(m?.[3]) || 1];
  const months = (today.getFullYear() - y) * 12 + (today.getMonth() + 1 - mo) - (today.getDate() < d ? 1 : 0);
  return `${Math.max(0, months)} mois`;
}

/** « Né » / « Née » agree with the sex when it is known; « Né(e) » only when it is not. */
export function bornLabel(sex: 'M' | 'F' | 'U'): string {
  return sex === 'F' ? 'Née' : sex === 'M' ? 'Né' : 'Né(e)';
}

export const sexLabel = { M: 'Homme', F: 'Femme', U: 'Sexe indéterminé' } as const;

export const accessModeLabel: Record<AccessMode, string> = {
  normal: 'Accès normal',
  bris_de_glace: 'Bris de glace',
  centre_15: 'Centre 15',
};

/** Test (…4.10) and demo (…4.11) OIDs mark fictitious people, whatever the dossier flag says. */
export function identityKind(dossier: DossierRef): 'test' | 'demo' | null {
  if (dossier.ins.oid === '1.2.250.1.213.1.4.11') return 'demo';
  if (dossier.ins.oid === '1.2.250.1.213.1.4.10' || dossier.testIdentity) return 'test';
  return null;
}

export function displayName(dossier: DossierRef): string {
  return `${dossier.identity.birthName.toUpperCase()} ${dossier.identity.firstNames}`;
}
