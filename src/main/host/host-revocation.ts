import type { Logger } from '../log/logger';
import { OcspClient } from '../pki/ocsp';
import { combinedRevocation, RevocationLists, type RevocationCheck } from '../pki/revocation';
import type { HostConfig } from './config';

/**
 * The host's revocation data from its configuration: the CRL files (read now: a missing or unreadable
 * one throws `CrlFileError`, in French) and/or the OCSP client; CRLs are asked first. Null when the
 * configuration has neither (docs/host.md « Revocation »).
 */
export function openRevocation(config: HostConfig['revocation'], log: Logger): RevocationCheck | null {
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
  return combinedRevocation([crls, ocsp]);
}
