/**
 * The checks the local import protocol (`protocol.ts`) and the stored entry data
 * (`dmp/entry-data.ts`) are written with: type guards over parsed JSON, composed like zod schemas,
 * strict (an object with a key its shape does not name is refused).
 *
 * Why not zod here: the CLI checks the instance's answers with the same definitions the instance
 * checks requests with, and a handed-off import is a process start. Loading zod (in the CLI bundle a
 * ~470 KB chunk shared with the commands that use it, `zod/mini` included: esbuild splits by file,
 * and zod's core files are shared) was most of what the CLI compiled after node's own start. The
 * same holds for a cold import, which loads the DMP service and so the entry data's check. These
 * few checks are all they need, each obvious to read.
 */

import { isPaddedBase64 } from '../bridge/base64';

/** True when `value` is a `T`; never throws. */
export type Check<T> = (value: unknown) => value is T;
/** The type a check accepts. */
export type Checked<C> = C extends Check<infer T> ? T : never;

export const literal =
  <const L extends string | number | boolean>(expected: L): Check<L> =>
  (value): value is L =>
    value === expected;

export const boolean: Check<boolean> = (value): value is boolean => typeof value === 'boolean';

/** A string of at most `max` UTF-16 code units (as `String.length` counts; default: any length). */
export const string =
  (max = Number.POSITIVE_INFINITY): Check<string> =>
  (value): value is string =>
    typeof value === 'string' && value.length <= max;

/** Standard base64 with its padding (RFC 4648 §4), at most `max` characters. */
export const base64 =
  (max: number): Check<string> =>
  (value): value is string =>
    typeof value === 'string' && value.length <= max && isPaddedBase64(value);

/** A finite number (as JSON can carry). */
export const number: Check<number> = (value): value is number => Number.isFinite(value);

/** A count: a non-negative safe integer. */
export const count: Check<number> = (value): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

export const oneOf =
  <const L extends readonly string[]>(values: L): Check<L[number]> =>
  (value): value is L[number] =>
    typeof value === 'string' && values.includes(value);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object whose keys and values all pass. */
export const record =
  <V>(key: Check<string>, item: Check<V>): Check<Record<string, V>> =>
  (value): value is Record<string, V> =>
    isObject(value) && Object.entries(value).every(([k, v]) => key(k) && item(v));

/** An array whose items all pass. */
export const arrayOf =
  <T>(item: Check<T>): Check<T[]> =>
  (value): value is T[] =>
    Array.isArray(value) && value.every((v) => item(v));

/** A key of a `strictObject` shape that may be absent; when present, its value must pass. */
export interface OptionalCheck<T> {
  (value: unknown): value is T;
  readonly optional: true;
}

export const optional = <T>(check: Check<T>): OptionalCheck<T> =>
  Object.assign((value: unknown): value is T => check(value), { optional: true as const });

type Shape = Record<string, Check<unknown>>;
/** The object a shape describes: its optional keys optional, the others required. */
type ObjectOf<S extends Shape> = {
  [K in keyof S as S[K] extends OptionalCheck<unknown> ? never : K]: Checked<S[K]>;
} & { [K in keyof S as S[K] extends OptionalCheck<unknown> ? K : never]?: Checked<S[K]> };

const isOptional = (check: Check<unknown>): boolean =>
  (check as Partial<OptionalCheck<unknown>>).optional === true;

/** Exactly the keys of `shape` (less the absent optional ones), each value passing its check. */
export const strictObject =
  <S extends Shape>(shape: S): Check<ObjectOf<S>> =>
  (value): value is ObjectOf<S> =>
    isObject(value) &&
    Object.keys(value).every((k) => Object.hasOwn(shape, k)) &&
    Object.entries(shape).every(([k, check]) =>
      Object.hasOwn(value, k) ? check(value[k]) : isOptional(check),
    );

/** Any one of `options` (the protocol's messages, told apart by their `type` or `ok`). */
export const anyOf =
  <const T extends readonly Check<unknown>[]>(...options: T): Check<Checked<T[number]>> =>
  (value): value is Checked<T[number]> =>
    options.some((option) => option(value));
