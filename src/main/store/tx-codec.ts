import { deserialize, serialize } from 'node:v8';
import type { SqlParams, SqlValue, Statement } from './types';

/**
 * A committed transaction as stored in a journal record. v8 serialisation is documented as
 * backward compatible ("safe to store to disk") and keeps Uint8Array blobs without base64.
 */
export function encodeTransaction(statements: Statement[]): Buffer {
  return serialize(
    statements.map((s) => (s.params === undefined ? { sql: s.sql } : { sql: s.sql, params: s.params })),
  );
}

/** Throws on anything that is not exactly a list of statements (the caller reports it as corruption). */
export function decodeTransaction(bytes: Uint8Array): Statement[] {
  const value: unknown = deserialize(bytes);
  if (!Array.isArray(value)) throw new Error('transaction is not an array');
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw new Error(`statement ${i} is not an object`);
    const { sql, params } = item as { sql?: unknown; params?: unknown };
    if (typeof sql !== 'string') throw new Error(`statement ${i} has no SQL text`);
    if (params === undefined) return { sql };
    return { sql, params: checkParams(params, i) };
  });
}

function checkParams(params: unknown, i: number): SqlParams {
  if (Array.isArray(params)) {
    if (!params.every(isSqlValue)) throw new Error(`statement ${i} has a parameter of unsupported type`);
    return params as SqlValue[];
  }
  if (typeof params === 'object' && params !== null && !(params instanceof Uint8Array)) {
    if (!Object.values(params).every(isSqlValue))
      throw new Error(`statement ${i} has a parameter of unsupported type`);
    return params as Record<string, SqlValue>;
  }
  throw new Error(`statement ${i} has malformed parameters`);
}

function isSqlValue(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || v instanceof Uint8Array;
}
