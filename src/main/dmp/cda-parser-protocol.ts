import type { ApiErrorCode } from '../../shared/contract/api-error';
import type { CdaDocument } from '../cda/types';

/** Pool → worker: one document to parse (its buffer transferred when it can be). */
export interface CdaParseRequest {
  id: number;
  bytes: Uint8Array;
}

/** The `ApiError` the parse ended with, field by field (an Error's own fields do not survive a clone). */
export interface CdaParseFailure {
  code: ApiErrorCode;
  message: string;
  logDetail?: string;
}

/**
 * Worker → pool. `ready` once the parser is loaded (a document's time budget starts at dispatch to a
 * ready worker, never during the worker's own start). A reply's `document` is a structured clone of
 * what `parseCdaOrThrow` returned: plain objects, arrays, strings, numbers and the unstructured
 * body's `Uint8Array` (no Date, Map or class instance in `CdaDocument`), so it arrives equal.
 */
export type CdaWorkerMessage =
  | { kind: 'ready' }
  | { kind: 'parsed'; id: number; document: CdaDocument; bytes: Uint8Array }
  | { kind: 'failed'; id: number; error: CdaParseFailure };

/**
 * The buffers of `arrays` that can be moved instead of copied: whole, plain `ArrayBuffer`s only. A
 * view on part of a buffer (Node's pooled small `Buffer`s share one slab) is left to be copied, so a
 * transfer never empties memory something else still uses.
 */
export function transferableBuffers(...arrays: (Uint8Array | undefined)[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (!a || !(a.buffer instanceof ArrayBuffer)) continue;
    if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.byteLength > 0) buffers.add(a.buffer);
  }
  return [...buffers];
}
