import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Dispatch, EventBus } from './dispatcher';
import type { ResponseEnvelope } from '../../shared/contract';
import { frameText, MAX_MESSAGE_BYTES, maxMessageBytes, peekEnvelope, screenFrame } from './frame-limits';
import type { Logger } from '../log/logger';

export interface LoopbackHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** Built renderer (electron-vite's `out/renderer`). */
  staticDir: string;
  log: Logger;
  port?: number;
}

export interface LoopbackHost {
  /** URL to open, token included in the fragment (never sent to the server in a request line). */
  url: string;
  origin: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Sent with every HTTP answer, errors included: a 404 page is a page too. */
function securityHeaders(origin: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(origin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

const refusals: Record<'too-large' | 'too-deep' | 'not-json', string> = {
  'too-large': 'Requête refusée : trop volumineuse pour cette opération.',
  'too-deep': 'Requête refusée : structure trop imbriquée.',
  'not-json': 'Requête refusée : message illisible.',
};

/**
 * Serves the renderer and the contract to a browser on 127.0.0.1 only: random port, per-launch
 * token, Host and Origin checked. A broken or hostile local client can close its own connection,
 * never the process: every socket and server has an error handler, and a message is sized and
 * depth-scanned before it is parsed. The renderer cannot tell it from Electron IPC.
 */
export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const { dispatch, bus, staticDir, log } = options;
  const token = randomBytes(24).toString('base64url');
  let origin = '';
  let allowedHosts: string[] = [];

  const server = createServer((req, res) => {
    res.on('error', (err) => log.warn('http response failed', { error: err.message }));
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      // DNS rebinding: a page from another site resolving to 127.0.0.1 still names its own host.
      log.warn('http request refused: unexpected Host header');
      return send(res, 403);
    }
    serveStatic(req, res).catch((err: unknown) => {
      log.error('static serving failed', { error: err instanceof Error ? err.message : 'unknown' });
      if (!res.headersSent) send(res, 500);
      else res.destroy();
    });
  });
  server.on('error', (err) => log.error('http server error', { error: err.message }));
  server.on('clientError', (err, socket) => {
    // Malformed HTTP: answer 400 if the socket still takes it, never let the error escape.
    log.warn('malformed http request', { error: err.message.slice(0, 120) });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): void {
    res.writeHead(status, { ...securityHeaders(origin), ...headers });
    res.end(body);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { Allow: 'GET, HEAD' });
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      // A broken % escape is the client's mistake, not a server error.
      return send(res, 400);
    }
    const relative = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
    const file = join(staticDir, relative);
    if (!file.startsWith(staticDir + sep) || relative.includes('\0')) return send(res, 404);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(res, 404);
    }
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    send(res, 200, { 'Content-Type': type }, req.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (err) => log.error('websocket server error', { error: err.message }));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (err) => log.warn('bridge socket error before upgrade', { error: err.message }));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const offered = url.searchParams.get('token') ?? '';
    const hostOk = allowedHosts.includes(req.headers.host ?? '');
    if (
      url.pathname !== '/bridge' ||
      !hostOk ||
      req.headers.origin !== origin ||
      !sameSecret(offered, token)
    ) {
      log.warn('bridge connection refused', {
        path: url.pathname.slice(0, 80),
        hostMatches: hostOk,
        originMatches: req.headers.origin === origin,
      });
      const headers = Object.entries(securityHeaders(origin)).map(([k, v]) => `${k}: ${v}\r\n`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n${headers.join('')}\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    // Invalid UTF-8, a frame over maxPayload, a bad opcode: ws closes this socket and reports here.
    ws.on('error', (err) => log.warn('bridge connection closed on a protocol error', { error: err.message }));
    const unsubscribe = bus.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    });
    const reply = (id: number, response: ResponseEnvelope): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, response }));
    };
    const refuse = (reason: keyof typeof refusals, id: number | null, bytes: number): void => {
      log.warn('bridge message refused', { reason, bytes });
      if (id !== null) reply(id, { ok: false, error: { code: 'INVALID_INPUT', message: refusals[reason] } });
    };
    ws.on('message', (data, isBinary) => {
      const frame = asBuffer(data);
      if (isBinary) return refuse('not-json', peekEnvelope(frame)?.id ?? null, frame.length);
      const verdict = screenFrame(frame);
      if (!verdict.ok) return refuse(verdict.reason, verdict.id, frame.length);
      let message: unknown;
      try {
        message = JSON.parse(frameText(frame));
      } catch {
        return refuse('not-json', peekEnvelope(frame)?.id ?? null, frame.length);
      }
      if (typeof message !== 'object' || message === null) return refuse('not-json', null, frame.length);
      const { id, method, input } = message as { id?: unknown; method?: unknown; input?: unknown };
      if (typeof id !== 'number') return refuse('not-json', null, frame.length);
      // The head named one method, the body may name another: hold it to the cap of the real one.
      if (frame.length > maxMessageBytes(typeof method === 'string' ? method : '')) {
        return refuse('too-large', id, frame.length);
      }
      dispatch(method, input).then(
        (response) => reply(id, response),
        (err: unknown) =>
          log.error('dispatch failed', { error: err instanceof Error ? err.message : 'unknown' }),
      );
    });
    ws.on('close', unsubscribe);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `${origin}/#token=${token}`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** ws hands over a Buffer by default; fragmented or ArrayBuffer forms are normalised too. */
function asBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Same policy as the Electron window, plus the loopback WebSocket. */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${ws}`,
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
