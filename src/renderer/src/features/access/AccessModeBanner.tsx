import { useStore } from '../../state/store';

/**
 * Stays up for the whole session while the dossier is open in an exceptional mode. Hidden while the
 * session is not authenticated: the lock screen must not show anything about the patient, the reason included.
 */
export function AccessModeBanner(): React.JSX.Element | null {
  const authenticated = useStore((s) => s.session?.status === 'authenticated');
  const access = useStore((s) => s.session?.patient?.access ?? null);
  if (!authenticated || !access || access.mode === 'normal') return null;
  const reason = access.reason?.trim() ? access.reason : 'non renseigné';
  // The main process ends the access at this time (or when the patient's context closes).
  const until = access.until
    ? ` · jusqu’à ${new Date(access.until).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' })}`
    : '';
  if (access.mode === 'bris_de_glace') {
    return (
      <div className="access-banner access-banner--bdg" role="alert" data-testid="access-banner">
        <strong>Accès en bris de glace</strong> — motif : {reason}
        <span className="access-banner__note"> · accès tracé et signalé au patient{until}</span>
      </div>
    );
  }
  return (
    <div className="access-banner access-banner--c15" role="alert" data-testid="access-banner">
      <strong>Accès Centre 15 (régulation)</strong> — motif : {reason}
      <span className="access-banner__note"> · accès tracé et signalé au patient{until}</span>
    </div>
  );
}
