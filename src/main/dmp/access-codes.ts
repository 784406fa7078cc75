import { scryptSync } from 'node:crypto';

/** 32 symbols without look-alikes (0/O, 1/I): a byte modulo 32 is unbiased. */
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const accessCodeValidityDays = 42; // 6 weeks, as for Mon espace santé provisional codes

export function randomCode(random: (n: number) => Uint8Array, length: number): string {
  return [...random(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Identifier printed for the patient, grouped for reading aloud over the counter. */
export function newLogin(random: (n: number) => Uint8Array): string {
  const raw = randomCode(random, 12);
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

export function newOneTimeCode(random: (n: number) => Uint8Array): string {
  return randomCode(random, 8);
}

/**
 * Only this derivation is stored, for the patient's first login to Mon espace santé: nothing on this
 * workstation verifies the code (docs/access-rules.md §13). scrypt rather than a bare hash: the code is short enough that a
 * stolen database could otherwise be searched exhaustively. The login, unique per dossier, salts it.
 */
export function hashOneTimeCode(login: string, code: string): string {
  return scryptSync(code, `poste-dmp:${login}`, 32).toString('hex');
}

export function validUntil(now: Date): Date {
  return new Date(now.getTime() + accessCodeValidityDays * 24 * 3600 * 1000);
}
