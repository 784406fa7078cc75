import { connect as h2Connect, type ClientHttp2Session } from 'node:http2';
import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { IdentityReference } from '../../src/main/identity/identity-reference';
import { createLogger } from '../../src/main/log/logger';
import { openMemoryStore } from '../../src/main/store/memory-store';
import type { Store } from '../../src/main/store/types';
import { startDmpHost } from '../../src/main/host/dmp-host';
import { connectToHost, type HostClient } from '../../src/main/host-client';
import { AuditLog } from '../../src/main/audit/audit-log';
import { ephemeralAuditKeys } from '../../src/main/audit/audit-keys';
import { auditLogSecurityTrail } from '../../src/main/audit/security-events';
import type { ProofVerifier } from '../../src/main/host/professional-sessions';
import type { HostLimits } from '../../src/main/host/rate-limit';
import type { RevocationCheck } from '../../src/main/pki/revocation';
import type { HostTestPki, Issued } from './host-test-pki';
import { startHealthServer, type RunningHealthServer } from '../../src/main/host/health';
import { noRevocation } from '../../src/main/host/host-revocation';

export interface TestHostOptions {
  idleMs?: number;
  now?: () => number;
  /** Revocation data (CRLs, OCSP) for workstations, card proofs and open sessions' cards. */
  revocation?: RevocationCheck;
  limits?: Partial<HostLimits>;
  verifyProof?: ProofVerifier;
  /** The DMP's store (e.g. PostgreSQL); in memory when absent. `close()` closes it too. */
  store?: Store;
  /**
   * The host's periodic sweep (idle sessions, open sessions' cards against the revocation data).
   * One hour unless given: a test that is not about the sweep then sees what its own calls do.
   */
  sweepEveryMs?: number;
  /** Also start the health listener (health.ts) on 127.0.0.1, any free port, as `npm run host` does. */
  health?: { databaseTimeoutMs?: number };
}

/**
 * A DMP host on loopback (real TLS, in-memory store unless `store` is given) and clients for it, logs kept for assertions.
 * Refusals are recorded in the DMP's audit chain as the real host does (same store, same keys).
 */
export async function startTestHost(pki: HostTestPki, options: TestHostOptions = {}) {
  const lines: string[] = [];
  const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
  const store = options.store ?? (await openMemoryStore(dmpMigrations));
  const keys = ephemeralAuditKeys();
  const dmp = new DmpService({ store, log: log.child('dmp'), audit: { keys } });
  const auditLog = AuditLog.open(store, { keys });
  const identities = new IdentityReference(store);
  const server = await startDmpHost({
    dmp,
    identities,
    tls: { caPem: pki.caPem, certPem: pki.host.certPem, keyPem: pki.host.keyPem },
    // Given revocation data, the card proofs are checked against it too, as the real host does.
    verifyProof:
      options.verifyProof ?? (options.revocation ? pki.verifyProofWith(options.revocation) : pki.verifyProof),
    log: log.child('host'),
    host: '127.0.0.1',
    port: 0,
    professionalIdleMs: options.idleMs ?? 15 * 60 * 1000,
    version: 'test',
    security: auditLogSecurityTrail(auditLog),
    ...(options.now ? { now: options.now } : {}),
    ...(options.revocation ? { revocation: options.revocation } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    sweepEveryMs: options.sweepEveryMs ?? 60 * 60 * 1000,
  });
  let health: RunningHealthServer | null = null;
  if (options.health)
    health = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      log: log.child('health'),
      sources: {
        version: 'test',
        startedAt: Date.now(),
        ping: async () => void (await store.all('SELECT 1 AS one')),
        databaseTimeoutMs: options.health.databaseTimeoutMs ?? 2_000,
        audit: () => ({ state: 'pending', summary: null }),
        revocation: () => noRevocation,
        openProfessionalSessions: () => server.openProfessionalSessions(),
        stopping: () => false,
      },
    });
  const url = `https://localhost:${server.port}`;
  const clients: HostClient[] = [];
  const clientLines: string[] = [];
  return {
    url,
    port: server.port,
    /** The health listener's base URL (`http://127.0.0.1:PORT`), when `health` was asked for. */
    healthUrl: health?.url ?? null,
    lines,
    clientLines,
    dmp,
    /** The audit chain as an auditor reads it (every entry, oldest first). */
    async auditEntries() {
      return (await auditLog).entries();
    },
    async client(
      identity: Issued = pki.workstation,
      caPem = pki.caPem,
      extra: { pingEveryMs?: number } = {},
    ): Promise<HostClient> {
      const client = await connectToHost({
        url,
        caPem,
        certPem: identity.certPem,
        keyPem: identity.keyPem,
        log: createLogger({ sink: (l) => clientLines.push(l), level: 'debug' }),
        ...extra,
      });
      clients.push(client);
      return client;
    },
    async close(): Promise<void> {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      await health?.close();
      await store.close();
    },
  };
}

/**
 * A raw TLS 1.3 HTTP/2 connection to the host as a workstation presenting `identity` (its chain and
 * key), trusting `caPem`: for tests of what the host answers before any client logic. Connection
 * errors are left to the requests made on it.
 */
export function connectAsWorkstation(
  url: string,
  caPem: string,
  identity: { chainPem: string; keyPem?: string | undefined },
): ClientHttp2Session {
  const session = h2Connect(url, {
    ca: caPem,
    cert: identity.chainPem,
    key: identity.keyPem,
    minVersion: 'TLSv1.3',
  });
  session.on('error', () => undefined);
  return session;
}

/** One `host.hello` on a raw HTTP/2 connection: the HTTP status, and the host's French refusal if any. */
export function helloOn(session: ClientHttp2Session): Promise<{ status: number; message?: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/api/v1/host.hello' });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { message: string } };
      resolve({ status, ...(json.error ? { message: json.error.message } : {}) });
    });
    stream.on('error', reject);
    stream.end('{"args":[]}');
  });
}
