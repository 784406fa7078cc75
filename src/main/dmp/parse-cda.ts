import { ApiError } from '../../shared/contract';
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
