import { z } from 'zod';
import {
  methods,
  events,
  type MethodName,
  type MethodOutput,
  type Methods,
  type EventName,
  type EventPayload,
  type ResponseEnvelope,
} from '../../shared/contract';
import type { Logger } from '../log/logger';
import { toApiError } from '../app/user-messages';

/** What each service method receives: the input after schema validation (defaults applied). */
export type HandlerInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type Handlers = { [M in MethodName]: (input: HandlerInput<M>) => Promise<MethodOutput<M>> };

export type Dispatch = (method: unknown, input: unknown) => Promise<ResponseEnvelope>;

const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);

/**
 * The single gate between a transport (Electron IPC, loopback WebSocket) and the services:
 * unknown method → refused; input validated against the contract; output validated too, so a
 * service bug can never push fields the contract does not name; errors mapped to `{code, message}`.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method)) {
      log.warn('refused unknown method', {
        method: typeof method === 'string' ? method.slice(0, 80) : typeof method,
      });
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Opération inconnue.' } };
    }
    const spec = methods[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      // Paths and issue codes only: values may be health data or a PIN.
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}:${i.code}`).join(', ');
      log.warn('refused invalid input', { method, detail });
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `Requête invalide (${method}) : ${frenchIssues(parsed.error)}.`,
        },
      };
    }
    try {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        log.error('handler returned a value outside the contract', {
          method,
          detail: checked.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', '),
        });
        return { ok: false, error: { code: 'INTERNAL', message: 'Erreur interne : réponse non conforme.' } };
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      // Store failures are worded here, from their reason (user-messages.ts), like ApiErrors.
      const refusal = toApiError(err);
      if (refusal) {
        log.info('request refused', { method, code: refusal.code, detail: refusal.logDetail });
        return { ok: false, error: { code: refusal.code, message: refusal.message } };
      }
      log.error('handler failed', {
        method,
        error: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown',
      });
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Erreur interne. L’incident a été journalisé.' },
      };
    }
  };
}

/** The first issues of a refused input in French, naming fields but never their values. */
export function frenchIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const where = i.path.length ? `champ « ${i.path.join('.')} »` : 'contenu';
      switch (i.code) {
        case 'unrecognized_keys':
          return `champ(s) non autorisé(s) ${i.keys.map((k) => `« ${k} »`).join(', ')}`;
        case 'invalid_type':
          return `${where} : type incorrect`;
        // A bound is the schema's, never the refused value: it may be shown.
        case 'too_small':
          return isQuantity(i.origin)
            ? `${where} : trop petit (${i.inclusive ? 'au moins' : 'plus de'} ${String(i.minimum)})`
            : `${where} : trop court ou manquant`;
        case 'too_big':
          return isQuantity(i.origin)
            ? `${where} : trop grand (${i.inclusive ? 'au plus' : 'moins de'} ${String(i.maximum)})`
            : `${where} : trop long`;
        case 'invalid_format':
          return `${where} : format incorrect`;
        default:
          return `${where} : valeur refusée`;
      }
    })
    .join(' ; ');
}

/** Whether a size issue is about a number (« trop petit ») rather than a length (« trop court »). */
function isQuantity(origin: string): boolean {
  return origin === 'number' || origin === 'int' || origin === 'bigint';
}

/** Validated event fan-out shared by every transport. */
export class EventBus {
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();

  constructor(private readonly log: Logger) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].safeParse(payload);
    if (!checked.success) {
      this.log.error('event payload outside the contract, dropped', { event });
      return;
    }
    for (const listener of this.listeners) listener(event, checked.data);
  }

  subscribe(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
