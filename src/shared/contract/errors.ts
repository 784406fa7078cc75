import { z } from 'zod';

import { apiErrorCodes } from './api-error';

export { ApiError, apiErrorCodes, type ApiErrorCode } from './api-error';
export const apiErrorCode = z.enum(apiErrorCodes);

export const apiErrorSchema = z.object({
  code: apiErrorCode,
  message: z.string(),
});
export type ApiErrorShape = z.infer<typeof apiErrorSchema>;

export const responseEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
export type ResponseEnvelope = z.infer<typeof responseEnvelope>;
