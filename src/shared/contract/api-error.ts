/**
 * The error type and its codes, without zod: the store worker needs them and must not load the
 * whole contract (zod alone is most of a bundle's start-up). The schemas are in errors.ts.
 */
/** Error codes that cross the process boundary. The message is French and meant for the user. */
export const apiErrorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LOCKED',
  'CARD_ERROR',
  'PIN_WRONG',
  'PIN_BLOCKED',
  'UNSUPPORTED',
  'CORRUPT_DATA',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/**
 * Thrown by services for errors the user should see. Anything else that escapes a service is reported
 * as INTERNAL with a generic French message, so internals never leak to the renderer.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Precise, non-identifying detail for the log only; never sent to the renderer. */
    readonly logDetail?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
