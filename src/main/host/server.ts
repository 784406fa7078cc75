import { createSecureServer, constants, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../bridge/frame-limits';
import { hostMethods, isHostMethodName, SMALL_REQUEST_BYTES } from '../host-api/methods';
import { apiPathPrefix, httpStatusFor, type HostResponse } from '../host-api/protocol';
import type { Logger } from '../log/logger';
import type { ProfessionalSessions } from './professional-sessions';
import type { HostConnection, HostRoute } from './routing';

export interface HostTls {
  /** The deployment CA(s) whose workstation certificates are accepted (PEM). */
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface HostServerOptions {
  route: HostRoute;
  sessions: ProfessionalSessions;
  tls: HostTls;
  log: Logger;
  host: string;
  port: number;
  /**
   * Whether a workstation certificate (DER) is marked for system calls: i13-card's
   * `allowsSystemCalls` (a certificate policy of the deployment PKI, docs/host.md).
   */
  allowsSystemCalls: (certificateDer: Buffer) => boolean;
  /** A connection silent this long is closed (workstations ping well within it). */
  idleConnectionMs?: number;
}

export interface RunningHostServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const refusals = {
  notFound: 'Adresse inconnue du serveur DMP.',
  method: 'Méthode HTTP non acceptée : POST attendu.',
  tooLarge: 'Requête refusée : trop volumineuse pour cette opération.',
  tooDeep: 'Requête refusée : structure trop imbriquée.',
  notJson: 'Requête refusée : message illisible.',
  slow: 'Requête refusée : corps de la requête reçu trop lentement.',
} as const;

/**
 * The DMP host's HTTPS endpoint: HTTP/2 over TLS 1.3 only, the workstation's certificate required
 * and checked against the deployment CA during the handshake (a workstation without one, or with one
 * from another CA, never reaches the routing). Like the loopback bridge, a hostile or broken client
 * can only lose its own request or connection: every session and stream has an error handler, a
 * body is capped by its method and depth-scanned before it is parsed.
 */
export async function startHostServer(options: HostServerOptions): Promise<RunningHostServer> {
  const { log, route, sessions } = options;
  const server = createSecureServer({
    ca: options.tls.caPem,
    cert: options.tls.certPem,
    key: options.tls.keyPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
    allowHTTP1: false,
    settings: { maxConcurrentStreams: 64 },
    maxSessionMemory: 64,
  });
  const connections = new Map<Http2Session, HostConnection>();

  server.on('error', (err) => log.error('host server error', { error: err.message }));
  server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
    log.warn('TLS handshake refused', {
      code: err.code ?? 'unknown',
      remote: socket.remoteAddress ?? null,
    });
  });
  server.on('sessionError', (err) => log.warn('host connection error', { error: err.message }));
  server.on('session', (session) => {
    session.on('error', (err) => log.warn('host connection error', { error: err.message }));
    const socket = session.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    const conn: HostConnection = {
      id: randomBytes(6).toString('hex'),
      workstation: typeof peer.subject?.CN === 'string' ? peer.subject.CN : '(sans nom)',
      fingerprint: peer.fingerprint256 ?? '',
      systemCalls: peer.raw ? safely(() => options.allowsSystemCalls(peer.raw), false) : false,
      // TLS 1.3 exporters treat an absent and an empty context alike (RFC 8446 §7.5); the client passes the same.
      exportKeyingMaterial: (length, label) => socket.exportKeyingMaterial(length, label, Buffer.alloc(0)),
    };
    connections.set(session, conn);
    log.info('workstation connected', {
      connection: conn.id,
      workstation: conn.workstation,
      systemCalls: conn.systemCalls,
    });
    session.setTimeout(options.idleConnectionMs ?? 5 * 60 * 1000, () => session.close());
    session.on('close', () => {
      connections.delete(session);
      sessions.end(conn, 'connection closed');
      log.info('workstation disconnected', { connection: conn.id });
    });
  });

  server.on('stream', (stream, headers) => {
    stream.on('error', (err) => log.warn('host stream error', { error: err.message }));
    const conn = connections.get(stream.session as Http2Session);
    if (!conn) return stream.close(constants.NGHTTP2_REFUSED_STREAM);
    handleStream(stream, headers, conn).catch((err: unknown) => {
      log.error('host request failed', { error: err instanceof Error ? err.message : 'unknown' });
      reply(stream, { ok: false, error: { code: 'INTERNAL', message: 'Erreur interne du serveur DMP.' } });
    });
  });

  async function handleStream(
    stream: ServerHttp2Stream,
    headers: Record<string, string | string[] | undefined>,
    conn: HostConnection,
  ): Promise<void> {
    const path = String(headers[':path'] ?? '');
    if (!path.startsWith(apiPathPrefix)) return refuse(stream, 404, 'UNKNOWN_METHOD', refusals.notFound);
    if (headers[':method'] !== 'POST') return refuse(stream, 405, 'INVALID_INPUT', refusals.method);
    const method = path.slice(apiPathPrefix.length);
    const cap = isHostMethodName(method) ? hostMethods[method].maxRequestBytes : SMALL_REQUEST_BYTES;
    const declared = Number(headers['content-length'] ?? 0);
    if (declared > cap) return refuse(stream, 413, 'INVALID_INPUT', refusals.tooLarge);
    const body = await readBody(stream, cap);
    if (body === 'too-large') return refuse(stream, 413, 'INVALID_INPUT', refusals.tooLarge);
    if (body === 'slow' || body === 'aborted') {
      if (body === 'slow') refuse(stream, 408, 'INVALID_INPUT', refusals.slow);
      return;
    }
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) return refuse(stream, 400, 'INVALID_INPUT', refusals.tooDeep);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(stream, 400, 'INVALID_INPUT', refusals.notJson);
    }
    reply(stream, await route(method, parsed, conn));
  }

  function refuse(
    stream: ServerHttp2Stream,
    status: number,
    code: 'INVALID_INPUT' | 'UNKNOWN_METHOD',
    message: string,
  ): void {
    log.warn('host request refused', { status, reason: message.slice(0, 80) });
    reply(stream, { ok: false, error: { code, message } }, status);
  }

  function reply(stream: ServerHttp2Stream, response: HostResponse, status = httpStatusFor(response)): void {
    if (stream.destroyed || stream.closed || stream.headersSent) return;
    stream.respond({
      ':status': status,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    stream.end(JSON.stringify(response));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const sweep = setInterval(() => sessions.sweep(), 30_000);
  sweep.unref();
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        for (const session of connections.keys()) session.destroy();
        server.close(() => resolve());
      }),
  };
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** The request body, or why it was not read; stops reading (and the sender) past `cap`. */
function readBody(
  stream: ServerHttp2Stream,
  cap: number,
): Promise<Buffer | 'too-large' | 'slow' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish('slow'), 120_000);
    const finish = (outcome: Buffer | 'too-large' | 'slow' | 'aborted'): void => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      if (typeof outcome === 'string') stream.pause();
      resolve(outcome);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) return finish('too-large');
      chunks.push(chunk);
    });
    stream.once('end', () => finish(Buffer.concat(chunks)));
    stream.once('aborted', () => finish('aborted'));
    stream.once('close', () => finish('aborted'));
  });
}
