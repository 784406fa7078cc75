/**
 * The one definition of the INS and its matricule (NIR or NIA), shared by the contract, the main
 * process (cards, CDA import, deposits, dossiers) and the renderer. Pure: no Node, no DOM.
 *
 * A matricule has 15 characters: S AA MM DD CCC OOO KK
 *   S    sex and kind: 1 man, 2 woman (NIR); 7 man, 8 woman (NIA, registration pending)
 *   AA   last two digits of the birth year
 *   MM   birth month 01–12; 20 and 30–42 / 50–99 mark an unknown or fictitious month (no check)
 *   DD   birth department (01–95, 2A/2B for Corsica, 97/98 overseas, 99 born abroad)
 *   CCC  commune (or country), OOO order number
 *   KK   key = 97 − (first 13 characters as a number mod 97), with 2A → 19 and 2B → 18
 * (INSEE layout; domain.md §1 INS.) The INS is the matricule plus the OID that says which
 * register it comes from.
 */

export const insOids = {
  nir: '1.2.250.1.213.1.4.8',
  nia: '1.2.250.1.213.1.4.9',
  test: '1.2.250.1.213.1.4.10',
  demo: '1.2.250.1.213.1.4.11',
} as const;

export type InsOid = (typeof insOids)[keyof typeof insOids];
export const insOidValues = [insOids.nir, insOids.nia, insOids.test, insOids.demo] as const;

export type Sex = 'M' | 'F' | 'U';

/** Source text of the matricule pattern (upper case), for schemas that embed it. */
export const matriculeSource = '[1278][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}';
export const matriculePattern = new RegExp(`^${matriculeSource}$`);
/** `<matricule>@<oid>`, the key naming a dossier in the UI, the CLI and the store. */
export const insKeyPattern = new RegExp(`^${matriculeSource}@1\\.2\\.250\\.1\\.213\\.1\\.4\\.(?:8|9|10|11)$`);

/** What a user may type or a document may carry: spaces removed, upper case. */
export function normaliseMatricule(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

export function isInsOid(oid: string): oid is InsOid {
  return (insOidValues as readonly string[]).includes(oid);
}

/** Test and demo identities must be refused in production (DMP guide, devbox-santé #6). */
export function isTestOid(oid: string): boolean {
  return oid === insOids.test || oid === insOids.demo;
}

/** Test and demo Vitale cards only ever give test and demo identities; a production card the NIR register's. */
export function insOidForCardStatus(status: 'production' | 'test' | 'demo'): InsOid {
  return status === 'test' ? insOids.test : status === 'demo' ? insOids.demo : insOids.nir;
}

/** The two-digit key of a 13-character matricule body (Corsica's 2A/2B counted as 19/18). */
export function matriculeKey(body13: string): number {
  const body = body13.toUpperCase();
  const numeric =
    body.slice(5, 7) === '2A'
      ? `${body.slice(0, 5)}19${body.slice(7)}`
      : body.slice(5, 7) === '2B'
        ? `${body.slice(0, 5)}18${body.slice(7)}`
        : body;
  if (!/^[0-9]{13}$/.test(numeric))
    throw new RangeError('matricule body must be 13 digits (2A/2B allowed at 6–7)');
  return 97 - Number(BigInt(numeric) % 97n);
}

/** Layout and key. */
export function matriculeKeyValid(value: string): boolean {
  const matricule = normaliseMatricule(value);
  return (
    matriculePattern.test(matricule) && matriculeKey(matricule.slice(0, 13)) === Number(matricule.slice(13))
  );
}

/** NIR (1, 2) or NIA (7, 8), from the first digit. */
export function matriculeKind(matricule: string): 'nir' | 'nia' | null {
  const first = matricule.trim()[0];
  return first === '1' || first === '2' ? 'nir' : first === '7' || first === '8' ? 'nia' : null;
}

export function sexOfMatricule(matricule: string): 'M' | 'F' | null {
  const first = matricule.trim()[0];
  return first === '1' || first === '7' ? 'M' : first === '2' || first === '8' ? 'F' : null;
}

/** The birth month a matricule states, or undefined when it marks the month unknown (20, 30–42, 50–99). */
export function birthMonthOfMatricule(matricule: string): number | undefined {
  const month = Number(matricule.trim().slice(3, 5));
  return month >= 1 && month <= 12 ? month : undefined;
}

/** `2 79 03 51 215 189 89`: the grouping printed on cards and letters. */
export function formatMatricule(matricule: string): string {
  const m = normaliseMatricule(matricule);
  if (m.length !== 15) return m;
  return [
    m.slice(0, 1),
    m.slice(1, 3),
    m.slice(3, 5),
    m.slice(5, 7),
    m.slice(7, 10),
    m.slice(10, 13),
    m.slice(13),
  ].join(' ');
}

export interface InsRef {
  matricule: string;
  oid: InsOid;
}

export function formatInsKey(ins: { matricule: string; oid: string }): string {
  return `${normaliseMatricule(ins.matricule)}@${ins.oid}`;
}

/** Thrown on a malformed `<matricule>@<oid>` key; French, safe to show (no NIR in it). */
export class InsKeyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'InsKeyError';
  }
}

