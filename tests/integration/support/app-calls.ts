import type { App } from '../../../src/main/app/composition';
import type { EventName, ResponseEnvelope, SessionState } from '../../../src/shared/contract';

/** Calls a contract method through the app's dispatcher; a refusal rejects with its code and French message. */
export async function call<T = unknown>(a: App, method: string, input: unknown = {}): Promise<T> {
  const response: ResponseEnvelope = await a.dispatch(method, input);
  if (!response.ok) throw Object.assign(new Error(response.error.message), { code: response.error.code });
  return response.value as T;
}

/** Resolves with the first event payload that satisfies `match` (events, not sleeps). */
export function nextEvent<T>(
  a: App,
  event: EventName,
  match: (payload: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event matched within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = a.bus.subscribe((name, payload) => {
      if (name === event && match(payload as T)) {
        clearTimeout(timer);
        off();
        resolve(payload as T);
      }
    });
  });
}

export const sessionWhere = (a: App, match: (s: SessionState) => boolean): Promise<SessionState> =>
  nextEvent<SessionState>(a, 'session.changed', match);
