// The error class alone, not the contract's index: the CDA parser worker loads this module and must
// not load zod (most of a bundle's start-up).
import { ApiError } from '../../shared/contract/api-error';
import { parseCda } from '../cda/import';
import { CdaError } from '../cda/errors';
import type { CdaDocument } from '../cda/types';

/** The CDA parser's failures as the user-facing error the service throws. */
export function parseCdaOrThrow(bytes: Uint8Array): CdaDocument {
  try {
    return parseCda(bytes);
  } catch (err) {
    if (err instanceof CdaError)
      throw new ApiError('INVALID_INPUT', err.userMessage, `cda ${err.code}: ${err.detail}`);
    if (err instanceof ApiError) throw err;
    throw new ApiError(
      'INVALID_INPUT',
      'Document CDA illisible : le fichier n’a pas pu être analysé.',
      err instanceof Error ? err.name : 'unknown',
    );
  }
}

export interface ParsedCda {
  document: CdaDocument;
  /** The bytes that were parsed: the same content as the caller's (see {@link CdaParser.parse}). */
  bytes: Uint8Array;
}

/**
 * How the DMP service reads a CDA: on the calling thread ({@link inlineCdaParser}, the default), or
 * in a pool of worker threads (`CdaParserPool`, the DMP host and the workstation's composition root)
 * so that a 1.5 MB parse never holds the event loop every other request waits on.
 */
export interface CdaParser {
  /**
   * Rejects with the `ApiError` {@link parseCdaOrThrow} throws for the same bytes (French message,
   * `cda <code>: …` log detail), or with the parser's own refusal (busy, time budget, crash).
   *
   * The parser takes `bytes` over: a worker-backed parser may move its memory to the worker and back
   * instead of copying it twice, leaving the caller's array empty (detached). From the call on, use
   * only the `bytes` it resolves with.
   */
  parse(bytes: Uint8Array): Promise<ParsedCda>;
}

/** Parses on the calling thread: tests, the one-shot CLI (a worker would only add its start-up). */
export const inlineCdaParser: CdaParser = {
  parse: (bytes) => Promise.resolve().then(() => ({ document: parseCdaOrThrow(bytes), bytes })),
};
