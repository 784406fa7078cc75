import type { InsOid } from '../../shared/contract/patient';
import { nirKeyValid } from './nir';

/** INS OIDs (domain.md §1): NIR, NIA (registration pending), test and demo identities. */
export const insOids = {
  nir: '1.2.250.1.213.1.4.8',
  nia: '1.2.250.1.213.1.4.9',
  test: '1.2.250.1.213.1.4.10',
  demo: '1.2.250.1.213.1.4.11',
} as const satisfies Record<string, InsOid>;

const knownOids: readonly string[] = Object.values(insOids);

/**
 * The INS OID a Vitale card's people belong to: test and demo cards only ever give test and demo
 * identities; a production card gives the NIR OID (an NIA is only known from INSi, not the card).
 */
export function insOidForCardStatus(status: 'production' | 'test' | 'demo'): InsOid {
  return status === 'test' ? insOids.test : status === 'demo' ? insOids.demo : insOids.nir;
}

export interface InsRef {
  matricule: string;
  oid: InsOid;
}

/** Thrown on a malformed `<matricule>@<oid>` key; the message is French and safe to show (no NIR in it). */
export class InsKeyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'InsKeyError';
  }
}

/**
 * Department 2A/2B (Corsica) sits at characters 6–7. The contract's regex (`[0-9]{5}[0-9AB][0-9]{9}`)
 * puts the letter one place too early; this stricter pattern is the INSEE layout, as in nir.ts.
 */
const matriculePattern = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/;

export function isInsOid(oid: string): oid is InsOid {
  return knownOids.includes(oid);
}

/** Test and demo identities must be refused in production (DMP guide, devbox-santé #6). */
export function isTestOid(oid: string): boolean {
  return oid === insOids.test || oid === insOids.demo;
}

export function parseInsKey(key: string): InsRef {
  const trimmed = key.trim();
  const at = trimmed.indexOf('@');
  if (at < 0 || at !== trimmed.lastIndexOf('@')) {
    throw new InsKeyError("Identifiant INS invalide : format attendu « matricule@OID ».");
  }
  const matricule = trimmed.slice(0, at).toUpperCase();
  const oid = trimmed.slice(at + 1);
  if (!matriculePattern.test(matricule)) {
    throw new InsKeyError('Identifiant INS invalide : le matricule doit compter 15 caractères (NIR ou NIA).');
  }
  if (!isInsOid(oid)) {
    throw new InsKeyError("Identifiant INS invalide : l'OID n'est pas celui d'un NIR, d'un NIA ou d'une identité de test.");
  }
  return { matricule, oid };
}

/** Same as parseInsKey but returns undefined instead of throwing. */
export function tryParseInsKey(key: string): InsRef | undefined {
  try {
    return parseInsKey(key);
  } catch (error) {
    if (error instanceof InsKeyError) return undefined;
    throw error;
  }
}

export function formatInsKey(ins: InsRef): string {
  return `${ins.matricule.trim().toUpperCase()}@${ins.oid}`;
}

export interface DeclaredTraits {
  sex?: 'M' | 'F' | 'U';
  /** `YYYY-MM-DD`; month or day may be `00` as on Vitale cards. */
  birthDate?: string;
}

export interface InsValidation {
  /** False when the matricule or its key is wrong: the INS must not be used. */
  valid: boolean;
  errors: string[];
  /** Inconsistencies between the NIR and the declared traits: identity-vigilance prompts, not refusals. */
  warnings: string[];
}

function sexFromNir(first: string): 'M' | 'F' | undefined {
  if (first === '1' || first === '7') return 'M';
  if (first === '2' || first === '8') return 'F';
  return undefined;
}

/** NIR months 20 and 30–42/50–99 denote unknown or special registrations: no month to compare. */
function monthFromNir(mm: string): number | undefined {
  const month = Number(mm);
  return month >= 1 && month <= 12 ? month : undefined;
}

export function validateIns(ins: InsRef, traits: DeclaredTraits = {}): InsValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  const matricule = ins.matricule.trim().toUpperCase();
  if (!isInsOid(ins.oid)) errors.push("L'OID de l'INS n'est pas reconnu.");
  if (!matriculePattern.test(matricule)) {
    errors.push('Le matricule INS doit compter 15 caractères (NIR ou NIA).');
    return { valid: false, errors, warnings };
  }
  if (!nirKeyValid(matricule)) errors.push('La clé du matricule INS est incorrecte : vérifiez la saisie.');

  const nirSex = sexFromNir(matricule.slice(0, 1));
  if (traits.sex && traits.sex !== 'U' && nirSex && traits.sex !== nirSex) {
    warnings.push(`Le sexe déclaré (${traits.sex}) ne correspond pas au premier chiffre du matricule INS.`);
  }
  const birth = traits.birthDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(traits.birthDate) : null;
  if (traits.birthDate && !birth) warnings.push('La date de naissance déclarée est mal formée (AAAA-MM-JJ attendu).');
  if (birth) {
    const [, year = '', month = ''] = birth;
    if (year.slice(2) !== matricule.slice(1, 3)) {
      warnings.push("L'année de naissance déclarée ne correspond pas à celle du matricule INS.");
    }
    const nirMonth = monthFromNir(matricule.slice(3, 5));
    if (nirMonth !== undefined && Number(month) !== 0 && Number(month) !== nirMonth) {
      warnings.push('Le mois de naissance déclaré ne correspond pas à celui du matricule INS.');
    }
  }
  return { valid: errors.length === 0, errors, warnings };
}

/**
 * A Vitale card carries the ouvrant-droit's NIR for every beneficiary (domain.md §1, INS): a child's INS
 * is its own. Returns true when the card NIR cannot be this beneficiary's (birth year or month differ),
 * i.e. an INSi lookup on the beneficiary's own traits is mandatory. False only means the NIR *may* be
 * theirs: it still has to be confirmed by INSi before use.
 */
export function beneficiaryNeedsOwnIns(cardNir: string, beneficiary: { birthDate: string }): boolean {
  const nir = cardNir.trim().toUpperCase();
  const birth = /^(\d{4})-(\d{2})-\d{2}$/.exec(beneficiary.birthDate);
  if (!matriculePattern.test(nir) || !birth) return true;
  const [, year = '', month = ''] = birth;
  if (year.slice(2) !== nir.slice(1, 3)) return true;
  const nirMonth = monthFromNir(nir.slice(3, 5));
  return nirMonth !== undefined && Number(month) !== 0 && Number(month) !== nirMonth;
}
