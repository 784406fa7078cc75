import {
  buildApi,
  eventNames,
  events,
  methodNames,
  type Api,
  type EventName,
} from '../../../shared/contract';

type Frame =
  | {
      id: number;
      response: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
    }
  | { event: EventName; payload: unknown };

/** Anything that is not a well-formed frame is dropped: a garbled message must not take the UI down. */
export function parseFrame(raw: unknown): Frame | null {
  let data: unknown;
  try {
    data = JSON.parse(String(raw));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (typeof record.event === 'string') {
    if (!(eventNames as string[]).includes(record.event)) return null;
    const name = record.event as EventName;
    const parsed = events[name].safeParse(record.payload);
    return parsed.success ? { event: name, payload: parsed.data } : null;
  }
  const response = record.response as Record<string, unknown> | undefined;
  if (typeof record.id !== 'number' || typeof response !== 'object' || response === null) return null;
  if (response.ok === true) return { id: record.id, response: { ok: true, value: response.value } };
  const error = response.error as Record<string, unknown> | undefined;
  if (response.ok === false && typeof error?.code === 'string' && typeof error.message === 'string') {
    return { id: record.id, response: { ok: false, error: { code: error.code, message: error.message } } };
  }
  return null;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * The browser host's transport: the same contract over a loopback WebSocket. The per-launch token
 * comes in the URL fragment, which is removed from the address bar once read. While anyone listens
 * to events, a dropped connection is re-established so card and session events keep flowing.
 */
export function createWsBridgeApi(location: Location, history: History): Api {
  const token =
    new URLSearchParams(location.hash.slice(1)).get('token') ??
    sessionStorage.getItem('poste-dmp-token') ??
    '';
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
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const hasListeners = (): boolean => [...listeners.values()].some((set) => set.size > 0);

  const scheduleReconnect = (): void => {
    if (reconnectTimer || !hasListeners()) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect().catch(() => scheduleReconnect());
    }, RECONNECT_DELAY_MS);
  };

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('[UNAVAILABLE] Service du poste injoignable.'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        if (!opened) reject(new Error('[UNAVAILABLE] Service du poste injoignable.'));
        for (const [, p] of pending)
          p.reject(new Error('[UNAVAILABLE] Connexion au service du poste perdue.'));
        pending.clear();
        scheduleReconnect();
      };
      ws.onmessage = (message) => {
        const frame = parseFrame(message.data);
        if (!frame) {
          console.warn('bridge: dropped a malformed frame');
          return;
        }
        if ('event' in frame) {
          for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
          return;
        }
        const waiter = pending.get(frame.id);
        if (!waiter) return;
        pending.delete(frame.id);
        if (frame.response.ok) waiter.resolve(frame.response.value);
        else waiter.reject(new Error(`[${frame.response.error.code}] ${frame.response.error.message}`));
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
      void connect().catch(() => scheduleReconnect());
      return () => set.delete(listener);
    },
    methodNames,
  );
}
