import { DmpService } from '../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../src/main/dmp/migrations';
import { IdentityReference } from '../../src/main/identity/identity-reference';
import { createLogger } from '../../src/main/log/logger';
import { openMemoryStore } from '../../src/main/store/memory-store';
import type { Store } from '../../src/main/store/types';
import { startDmpHost } from '../../src/main/host/dmp-host';
import { connectToHost, type HostClient } from '../../src/main/host-client';
import type { HostTestPki, Issued } from './host-test-pki';

/**
 * A DMP host on loopback (real TLS; in-memory store unless `store` is given, e.g. PostgreSQL) and
 * clients for it, logs kept for assertions. `close()` closes the store too.
 */
export async function startTestHost(
  pki: HostTestPki,
  options: { idleMs?: number; now?: () => number; store?: Store } = {},
) {
  const lines: string[] = [];
  const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
  const store = options.store ?? (await openMemoryStore(dmpMigrations));
  const dmp = new DmpService({ store, log: log.child('dmp') });
  const identities = new IdentityReference(store);
  const server = await startDmpHost({
    dmp,
    identities,
    tls: { caPem: pki.caPem, certPem: pki.host.certPem, keyPem: pki.host.keyPem },
    verifyProof: pki.verifyProof,
    log: log.child('host'),
    host: '127.0.0.1',
    port: 0,
    professionalIdleMs: options.idleMs ?? 15 * 60 * 1000,
    version: 'test',
    ...(options.now ? { now: options.now } : {}),
  });
  const url = `https://localhost:${server.port}`;
  const clients: HostClient[] = [];
  const clientLines: string[] = [];
  return {
    url,
    port: server.port,
    lines,
    clientLines,
    dmp,
    async client(identity: Issued = pki.workstation, caPem = pki.caPem): Promise<HostClient> {
      const client = await connectToHost({
        url,
        caPem,
        certPem: identity.certPem,
        keyPem: identity.keyPem,
        log: createLogger({ sink: (l) => clientLines.push(l), level: 'debug' }),
      });
      clients.push(client);
      return client;
    },
    async close(): Promise<void> {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      await store.close();
    },
  };
}
