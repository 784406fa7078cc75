import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import NodeWebSocket from 'ws';
import {
  methodNames,
  type Api,
  type HostStatus,
  type ReaderDisplay,
  type SessionState,
} from '../../../src/shared/contract';
import { startLoopbackHost, type LoopbackHost } from '../../../src/main/bridge/loopback-host';
import { createDispatcher, EventBus, type Handlers } from '../../../src/main/bridge/dispatcher';
import { silentLogger } from '../../../src/main/log/logger';
import {
  createWsBridgeApi,
  defaultBackoff,
  linkMessages,
  reconnectDelay,
} from '../../../src/renderer/src/api/ws-bridge';
import { startSync } from '../../../src/renderer/src/state/sync';
import { useStore } from '../../../src/renderer/src/state/store';
import { cpsReader, demoInsKey, session } from '../renderer/support/fixtures';

/**
 * The browser bridge's transport against the real loopback host in this process: the link is
 * dropped (client socket torn down, or a frame the host refuses), events are emitted while it is
 * down, and the store must show the truth once the transport has reconnected and the renderer
 * re-read its state.
 */

/** Generous: the machine is shared and loaded; these bound a wait, they are not a speed target. */
const WAIT = { timeout: 30_000, interval: 20 };

const emptyCps: ReaderDisplay = { name: 'Lecteur CPS', card: null };
const embedded: HostStatus = { mode: 'embedded' };

interface Main {
  readers: ReaderDisplay[];
  session: SessionState;
}

const initialStore = useStore.getState();
let host: LoopbackHost | null = null;
let dir = '';
let stopSync: (() => void) | null = null;

beforeEach(() => {
  const storage = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
  });
});

afterEach(async () => {
  stopSync?.();
  stopSync = null;
  Gate.blocked = false;
  for (const ws of Gate.sockets) ws.terminate();
  Gate.sockets = [];
  vi.unstubAllGlobals();
  await host?.close();
  host = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  useStore.setState(initialStore, true);
});

/**
 * The browser's WebSocket, played by `ws` with the page's Origin. While `blocked`, a new connection
 * offers a wrong token and the host refuses it (403), as it refuses a page after a host restart.
 */
class Gate extends NodeWebSocket {
  static origin = '';
  static blocked = false;
  static sockets: Gate[] = [];
  constructor(url: string) {
    super(Gate.blocked ? url.replace(/token=[^&]*/, 'token=refused') : url, { origin: Gate.origin });
    Gate.sockets.push(this);
  }
  static current(): Gate {
    const open = Gate.sockets.filter((s) => s.readyState === NodeWebSocket.OPEN);
    expect(open, JSON.stringify(Gate.sockets.map((s) => [s.readyState, s.url]))).toHaveLength(1);
    return open[0]!;
  }
}

