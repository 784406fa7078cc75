// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWsBridgeApi, linkMessages, parseFrame } from '../../../src/renderer/src/api/ws-bridge';
import { session } from './support/fixtures';

class FakeSocket {
  static last: FakeSocket | null = null;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(data: string): void {
    this.sent.push(data);
  }
  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeSocket.last = null;
});

function openBridge() {
  vi.stubGlobal('WebSocket', FakeSocket);
  const location = {
    hash: '#token=abc',
    protocol: 'http:',
    host: '127.0.0.1:5000',
    pathname: '/',
  } as Location;
  const history = { replaceState: vi.fn() } as unknown as History;
  const api = createWsBridgeApi(location, history);
  return { api, history };
}

describe('ws bridge', () => {
  it('sends the token, strips it from the address bar, and resolves or rejects calls with [CODE] messages', async () => {
    const { api, history } = openBridge();
    const info = api.app.info({});
    const socket = FakeSocket.last as FakeSocket;
    expect(socket.url).toBe('ws://127.0.0.1:5000/bridge?token=abc');
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/');
    socket.onopen?.();
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    const { id } = JSON.parse(socket.sent[0] as string) as { id: number };
    socket.receive({
      id,
      response: { ok: false, error: { code: 'LOCKED', message: 'Session verrouillée.' } },
    });
    await expect(info).rejects.toThrow('[LOCKED] Session verrouillée.');
  });

  it('drops malformed frames and invalid event payloads without breaking later ones', async () => {
    const { api } = openBridge();
    const received: unknown[] = [];
    api.on('session.changed', (s) => received.push(s.status));
    const socket = FakeSocket.last as FakeSocket;
    socket.onopen?.();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    socket.receive('{not json');
    socket.receive({ event: 'session.changed', payload: { status: 'hacked' } });
    socket.receive({ event: 'unknown.event', payload: {} });
    socket.receive({ id: 'x', response: {} });
    socket.receive({ event: 'session.changed', payload: session() });
    expect(received).toEqual(['authenticated']);
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it('rejects pending calls when the connection drops', async () => {
    const { api } = openBridge();
    const call = api.cards.list({});
    const socket = FakeSocket.last as FakeSocket;
    socket.onopen?.();
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    socket.onclose?.();
    await expect(call).rejects.toThrow(linkMessages.lost);
  });
});

describe('parseFrame', () => {
  it('accepts well-formed responses only', () => {
    expect(parseFrame('{"id":1,"response":{"ok":true,"value":42}}')).toEqual({
      id: 1,
      response: { ok: true, value: 42 },
    });
    expect(parseFrame('{"id":1,"response":{"ok":false,"error":{"code":"X"}}}')).toBeNull();
    expect(parseFrame('null')).toBeNull();
    expect(parseFrame('[]')).toBeNull();
  });
});
