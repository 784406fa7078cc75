import { buildApi, methodNames, type Api, type EventName } from '../../../shared/contract';

/**
 * The browser host's transport: the same contract over a loopback WebSocket. The per-launch token
 * comes in the URL fragment, which is removed from the address bar once read.
 */
export function createWsBridgeApi(location: Location, history: History): Api {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('poste-dmp-token') ?? '';
  if (location.hash) {
    sessionStorage.setItem('poste-dmp-token', token);
    history.replaceState(null, '', location.pathname);
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('[UNAVAILABLE] Service du poste injoignable.'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const [, p] of pending) p.reject(new Error('[UNAVAILABLE] Connexion au service du poste perdue.'));
        pending.clear();
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as
          | { id: number; response: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } }
          | { event: EventName; payload: unknown };
        if ('event' in data) {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
          return;
        }
        const waiter = pending.get(data.id);
        if (!waiter) return;
        pending.delete(data.id);
        if (data.response.ok) waiter.resolve(data.response.value);
        else waiter.reject(new Error(`[${data.response.error.code}] ${data.response.error.message}`));
      };
    });
    return ready;
  };

  return buildApi(
    async (method, input) => {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, input }));
      });
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      void connect().catch(() => undefined);
      return () => set.delete(listener);
    },
    methodNames,
  );
}
