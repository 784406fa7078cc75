import type { ReferenceIdentity } from '../../shared/contract';
import { insOidForCardStatus, matriculeKeyValid, normaliseMatricule } from '../../shared/identity/ins';
import { cardDateMatches } from '../../shared/identity/traits';
import { normaliseName } from '../dmp/names';
import type { Selectable } from 'kysely';
import type { IdentityReferenceTable } from '../db/database';
import { sqlFor, type DmpSql } from '../db/query-builder';
import type { Statement, Store } from '../store/types';

/**
 * The identity reference: this project's stand-in for the national INSi teleservice, as its own
 * component of the DMP host with its own tables (`identity_reference`). It knows, for each person,
 * the INS and the five reference traits, and which Vitale NIR (the ouvrant droit's) and birth rank
 * their card carries. It is queried the two ways INSi is (domain.md §1, INS): with a Vitale
 * beneficiary (WS1) or with the five traits (WS2), and answers one identity, none, or several.
 * It never answers by a name prefix: names are compared whole, after normalisation.
 */
export type IdentityAnswer =
  | { kind: 'one'; identity: ReferenceIdentity }
  | { kind: 'none' }
  | { kind: 'several'; candidates: ReferenceIdentity[] };

/** One person the reference knows, with what their Vitale card says of them. */
export interface ReferenceRecord extends ReferenceIdentity {
  /** The NIR printed on the Vitale card that carries this person (the ouvrant droit's). */
  cardNir?: string;
  /** Rang de naissance: tells twins apart on one card. */
  birthRank?: number;
}

/** What a Vitale card tells of one beneficiary. */
export interface CardBeneficiaryQuery {
  cardNir: string;
  firstName: string;
  /** As on the card: month or day may be `00`. */
  birthDate: string;
  birthRank?: number | undefined;
  cardStatus: 'production' | 'test' | 'demo';
}

export interface TraitsQuery {
  birthName: string;
  firstNames: string;
  birthDate: string;
  sex: 'M' | 'F' | 'U';
  birthPlaceCode?: string | undefined;
}

/** Thrown when the query itself cannot be answered (a card NIR whose key is wrong). French. */
export class IdentityQueryError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'IdentityQueryError';
  }
}

const columns = [
  'matricule',
  'oid',
  'birth_name',
  'first_names',
  'birth_date',
  'sex',
  'birth_place_code',
  'birth_rank',
] as const;

type ReferenceRow = Pick<Selectable<IdentityReferenceTable>, (typeof columns)[number]>;

/** A module function, not a method: the class's methods are the identity port (src/main/dmp/dmp-port.ts). */
function selectReference(q: DmpSql) {
  return q.db.selectFrom('identity_reference').select(columns);
}

function toIdentity(row: ReferenceRow): ReferenceIdentity {
  return {
    matricule: row.matricule,
    oid: row.oid as ReferenceIdentity['oid'],
    birthName: row.birth_name,
    firstNames: row.first_names,
    birthDate: row.birth_date,
    sex: row.sex,
    birthPlaceCode: row.birth_place_code,
  };
}

function answer(rows: ReferenceRow[]): IdentityAnswer {
  const [first] = rows;
  if (!first) return { kind: 'none' };
  return rows.length === 1
    ? { kind: 'one', identity: toIdentity(first) }
    : { kind: 'several', candidates: rows.map(toIdentity) };
}

/** The words of a first-name list, normalised: `Jean-Pierre Marie` → JEAN, PIERRE, MARIE. */
function nameWords(value: string): string[] {
  return normaliseName(value).split(' ').filter(Boolean);
}

/** A card's first name (one or more words) must be the reference list's first names, word for word, from the start. */
function firstNameFits(cardFirstName: string, referenceFirstNames: string): boolean {
  const card = nameWords(cardFirstName);
  const reference = nameWords(referenceFirstNames);
  return card.length > 0 && card.every((word, i) => reference[i] === word);
}

/** Whether an identity can be this card beneficiary: birth date compatible with the card's, first name fitting. */
export function identityFitsCardBeneficiary(
  identity: ReferenceIdentity,
  beneficiary: { firstName: string; birthDate: string },
): boolean {
  return (
    cardDateMatches(beneficiary.birthDate, identity.birthDate) &&
    firstNameFits(beneficiary.firstName, identity.firstNames)
  );
}

