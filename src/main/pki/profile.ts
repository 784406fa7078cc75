/**
 * The naming and policy profile of the project's test PKI, modelled on IGC-Santé (docs/cards.md §9
 * says what follows public material and what the project defined). One definition: the issuer
 * (test-pki.ts) and the host-side verifier (cards/proof) both read it from here.
 */

/**
 * The project's OID arc for its TEST certificates: under 2.999, the arc ITU-T X.660 reserves for
 * examples, so that nothing issued by this PKI can ever be mistaken for a production policy. We own
 * no arc under the ANS one (1.2.250.1.71) and must not pretend to. (A UUID arc, 2.25.<uuid>, was
 * tried first: asn1js, under @peculiar/x509, decodes arcs beyond 2^53 wrongly.)
 */
export const projectOidArc = '2.999.20261202.13';

/** Certificate policies (PROJECT): what kind of certificate a leaf is, and what a CA may issue. */
export const policies = {
  /** Authentication certificate of a professional card (CPS/CPE/CPF). */
  cardAuthentication: `${projectOidArc}.1`,
  /** TLS client certificate of a workstation. */
  workstation: `${projectOidArc}.2`,
  /** Workstation allowed to make system calls (CLI import) on the host. */
  workstationSystemCalls: `${projectOidArc}.3`,
  /** TLS server certificate of a DMP host. */
  host: `${projectOidArc}.4`,
} as const;

/** Standard X.520 attribute types used in subjects (PUBLIC: RFC 5280 / X.520). */
export const attributeOids = {
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  givenName: '2.5.4.42',
  serialNumber: '2.5.4.5',
  title: '2.5.4.12',
} as const;

/** RFC 5280 extended key usages. */
export const extendedKeyUsages = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  /** id-kp-OCSPSigning: a delegated OCSP responder (RFC 6960 §4.2.2.2). */
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/**
 * Organisation of the test PKI. IGC-Santé names its authorities "AC RACINE IGC-SANTE FORT",
 * "AC IGC-SANTE FORT PERSONNES" and "AC IGC-SANTE FORT ORGANISATIONS" under
 * `OU=IGC-SANTE TEST, OU=0002 187512751, O=ASIP-SANTE, C=FR` for its test chain (PUBLIC). We keep the
 * structure (one root, one authority for persons' cards, one for organisations' servers) but never
 * borrow ASIP-SANTE's names: these certificates are the project's, not the ANS's.
 */
export const authorityNames = {
  organization: 'POSTE-DMP TEST',
  unit: 'PKI DE TEST (MODELE IGC-SANTE)',
  root: 'TEST POSTE-DMP AC RACINE',
  persons: 'TEST POSTE-DMP AC PERSONNES',
  organisations: 'TEST POSTE-DMP AC ORGANISATIONS',
} as const;

export type CardKind = 'cps' | 'cpe' | 'cpf';
export const cardKinds: readonly CardKind[] = ['cps', 'cpe', 'cpf'];

/** What a card authentication certificate says about its holder. */
export interface CardHolder {
  kind: CardKind;
  /** IDNPS: `8` + RPPS (11 digits) or `0` + ADELI (9 digits), PUBLIC convention. */
  nationalId: string;
  lastName: string;
  firstName: string;
  /** TRE_G15 profession code; '' for a CPE holder without a health profession. */
  professionCode: string;
}

const nationalIdPattern = /^(8\d{11}|0\d{9})$/;
const professionPattern = /^\d{2}$/;

/** Why a holder cannot be put in (or read from) a card certificate; `undefined` when it can. */
export function cardHolderProblem(holder: CardHolder): string | undefined {
  if (!cardKinds.includes(holder.kind)) return `card kind ${String(holder.kind)} unknown`;
  if (!nationalIdPattern.test(holder.nationalId)) return 'national id is neither 8+RPPS nor 0+ADELI';
  if (holder.lastName.trim() === '' || holder.firstName.trim() === '') return 'empty holder name';
  if (holder.professionCode !== '' && !professionPattern.test(holder.professionCode)) {
    return 'profession code is not a two-digit TRE_G15 code';
  }
  if (holder.kind !== 'cpe' && holder.professionCode === '') return 'a CPS/CPF needs a profession code';
  return undefined;
}
