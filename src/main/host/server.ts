import { createSecureServer, constants, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { randomBytes, X509Certificate as NodeCertificate } from 'node:crypto';
import { frameText, jsonDepthExceeds, MAX_JSON_DEPTH } from '../bridge/frame-limits';
import { hostMethods, isHostMethodName, SMALL_REQUEST_BYTES } from '../host-api/methods';
import { apiPathPrefix, httpStatusFor, type HostResponse } from '../host-api/protocol';
import type { Logger } from '../log/logger';
import { allowsSystemCalls, isWorkstationCertificate } from '../pki';
import type { RevocationCheck } from '../pki/revocation';
import { X509Certificate } from '../pki/x509';
import type { SecurityTrail, WorkstationIdentity } from '../audit/security-events';
import { WorkstationRateLimiter, defaultHostLimits, type HostLimits } from './rate-limit';
import { defaultSessionSweepSeconds } from './config';
import type { ProfessionalSessions } from './professional-sessions';
import type { HostConnection, HostRoute } from './routing';

export interface ClientCertificateRole {
  /** Issued to a workstation (the deployment PKI's workstation policy), not to a card or a host. */
  workstation: boolean;
  /** Marked for system calls (CLI import, reference loading). */
  systemCalls: boolean;
}

/**
 * The chain alone is not enough: card certificates chain to the same root and carry clientAuth, but
 * a card proves a person through the challenge, never a workstation (policies from src/main/pki).
 */
export function clientCertificateRole(der: Uint8Array): ClientCertificateRole {
  return { workstation: isWorkstationCertificate(der), systemCalls: allowsSystemCalls(der) };
}

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
  /** What the client certificate (DER, chain already verified) may do: see `clientCertificateRole`. */
  clientRole: (certificateDer: Buffer) => ClientCertificateRole;
  /** A connection silent this long is closed (workstations ping well within it). */
  idleConnectionMs?: number;
  /** CRLs and/or OCSP of the workstation authorities: a revoked workstation certificate is refused. */
  revocation?: RevocationCheck | null;
  /** Where refusals that matter to an auditor are recorded (the DMP's audit chain). */
  security?: SecurityTrail | null;
  /** Per-workstation request rate and per-connection concurrency (defaults: `defaultHostLimits`). */
  limits?: HostLimits;
  /** Clock of the rate limiter, in ms (tests freeze it). */
  now?: () => number;
  /**
   * How often idle sessions are dropped and open professional sessions' cards are checked against
   * the revocation data — the check itself reloads a CRL file that changed and asks the OCSP
   * responder again once its cached answer expired — host.json's `sessionSweepSeconds`, default 30 s.
   */
  sweepEveryMs?: number;
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
  rateLimited:
    'Trop de requêtes envoyées par ce poste : le serveur DMP limite le débit de chaque poste. Réessayez dans quelques secondes.',
  tooManyStreams:
    'Trop de requêtes simultanées sur la connexion de ce poste : réessayez quand les précédentes auront abouti.',
  revoked:
    'Ce poste n’est plus autorisé sur le serveur DMP : son certificat a été révoqué par l’autorité du déploiement. Contactez le service informatique.',
  revocationUnknown:
    'Le serveur DMP ne peut pas vérifier que le certificat de ce poste n’est pas révoqué (liste de révocation expirée ou invalide, ou répondeur OCSP injoignable) : requête refusée. Contactez le service informatique.',
} as const;

/** Subject, serial and fingerprint of a peer certificate, as an auditor finds them in the PKI's records. */
function workstationIdentity(raw: Buffer, name: string, fingerprint: string): WorkstationIdentity {
  const parsed = safely(() => new NodeCertificate(raw), null);
  return {
    name,
    subject: parsed ? parsed.subject.split('\n').join(', ') : '(illisible)',
    serial: parsed ? parsed.serialNumber.toUpperCase() : '',
    fingerprint,
  };
}

