import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { describeAuditVerdict, type AuditChainVerdict } from '../audit/verify';
import type { Logger } from '../log/logger';

/**
 * The host's health answer, for load balancers and monitoring (docs/host.md « Health and status »).
 * It says what state the host is in — database, audit chain verdict, revocation data age, version,
 * uptime, how many professional sessions are open — and nothing about who: no patient, no INS, no
 * professional's name or national id, no audit entry content. It is served on its own plain-HTTP
 * listener (loopback by default), never on the mutual-TLS API, so that a load balancer needs no
 * workstation certificate and the workstation API keeps refusing anything that is not a workstation.
 */

/** Where the full audit chain check stands (open-postgres.ts runs it once, after listening). */
export const auditHealthSchema = z.strictObject({
  state: z.enum(['pending', 'ok', 'failed', 'unavailable', 'not-run']),
  /** The French verdict summary (counts and a sequence number at most, never an entry's content). */
  summary: z.string().max(500).nullable(),
});
export type AuditHealth = z.infer<typeof auditHealthSchema>;

const crlHealthSchema = z.strictObject({
  /** The authority that published it (a CA's name, not a person's). */
  issuer: z.string().max(500),
  thisUpdate: z.iso.datetime(),
  nextUpdate: z.iso.datetime().nullable(),
  ageSeconds: z.number().int(),
  expired: z.boolean(),
  /** Found not signed by the authority it names when a certificate was checked: that authority's certificates are refused. */
  signatureRejected: z.boolean(),
});

export const revocationHealthSchema = z.strictObject({
  configured: z.boolean(),
  crls: z.array(crlHealthSchema).max(64),
  ocsp: z
    .strictObject({
      /** Verified answers currently cached, and the oldest one's age (null: none cached). */
      cachedAnswers: z.number().int().min(0),
      oldestAnswerAgeSeconds: z.number().int().nullable(),
    })
    .nullable(),
});
export type RevocationHealth = z.infer<typeof revocationHealthSchema>;

export const healthReportSchema = z.strictObject({
  /**
   * `ready`: serving; `degraded`: serving, but something needs an administrator (audit chain does not
   * verify, a CRL expired or not signed by its authority — every workstation or card of that authority
   * is then refused, fail closed); `not-ready`: the
   * database does not answer; `stopping`: shutting down. HTTP 200 for the first two, 503 otherwise.
   */
  status: z.enum(['ready', 'degraded', 'not-ready', 'stopping']),
  version: z.string().max(100),
  uptimeSeconds: z.number().int().min(0),
  database: z.strictObject({
    ok: z.boolean(),
    latencyMs: z.number().int().min(0).nullable(),
    /** In French, without the connection string or the server's own message. */
    problem: z.string().max(300).nullable(),
  }),
  audit: auditHealthSchema,
  revocation: revocationHealthSchema,
  professionalSessions: z.number().int().min(0),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

/** The audit part of the answer, from the full check's verdict (null: the check could not run). */
export function auditHealth(verdict: AuditChainVerdict | null): AuditHealth {
  if (verdict === null)
    return {
      state: 'unavailable',
      summary: 'Vérification complète du journal d’audit impossible (voir le journal du serveur).',
    };
  return { state: verdict.ok ? 'ok' : 'failed', summary: describeAuditVerdict(verdict) };
}

/** The host's status from its parts: the rule load balancers and `status` read. */
export function healthStatus(parts: {
  stopping: boolean;
  databaseOk: boolean;
  audit: AuditHealth;
  revocation: RevocationHealth;
}): HealthReport['status'] {
  if (parts.stopping) return 'stopping';
  if (!parts.databaseOk) return 'not-ready';
  // Not a reason to take the host out of the pool: the others share the same chain and CRLs, and
  // refusing to serve would stop care (open-postgres.ts does not refuse to start either).
  if (parts.audit.state === 'failed' || parts.revocation.crls.some((c) => c.expired || c.signatureRejected))
    return 'degraded';
  return 'ready';
}

export function httpStatusOfHealth(status: HealthReport['status']): 200 | 503 {
  return status === 'ready' || status === 'degraded' ? 200 : 503;
}

export interface HealthSources {
  version: string;
  startedAt: number;
  /** A trivial query on the host's database (`SELECT 1`). */
  ping(): Promise<void>;
  /** Beyond this, the database counts as not answering. */
  databaseTimeoutMs: number;
  audit(): AuditHealth;
  revocation(): RevocationHealth;
  openProfessionalSessions(): number;
  stopping(): boolean;
  now?: () => number;
}

/** The database answered `ping` within the bound, and how fast; never its error text (it may hold paths or the user). */
async function databaseHealth(sources: HealthSources, now: () => number): Promise<HealthReport['database']> {
  const started = now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    sources.ping().then(
      () => 'ok' as const,
      () => 'failed' as const,
    ),
    new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), sources.databaseTimeoutMs)),
    ),
  ]);
  clearTimeout(timer);
  if (outcome === 'ok')
    return { ok: true, latencyMs: Math.max(0, Math.round(now() - started)), problem: null };
  return {
    ok: false,
    latencyMs: null,
    problem:
      outcome === 'timeout'
        ? `La base de données n’a pas répondu en ${sources.databaseTimeoutMs} ms.`
        : 'La base de données ne répond pas (connexion refusée ou perdue).',
  };
}

