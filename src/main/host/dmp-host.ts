import type { DmpPort, IdentityPort } from '../dmp/dmp-port';
import type { Logger } from '../log/logger';
import type { Store } from '../store/types';
import type { SecurityTrail } from '../audit/security-events';
import type { RevocationCheck } from '../pki/revocation';
import { defaultHostLimits, type HostLimits } from './rate-limit';
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
  /** See HostRouterOptions.security: refusals recorded in the DMP's audit chain. */
  security?: SecurityTrail;
  /**
   * The deployment's revocation data (CRLs, OCSP): checked against each workstation certificate's
   * chain on every request, and against each open professional session's card chain on every call
   * and on the periodic sweep (the proof itself is checked by `verifyProof`, which the host gives the
   * same data).
   */
  revocation?: RevocationCheck | null;
  limits?: Partial<HostLimits>;
  /** See HostServerOptions.sweepEveryMs (tests shorten it). */
  sweepEveryMs?: number;
}

export interface RunningDmpHost extends RunningHostServer {
  /** How many professionals have a session open (the health answer: a count, never who). */
  openProfessionalSessions(): number;
}

/** The DMP behind its HTTPS API: sessions, routing from the method table, the TLS endpoint. */
export async function startDmpHost(options: DmpHostOptions): Promise<RunningDmpHost> {
  const sessions = new ProfessionalSessions({
    verify: options.verifyProof,
    idleMs: options.professionalIdleMs,
    log: options.log.child('sessions'),
    revocation: options.revocation ?? null,
    ...(options.now ? { now: options.now } : {}),
  });
  const route = createHostRouter({
    dmp: options.dmp,
    identities: options.identities,
    sessions,
    log: options.log.child('api'),
    version: options.version,
    ...(options.requests ? { requests: options.requests } : {}),
    ...(options.security ? { security: options.security } : {}),
  });
  const server = await startHostServer({
    route,
    sessions,
    tls: options.tls,
    clientRole: clientCertificateRole,
    log: options.log.child('tls'),
    host: options.host,
    port: options.port,
    revocation: options.revocation ?? null,
    security: options.security ?? null,
    ...(options.limits ? { limits: { ...defaultHostLimits, ...options.limits } } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sweepEveryMs ? { sweepEveryMs: options.sweepEveryMs } : {}),
  });
  return { ...server, openProfessionalSessions: () => sessions.openCount };
}
