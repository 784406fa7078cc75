import { z } from 'zod';

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
export const apiErrorCode = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof apiErrorCode>;

export const apiErrorSchema = z.object({
  code: apiErrorCode,
  message: z.string(),
});
export type ApiErrorShape = z.infer<typeof apiErrorSchema>;

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

export const responseEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
export type ResponseEnvelope = z.infer<typeof responseEnvelope>;
