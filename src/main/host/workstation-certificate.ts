import { policies } from '../pki/profile';
import * as x509 from '../pki/x509';

export interface ClientCertificateRole {
  /** Issued to a workstation (the deployment PKI's workstation policy), not to a card or a host. */
  workstation: boolean;
  /** Marked for system calls (CLI import, reference loading). */
  systemCalls: boolean;
}

/**
 * What a TLS client certificate that passed the chain check may do, from its certificate policies
 * (src/main/pki/profile.ts). The chain alone is not enough: card certificates chain to the same root
 * and carry clientAuth, but a card proves a person through the challenge, never a workstation.
 */
export function clientCertificateRole(der: Uint8Array): ClientCertificateRole {
  let found: readonly string[] = [];
  try {
    found =
      new x509.X509Certificate(Uint8Array.from(der)).getExtension(x509.CertificatePolicyExtension)
        ?.policies ?? [];
  } catch {
    found = [];
  }
  const workstation = found.includes(policies.workstation);
  return { workstation, systemCalls: workstation && found.includes(policies.workstationSystemCalls) };
}
