/**
 * What a professional may search for without the patient's card (TD0.5): enough to find one patient,
 * never enough to list many. docs/access-rules.md §11.
 */

/** At most this many dossiers per search. */
export const searchResultLimit = 20;
/** Letters of the birth name, at least, and only with a complete birth date. */
export const minimumNamePrefix = 3;

export type SearchQuery = {
  insKey?: string | undefined;
  name?: string | undefined;
  birthDate?: string | undefined;
};
export type ValidSearch =
  { kind: 'ins'; insKey: string } | { kind: 'identity'; name: string; birthDate: string };
export type SearchCheck = { ok: true; search: ValidSearch } | { ok: false; message: string };

/** Letters only, accents removed: what counts towards the minimum prefix. */
function letters(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

/** A real calendar date with no unknown (`00`) part. */
export function isCompleteBirthDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1) return false;
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** An INS alone, or a birth-name prefix of three letters or more with a complete birth date. */
export function checkSearchQuery(query: SearchQuery): SearchCheck {
  if (query.insKey !== undefined && query.insKey.trim() !== '')
    return { ok: true, search: { kind: 'ins', insKey: query.insKey.trim() } };
  const prefix = letters(query.name ?? '');
  if (prefix.length < minimumNamePrefix || !isCompleteBirthDate(query.birthDate ?? '')) {
    return {
      ok: false,
      message: `Recherche par INS, ou par les ${minimumNamePrefix} premières lettres du nom de naissance au moins avec la date de naissance complète (jour, mois et année).`,
    };
  }
  return {
    ok: true,
    search: { kind: 'identity', name: (query.name ?? '').trim(), birthDate: query.birthDate as string },
  };
}

/** Per-professional token bucket: a burst of `capacity` searches, then one more every `refillMs`. */
export interface RatePolicy {
  capacity: number;
  refillMs: number;
}

export const searchRatePolicy: RatePolicy = { capacity: 10, refillMs: 6_000 };

export interface Bucket {
  tokens: number;
  at: number;
}

export type TakeResult =
  { allowed: true; bucket: Bucket } | { allowed: false; bucket: Bucket; retryInMs: number };

export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  policy: RatePolicy = searchRatePolicy,
): TakeResult {
  const start = bucket ?? { tokens: policy.capacity, at: nowMs };
  // A clock going backwards refills nothing.
  const elapsed = Math.max(0, nowMs - start.at);
  const tokens = Math.min(policy.capacity, start.tokens + elapsed / policy.refillMs);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, at: nowMs } };
  return {
    allowed: false,
    bucket: { tokens, at: nowMs },
    retryInMs: Math.ceil((1 - tokens) * policy.refillMs),
  };
}

export function rateLimitMessage(retryInMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  return `Trop de recherches de patients en peu de temps : patientez ${seconds} seconde${seconds > 1 ? 's' : ''} avant de recommencer.`;
}
