import type { ApiErrorCode } from '../../../shared/contract';

export interface UiError {
  code: ApiErrorCode | 'TRANSPORT';
  message: string;
}

/** Transports carry the contract's error code as a `[CODE] message` prefix (contextBridge keeps only messages). */
export function toUiError(err: unknown): UiError {
  const text = err instanceof Error ? err.message : String(err);
  const match = /^\[([A-Z_]+)\] ([\s\S]*)$/.exec(text);
  if (match) return { code: match[1] as ApiErrorCode, message: match[2] ?? '' };
  return { code: 'TRANSPORT', message: 'Communication interrompue avec le service du poste.' };
}
