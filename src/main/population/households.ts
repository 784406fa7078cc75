import { insOids, matriculeKey } from '../../shared/identity/ins';
import { Random } from './random';
import { femaleFirstNames, maleFirstNames, surnames } from './catalog';

export const TEST_INS_OID = insOids.test;

export interface PersonIdentity {
  matricule: string;
  birthName: string;
  usedName?: string;
  firstNames: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  birthPlaceCode: string;
}

/** People sharing one Vitale card: the card carries the ouvrant droit's NIR, children have their own INS. */
export interface Household {
  index: number;
  ouvrantDroit: PersonIdentity;
  members: PersonIdentity[];
}

const departments: readonly (readonly [string, number])[] = [
  ['75', 10],
  ['13', 8],
  ['69', 7],
  ['59', 9],
  ['33', 5],
  ['31', 5],
  ['44', 5],
  ['67', 4],
  ['06', 4],
  ['34', 4],
  ['76', 4],
  ['92', 6],
  ['93', 6],
  ['94', 5],
  ['2A', 1],
  ['2B', 1],
  ['974', 3],
  ['35', 4],
  ['29', 3],
];

/** A birth date whose age follows a rough French age pyramid (more adults than elderly). */
function birthDate(rng: Random, reference: Date, minAge: number, maxAge: number): string {
  const age = rng.int(minAge, maxAge);
  const year = reference.getUTCFullYear() - age;
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A NIR with a valid key, consistent with sex, birth year and month (INSEE layout), not yet given to
 * anyone in this population: drawn at random, two people of a million would otherwise share one
 * now and then (one INS, one dossier: the second could not be stored).
 */
function nirFor(
  rng: Random,
  sex: 'M' | 'F',
  date: string,
  taken: Set<string>,
): { nir: string; place: string } {
  for (;;) {
    const dept = rng.weighted(departments);
    const commune = String(rng.int(1, dept.length === 3 ? 99 : 899)).padStart(dept.length === 3 ? 2 : 3, '0');
    const order = String(rng.int(1, 999)).padStart(3, '0');
    const body = `${sex === 'M' ? 1 : 2}${date.slice(2, 4)}${date.slice(5, 7)}${dept}${commune}${order}`;
    const nir = body + String(matriculeKey(body)).padStart(2, '0');
    if (taken.has(nir)) continue;
    taken.add(nir);
    return { nir, place: `${dept}${commune}`.slice(0, 5) };
  }
}

function person(
  rng: Random,
  taken: Set<string>,
  reference: Date,
  sex: 'M' | 'F',
  lastName: string,
  age: [number, number],
  usedName?: string,
): PersonIdentity {
  const date = birthDate(rng, reference, age[0], age[1]);
  const { nir, place } = nirFor(rng, sex, date, taken);
  const first = rng.weighted(sex === 'F' ? femaleFirstNames : maleFirstNames);
  const second = rng.chance(0.6) ? ` ${rng.weighted(sex === 'F' ? femaleFirstNames : maleFirstNames)}` : '';
  return {
    matricule: nir,
    birthName: lastName,
    ...(usedName && usedName !== lastName ? { usedName } : {}),
    firstNames: `${first}${second}`,
    birthDate: date,
    sex,
    birthPlaceCode: place,
  };
}

/**
 * Households in a fixed order for a seed: singles, couples, families with children under 16 on a
 * parent's card (twins included now and then). Yields until `patients` people exist.
 */
export function* households(seed: string, patients: number, reference: Date): Generator<Household> {
  let count = 0;
  const taken = new Set<string>();
  for (let index = 0; count < patients; index++) {
    const rng = new Random(`${seed}:household:${index}`);
    const kind = rng.weighted([
      ['single', 45],
      ['couple', 25],
      ['family', 30],
    ] as const);
    const family = rng.weighted(surnames);
    const adultAge: [number, number] = kind === 'family' ? [26, 55] : [18, 95];
    const first = person(rng, taken, reference, rng.chance(0.52) ? 'F' : 'M', family, adultAge);
    const members = [first];
    if (kind !== 'single') {
      const partnerSex = first.sex === 'F' ? 'M' : 'F';
      const partnerName = rng.weighted(surnames);
      members.push(
        person(
          rng,
          taken,
          reference,
          partnerSex,
          partnerName,
          adultAge,
          partnerSex === 'F' ? family : undefined,
        ),
      );
    }
    if (kind === 'family') {
      const children = rng.int(1, 3);
      for (let c = 0; c < children; c++)
        members.push(person(rng, taken, reference, rng.chance(0.5) ? 'F' : 'M', family, [0, 15]));
      if (rng.chance(0.05)) {
        const twin = members[members.length - 1]!;
        const { nir, place } = nirFor(rng, twin.sex, twin.birthDate, taken);
        members.push({
          ...person(rng, taken, reference, twin.sex, family, [0, 15]),
          birthDate: twin.birthDate,
          matricule: nir,
          birthPlaceCode: place,
        });
      }
    }
    const kept = members.slice(0, patients - count);
    count += kept.length;
    yield { index, ouvrantDroit: first, members: kept };
  }
}
