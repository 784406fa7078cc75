import type { Logger } from '../log/logger';
import { OcspClient } from '../pki/ocsp';
import { combinedRevocation, RevocationLists, type RevocationCheck } from '../pki/revocation';
import type { HostConfig } from './config';
import type { RevocationHealth } from './health';

/** The host's revocation check, and how fresh its data is (the health answer, health.ts). */
export interface HostRevocation extends RevocationCheck {
  freshness(now?: Date): RevocationHealth;
}

/**
 * The host's revocation data from its configuration: the CRL files (read now: a missing or unreadable
 * one throws `CrlFileError`, in French) and/or the OCSP client; CRLs are asked first. Null when the
 * configuration has neither (docs/host.md « Revocation »).
 */
export function openRevocation(config: HostConfig['revocation'], log: Logger): HostRevocation | null {
  if (!config) return null;
  const crls = config.crlFiles ? RevocationLists.open(config.crlFiles, log.child('crl')) : null;
  const ocsp = config.ocsp
    ? new OcspClient({
        ...(config.ocsp.url ? { url: config.ocsp.url } : {}),
        timeoutMs: config.ocsp.timeoutMs,
        maxCacheMs: config.ocsp.maxCacheSeconds * 1000,
        log: log.child('ocsp'),
      })
    : null;
  if (ocsp)
    log.info('OCSP enabled', {
      url: config.ocsp?.url ?? '(AIA of each certificate)',
      timeoutMs: config.ocsp?.timeoutMs,
    });
  const combined = combinedRevocation([crls, ocsp]);
  if (!combined) return null;
  return {
    status: (certificate, issuer) => combined.status(certificate, issuer),
    freshness: (now = new Date()) => revocationFreshness(crls, ocsp, now),
  };
}

const secondsSince = (then: Date, now: Date): number => Math.floor((now.getTime() - then.getTime()) / 1000);

/** The health answer's revocation part: each CRL's age and validity, OCSP's cached answers. */
export function revocationFreshness(
  crls: Pick<RevocationLists, 'freshness'> | null,
  ocsp: Pick<OcspClient, 'freshness'> | null,
  now: Date,
): RevocationHealth {
  const cached = ocsp?.freshness() ?? null;
  return {
    configured: crls !== null || ocsp !== null,
    crls: (crls?.freshness() ?? []).map((c) => ({
      issuer: c.issuer,
      thisUpdate: c.thisUpdate.toISOString(),
      nextUpdate: c.nextUpdate?.toISOString() ?? null,
      ageSeconds: secondsSince(c.thisUpdate, now),
      expired: c.expired,
      signatureRejected: c.signatureRejected,
    })),
    ocsp: cached && {
      cachedAnswers: cached.cachedAnswers,
      oldestAnswerAgeSeconds: cached.oldestAnswerAt ? secondsSince(cached.oldestAnswerAt, now) : null,
    },
  };
}

/** No revocation data configured. */
export const noRevocation: RevocationHealth = { configured: false, crls: [], ocsp: null };