/** The verified chain TLS built (leaf first, up to the root), as the CRL check needs it. */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current = socket.getPeerCertificate(true) as ReturnType<TLSSocket['getPeerCertificate']> & {
    issuerCertificate?: ReturnType<TLSSocket['getPeerCertificate']>;
  };
  for (let depth = 0; depth < 6 && current?.raw; depth++) {
    chain.push(new X509Certificate(Uint8Array.from(current.raw)));
    const next = current.issuerCertificate as typeof current | undefined;
    // OpenSSL ends the chain with the self-signed root as its own issuer.
    if (!next || next === current || next.fingerprint256 === current.fingerprint256) break;
    current = next;
  }
  return chain;
}

type Admission = { status: 403; message: string; cause: 'revoked' | 'unknown'; detail: string } | null;

/**
 * The DMP host's HTTPS endpoint: HTTP/2 over TLS 1.3 only, the workstation's certificate required
 * and checked against the deployment CA during the handshake (a workstation without one, or with one
 * from another CA, never reaches the routing). Like the loopback bridge, a hostile or broken client
 * can only lose its own request or connection: every session and stream has an error handler, a
 * body is capped by its method and depth-scanned before it is parsed.
 */
export async function startHostServer(options: HostServerOptions): Promise<RunningHostServer> {
  const { log, route, sessions } = options;
  const limits: HostLimits = { ...defaultHostLimits, ...options.limits };
  const server = createSecureServer({
    ca: options.tls.caPem,
    cert: options.tls.certPem,
    key: options.tls.keyPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
    allowHTTP1: false,
    // The protocol's own cap; the count in the stream handler below answers a client that exceeds it.
    settings: { maxConcurrentStreams: limits.maxConcurrentStreams },
    maxSessionMemory: 64,
  });
  const connections = new Map<Http2Session, HostConnection>();
  const limiter = new WorkstationRateLimiter(limits, options.now);
  /** Per connection: the verified chain of its certificate (checked against the CRLs on every request). */
  const chains = new Map<Http2Session, X509Certificate[]>();
  /** Connections whose revocation refusal is already in the audit trail (one entry per connection). */
  const auditedRefusals = new WeakSet<Http2Session>();
  const inFlight = new Map<Http2Session, number>();

  /** Each certificate of the chain against its issuer's CRL (if one is configured). */
  async function revocationOf(chain: X509Certificate[]): Promise<Admission> {
    const revocation = options.revocation;
    if (!revocation) return null;
    for (let i = 0; i + 1 < chain.length; i++) {
      const certificate = chain[i] as X509Certificate;
      const verdict = await revocation.status(certificate, chain[i + 1] as X509Certificate);
      if (verdict.status === 'revoked') {
        return {
          status: 403,
          message: refusals.revoked,
          cause: 'revoked',
          detail: `${i === 0 ? 'certificate' : 'authority'}-revoked-${verdict.revokedAt.toISOString()}`,
        };
      }
      if (verdict.status === 'unknown') {
        return {
          status: 403,
          message: refusals.revocationUnknown,
          cause: 'unknown',
          detail: `revocation-${verdict.why}`,
        };
      }
    }
    return null;
  }

  /**
   * Ends the open professional sessions whose card is now revoked, without waiting for their next
   * call (which may come hours later), and audits each once — the same entry as a call that finds
   * it: cause card-revoked, the proven national id, never a name; a session found revoked by a
   * call first is audited by that call and is no longer there to sweep. On the periodic sweep,
   * never two at a time.
   */
  let revocationSweep: Promise<void> | null = null;
  function sweepRevokedSessions(): void {
    if (revocationSweep) return;
    revocationSweep = (async () => {
      const audits: Promise<void>[] = [];
      await sessions.endRevokedSessions((ended) => {
        const conn = [...connections.values()].find((c) => c.id === ended.connectionId);
        if (!conn || !options.security) return;
        const audit = options.security
          .record({
            cause: 'card-revoked',
            method: '(révocation)',
            claimedId: null,
            provenId: ended.nationalId,
            detail: ended.detail,
            insKey: null,
            workstation: conn.certificate,
          })
          .catch((err: unknown) =>
            log.error('could not audit a professional session ended by revocation', {
              connection: conn.id,
              error: err instanceof Error ? err.message : 'unknown',
            }),
          );
        audits.push(audit);
      });
      await Promise.all(audits);
    })()
      .catch((err: unknown) =>
        log.error('revocation sweep of professional sessions failed', {
          error: err instanceof Error ? err.message : 'unknown',
        }),
      )
      .finally(() => (revocationSweep = null));
  }

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
    const role = peer.raw ? safely(() => options.clientRole(peer.raw), null) : null;
    if (!role?.workstation) {
      // Chains to the deployment root but is no workstation's (a card's, a host's): not a client here.
      log.warn('connection refused: not a workstation certificate', {
        subject: typeof peer.subject?.CN === 'string' ? peer.subject.CN.slice(0, 80) : null,
      });
      session.destroy();
      return;
    }
    const workstation = typeof peer.subject?.CN === 'string' ? peer.subject.CN : '(sans nom)';
    const conn: HostConnection = {
      id: randomBytes(6).toString('hex'),
      workstation,
      fingerprint: peer.fingerprint256 ?? '',
      certificate: workstationIdentity(peer.raw, workstation, peer.fingerprint256 ?? ''),
      systemCalls: role.systemCalls,
      // TLS 1.3 exporters treat an absent and an empty context alike (RFC 8446 §7.5); the client passes the same.
      exportKeyingMaterial: (length, label) => socket.exportKeyingMaterial(length, label, Buffer.alloc(0)),
    };
    connections.set(session, conn);
    chains.set(
      session,
      safely(() => peerChain(socket), []),
    );
    log.info('workstation connected', {
      connection: conn.id,
      workstation: conn.workstation,
      systemCalls: conn.systemCalls,
    });
    session.setTimeout(options.idleConnectionMs ?? 5 * 60 * 1000, () => session.close());
    session.on('close', () => {
      connections.delete(session);
      chains.delete(session);
      inFlight.delete(session);
      sessions.end(conn, 'connection closed');
      log.info('workstation disconnected', { connection: conn.id });
    });
  });

  server.on('stream', (stream, headers) => {
    stream.on('error', (err) => log.warn('host stream error', { error: err.message }));
    const session = stream.session as Http2Session;
    const conn = connections.get(session);
    if (!conn) return stream.close(constants.NGHTTP2_REFUSED_STREAM);
    // Counted from the stream's arrival to its handler's end: a client ignoring SETTINGS, or one whose
    // requests are slow to read, cannot hold more than its share of the host.
    const running = inFlight.get(session) ?? 0;
    if (running >= limits.maxConcurrentStreams) {
      return refuse(stream, 429, 'UNAVAILABLE', refusals.tooManyStreams, { connection: conn.id });
    }
    inFlight.set(session, running + 1);
    admitted(stream, session, conn)
      .then((go) => (go ? handleStream(stream, headers, conn) : undefined))
      .catch((err: unknown) => {
        log.error('host request failed', { error: err instanceof Error ? err.message : 'unknown' });
        reply(stream, { ok: false, error: { code: 'INTERNAL', message: 'Erreur interne du serveur DMP.' } });
      })
      .finally(() => {
        const left = (inFlight.get(session) ?? 1) - 1;
        if (connections.has(session)) inFlight.set(session, left);
      });
  });

  /**
   * On every request, not once per connection: a workstation keeps its connection open for hours
   * (pings), and a CRL published meanwhile must stop it. The check is a `stat` of each CRL file and a
   * lookup; signatures are verified once per CRL copy.
   */
  async function revocationRefusal(session: Http2Session, conn: HostConnection): Promise<Admission> {
    let refused: Admission;
    try {
      refused = await revocationOf(chains.get(session) ?? []);
    } catch (err) {
      log.error('revocation check failed: refusing the workstation', {
        connection: conn.id,
        error: err instanceof Error ? err.message : 'unknown',
      });
      refused = {
        status: 403,
        message: refusals.revocationUnknown,
        cause: 'unknown',
        detail: 'check-failed',
      };
    }
    if (!refused || auditedRefusals.has(session)) return refused;
    auditedRefusals.add(session);
    // The professional's session on this connection ends with it, now rather than when it closes.
    if (refused.cause === 'revoked') sessions.end(conn, 'workstation revoked');
    log.warn('workstation refused: certificate revoked or revocation unknown', {
      connection: conn.id,
      workstation: conn.workstation,
      serial: conn.certificate.serial,
      detail: refused.detail,
    });
    await options.security
      ?.record({
        cause: 'workstation-revoked',
        method: '(connexion)',
        workstation: conn.certificate,
        detail: refused.detail,
      })
      .catch((err: unknown) =>
        log.error('could not audit a refused workstation', {
          error: err instanceof Error ? err.message : 'unknown',
        }),
      );
    return refused;
  }

  /** Revocation, then the workstation's rate: false when the stream was answered with a refusal. */
  async function admitted(
    stream: ServerHttp2Stream,
    session: Http2Session,
    conn: HostConnection,
  ): Promise<boolean> {
    const refused = await revocationRefusal(session, conn);
    if (refused) {
      refuse(stream, refused.status, 'FORBIDDEN', refused.message, { connection: conn.id });
      // Nothing more is served on this connection; the reply above goes out first.
      stream.once('close', () => session.close());
      return false;
    }
    const waitMs = limiter.take(conn.fingerprint);
    if (waitMs > 0) {
      limiter.noteRefusal(conn.fingerprint, () =>
        log.warn('workstation rate limited', {
          connection: conn.id,
          workstation: conn.workstation,
          serial: conn.certificate.serial,
        }),
      );
      refuse(
        stream,
        429,
        'UNAVAILABLE',
        refusals.rateLimited,
        { connection: conn.id },
        {
          'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
        },
      );
      return false;
    }
    return true;
  }

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
      parsed = JSON.parse(frameText(body));
    } catch {
      return refuse(stream, 400, 'INVALID_INPUT', refusals.notJson);
    }
    reply(stream, await route(method, parsed, conn));
  }

  function refuse(
    stream: ServerHttp2Stream,
    status: number,
    code: 'INVALID_INPUT' | 'UNKNOWN_METHOD' | 'UNAVAILABLE' | 'FORBIDDEN',
    message: string,
    context: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): void {
    // Rate-limit refusals are logged once per burst by the limiter, not once per request.
    if (status !== 429)
      log.warn('host request refused', { status, reason: message.slice(0, 80), ...context });
    reply(stream, { ok: false, error: { code, message } }, status, headers);
  }

  function reply(
    stream: ServerHttp2Stream,
    response: HostResponse,
    status = httpStatusFor(response),
    headers: Record<string, string> = {},
  ): void {
    if (stream.destroyed || stream.closed || stream.headersSent) return;
    stream.respond({
      ':status': status,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
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
  const sweepEveryMs = options.sweepEveryMs ?? defaultSessionSweepSeconds * 1000;
  const sweep = setInterval(() => {
    sessions.sweep();
    limiter.sweep();
    sweepRevokedSessions();
  }, sweepEveryMs);
  sweep.unref();
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${shownHost}:${port}`,
    port,
    close: async () => {
      clearInterval(sweep);
      // Its audit entries are written before the caller closes the store.
      await revocationSweep;
      await new Promise<void>((resolve) => {
        limiter.clear();
        for (const session of connections.keys()) session.destroy();
        server.close(() => resolve());
      });
    },
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