async function start(main: Main): Promise<{ api: Api; bus: EventBus; subscribers: () => number }> {
  dir = mkdtempSync(join(tmpdir(), 'bridge-reconnect-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  const handlers = Object.fromEntries(
    methodNames.map((n) => [n, async () => ({ ok: true })]),
  ) as unknown as Handlers;
  handlers['cards.list'] = async () => main.readers;
  handlers['session.get'] = async () => main.session;
  handlers['host.status'] = async () => embedded;
  handlers['app.info'] = async () => ({
    version: '0.1.0',
    host: 'web' as const,
    simulation: true,
    production: false,
    warnings: [],
  });
  // Never answered: a call in flight when the link drops.
  handlers['dossier.accessHistory'] = () => new Promise(() => undefined);
  const bus = new EventBus(silentLogger);
  // Counts the host's live subscriptions: one per open bridge connection, never more.
  let live = 0;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (listener) => {
    live += 1;
    const off = subscribe(listener);
    return () => {
      live -= 1;
      return off();
    };
  };
  host = await startLoopbackHost({
    dispatch: createDispatcher(handlers, silentLogger),
    bus,
    staticDir: dir,
    log: silentLogger,
  });
  Gate.origin = host.origin;
  vi.stubGlobal('WebSocket', Gate);
  const url = new URL(host.url);
  const api = createWsBridgeApi(
    { hash: url.hash, protocol: url.protocol, host: url.host, pathname: '/' } as Location,
    { replaceState: () => undefined } as unknown as History,
    { backoff: { firstMs: 20, maxMs: 200 } },
  );
  return { api, bus, subscribers: () => live };
}

/** Drops the link from the host's side: a text frame that is not UTF-8 makes `ws` close it (1007). */
function hostRefusesAFrame(): void {
  Gate.current().send(Buffer.from([0xff, 0xfe]), { binary: false });
}

describe('browser bridge: reconnection', () => {
  it('a card removed while the link is down is not shown once it is back: the store is read again', async () => {
    const main: Main = { readers: [cpsReader()], session: session({ status: 'no_card' }) };
    const { api, bus } = await start(main);
    stopSync = startSync(api);
    await vi.waitFor(() => expect(useStore.getState().readers[0]?.card?.kind).toBe('cps'), WAIT);

    Gate.blocked = true;
    Gate.current().terminate();
    await vi.waitFor(() => expect(useStore.getState().connection.state).toBe('disconnected'), WAIT);

    // The card is pulled during the gap: the event reaches no one.
    main.readers = [emptyCps];
    bus.emit('cards.changed', main.readers);
    // A call while the link is down fails (with the transport's French message), it does not hang.
    await expect(api.cards.list({})).rejects.toThrow(/^\[UNAVAILABLE\] /);
    expect(useStore.getState().readers[0]?.card?.kind).toBe('cps');

    Gate.blocked = false;
    await vi.waitFor(() => expect(useStore.getState().connection.state).toBe('reconnected'), WAIT);
    expect(useStore.getState().readers).toEqual([emptyCps]);
  });

  it('a session locked while the host refused a frame is shown locked after the resync', async () => {
    const main: Main = { readers: [cpsReader()], session: session() };
    const { api, bus } = await start(main);
    stopSync = startSync(api);
    await vi.waitFor(() => expect(useStore.getState().session?.status).toBe('authenticated'), WAIT);

    Gate.blocked = true;
    hostRefusesAFrame();
    await vi.waitFor(() => expect(useStore.getState().connection.state).toBe('disconnected'), WAIT);
    main.session = session({ status: 'locked' });
    bus.emit('session.changed', main.session);

    Gate.blocked = false;
    await vi.waitFor(() => expect(useStore.getState().connection.state).toBe('reconnected'), WAIT);
    expect(useStore.getState().session?.status).toBe('locked');
  });

  it('rejects a call in flight when the link drops, with a French message saying its outcome is unknown', async () => {
    const main: Main = { readers: [], session: session({ status: 'no_card' }) };
    const { api } = await start(main);
    await api.cards.list({});
    const inFlight = api.dossier.accessHistory({ insKey: demoInsKey });
    Gate.current().terminate();
    await expect(inFlight).rejects.toThrow(linkMessages.lost);
  });

  it('after several reconnections each event reaches each listener once, and the host holds one subscription', async () => {
    const main: Main = { readers: [], session: session({ status: 'no_card' }) };
    const { api, bus, subscribers } = await start(main);
    const states: string[] = [];
    api.onConnection((s) => states.push(s.state));
    const seen: string[][] = [];
    api.on('cards.changed', (readers) => seen.push(readers.map((r) => r.name)));
    await api.cards.list({});
    expect(states).toEqual(['connected']);

    for (let i = 0; i < 3; i += 1) {
      const reconnections = states.filter((s) => s === 'reconnected').length;
      if (i === 1) hostRefusesAFrame();
      else Gate.current().terminate();
      await vi.waitFor(
        () => expect(states.filter((s) => s === 'reconnected')).toHaveLength(reconnections + 1),
        WAIT,
      );
    }
    await vi.waitFor(() => expect(subscribers()).toBe(1), WAIT);
    expect(Gate.sockets.filter((s) => s.readyState === NodeWebSocket.OPEN)).toHaveLength(1);

    bus.emit('cards.changed', [{ name: 'A', card: null }]);
    bus.emit('cards.changed', [{ name: 'B', card: null }]);
    await vi.waitFor(() => expect(seen).toContainEqual(['B']), WAIT);
    expect(seen).toEqual([['A'], ['B']]);
  });
});

describe('reconnection back-off', () => {
  it('grows from the first delay to the ceiling and never past it, jittered within [½·d, d]', () => {
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      const ceiling = Math.min(defaultBackoff.maxMs, defaultBackoff.firstMs * 2 ** (attempt - 1));
      const low = reconnectDelay(attempt, 0);
      const high = reconnectDelay(attempt, 0.999_999);
      expect(low).toBe(Math.round(ceiling / 2));
      expect(high).toBe(ceiling);
      expect(high).toBeLessThanOrEqual(defaultBackoff.maxMs);
    }
    expect(reconnectDelay(1, 0)).toBeLessThan(reconnectDelay(1, 0.5));
    expect(reconnectDelay(30, 0.5)).toBeLessThanOrEqual(defaultBackoff.maxMs);
  });
});
