import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import WebSocket from 'ws';
import { methodNames } from '../../../src/shared/contract';
import { startLoopbackHost, type LoopbackHost } from '../../../src/main/bridge/loopback-host';
import { createDispatcher, EventBus, type Handlers } from '../../../src/main/bridge/dispatcher';
import { createLogger, silentLogger } from '../../../src/main/log/logger';

/**
 * What a hostile or broken local client can send the browser host: frames over the limit, invalid
 * UTF-8, messages too large for their method or nested too deep, forged Host headers, broken paths.
 * After each, the host must still be there and answer a valid request.
 */
const handlers = Object.fromEntries(
  methodNames.map((n) => [n, async () => ({ ok: true })]),
) as unknown as Handlers;
handlers['simulator.remove'] = async () => ({ ok: true as const });

let host: LoopbackHost | null = null;
let dir = '';
const lines: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await host?.close();
  host = null;
  lines.length = 0;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<{ host: LoopbackHost; token: string; port: number }> {
  dir = mkdtempSync(join(tmpdir(), 'loopback-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  const log = createLogger({ sink: (line) => lines.push(line), level: 'debug' });
  const bus = new EventBus(silentLogger);
  host = await startLoopbackHost({
    dispatch: createDispatcher(handlers, silentLogger),
    bus,
    staticDir: dir,
    log,
  });
  const token = new URL(host.url).hash.replace('#token=', '');
  return { host, token, port: Number(new URL(host.origin).port) };
}

function open(h: LoopbackHost, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${h.origin.replace('http', 'ws')}/bridge?token=${token}`, { origin: h.origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one frame and waits for the reply with that id (or the socket closing). */
function call(ws: WebSocket, frame: string | Buffer, id: number): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const parsed = JSON.parse(String(data)) as { id?: number };
      if (parsed.id === id) {
        ws.off('message', onMessage);
        resolve(parsed);
      }
    };
    ws.on('message', onMessage);
    ws.once('close', () => resolve('closed'));
    ws.send(frame);
  });
}

async function stillAnswers(h: LoopbackHost, token: string): Promise<void> {
  const ws = await open(h, token);
  const reply = await call(
    ws,
    JSON.stringify({ id: 7, method: 'simulator.remove', input: { reader: 'R' } }),
    7,
  );
  ws.close();
  expect(reply).toEqual({ id: 7, response: { ok: true, value: { ok: true } } });
}

/** A WebSocket client written by hand, to send frames the `ws` client refuses to produce. */
function rawUpgrade(port: number, token: string, origin: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /bridge?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      );
    });
    socket.once('error', reject);
    socket.once('data', (data) => {
      if (!String(data).startsWith('HTTP/1.1 101')) reject(new Error(String(data).split('\r\n')[0]));
      else resolve(socket);
    });
  });
}

/** A masked client frame; `declaredLength` may lie about the payload that follows. */
function clientFrame(opcode: number, payload: Buffer, declaredLength = payload.length): Buffer {
  const mask = randomBytes(4);
  let header: Buffer;
  if (declaredLength < 126) header = Buffer.from([0x80 | opcode, 0x80 | declaredLength]);
  else if (declaredLength < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(declaredLength, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 127, 1);
    header.writeBigUInt64BE(BigInt(declaredLength), 2);
  }
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });
}

function get(port: number, path: string, hostHeader = `127.0.0.1:${port}`, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers: { host: hostHeader } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function expectSecurityHeaders(headers: Record<string, string | string[] | undefined>): void {
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['cache-control']).toBe('no-store');
}

describe('loopback bridge under bad input', () => {
  it('survives a frame declared larger than the maximum payload', async () => {
    const { host, token, port } = await start();
    const socket = await rawUpgrade(port, token, host.origin);
    socket.write(clientFrame(0x1, Buffer.from('{"id":1'), 64 * 1024 * 1024));
    await closed(socket);
    await stillAnswers(host, token);
  });

  it('survives three bytes of invalid UTF-8 in a text frame', async () => {
    const { host, token, port } = await start();
    const socket = await rawUpgrade(port, token, host.origin);
    socket.write(clientFrame(0x1, Buffer.from([0xff, 0xfe, 0xfd])));
    await closed(socket);
    await stillAnswers(host, token);
  });

  it('refuses an oversized request for a small method without parsing it', async () => {
    const { host, token } = await start();
    const parse = vi.spyOn(JSON, 'parse');
    const ws = await open(host, token);
    const big = JSON.stringify({ id: 3, method: 'patient.search', input: { name: 'x'.repeat(1024 * 1024) } });
    const reply = await call(ws, big, 3);
    ws.close();
    expect(reply).toMatchObject({ id: 3, response: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(JSON.stringify(reply)).toMatch(/volumineuse/);
    expect(parse.mock.calls.some(([text]) => typeof text === 'string' && text.length >= big.length)).toBe(
      false,
    );
    await stillAnswers(host, token);
  });

  it('refuses a 28 MB deeply nested message after a linear pre-scan, without parsing it', async () => {
    const { host, token } = await start();
    const parse = vi.spyOn(JSON, 'parse');
    const ws = await open(host, token);
    const depth = 13_900_000;
    const nested = `{"id":4,"method":"documents.deposit","input":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const reply = await call(ws, nested, 4);
    ws.close();
    expect(reply).toMatchObject({ id: 4, response: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(JSON.stringify(reply)).toMatch(/imbriqu/);
    expect(parse.mock.calls.some(([text]) => typeof text === 'string' && text.length >= nested.length)).toBe(
      false,
    );
    await stillAnswers(host, token);
  });

  it('still accepts a large document deposit', async () => {
    const { host, token } = await start();
    const ws = await open(host, token);
    const input = {
      insKey: '1800599123456|1.2.250.1.213.1.4.8',
      fileName: 'a.xml',
      contentBase64: 'A'.repeat(2 * 1024 * 1024),
      visibility: 'normal',
    };
    const reply = await call(ws, JSON.stringify({ id: 5, method: 'documents.deposit', input }), 5);
    ws.close();
    // Reaches the contract: whatever the schema says, the size limit did not refuse it.
    expect(JSON.stringify(reply)).not.toMatch(/volumineuse/);
    expect(reply).toMatchObject({ id: 5 });
  });

  it('checks the Host header on pages and on the WebSocket upgrade', async () => {
    const { host, token, port } = await start();
    expect((await get(port, '/', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await get(port, '/', `localhost:${port}`)).status).toBe(200);
    const forged = await get(port, '/', `evil.example:${port}`);
    expect(forged.status).toBe(403);
    expectSecurityHeaders(forged.headers);
    expect((await get(port, '/', '127.0.0.1:1')).status).toBe(403);
    const upgrade = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          `GET /bridge?token=${token} HTTP/1.1\r\nHost: evil.example:${port}\r\nOrigin: ${host.origin}\r\n` +
            'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
        ),
      );
      socket.once('data', (d) => resolve(String(d).split('\r\n')[0]!));
    });
    expect(upgrade).toBe('HTTP/1.1 403 Forbidden');
  });

  it('sends the security headers on every response, errors included', async () => {
    const { port } = await start();
    const ok = await get(port, '/');
    expect(ok.status).toBe(200);
    expectSecurityHeaders(ok.headers);
    const missing = await get(port, '/nothing-here.js');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
    const wrongMethod = await get(port, '/', undefined, 'POST');
    expect(wrongMethod.status).toBe(405);
    expectSecurityHeaders(wrongMethod.headers);
  });

  it('answers 400 to a malformed % escape, without an error in the log', async () => {
    const { port } = await start();
    const bad = await get(port, '/%E0%A4%A');
    expect(bad.status).toBe(400);
    expectSecurityHeaders(bad.headers);
    expect((await get(port, '/%zz')).status).toBe(400);
    expect(lines.filter((l) => (JSON.parse(l) as { lvl: string }).lvl === 'error')).toEqual([]);
  });

  it('fuzz: random frames and messages never stop the host from answering', async () => {
    const { host, token, port } = await start();
    const frames = fc.oneof(
      fc.string({ maxLength: 300 }).map((s) => ({ kind: 'text' as const, data: s })),
      fc.jsonValue({ maxDepth: 6 }).map((v) => ({ kind: 'text' as const, data: JSON.stringify(v) })),
      fc
        .record({
          id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
          method: fc.oneof(fc.constantFrom(...methodNames), fc.string({ maxLength: 40 })),
          input: fc.jsonValue({ maxDepth: 4 }),
        })
        .map((v) => ({ kind: 'text' as const, data: JSON.stringify(v) })),
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ kind: 'binary' as const, data: Buffer.from(b) })),
      fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((b) => ({ kind: 'raw' as const, data: Buffer.from(b) })),
      fc
        .tuple(fc.integer({ min: 0, max: 15 }), fc.uint8Array({ maxLength: 64 }))
        .map(([op, b]) => ({ kind: 'raw' as const, data: clientFrame(op, Buffer.from(b)) })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frames, { minLength: 1, maxLength: 8 }), async (batch) => {
        const ws = await open(host, token);
        ws.on('error', () => undefined);
        const raw = await rawUpgrade(port, token, host.origin);
        raw.on('error', () => undefined);
        for (const frame of batch) {
          if (frame.kind === 'raw') {
            if (!raw.destroyed) raw.write(frame.data);
          } else if (ws.readyState === ws.OPEN) ws.send(frame.data, { binary: frame.kind === 'binary' });
        }
        ws.terminate();
        raw.destroy();
        await stillAnswers(host, token);
      }),
      { numRuns: 60 },
    );
  });
});
