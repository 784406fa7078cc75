import pg from 'pg';
import { StoreError } from '../errors';
import type { SqlParams, SqlValue } from '../types';

/**
 * Row values in the shapes the sql.js store gives, so the code above the store sees one kind of
 * row: bytes as a plain Uint8Array (not a Buffer), whole numbers as number (COUNT and SUM are
 * bigint in PostgreSQL, which `pg` would hand over as strings), truth values as 1/0, and every
 * other type (dates, JSON…) as the text PostgreSQL prints — never a Date or a parsed object.
 */
const builtins = pg.types.builtins;

function toSafeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n)))
    throw new StoreError(
      'SQL',
      'La lecture des données a échoué.',
      `number out of range: ${text.length} digits`,
    );
  return n;
}

const parseBytea = pg.types.getTypeParser(builtins.BYTEA, 'text') as (text: string) => Buffer;

function parserFor(oid: number): (text: string) => SqlValue {
  switch (oid) {
    case builtins.INT2:
    case builtins.INT4:
    case builtins.INT8:
    case builtins.OID:
    case builtins.NUMERIC:
    case builtins.FLOAT4:
    case builtins.FLOAT8:
      return toSafeNumber;
    case builtins.BOOL:
      return (text) => (text === 't' ? 1 : 0);
    case builtins.BYTEA:
      return (text) => {
        const buf = parseBytea(text);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice();
      };
    default:
      return (text) => text;
  }
}

/** `types` for a pg client: every result column parsed as above (text format only). */
export const sqlValueTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    format === 'binary' ? (v: unknown) => v : parserFor(oid)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Parameters for `pg`: bytes as Buffer (sent as bytea); only positional parameters. */
export function pgParams(params: SqlParams | undefined): unknown[] | undefined {
  if (params === undefined) return undefined;
  if (!Array.isArray(params))
    throw new StoreError(
      'SQL',
      'Requête invalide vers la base de données.',
      'named parameters are not supported by the PostgreSQL store',
    );
  return params.map((v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
}
