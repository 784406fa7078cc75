import {
  buildApi,
  eventNames,
  events,
  methodNames,
  type Api,
  type ConnectionStatus,
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

/**
 * Back-off between reconnection attempts: doubles from `firstMs` up to `maxMs`, then stays there
 * (the page keeps trying for as long as it is open: the host may come back). Each delay is drawn in
 * [½·d, d] ("equal jitter") so that many tabs do not knock at the same instant after a host restart.
 */
export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { firstMs: 250, maxMs: 10_000 };

/** Delay before attempt `attempt` (1 for the first retry), given a random number in [0, 1). */
export function reconnectDelay(attempt: number, random: number, backoff: Backoff = defaultBackoff): number {
  const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** A connection attempt that neither opens nor fails within this time is abandoned and retried. */
export const CONNECT_TIMEOUT_MS = 15_000;

/** French messages of the transport's own failures (`[UNAVAILABLE]`, see api/errors.ts). */
export const linkMessages = {
  unreachable: '[UNAVAILABLE] Service local du poste injoignable.',
  interrupted:
    '[UNAVAILABLE] Connexion au service local interrompue — reconnexion en cours. Réessayez dans un instant.',
  lost: '[UNAVAILABLE] Connexion au service local perdue avant la réponse : l’opération a pu aboutir ou non. Vérifiez après la reconnexion.',
} as const;

export interface WsBridgeOptions {
  backoff?: Backoff;
  /** Jitter source, replaceable in tests. */
  random?: () => number;
}

/**
 * The browser host's transport: the same contract over a loopback WebSocket. The per-launch token
 * comes in the URL fragment, which is removed from the address bar once read.
 *
 * The link can drop (host stopped, a frame the host refused closes that connection, a socket error).
 * Events the host pushes meanwhile are lost, so the transport never hides a gap: it reports
 * `disconnected` then `reconnected` through `onConnection`, and the renderer re-reads its state.
 *
 * - Exactly one socket at a time: handlers of a replaced socket are ignored, and event listeners
 *   live here, not on the socket, so reconnecting never duplicates a subscription (the host
 *   subscribes each connection once and drops that subscription when the connection closes).
 * - Calls waiting for an answer when the link drops are rejected (`linkMessages.lost`): their answer
 *   cannot come any more, and the renderer must not wait forever.
 * - A call while the link is down fails fast (`linkMessages.interrupted`) instead of queueing: an
 *   action queued behind an outage would run later on a screen the user no longer sees, and reads
 *   are redone by the resync anyway. A call while an attempt is under way waits for that attempt
 *   only, which is bounded by CONNECT_TIMEOUT_MS.
 * - While anyone listens (events or connection state), a dropped link is re-established with the
 *   bounded, jittered back-off above; with no listener, the next call connects.
 *
 * A host restarted with a new per-launch token refuses the old one: the page keeps retrying and the
 * renderer's banner tells the user, after a few attempts, to open the address the host printed.
 */
export function createWsBridgeApi(location: Location, history: History, options: WsBridgeOptions = {}): Api {
  const backoff = options.backoff ?? defaultBackoff;
  const random = options.random ?? Math.random;
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
  const connectionListeners = new Set<(status: ConnectionStatus) => void>();
  let nextId = 1;
  /** The open socket, if any; only its handlers may act. */
  let socket: WebSocket | null = null;
  /** The attempt under way, if any. */
  let attempt: Promise<WebSocket> | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let status: ConnectionStatus = { state: 'connected', attempts: 0 };
  /** Set once the link has been down: the next open is a `reconnected`. */
  let down = false;

  const setStatus = (next: ConnectionStatus): void => {
    // The first open confirms the optimistic start (`connected`): nothing to tell.
    if (next.state === status.state && next.attempts === status.attempts) return;
    status = next;
    for (const listener of [...connectionListeners]) listener(next);
  };

  const hasListeners = (): boolean =>
    connectionListeners.size > 0 || [...listeners.values()].some((set) => set.size > 0);

  const markDown = (failedAttempt: boolean): void => {
    down = true;
    setStatus({ state: 'disconnected', attempts: status.attempts + (failedAttempt ? 1 : 0) });
  };

  const scheduleReconnect = (): void => {
    if (reconnectTimer || attempt || socket || !hasListeners()) return;
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = null;
        connect().catch(() => undefined);
      },
      reconnectDelay(status.attempts + 1, random(), backoff),
    );
  };

  const connect = (): Promise<WebSocket> => {
    if (socket) return Promise.resolve(socket);
    if (attempt) return attempt;
    if (reconnectTimer) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
    }
    attempt = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      let settled = false;
      let opened = false;
      const fail = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        attempt = null;
        reject(new Error(linkMessages.unreachable));
        markDown(true);
        scheduleReconnect();
      };
      const timeout = setTimeout(() => {
        fail();
        ws.close();
      }, CONNECT_TIMEOUT_MS);
      ws.onopen = () => {
        if (settled) {
          // Opened after its attempt was abandoned: a newer attempt owns the link.
          ws.close();
          return;
        }
        settled = true;
        opened = true;
        clearTimeout(timeout);
        attempt = null;
        socket = ws;
        resolve(ws);
        const wasDown = down;
        down = false;
        setStatus({ state: wasDown ? 'reconnected' : 'connected', attempts: 0 });
      };
      ws.onerror = () => {
        // A close always follows; an error before open is a failed attempt.
        if (!opened) fail();
      };
      ws.onclose = () => {
        if (!opened) return fail();
        if (socket !== ws) return;
        socket = null;
        for (const [, p] of pending) p.reject(new Error(linkMessages.lost));
        pending.clear();
        markDown(false);
        scheduleReconnect();
      };
      ws.onmessage = (message) => {
        if (socket !== ws) return;
        const frame = parseFrame(message.data);
        if (!frame) {
          console.warn('bridge: dropped a malformed frame');
          return;
        }
        if ('event' in frame) {
          for (const listener of [...(listeners.get(frame.event) ?? [])]) listener(frame.payload);
          return;
        }
        const waiter = pending.get(frame.id);
        if (!waiter) return;
        pending.delete(frame.id);
        if (frame.response.ok) waiter.resolve(frame.response.value);
        else waiter.reject(new Error(`[${frame.response.error.code}] ${frame.response.error.message}`));
      };
    });
    return attempt;
  };

  /** Listeners keep the link alive: make sure a connection exists or is coming. */
  const ensureLink = (): void => {
    if (socket || attempt || reconnectTimer) return;
    connect().catch(() => undefined);
  };

  return buildApi(
    async (method, input) => {
      // Down and waiting for the next attempt: fail fast (see above).
      if (!socket && !attempt && reconnectTimer) throw new Error(linkMessages.interrupted);
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          ws.send(JSON.stringify({ id, method, input }));
        } catch {
          pending.delete(id);
          reject(new Error(linkMessages.interrupted));
        }
      });
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      ensureLink();
      return () => set.delete(listener);
    },
    methodNames,
    (listener) => {
      connectionListeners.add(listener);
      listener(status);
      ensureLink();
      return () => connectionListeners.delete(listener);
    },
  );
}