/** Layout only (the key is checked by {@link checkIns}): enough to name a dossier. */
export function parseInsKey(key: string): InsRef {
  const trimmed = key.trim();
  const at = trimmed.indexOf('@');
  if (at < 0 || at !== trimmed.lastIndexOf('@'))
    throw new InsKeyError('Identifiant INS invalide : format attendu « matricule@OID ».');
  const matricule = normaliseMatricule(trimmed.slice(0, at));
  const oid = trimmed.slice(at + 1);
  if (!matriculePattern.test(matricule)) {
    throw new InsKeyError('Identifiant INS invalide : le matricule doit compter 15 caractères (NIR ou NIA).');
  }
  if (!isInsOid(oid))
    throw new InsKeyError(
      "Identifiant INS invalide : l'OID n'est pas celui d'un NIR, d'un NIA ou d'une identité de test.",
    );
  return { matricule, oid };
}

export function tryParseInsKey(key: string): InsRef | undefined {
  try {
    return parseInsKey(key);
  } catch (error) {
    if (error instanceof InsKeyError) return undefined;
    throw error;
  }
}

export type InsProblemCode = 'oid' | 'format' | 'key' | 'kind' | 'sex' | 'birth-year' | 'birth-month';

export interface InsProblem {
  code: InsProblemCode;
  /** French, for the user; never contains the matricule. */
  message: string;
}

export interface DeclaredTraits {
  sex?: Sex | undefined;
  /** `YYYY-MM-DD`; month or day may be `00` as on Vitale cards. */
  birthDate?: string | undefined;
}

/**
 * Every reason this INS must not be used for a person with these traits: layout, key, register
 * (a NIR OID with an NIA matricule…), and the sex, birth year and birth month the matricule states.
 * An empty list means the INS is well formed and consistent; it says nothing of who it belongs to.
 */
export function checkIns(ins: { matricule: string; oid: string }, traits: DeclaredTraits = {}): InsProblem[] {
  const problems: InsProblem[] = [];
  const matricule = normaliseMatricule(ins.matricule);
  if (!isInsOid(ins.oid)) problems.push({ code: 'oid', message: "L'OID de l'INS n'est pas reconnu." });
  if (!matriculePattern.test(matricule)) {
    problems.push({
      code: 'format',
      message:
        'Le matricule INS doit compter 15 caractères (NIR ou NIA) : sexe, année, mois, lieu de naissance, rang et clé.',
    });
    return problems;
  }
  if (!matriculeKeyValid(matricule))
    problems.push({
      code: 'key',
      message: 'La clé du matricule INS est incorrecte : ce numéro est mal saisi ou altéré.',
    });
  const kind = matriculeKind(matricule);
  if ((ins.oid === insOids.nir && kind !== 'nir') || (ins.oid === insOids.nia && kind !== 'nia')) {
    problems.push({
      code: 'kind',
      message:
        'Le matricule INS ne correspond pas à son registre (un NIR commence par 1 ou 2, un NIA par 7 ou 8).',
    });
  }
  const matriculeSex = sexOfMatricule(matricule);
  if (traits.sex && traits.sex !== 'U' && matriculeSex && traits.sex !== matriculeSex) {
    problems.push({
      code: 'sex',
      message: 'Le sexe du patient ne correspond pas à celui que porte le matricule INS.',
    });
  }
  const birth = traits.birthDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(traits.birthDate) : null;
  if (birth) {
    const [, year = '', month = ''] = birth;
    if (year.slice(2) !== matricule.slice(1, 3)) {
      problems.push({
        code: 'birth-year',
        message: "L'année de naissance du patient ne correspond pas à celle que porte le matricule INS.",
      });
    }
    const matriculeMonth = birthMonthOfMatricule(matricule);
    if (matriculeMonth !== undefined && Number(month) !== 0 && Number(month) !== matriculeMonth) {
      problems.push({
        code: 'birth-month',
        message: 'Le mois de naissance du patient ne correspond pas à celui que porte le matricule INS.',
      });
    }
  }
  return problems;
}

/**
 * A Vitale card carries the ouvrant-droit's NIR for every beneficiary (domain.md §1): true when that
 * NIR cannot be this beneficiary's own (birth year or month differ). False only means it *may* be
 * theirs; the identity reference decides.
 */
export function cardNirCannotBeBeneficiarys(cardNir: string, beneficiary: { birthDate: string }): boolean {
  const nir = normaliseMatricule(cardNir);
  if (!matriculePattern.test(nir)) return true;
  return checkIns({ matricule: nir, oid: insOids.nir }, { birthDate: beneficiary.birthDate }).some(
    (p) => p.code === 'birth-year' || p.code === 'birth-month',
  );
}

/** RNIV statuses: provisoire, récupérée (from the INSi teleservice), validée (identity document checked), qualifiée (both). */
export type RnivStatus = 'provisional' | 'fetched' | 'validated' | 'qualified';

export function rnivStatus(facts: { retrieved: boolean; documentChecked: boolean }): RnivStatus {
  if (facts.retrieved) return facts.documentChecked ? 'qualified' : 'fetched';
  return facts.documentChecked ? 'validated' : 'provisional';
}

export const rnivStatusLabels: Record<RnivStatus, string> = {
  provisional: 'INS provisoire',
  fetched: 'INS récupérée',
  validated: 'Identité validée',
  qualified: 'INS qualifiée',
};