export async function healthReport(sources: HealthSources): Promise<HealthReport> {
  const now = sources.now ?? Date.now;
  const stopping = sources.stopping();
  const database = stopping
    ? { ok: false, latencyMs: null, problem: 'Le serveur DMP s’arrête.' }
    : await databaseHealth(sources, now);
  const audit = sources.audit();
  const revocation = sources.revocation();
  return {
    status: healthStatus({ stopping, databaseOk: database.ok, audit, revocation }),
    version: sources.version,
    uptimeSeconds: Math.max(0, Math.floor((now() - sources.startedAt) / 1000)),
    database,
    audit,
    revocation,
    professionalSessions: sources.openProfessionalSessions(),
  };
}

export interface RunningHealthServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * GET /health/live: 200 while the process answers (liveness). GET /health/ready (or /health): the
 * report, 200 when ready or degraded, 503 otherwise. Plain HTTP/1.1, GET and HEAD only, no body
 * read; concurrent probes share one report (one database query), so a probe flood cannot multiply
 * the queries.
 *
 * On loopback (no `anyHostHeader`), a request must name a loopback address in its Host header: a
 * web page the workstation's browser opens cannot read the answer by pointing its own domain name
 * at 127.0.0.1 (DNS rebinding), as the bridge already refuses (bridge/loopback-host.ts).
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  sources: HealthSources;
  log: Logger;
  /** `allowRemote`: a load balancer may probe under any name. */
  anyHostHeader?: boolean;
}): Promise<RunningHealthServer> {
  const { log } = options;
  let allowedHosts: string[] = [];
  let inFlight: Promise<HealthReport> | null = null;
  const report = (): Promise<HealthReport> =>
    (inFlight ??= healthReport(options.sources).finally(() => (inFlight = null)));

  const send = (res: ServerResponse, req: IncomingMessage, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  const server = createServer((req, res) => {
    req.resume();
    if (!options.anyHostHeader && !allowedHosts.includes((req.headers.host ?? '').toLowerCase())) {
      return send(res, req, 403, {
        error: 'En-tête Host refusé : interrogez l’interface de santé à son adresse de bouclage.',
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, req, 405, { error: 'Méthode HTTP non acceptée : GET attendu.' });
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === '/health/live')
      return send(res, req, options.sources.stopping() ? 503 : 200, {
        status: options.sources.stopping() ? 'stopping' : 'up',
      });
    if (path === '/health/ready' || path === '/health') {
      report().then(
        (answer) => send(res, req, httpStatusOfHealth(answer.status), answer),
        (err: unknown) => {
          log.error('health report failed', { error: err instanceof Error ? err.message : 'unknown' });
          send(res, req, 503, { error: 'Erreur interne du serveur DMP.' });
        },
      );
      return;
    }
    send(res, req, 404, { error: 'Adresse inconnue : /health/live ou /health/ready.' });
  });
  // Probes are small and quick: a slow or idle client holds nothing for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 64;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error('health listener error', { error: err.message }));
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  allowedHosts = [shownHost, 'localhost', '127.0.0.1', '[::1]'].map((h) => `${h.toLowerCase()}:${port}`);
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where `status` asks: a wildcard listener is asked on loopback. */
export function healthUrl(listen: { host: string; port: number }): string {
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host === '::' ? '::1' : listen.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}/health/ready`;
}

/** Loopback addresses the health listener may use without `allowRemote`. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A listener on every address: `::` takes IPv4 too on a dual-stack system, as `0.0.0.0` does. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}
