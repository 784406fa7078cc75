import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../shared/contract/api-error';
import type { CdaParseFailure, CdaParseRequest, CdaWorkerMessage } from './cda-parser-protocol';
import { transferableBuffers } from './cda-parser-protocol';
import { parseCdaOrThrow } from './parse-cda';

/**
 * Worker entry of `CdaParserPool`: parses one CDA at a time with the very function the inline parser
 * uses, so a document gets the same result and the same French refusal in both. The bytes go back
 * with the answer (moved, not copied): the service stores them.
 */
const port = parentPort;
if (!port) throw new Error('cda-parser-worker must run in a worker thread');

function failure(err: unknown): CdaParseFailure {
  // parseCdaOrThrow turns every failure into an ApiError; anything else is a defect of this worker.
  if (err instanceof ApiError)
    return { code: err.code, message: err.message, ...(err.logDetail ? { logDetail: err.logDetail } : {}) };
  return {
    code: 'INVALID_INPUT',
    message: 'Document CDA illisible : le fichier n’a pas pu être analysé.',
    logDetail: err instanceof Error ? err.name : 'unknown',
  };
}

port.on('message', (request: CdaParseRequest) => {
  let message: CdaWorkerMessage;
  let transfer: ArrayBuffer[];
  try {
    const document = parseCdaOrThrow(request.bytes);
    message = { kind: 'parsed', id: request.id, document, bytes: request.bytes };
    transfer = transferableBuffers(
      request.bytes,
      document.body.kind === 'unstructured' ? document.body.content : undefined,
    );
  } catch (err) {
    // A refused document is not stored: its bytes need not come back.
    message = { kind: 'failed', id: request.id, error: failure(err) };
    transfer = [];
  }
  port.postMessage(message, transfer);
});

port.postMessage({ kind: 'ready' } satisfies CdaWorkerMessage);
