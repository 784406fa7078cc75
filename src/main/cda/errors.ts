/**
 * Every failure of the CDA importer. `userMessage` is French and shown as is;
 * `detail` goes to the log and must never quote document content (it may carry
 * positions and limits only), so patient data cannot leak through it.
 */
export type CdaErrorCode =
  'too-large' | 'encoding' | 'doctype' | 'malformed' | 'limit' | 'not-cda' | 'missing-ins' | 'bad-body';

export class CdaError extends Error {
  readonly code: CdaErrorCode;
  readonly userMessage: string;
  readonly detail: string;

  constructor(code: CdaErrorCode, reason: string, detail: string) {
    const userMessage = `Document CDA illisible : ${reason}`;
    super(userMessage);
    this.name = 'CdaError';
    this.code = code;
    this.userMessage = userMessage;
    this.detail = detail;
  }
}
