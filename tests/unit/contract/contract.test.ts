import { describe, expect, it, vi, beforeAll } from 'vitest';
import {
  apiFunctionKeys,
  apiMethodKeys,
  methodNames,
  eventNames,
  type Api,
  type ConnectionStatus,
} from '../../../src/shared/contract';
import { createDispatcher, EventBus, type Handlers } from '../../../src/main/bridge/dispatcher';
import { createLogger } from '../../../src/main/log/logger';

let exposed: Api | null = null;
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_key: string, value: Api) => (exposed = value) },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}));

const contractKeys = [...methodNames].sort();

function recordingLogger(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ sink: (l) => lines.push(l), level: 'debug' }) };
}

/** Handlers that answer a fixed, contract-valid value for the two methods the tests call. */
function fakeHandlers(): Handlers {
  const handlers = Object.fromEntries(
    methodNames.map((name) => [name, async () => ({ ok: true })]),
  ) as unknown as Handlers;
  handlers['session.verifyPin'] = async () => ({
    success: false,
    pin: { triesLeft: 2, triesMax: 3, blocked: false },
  });
  handlers['simulator.remove'] = async () => ({ ok: true as const });
  return handlers;
}

describe('the contract drives every transport', () => {
  beforeAll(async () => {
    await import('../../../src/preload/index');
  });

  it('the preload exposes exactly the contract methods, plus `on` and `onConnection` (always connected)', () => {
    expect(exposed).not.toBeNull();
    expect(apiMethodKeys(exposed!)).toEqual(contractKeys);
    expect(apiFunctionKeys(exposed!)).toEqual(['on', 'onConnection']);
    const seen: ConnectionStatus[] = [];
    exposed!.onConnection((status) => seen.push(status))();
    expect(seen).toEqual([{ state: 'connected', attempts: 0 }]);
  });

  it('the browser bridge exposes exactly the contract methods, plus `on` and `onConnection`', async () => {
    (globalThis as { sessionStorage?: unknown }).sessionStorage = {
      getItem: () => null,
      setItem: () => undefined,
    };
    const { createWsBridgeApi } = await import('../../../src/renderer/src/api/ws-bridge');
    const api = createWsBridgeApi(
      { hash: '', protocol: 'http:', host: '127.0.0.1:1', pathname: '/' } as Location,
      { replaceState: () => undefined } as unknown as History,
    );
    expect(apiMethodKeys(api)).toEqual(contractKeys);
    expect(apiFunctionKeys(api)).toEqual(['on', 'onConnection']);
  });

  it('every event has a schema and the method names are namespaced', () => {
    expect(eventNames).toEqual(expect.arrayContaining(['cards.changed', 'session.changed']));
    for (const name of methodNames) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});

describe('dispatcher', () => {
  it('refuses an unknown method with a French message', async () => {
    const { log } = recordingLogger();
    const dispatch = createDispatcher(fakeHandlers(), log);
    const response = await dispatch('fs.readFile', {});
    expect(response).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'Opération inconnue.' },
    });
  });

  it('refuses an invalid payload and never logs its values (a PIN here)', async () => {
    const { log, lines } = recordingLogger();
    const dispatch = createDispatcher(fakeHandlers(), log);
    const response = await dispatch('session.verifyPin', { reader: 'R', pin: '12a4' });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe('INVALID_INPUT');
    expect(response.error.message).toMatch(/champ « pin » : format incorrect/);
    expect(lines.join('\n')).not.toContain('12a4');
  });

  it('refuses unknown fields (strict inputs)', async () => {
    const dispatch = createDispatcher(fakeHandlers(), recordingLogger().log);
    const response = await dispatch('simulator.remove', { reader: 'R', extra: true });
    expect(response.ok).toBe(false);
    if (!response.ok) expect(response.error.message).toMatch(/non autorisé.*extra/);
  });

  it('passes a valid payload to the handler and returns its value', async () => {
    const dispatch = createDispatcher(fakeHandlers(), recordingLogger().log);
    const response = await dispatch('session.verifyPin', { reader: 'R', pin: '1234' });
    expect(response).toEqual({
      ok: true,
      value: { success: false, pin: { triesLeft: 2, triesMax: 3, blocked: false } },
    });
  });

  it('turns a value outside the contract into INTERNAL instead of leaking it', async () => {
    const handlers = fakeHandlers();
    handlers['session.verifyPin'] = async () => ({ success: 'yes' }) as never;
    const dispatch = createDispatcher(handlers, recordingLogger().log);
    const response = await dispatch('session.verifyPin', { reader: 'R', pin: '1234' });
    expect(response).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('maps an unexpected exception to a generic French message without its text', async () => {
    const handlers = fakeHandlers();
    handlers['simulator.remove'] = async () => {
      throw new Error('secret internal detail');
    };
    const dispatch = createDispatcher(handlers, recordingLogger().log);
    const response = await dispatch('simulator.remove', { reader: 'R' });
    expect(response.ok).toBe(false);
    if (!response.ok) {
      expect(response.error.code).toBe('INTERNAL');
      expect(response.error.message).not.toContain('secret');
    }
  });
});

describe('event bus', () => {
  it('drops a payload outside the contract', () => {
    const { log, lines } = recordingLogger();
    const bus = new EventBus(log);
    const received: unknown[] = [];
    bus.subscribe((_e, p) => received.push(p));
    bus.emit('cards.changed', [{ name: 'R', card: null }]);
    bus.emit('cards.changed', [{ name: 42 }] as never);
    expect(received).toEqual([[{ name: 'R', card: null }]]);
    expect(lines.some((l) => l.includes('event payload outside the contract'))).toBe(true);
  });
});
