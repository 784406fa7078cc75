import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { methodNames } from '../../../src/shared/contract';
import { startLoopbackHost, type LoopbackHost } from '../../../src/main/bridge/loopback-host';
import { createDispatcher, EventBus, type Handlers } from '../../../src/main/bridge/dispatcher';
import { silentLogger } from '../../../src/main/log/logger';

const handlers = Object.fromEntries(
  methodNames.map((n) => [n, async () => ({ ok: true })]),
) as unknown as Handlers;
handlers['simulator.remove'] = async () => ({ ok: true as const });

let host: LoopbackHost | null = null;
let dir = '';
afterEach(async () => {
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<{ host: LoopbackHost; bus: EventBus; token: string }> {
  dir = mkdtempSync(join(tmpdir(), 'loopback-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  const bus = new EventBus(silentLogger);
  host = await startLoopbackHost({
    dispatch: createDispatcher(handlers, silentLogger),
    bus,
    staticDir: dir,
    log: silentLogger,
  });
  return { host, bus, token: new URL(host.url).hash.replace('#token=', '') };
}

function open(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 only and serves the renderer with a CSP', async () => {
    const { host } = await start();
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${host.origin}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('refuses a connection without the token or from another origin', async () => {
    const { host, token } = await start();
    const ws = host.origin.replace('http', 'ws');
    await expect(open(`${ws}/bridge?token=wrong`, host.origin)).rejects.toThrow('HTTP 403');
    await expect(open(`${ws}/bridge?token=${token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
    const ok = await open(`${ws}/bridge?token=${token}`, host.origin);
    ok.close();
  });

  it('answers requests through the contract and pushes events', async () => {
    const { host, bus, token } = await start();
    const ws = await open(`${host.origin.replace('http', 'ws')}/bridge?token=${token}`, host.origin);
    const messages: unknown[] = [];
    const next = (): Promise<unknown> =>
      new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    let reply = next();
    ws.send(JSON.stringify({ id: 1, method: 'simulator.remove', input: { reader: 'R' } }));
    messages.push(await reply);
    reply = next();
    ws.send(JSON.stringify({ id: 2, method: 'simulator.remove', input: { reader: 'R', pin: '1234' } }));
    messages.push(await reply);
    reply = next();
    bus.emit('cards.changed', [{ name: 'R', card: null }]);
    messages.push(await reply);
    ws.close();
    expect(messages[0]).toEqual({ id: 1, response: { ok: true, value: { ok: true } } });
    expect(messages[1]).toMatchObject({ id: 2, response: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(messages[2]).toEqual({ event: 'cards.changed', payload: [{ name: 'R', card: null }] });
  });
});
