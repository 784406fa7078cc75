import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import type { Logger } from '../log/logger';
import type { Store } from '../store/types';
import { ProfessionalSessions, type ProofVerifier } from './professional-sessions';
import { createHostRouter } from './routing';
import { clientCertificateRole, startHostServer, type HostTls, type RunningHostServer } from './server';

export interface DmpHostOptions {
  dmp: DmpPort;
  identities: IdentityPort;
  tls: HostTls;
  verifyProof: ProofVerifier | null;
  log: Logger;
  host: string;
  port: number;
  professionalIdleMs: number;
  version: string;
  now?: () => number;
  /** See HostRouterOptions.requests. */
  requests?: Store;
}

/** The DMP behind its HTTPS API: sessions, routing from the method table, the TLS endpoint. */
export async function startDmpHost(options: DmpHostOptions): Promise<RunningHostServer> {
  const sessions = new ProfessionalSessions({
    verify: options.verifyProof,
    idleMs: options.professionalIdleMs,
    log: options.log.child('sessions'),
    ...(options.now ? { now: options.now } : {}),
  });
  const route = createHostRouter({
    dmp: options.dmp,
    identities: options.identities,
    sessions,
    log: options.log.child('api'),
    version: options.version,
    ...(options.requests ? { requests: options.requests } : {}),
  });
  return startHostServer({
    route,
    sessions,
    tls: options.tls,
    clientRole: clientCertificateRole,
    log: options.log.child('tls'),
    host: options.host,
    port: options.port,
  });
}
