import type { HostStatus } from '../../../../shared/contract';

/**
 * What the clinician reads about the DMP in use. Everything patient-related stays hidden while the
 * shared host is not answering this workstation: nothing is ever shown from anywhere else instead.
 */
export function hostBlocksPatientData(status: HostStatus | null): boolean {
  return status?.mode === 'remote' && status.state !== 'connected';
}

export const hostBlockedMessage: Record<'unreachable' | 'refused', string> = {
  unreachable: 'Serveur DMP injoignable : aucune donnée patient affichée',
  refused: 'Serveur DMP : connexion refusée (certificats) : aucune donnée patient affichée',
};

/** The mode in a few words, for the card bar. */
export function hostModeLabel(status: HostStatus): string {
  if (status.mode === 'embedded') return 'DMP intégré au poste';
  return `Serveur DMP partagé (${hostName(status.url)})`;
}

function hostName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