export function referenceInsertStatement(q: DmpSql, record: ReferenceRecord): Statement {
  return referenceRowInsert(q, referenceRow(record));
}

/** Inserts a `referenceRow`; an INS the reference already knows is left as it is. */
export function referenceRowInsert(q: DmpSql, row: IdentityReferenceTable): Statement {
  return q.statement(
    q.db
      .insertInto('identity_reference')
      .values(row)
      .onConflict((oc) => oc.columns(['matricule', 'oid']).doNothing()),
  );
}

/** The `identity_reference` row of a record (normalised keys included), as every writer stores it. */
export function referenceRow(record: ReferenceRecord): IdentityReferenceTable {
  return {
    matricule: normaliseMatricule(record.matricule),
    oid: record.oid,
    birth_name: record.birthName,
    first_names: record.firstNames,
    birth_date: record.birthDate,
    sex: record.sex,
    birth_place_code: record.birthPlaceCode,
    birth_name_norm: normaliseName(record.birthName),
    first_name_norm: nameWords(record.firstNames)[0] ?? '',
    card_nir: record.cardNir ? normaliseMatricule(record.cardNir) : null,
    birth_rank: record.birthRank ?? null,
  };
}

export class IdentityReference {
  private readonly q: DmpSql;

  constructor(private readonly store: Store) {
    this.q = sqlFor(store);
  }

  /** Adds people the reference did not know (population generator, demo data); known INS are left as they are. */
  async register(records: readonly ReferenceRecord[]): Promise<void> {
    if (records.length > 0) await this.store.write(records.map((r) => referenceInsertStatement(this.q, r)));
  }

  /**
   * WS1, from the Vitale card: the people carried by that card NIR whose birth date agrees with the
   * card's (its unknown parts excepted), whose birth rank agrees when both are known, and whose first
   * names begin with the card's first name. The card NIR's key is checked first: a card whose NIR is
   * altered identifies nobody.
   */
  async lookupByCard(query: CardBeneficiaryQuery): Promise<IdentityAnswer> {
    const cardNir = normaliseMatricule(query.cardNir);
    if (!matriculeKeyValid(cardNir)) {
      throw new IdentityQueryError(
        'La carte Vitale porte un NIR dont la clé est fausse : l’identité du patient ne peut pas être vérifiée. Recherchez-la par ses traits d’identité.',
        'card NIR key invalid',
      );
    }
    const oid = insOidForCardStatus(query.cardStatus);
    const rows = await this.q.rows(
      this.store,
      selectReference(this.q)
        .where('card_nir', '=', cardNir)
        .where('oid', '=', oid)
        // NULL first in both dialects (SQLite's default; PostgreSQL's is last).
        .orderBy('birth_rank', (ob) => ob.asc().nullsFirst())
        .orderBy('matricule'),
    );
    return answer(
      rows.filter(
        (r) =>
          identityFitsCardBeneficiary(toIdentity(r), query) &&
          (query.birthRank === undefined || r.birth_rank === null || r.birth_rank === query.birthRank),
      ),
    );
  }

  /**
   * WS2, from the five traits: birth name and birth date equal, sex equal, the first first-name
   * equal (the rest of the list may be unknown to the person asking), and the birth place when given.
   */
  async lookupByTraits(query: TraitsQuery): Promise<IdentityAnswer> {
    const birthName = normaliseName(query.birthName);
    const first = nameWords(query.firstNames)[0] ?? '';
    if (!birthName || !first) return { kind: 'none' };
    const rows = await this.q.rows(
      this.store,
      selectReference(this.q)
        .where('birth_name_norm', '=', birthName)
        .where('birth_date', '=', query.birthDate)
        .where('first_name_norm', '=', first)
        .where('sex', '=', query.sex)
        .orderBy('matricule')
        .orderBy('oid'),
    );
    const place = query.birthPlaceCode?.trim().toUpperCase();
    return answer(place ? rows.filter((r) => r.birth_place_code.toUpperCase() === place) : rows);
  }

  /** The reference's identity for one INS, to check what a document or a form claims. */
  async byIns(ins: { matricule: string; oid: string }): Promise<ReferenceIdentity | null> {
    const row = await this.q.first(
      this.store,
      selectReference(this.q)
        .where('matricule', '=', normaliseMatricule(ins.matricule))
        .where('oid', '=', ins.oid),
    );
    return row ? toIdentity(row) : null;
  }
}
